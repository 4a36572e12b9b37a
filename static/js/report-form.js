// Report form: place a pin by tapping the map, from the browser's position or an address search.
const form = document.getElementById("report-form");
const latInput = form.querySelector("input[name=lat]");
const lonInput = form.querySelector("input[name=lon]");
const statusText = document.getElementById("map-status");
const texts = JSON.parse(document.getElementById("report-i18n").textContent);
const communes = JSON.parse(document.getElementById("communes-data").textContent);
const [centerLat, centerLon] = JSON.parse(document.getElementById("map-center").textContent);

const map = L.map("report-map", { zoomControl: true, zoomSnap: 0.25 }).setView([centerLat, centerLon], 12);
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
function placePin(lat, lon, { pan = false } = {}) {
  latInput.value = lat.toFixed(6);
  lonInput.value = lon.toFixed(6);
  if (pin) {
    pin.setLatLng([lat, lon]);
  } else {
    pin = L.marker([lat, lon], { draggable: true, keyboard: true }).addTo(map);
    pin.on("dragend", () => {
      const position = pin.getLatLng();
      placePin(position.lat, position.lng);
    });
  }
  if (pan) map.setView([lat, lon], 17);
  statusText.textContent = texts.pinSet;
  statusText.dataset.state = "set";
}

map.on("click", (event) => placePin(event.latlng.lat, event.latlng.lng));
if (latInput.value && lonInput.value) {
  placePin(parseFloat(latInput.value), parseFloat(lonInput.value), { pan: true });
}

document.getElementById("locate-me").addEventListener("click", () => {
  if (!("geolocation" in navigator)) {
    statusText.textContent = texts.locateFailed;
    return;
  }
  statusText.textContent = texts.locating;
  statusText.dataset.state = "";
  navigator.geolocation.getCurrentPosition(
    (position) => placePin(position.coords.latitude, position.coords.longitude, { pan: true }),
    () => { statusText.textContent = texts.locateFailed; },
    { enableHighAccuracy: true, timeout: 10000 },
  );
});

document.getElementById("clear-pin").addEventListener("click", () => {
  latInput.value = "";
  lonInput.value = "";
  if (pin) {
    pin.remove();
    pin = null;
  }
  statusText.textContent = texts.pinCleared;
  statusText.dataset.state = "";
});

// Address search: a combobox over /signaler/adresses/ (streets, addresses, communes). When
// the server cannot be reached, the communes embedded in the page still answer.
const places = JSON.parse(document.getElementById("places-data").textContent);
const searchBox = document.querySelector(".place-search");
const placeSearch = document.getElementById("place-search");
const resultList = document.getElementById("place-results");
const searchStatus = document.getElementById("place-search-status");
const ZOOM = { commune: 14, street: 17, address: 18 };
let results = [];
let active = -1;
let pending = null;
let lastQuery = "";

function plain(text) {
  return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLocaleLowerCase("fr")
    .replace(/[^0-9a-z]+/g, " ").trim();
}

function communesMatching(query) {
  const words = plain(query).split(" ");
  return places
    .filter((place) => words.every((word) => ` ${plain(place.name)}`.includes(` ${word}`)))
    .slice(0, 10)
    .map((place) => ({ label: place.name, kind: "commune", lat: place.lat, lon: place.lon }));
}

function setActive(index) {
  active = index;
  [...resultList.children].forEach((option, position) => {
    option.setAttribute("aria-selected", position === index ? "true" : "false");
  });
  if (index >= 0) {
    placeSearch.setAttribute("aria-activedescendant", `place-option-${index}`);
    resultList.children[index].scrollIntoView({ block: "nearest" });
  } else {
    placeSearch.removeAttribute("aria-activedescendant");
  }
}

function closeResults() {
  resultList.hidden = true;
  placeSearch.setAttribute("aria-expanded", "false");
  setActive(-1);
}

function showResults(found) {
  results = found;
  resultList.replaceChildren(...found.map((place, index) => {
    const option = document.createElement("li");
    option.id = `place-option-${index}`;
    option.setAttribute("role", "option");
    option.setAttribute("aria-selected", "false");
    option.className = "place-option";
    const label = document.createElement("span");
    label.textContent = place.label;
    const kind = document.createElement("span");
    kind.className = "place-kind";
    kind.textContent = texts[`kind${place.kind[0].toUpperCase()}${place.kind.slice(1)}`] || "";
    option.append(label, kind);
    // pointerdown keeps the focus in the box (a click would blur it first on phones).
    option.addEventListener("pointerdown", (event) => event.preventDefault());
    option.addEventListener("click", () => choose(index));
    return option;
  }));
  const open = found.length > 0;
  resultList.hidden = !open;
  placeSearch.setAttribute("aria-expanded", open ? "true" : "false");
  setActive(-1);
  searchStatus.textContent = !open ? texts.noResult
    : found.length === 1 ? texts.oneResult : texts.results.replace("{n}", found.length);
}

function choose(index) {
  const place = results[index];
  if (!place) return;
  placeSearch.value = place.label;
  closeResults();
  if (place.kind === "commune") {
    map.setView([place.lat, place.lon], ZOOM.commune);
    statusText.textContent = texts.placeFound;
    statusText.dataset.state = "";
  } else {
    map.setView([place.lat, place.lon], ZOOM[place.kind]);
    placePin(place.lat, place.lon);
    statusText.textContent = texts.addressFound;
  }
  searchStatus.textContent = statusText.textContent;
}

async function search(query) {
  lastQuery = query;
  if (plain(query).length < 2) {
    closeResults();
    return;
  }
  let found;
  try {
    const response = await fetch(`${searchBox.dataset.url}?q=${encodeURIComponent(query)}`, {
      headers: { Accept: "application/json" },
    });
    if (!response.ok) throw new Error(String(response.status));
    found = (await response.json()).results;
  } catch {
    found = communesMatching(query);
  }
  if (query === lastQuery) showResults(found);  // an older answer arriving late is dropped
}

placeSearch.addEventListener("input", () => {
  clearTimeout(pending);
  const query = placeSearch.value;
  pending = setTimeout(() => search(query), 200);
});

placeSearch.addEventListener("keydown", (event) => {
  const open = !resultList.hidden && results.length > 0;
  if (event.key === "ArrowDown" && open) {
    event.preventDefault();
    setActive((active + 1) % results.length);
  } else if (event.key === "ArrowUp" && open) {
    event.preventDefault();
    setActive(active <= 0 ? results.length - 1 : active - 1);
  } else if (event.key === "Enter") {
    // Enter in the search box never sends the report.
    event.preventDefault();
    if (open) choose(active >= 0 ? active : 0);
  } else if (event.key === "Escape" && open) {
    event.preventDefault();
    closeResults();
  }
});

placeSearch.addEventListener("blur", () => setTimeout(closeResults, 150));

// Announce problems (or the duplicate prompt) first: focus moves to them on load.
const summary = document.getElementById("error-summary") || document.getElementById("duplicates");
if (summary) summary.focus();

// Photos: refused here when too large or too many, before anything is uploaded (a phone
// on a slow network would otherwise send megabytes for nothing). The server checks again.
const photoInput = document.getElementById("id_photos");
const photoCheck = document.getElementById("photos-check");
const sizeFormat = new Intl.NumberFormat(document.documentElement.lang || "fr", {
  style: "unit", unit: "megabyte", maximumFractionDigits: 1,
});
function megabytes(bytes) {
  return sizeFormat.format(bytes / (1024 * 1024));  // "2,5 Mo", "2.5 MB"
}
if (photoInput && photoCheck) {
  photoInput.addEventListener("change", () => {
    const limit = Number(photoInput.dataset.maxBytes);
    const room = Number(photoInput.dataset.maxCount) - Number(photoInput.dataset.staged || 0);
    const files = [...photoInput.files];
    const large = files.find((file) => file.size > limit);
    let problem = "";
    if (large) {
      problem = texts.photoTooLarge.replace("{name}", large.name)
        .replace("{size}", megabytes(large.size)).replace("{limit}", megabytes(limit));
    } else if (files.length > room) {
      problem = texts.photoTooMany.replace("{count}", photoInput.dataset.maxCount);
    }
    photoCheck.textContent = problem;
    photoCheck.hidden = !problem;
    photoInput.setAttribute("aria-invalid", problem ? "true" : "false");
    if (problem) photoInput.value = "";
  });
}
