// Phone portal: the caller's place from the address search (the citizens' gazetteer) or a
// click on the map; the commune menu stays the last resort.
const form = document.getElementById("portal-report");
const latInput = form.querySelector("input[name=lat]");
const lonInput = form.querySelector("input[name=lon]");
const statusText = document.getElementById("portal-map-status");
const texts = JSON.parse(document.getElementById("portal-i18n").textContent);
const communes = JSON.parse(document.getElementById("communes-data").textContent);
const [centerLat, centerLon] = JSON.parse(document.getElementById("map-center").textContent);

const map = L.map("portal-map", { zoomSnap: 0.25 }).setView([centerLat, centerLon], 12);
const tiles = document.querySelector("meta[name=ondijon-tiles]");
if (tiles) {
  L.tileLayer(tiles.content, { maxZoom: 19, attribution: tiles.dataset.attribution }).addTo(map);
}
const territory = L.geoJSON(communes, {
  style: { color: "#0b6e4f", weight: 1, fillColor: "#0b6e4f", fillOpacity: 0.04 },
  interactive: false,
}).addTo(map);
map.fitBounds(territory.getBounds(), { padding: [8, 8] });

let pin = null;
function placePin(lat, lon, message) {
  latInput.value = lat.toFixed(6);
  lonInput.value = lon.toFixed(6);
  if (pin) {
    pin.setLatLng([lat, lon]);
  } else {
    pin = L.marker([lat, lon], { draggable: true, keyboard: true }).addTo(map);
    pin.on("dragend", () => {
      const position = pin.getLatLng();
      placePin(position.lat, position.lng, texts.pinSet);
    });
  }
  statusText.textContent = message;
}
map.on("click", (event) => placePin(event.latlng.lat, event.latlng.lng, texts.pinSet));
if (latInput.value && lonInput.value) {
  const [lat, lon] = [parseFloat(latInput.value), parseFloat(lonInput.value)];
  placePin(lat, lon, texts.pinSet);
  map.setView([lat, lon], 17);
}

// The address box: a combobox over the citizens' search endpoint.
const searchBox = form.querySelector(".place-search");
const input = document.getElementById("id_address");
const list = document.getElementById("address-results");
const announce = document.getElementById("address-status");
const communeSelect = document.getElementById("id_place");
let results = [];
let active = -1;
let pending = null;
let lastQuery = "";

function setActive(index) {
  active = index;
  [...list.children].forEach((option, position) => {
    option.setAttribute("aria-selected", position === index ? "true" : "false");
  });
  if (index >= 0) input.setAttribute("aria-activedescendant", `address-option-${index}`);
  else input.removeAttribute("aria-activedescendant");
}

function close() {
  list.hidden = true;
  input.setAttribute("aria-expanded", "false");
  setActive(-1);
}

function show(found) {
  results = found;
  list.replaceChildren(...found.map((place, index) => {
    const option = document.createElement("li");
    option.id = `address-option-${index}`;
    option.setAttribute("role", "option");
    option.setAttribute("aria-selected", "false");
    option.className = "place-option";
    const label = document.createElement("span");
    label.textContent = place.label;
    const kind = document.createElement("span");
    kind.className = "place-kind";
    kind.textContent = texts[`kind${place.kind[0].toUpperCase()}${place.kind.slice(1)}`] || "";
    option.append(label, kind);
    option.addEventListener("pointerdown", (event) => event.preventDefault());
    option.addEventListener("click", () => choose(index));
    return option;
  }));
  const open = found.length > 0;
  list.hidden = !open;
  input.setAttribute("aria-expanded", open ? "true" : "false");
  setActive(-1);
  announce.textContent = !open ? texts.noResult
    : found.length === 1 ? texts.oneResult : texts.results.replace("{n}", found.length);
}

function choose(index) {
  const place = results[index];
  if (!place) return;
  input.value = place.label;
  close();
  if (place.kind === "commune") {
    map.setView([place.lat, place.lon], 14);
    statusText.textContent = texts.communeFound;
    if (communeSelect) communeSelect.value = place.label;
  } else {
    map.setView([place.lat, place.lon], place.kind === "address" ? 18 : 17);
    placePin(place.lat, place.lon, texts.addressFound);
  }
}

async function search(query) {
  lastQuery = query;
  if (query.trim().length < 2) {
    close();
    return;
  }
  const commune = communeSelect && communeSelect.value ? `&commune=${encodeURIComponent(communeSelect.value)}` : "";
  try {
    const response = await fetch(`${searchBox.dataset.url}?q=${encodeURIComponent(query)}${commune}`, {
      headers: { Accept: "application/json" },
    });
    if (!response.ok) throw new Error(String(response.status));
    const found = (await response.json()).results;
    if (query === lastQuery) show(found);
  } catch {
    announce.textContent = texts.noResult;
  }
}

input.addEventListener("input", () => {
  clearTimeout(pending);
  const query = input.value;
  pending = setTimeout(() => search(query), 200);
});
input.addEventListener("keydown", (event) => {
  const open = !list.hidden && results.length > 0;
  if (event.key === "ArrowDown" && open) {
    event.preventDefault();
    setActive((active + 1) % results.length);
  } else if (event.key === "ArrowUp" && open) {
    event.preventDefault();
    setActive(active <= 0 ? results.length - 1 : active - 1);
  } else if (event.key === "Enter") {
    event.preventDefault();  // Enter in the address box never files the report
    if (open) choose(active >= 0 ? active : 0);
  } else if (event.key === "Escape" && open) {
    event.preventDefault();
    close();
  }
});
input.addEventListener("blur", () => setTimeout(close, 150));
