// Mobility board: lines and stops, then car parks, vehicles, bike stations and alerts,
// asked again every 10 s. A failed refresh keeps the last picture and says so.
import { escapeHtml, statusColour } from "../js/map-layers.js";

const texts = JSON.parse(document.getElementById("mobility-i18n").textContent);
const element = document.getElementById("mobility-map");
const map = L.map(element, { preferCanvas: true, zoomSnap: 0.25 }).setView([47.322, 5.041], 13);
const tiles = document.querySelector("meta[name=ondijon-tiles]");
if (tiles) L.tileLayer(tiles.content, { maxZoom: 19, attribution: tiles.dataset.attribution }).addTo(map);

const COLOURS = {
  car_park_free: "#1a7f37", car_park_busy: "#bf8700", car_park_full: "#cf222e", car_park_stale: "#6e7781",
  car_park_unknown: "#6e7781", vehicle: "#0969da", vehicle_late: "#bc4c00", bike_ok: "#1a7f37",
  bike_empty: "#cf222e", bike_full: "#8250df", bike_closed: "#6e7781", bike_stale: "#6e7781", transit_alert: "#cf222e",
};
const colour = (status) => COLOURS[status] ?? statusColour(status);

// Line colours come from the GTFS; the text takes whichever of black or white reads best on it.
function luminance(hex) {
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
for (const chip of document.querySelectorAll(".line-chip[data-colour]")) {
  const hex = chip.dataset.colour;
  if (!/^[0-9a-fA-F]{6}$/.test(hex)) continue;
  const light = luminance(hex);
  chip.style.background = `#${hex}`;
  chip.style.color = (1.05 / (light + 0.05)) >= ((light + 0.05) / 0.05) ? "#ffffff" : "#000000";
}

const network = L.layerGroup().addTo(map);
const live = { car_parks: L.layerGroup(), vehicles: L.layerGroup(), bike_stations: L.layerGroup(), alerts: L.layerGroup() };
for (const group of Object.values(live)) group.addTo(map);

function popup(feature) {
  const rows = Object.entries(feature)
    .filter(([key, value]) => !["id", "lat", "lon", "status", "name"].includes(key) && value !== null && value !== "")
    .map(([key, value]) => `<div class="popup-line"><span>${escapeHtml(key)}</span> ${escapeHtml(value)}</div>`)
    .join("");
  return `<div class="popup-title">${escapeHtml(feature.name)}</div>${rows}`;
}

async function loadNetwork() {
  const response = await fetch(element.dataset.networkUrl, { credentials: "same-origin" });
  if (!response.ok) return;
  L.geoJSON(await response.json(), {
    style: (feature) => ({ color: `#${feature.properties.color}`, weight: 4, opacity: 0.8 }),
    pointToLayer: (feature, latlng) => L.circleMarker(latlng, { radius: 3, weight: 1, color: "#24292f", fillColor: "#ffffff", fillOpacity: 1 }),
    onEachFeature: (feature, layer) => layer.bindTooltip(feature.properties.name),
  }).addTo(network);
}

async function refresh() {
  const status = document.getElementById("map-updated");
  try {
    const response = await fetch(element.dataset.liveUrl, { credentials: "same-origin" });
    if (!response.ok) throw new Error(String(response.status));
    const data = await response.json();
    let drawn = 0;
    for (const [name, group] of Object.entries(live)) {
      group.clearLayers();
      for (const feature of data.layers[name] ?? []) {
        const radius = name === "car_parks" ? 9 : name === "alerts" ? 11 : name === "vehicles" ? 5 : 4;
        L.circleMarker([feature.lat, feature.lon], {
          radius, weight: name === "alerts" ? 3 : 1, color: name === "alerts" ? colour(feature.status) : "#24292f",
          fillColor: colour(feature.status), fillOpacity: name === "alerts" ? 0.15 : 0.9,
        }).bindPopup(popup(feature)).addTo(group);
        drawn += 1;
      }
    }
    element.dataset.drawn = String(drawn);
    status.textContent = `${texts.updated} ${new Date().toLocaleTimeString(document.documentElement.lang)}`;
  } catch (error) {
    status.textContent = texts.unavailable;
  }
}

loadNetwork();
refresh();
window.setInterval(refresh, 10000);
