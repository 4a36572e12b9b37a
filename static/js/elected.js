// Elected officials' board: the open incidents and alarms of their commune on a map and
// in a table, kept live (read-only); the crisis zone over it, when there is one.
import { LiveSocket } from "./live-socket.js";
import { escapeHtml } from "./map-layers.js";
import { localise } from "./vocabulary.js";

const texts = JSON.parse(document.getElementById("elected-i18n").textContent);
const body = document.getElementById("elected-incidents");
const state = document.getElementById("live-state");
const incidents = new Map();
const alarms = new Map();

const outline = JSON.parse(document.getElementById("elected-outline").textContent);
const crisisZone = JSON.parse(document.getElementById("elected-crisis-zone").textContent);
const map = L.map("elected-map", { zoomSnap: 0.25 });
const tiles = document.querySelector("meta[name=ondijon-tiles]");
if (tiles) L.tileLayer(tiles.content, { maxZoom: 19, attribution: tiles.dataset.attribution }).addTo(map);
const commune = L.geoJSON(outline, { style: { color: "#0b6e4f", weight: 2, fillOpacity: 0.04 }, interactive: false }).addTo(map);
map.fitBounds(commune.getBounds(), { padding: [8, 8] });
if (crisisZone) L.geoJSON(crisisZone, { style: { color: "#d93025", weight: 3, dashArray: "8 6", fillColor: "#d93025", fillOpacity: 0.12 }, interactive: false }).addTo(map);
const markers = L.layerGroup().addTo(map);

function drawMarkers() {
  markers.clearLayers();
  for (const f of incidents.values()) {
    if (f.lat == null || f.lon == null) continue;
    L.circleMarker([f.lat, f.lon], { radius: 7, color: "#1967d2", weight: 2, fillOpacity: 0.5 })
      .bindTooltip(escapeHtml(`${f.reference} · ${f.category} · ${f.status_label}`)).addTo(markers);
  }
  for (const f of alarms.values()) {
    if (f.lat == null || f.lon == null) continue;
    L.circleMarker([f.lat, f.lon], { radius: 9, color: "#d93025", weight: 3, fillOpacity: 0.25 })
      .bindTooltip(escapeHtml(`${f.title} · ${f.state_label}`)).addTo(markers);
  }
}
const timeZone = document.querySelector("meta[name=ondijon-time-zone]")?.content;

function render() {
  const rows = [...incidents.values()].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
  if (!rows.length) {
    body.innerHTML = `<tr><td colspan="4">${escapeHtml(texts.none)}</td></tr>`;
    return;
  }
  body.innerHTML = rows.map((f) => `<tr data-incident-id="${escapeHtml(f.id)}"><td>${escapeHtml(f.category)} · ${escapeHtml(f.reference)}</td>
    <td>${escapeHtml(f.status_label)}</td><td>${escapeHtml(f.service)}</td>
    <td>${escapeHtml(new Date(f.created_at).toLocaleString(document.documentElement.lang, { dateStyle: "short", timeStyle: "short", timeZone }))}</td></tr>`).join("");
}

new LiveSocket("/ws/control/", {
  onState: (value) => { state.textContent = texts[value] ?? ""; },
  onMessage: (message) => {
    if (message.type === "snapshot") {
      incidents.clear();
      alarms.clear();
      for (const feature of message.layers.incidents ?? []) incidents.set(feature.id, localise("incidents", feature));
      for (const feature of message.layers.alarms ?? []) alarms.set(feature.id, localise("alarms", feature));
    } else if (message.type === "delta" && (message.layer === "incidents" || message.layer === "alarms")) {
      const layer = message.layer === "incidents" ? incidents : alarms;
      if (message.op === "remove") layer.delete(message.id);
      else layer.set(message.id, localise(message.layer, message.feature));
    } else {
      return;
    }
    render();
    drawMarkers();
  },
});
