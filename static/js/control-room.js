// Control room: the territory map, live incident layer and the incident queue.
import { LiveSocket } from "./live-socket.js";

const texts = JSON.parse(document.getElementById("control-i18n").textContent);
const communes = JSON.parse(document.getElementById("communes-data").textContent);
const statusBox = document.getElementById("live-status");
const list = document.getElementById("incident-list");
const ICONS = document.getElementById("control-map").dataset.icons;
const PRIORITY_COLOURS = { emergency: "#ff5a4f", high: "#f0883e", normal: "#58a6ff", low: "#8b949e" };
const PRIORITY_ORDER = { emergency: 0, high: 1, normal: 2, low: 3 };

const map = L.map("control-map", { preferCanvas: true, zoomSnap: 0.25, zoomControl: true, attributionControl: true });
const tiles = document.querySelector("meta[name=ondijon-tiles]");
if (tiles) {
  L.tileLayer(tiles.content, { maxZoom: 19, attribution: tiles.dataset.attribution }).addTo(map);
}
const communeLayer = L.geoJSON(communes, {
  style: { color: "#3fb98a", weight: 1.2, opacity: 0.8, fillColor: "#3fb98a", fillOpacity: 0.06 },
  onEachFeature: (feature, layer) => {
    layer.bindTooltip(feature.properties.name, { permanent: true, direction: "center", className: "commune-label" });
  },
}).addTo(map);
map.fitBounds(communeLayer.getBounds(), { padding: [12, 12] });

const incidentLayer = L.layerGroup().addTo(map);
const layerLabels = Object.fromEntries(
  JSON.parse(document.getElementById("layers-data").textContent).map((layer) => [layer.name, layer.label]),
);
L.control.layers(null, { [texts.communes]: communeLayer, [layerLabels.incidents]: incidentLayer }, { collapsed: false }).addTo(map);

const incidents = new Map(); // id -> { feature, marker }

function escapeHtml(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function age(isoDate) {
  const minutes = Math.max(0, Math.round((Date.now() - Date.parse(isoDate)) / 60000));
  if (minutes < 1) return texts.justNow;
  if (minutes < 120) return texts.minutesAgo.replace("{n}", minutes);
  return texts.hoursAgo.replace("{n}", Math.round(minutes / 60));
}

function popupHtml(f) {
  return `<div class="popup-title">${escapeHtml(f.category)} · ${escapeHtml(f.reference)}</div>
    <div class="popup-line">${escapeHtml(f.status_label)} — ${escapeHtml(f.commune)}</div>
    <div class="popup-line">${escapeHtml(texts.service)} : ${escapeHtml(f.service || texts.unrouted)}</div>`;
}

function upsert(feature, { fresh = false } = {}) {
  const existing = incidents.get(feature.id);
  const colour = PRIORITY_COLOURS[feature.priority] ?? PRIORITY_COLOURS.normal;
  if (existing) {
    existing.marker.setLatLng([feature.lat, feature.lon]);
    existing.marker.setStyle({ color: colour, fillColor: colour });
    existing.marker.setPopupContent(popupHtml(feature));
    existing.feature = feature;
  } else {
    const marker = L.circleMarker([feature.lat, feature.lon], {
      radius: feature.priority === "emergency" ? 8 : 6, color: colour, weight: 2, fillColor: colour, fillOpacity: 0.75,
    }).bindPopup(popupHtml(feature));
    marker.addTo(incidentLayer);
    incidents.set(feature.id, { feature, marker, fresh });
  }
  if (fresh) incidents.get(feature.id).fresh = true;
}

function remove(id) {
  const existing = incidents.get(id);
  if (!existing) return;
  incidentLayer.removeLayer(existing.marker);
  incidents.delete(id);
}

function renderQueue() {
  const items = [...incidents.values()].sort((a, b) =>
    (PRIORITY_ORDER[a.feature.priority] - PRIORITY_ORDER[b.feature.priority]) ||
    (Date.parse(b.feature.created_at) - Date.parse(a.feature.created_at)));
  const now = Date.now();
  list.replaceChildren(...items.map(({ feature: f, marker, fresh }) => {
    const item = document.createElement("li");
    item.className = "incident-item" + (fresh ? " is-fresh" : "");
    item.dataset.priority = f.priority;
    item.dataset.incidentId = f.id;
    item.tabIndex = 0;
    item.innerHTML = `<svg class="incident-icon" aria-hidden="true"><use href="${ICONS}#icon-${escapeHtml(f.icon)}"></use></svg>
      <span class="incident-title">${escapeHtml(f.category)}</span>
      <span class="incident-age">${escapeHtml(age(f.created_at))}</span>
      <span class="incident-meta">${escapeHtml(f.reference)} · ${escapeHtml(f.commune)} · <span class="incident-service"${f.service ? "" : " data-unrouted"}>${escapeHtml(f.service || texts.unrouted)}</span></span>`;
    const focus = () => { map.setView(marker.getLatLng(), Math.max(map.getZoom(), 16)); marker.openPopup(); };
    item.addEventListener("click", focus);
    item.addEventListener("keydown", (event) => { if (event.key === "Enter") focus(); });
    return item;
  }));
  for (const entry of incidents.values()) entry.fresh = false;
  const all = items.map((entry) => entry.feature);
  document.getElementById("incident-count").textContent = all.length;
  document.getElementById("stat-new").textContent = all.filter((f) => f.status === "new").length;
  document.getElementById("stat-emergency").textContent = all.filter((f) => f.priority === "emergency").length;
  document.getElementById("stat-late").textContent = all.filter((f) => Date.parse(f.due_at) < now).length;
}

function applySnapshot(message) {
  incidentLayer.clearLayers();
  incidents.clear();
  for (const feature of message.layers.incidents ?? []) upsert(feature);
  renderQueue();
}

function applyDelta(message) {
  if (message.layer !== "incidents") return;
  if (message.op === "remove") remove(message.id);
  else upsert(message.feature, { fresh: true });
  renderQueue();
}

function setState(state) {
  statusBox.dataset.state = state;
  statusBox.querySelector(".live-label").textContent = texts[state] ?? state;
}

new LiveSocket("/ws/control/", {
  onState: setState,
  onMessage: (message) => {
    if (message.type === "snapshot") applySnapshot(message);
    else if (message.type === "delta") applyDelta(message);
  },
});

const clock = document.getElementById("clock");
const tick = () => { clock.textContent = new Date().toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit" }); };
tick();
window.setInterval(tick, 10000);
window.setInterval(renderQueue, 60000);
