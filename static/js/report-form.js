// Report form: place a pin by tapping the map, from the browser's position or a commune search.
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

// Offline place search: the territory's communes, embedded in the page.
const places = JSON.parse(document.getElementById("places-data").textContent);
const placeSearch = document.getElementById("place-search");
placeSearch.addEventListener("change", () => {
  const wanted = placeSearch.value.trim().toLocaleLowerCase();
  const place = places.find((candidate) => candidate.name.toLocaleLowerCase() === wanted);
  if (!place) return;
  map.setView([place.lat, place.lon], 15);
  statusText.textContent = texts.placeFound;
  statusText.dataset.state = "";
});

// Announce problems (or the duplicate prompt) first: focus moves to them on load.
const summary = document.getElementById("error-summary") || document.getElementById("duplicates");
if (summary) summary.focus();
