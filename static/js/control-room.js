// Control room: the map with every registered layer, the alarm and incident panels,
// alarm acknowledgement and procedures, all kept live over /ws/control/.
import { localise } from "./vocabulary.js";
import { LiveSocket } from "./live-socket.js";
import { CrisisLayer, PointLayer, TiledLayer, escapeHtml, statusColour } from "./map-layers.js";

const texts = JSON.parse(document.getElementById("control-i18n").textContent);
const communes = JSON.parse(document.getElementById("communes-data").textContent);
const layerDefinitions = JSON.parse(document.getElementById("layers-data").textContent);
const mapElement = document.getElementById("control-map");
const ICONS = mapElement.dataset.icons;
const canAcknowledge = mapElement.dataset.canAcknowledge === "true";
const canRunProcedures = mapElement.dataset.canRunProcedures === "true";
const csrfToken = document.querySelector("input[name=csrfmiddlewaretoken]").value;
const statusBox = document.getElementById("live-status");
const PRIORITY_COLOURS = { emergency: "#ff5a4f", high: "#f0883e", normal: "#58a6ff", low: "#8b949e" };
const PRIORITY_ORDER = { emergency: 0, high: 1, normal: 2, low: 3 };
const SEVERITY_ORDER = { critical: 0, major: 1, minor: 2, info: 3 };
const timeZone = document.querySelector("meta[name=ondijon-time-zone]")?.content;
const SEVERITY_COLOURS = { critical: "#ff5a4f", major: "#f0883e", minor: "#e3b341", info: "#58a6ff" };

const map = L.map("control-map", { preferCanvas: true, zoomSnap: 0.25, zoomControl: true });
const tiles = document.querySelector("meta[name=ondijon-tiles]");
if (tiles) L.tileLayer(tiles.content, { maxZoom: 19, attribution: tiles.dataset.attribution }).addTo(map);
const communeLayer = L.geoJSON(communes, {
  style: { color: "#3fb98a", weight: 1.2, opacity: 0.8, fillColor: "#3fb98a", fillOpacity: 0.05 },
  onEachFeature: (feature, layer) => layer.bindTooltip(feature.properties.name, { permanent: true, direction: "center", className: "commune-label" }),
}).addTo(map);
map.fitBounds(communeLayer.getBounds(), { padding: [12, 12] });
// Work items sit above equipment (canvas of their own, higher pane); the one the operator
// opened sits above everything, with a ring, until the panel closes.
map.createPane("work").style.zIndex = 450;
map.createPane("chosen").style.zIndex = 460;
// SVG, not canvas: a canvas above the equipment's canvas would swallow its clicks, while
// these panes let clicks through everywhere but on their own marks (see control-room.css).
const workRenderer = L.svg({ pane: "work" });
const chosenRenderer = L.svg({ pane: "chosen" });
let chosen = null;

function choose(layer, id, latLng, colour) {
  if (chosen) map.removeLayer(chosen.ring);
  const ring = L.layerGroup([
    L.circleMarker(latLng, { renderer: chosenRenderer, radius: 14, color: "#ffffff", weight: 3, fill: false, interactive: false }),
    L.circleMarker(latLng, { renderer: chosenRenderer, radius: 8, color: colour, weight: 2, fillColor: colour, fillOpacity: 0.95, interactive: false }),
  ]).addTo(map);
  chosen = { layer, id: String(id), ring };
  document.dispatchEvent(new CustomEvent("ondijon:feature-open", { detail: { layer, id: String(id) } }));
}
document.addEventListener("ondijon:feature-closed", () => { if (chosen) map.removeLayer(chosen.ring); chosen = null; });

function age(isoDate) {
  const minutes = Math.max(0, Math.round((Date.now() - Date.parse(isoDate)) / 60000));
  if (minutes < 1) return texts.justNow;
  if (minutes < 120) return texts.minutesAgo.replace("{n}", minutes);
  return texts.hoursAgo.replace("{n}", Math.round(minutes / 60));
}

function toast(message, kind = "info") {
  const element = document.createElement("div");
  element.className = `toast toast-${kind}`;
  element.textContent = message;
  document.getElementById("toasts").append(element);
  window.setTimeout(() => element.remove(), 8000);
}

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
    body: JSON.stringify(body ?? {}),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error ?? texts.error);
  return data;
}

// ---- Incidents -----------------------------------------------------------------------
const incidents = new Map();
const incidentGroup = L.layerGroup().addTo(map);
const incidentList = document.getElementById("incident-list");

function incidentPopup(f) {
  return `<div class="popup-title">${escapeHtml(f.category)} · ${escapeHtml(f.reference)}</div>
    <div class="popup-line">${escapeHtml(f.status_label)}${f.reopened ? ` (${escapeHtml(texts.reopened)})` : ""} — ${escapeHtml(f.commune)}</div>
    <div class="popup-line">${escapeHtml(texts.service)} : ${escapeHtml(f.service || texts.unrouted)}</div>`;
}

const incidentLayer = {
  group: incidentGroup,
  snapshot(features) { incidentGroup.clearLayers(); incidents.clear(); features.forEach((f) => this.upsert(f)); renderIncidents(); },
  upsert(f, fresh = false) {
    const colour = PRIORITY_COLOURS[f.priority] ?? PRIORITY_COLOURS.normal;
    const entry = incidents.get(f.id);
    if (entry) {
      entry.marker.setLatLng([f.lat, f.lon]).setStyle({ color: f.attention ? "#ffffff" : colour, fillColor: colour }).setPopupContent(incidentPopup(f));
      entry.feature = f;
      entry.fresh = fresh;
    } else {
      const marker = L.circleMarker([f.lat, f.lon], { renderer: workRenderer, className: `incident-marker incident-marker-${f.id}`, radius: f.priority === "emergency" ? 8 : 6, color: f.attention ? "#ffffff" : colour, weight: 2, fillColor: colour, fillOpacity: 0.75 })
        .bindPopup(incidentPopup(f)).addTo(incidentGroup);
      marker.on("click", () => { const current = incidents.get(f.id)?.feature ?? f; choose("incidents", f.id, marker.getLatLng(), PRIORITY_COLOURS[current.priority] ?? PRIORITY_COLOURS.normal); });
      incidents.set(f.id, { feature: f, marker, fresh });
    }
  },
  applyDelta(message) {
    if (message.op === "remove") {
      const entry = incidents.get(message.id);
      if (entry) incidentGroup.removeLayer(entry.marker);
      incidents.delete(message.id);
      if (chosen?.layer === "incidents" && chosen.id === message.id) { map.removeLayer(chosen.ring); chosen = null; }
    } else {
      this.upsert(message.feature, true);
    }
    renderIncidents();
  },
};

function renderIncidents() {
  const items = [...incidents.values()].sort((a, b) =>
    (PRIORITY_ORDER[a.feature.priority] - PRIORITY_ORDER[b.feature.priority]) || (Date.parse(b.feature.created_at) - Date.parse(a.feature.created_at)));
  incidentList.replaceChildren(...items.map(({ feature: f, marker, fresh }) => {
    const item = document.createElement("li");
    item.className = "incident-item" + (fresh ? " is-fresh" : "") + (f.attention ? " needs-operator" : "");
    item.dataset.priority = f.priority;
    item.dataset.incidentId = f.id;
    item.tabIndex = 0;
    item.innerHTML = `<svg class="incident-icon" aria-hidden="true"><use href="${ICONS}#icon-${escapeHtml(f.icon)}"></use></svg>
      <span class="incident-title">${escapeHtml(f.category)}</span>
      <span class="incident-age">${escapeHtml(age(f.created_at))}</span>
      <span class="incident-meta">${escapeHtml(f.reference)} · ${escapeHtml(f.commune)} · <span class="incident-service"${f.service ? "" : " data-unrouted"}>${escapeHtml(f.service || texts.unrouted)}</span> · ${escapeHtml(f.status_label)}${f.reopened ? ` <span class="incident-reopened">(${escapeHtml(texts.reopened)})</span>` : ""}</span>
      ${f.attention ? `<span class="incident-attention" data-testid="attention"><strong>${escapeHtml(texts.needsOperator)}</strong> — ${escapeHtml(f.attention)}</span>` : ""}`;
    const focus = () => {
      map.setView(marker.getLatLng(), Math.max(map.getZoom(), 16));
      choose("incidents", f.id, marker.getLatLng(), PRIORITY_COLOURS[f.priority] ?? PRIORITY_COLOURS.normal);
    };
    item.addEventListener("click", focus);
    item.addEventListener("keydown", (event) => { if (event.key === "Enter") focus(); });
    return item;
  }));
  for (const entry of incidents.values()) entry.fresh = false;
  const all = items.map((entry) => entry.feature);
  const now = Date.now();
  document.getElementById("incident-count").textContent = all.length;
  document.getElementById("stat-new").textContent = all.filter((f) => f.status === "new").length;
  document.getElementById("stat-emergency").textContent = all.filter((f) => f.priority === "emergency").length;
  document.getElementById("stat-late").textContent = all.filter((f) => Date.parse(f.due_at) < now).length;
}

// ---- Alarms --------------------------------------------------------------------------
const alarms = new Map();
const alarmGroup = L.layerGroup().addTo(map);
const alarmList = document.getElementById("alarm-list");

const alarmLayer = {
  group: alarmGroup,
  snapshot(features) { alarmGroup.clearLayers(); alarms.clear(); features.forEach((f) => this.upsert(f)); renderAlarms(); },
  upsert(f, fresh = false) {
    const old = alarms.get(f.id);
    if (old?.marker) alarmGroup.removeLayer(old.marker);
    let marker = null;
    if (f.lat != null && f.lon != null) {
      const colour = f.state === "acknowledged" || f.suppressed_reason ? "#8b949e" : SEVERITY_COLOURS[f.severity];
      marker = L.circleMarker([f.lat, f.lon], { renderer: workRenderer, radius: 9, color: colour, weight: 3, fillColor: colour, fillOpacity: 0.25, dashArray: f.state === "acknowledged" ? "3 3" : null })
        .bindPopup(`<div class="popup-title">${escapeHtml(f.title)}</div><div class="popup-line">${escapeHtml(assetPlace(f))} · ${escapeHtml(f.state_label)}</div>`)
        .addTo(alarmGroup);
    }
    alarms.set(f.id, { feature: f, marker, fresh });
  },
  applyDelta(message) {
    if (message.op === "remove") {
      const entry = alarms.get(message.id);
      if (entry?.marker) alarmGroup.removeLayer(entry.marker);
      alarms.delete(message.id);
    } else {
      this.upsert(message.feature, true);
    }
    renderAlarms();
    if (openProcedure === message.id) loadProcedure(message.id);
  },
};

// "Cabinet C-0042 · Rue de la Liberté · Dijon"; the raw reference when the app named nothing.
function assetPlace(f) {
  const reference = f.asset.split(":").slice(1).join(":");
  const name = !f.asset_name ? f.asset
    : f.asset_name === reference && f.asset_kind_label ? `${f.asset_kind_label} ${f.asset_name}` : f.asset_name;
  return [name, f.asset_street, f.asset_commune].filter(Boolean).join(" · ");
}

function alarmItem({ feature: f, marker, fresh }) {
  const item = document.createElement("li");
  item.className = "alarm-item" + (fresh ? " is-fresh" : "");
  item.dataset.severity = f.severity;
  item.dataset.state = f.state;
  item.dataset.alarmId = f.id;
  const badges = [
    f.consequences ? `<span class="chip" data-testid="consequences">${escapeHtml(f.consequences_label || texts.consequences.replace("{n}", f.consequences))}</span>` : "",
    f.occurrences > 1 ? `<span class="chip">${escapeHtml(texts.occurrences.replace("{n}", f.occurrences))}</span>` : "",
    f.flapping ? `<span class="chip chip-warn">${escapeHtml(texts.flapping)}</span>` : "",
    f.suppressed_reason ? `<span class="chip">${escapeHtml(texts.suppressed)}</span>` : "",
  ].join("");
  const acknowledged = f.state === "acknowledged"
    ? `<span class="alarm-ack" data-testid="acknowledged-by">${escapeHtml(texts.acknowledgedBy.replace("{name}", f.acknowledged_by))}${f.acknowledgement_comment ? ` — <q>${escapeHtml(f.acknowledgement_comment)}</q>` : ""}</span>` : "";
  item.innerHTML = `<div class="alarm-main" tabindex="0">
      <span class="alarm-title">${escapeHtml(f.title)}</span>
      <span class="alarm-age">${escapeHtml(age(f.raised_at))}</span>
      <span class="alarm-place" data-testid="alarm-place">${escapeHtml(assetPlace(f))}</span>
      <span class="alarm-meta">${escapeHtml(f.severity_label)} ${badges}</span>
      ${acknowledged}
    </div>
    <div class="alarm-actions">
      ${canAcknowledge && f.state === "active" ? `<button type="button" class="button button-small" data-action="acknowledge">${escapeHtml(texts.acknowledge)}</button>` : ""}
      <button type="button" class="button button-small button-ghost" data-action="procedure">${escapeHtml(texts.procedure)}</button>
    </div>`;
  item.querySelector(".alarm-main").addEventListener("click", () => {
    if (marker) { map.setView(marker.getLatLng(), Math.max(map.getZoom(), 16)); marker.openPopup(); }
    document.dispatchEvent(new CustomEvent("ondijon:feature-open", { detail: { layer: "alarms", id: String(f.id) } }));
  });
  item.querySelector("[data-action=acknowledge]")?.addEventListener("click", () => askAcknowledge(item, f));
  item.querySelector("[data-action=procedure]").addEventListener("click", () => loadProcedure(f.id));
  return item;
}

function askAcknowledge(item, f) {
  if (item.querySelector(".ack-form")) return;
  const form = document.createElement("form");
  form.className = "ack-form";
  form.innerHTML = `<label class="visually-hidden" for="ack-${f.id}">${escapeHtml(texts.comment)}</label>
    <input id="ack-${f.id}" name="comment" maxlength="500" placeholder="${escapeHtml(texts.comment)}">
    <button class="button button-small button-primary" type="submit">${escapeHtml(texts.confirm)}</button>
    <button class="button button-small button-ghost" type="button" data-cancel>${escapeHtml(texts.cancel)}</button>`;
  form.querySelector("[data-cancel]").addEventListener("click", () => form.remove());
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await post(`/controle/alarmes/${f.id}/acquitter/`, { comment: form.comment.value });
    } catch (error) {
      toast(error.message, "warn");
    }
    form.remove();
  });
  item.append(form);
  form.comment.focus();
}

function renderAlarms() {
  const entries = [...alarms.values()].sort((a, b) =>
    ((a.feature.state === "active" ? 0 : 1) - (b.feature.state === "active" ? 0 : 1))
    || (SEVERITY_ORDER[a.feature.severity] - SEVERITY_ORDER[b.feature.severity])
    || (Date.parse(a.feature.raised_at) - Date.parse(b.feature.raised_at)));
  alarmList.replaceChildren(...entries.map(alarmItem));
  for (const entry of alarms.values()) entry.fresh = false;
  const all = entries.map((entry) => entry.feature);
  document.getElementById("alarm-count").textContent = all.length;
  document.getElementById("stat-critical").textContent = all.filter((f) => f.severity === "critical" && f.state === "active").length;
  document.getElementById("stat-active").textContent = all.filter((f) => f.state === "active").length;
  document.getElementById("stat-acknowledged").textContent = all.filter((f) => f.state === "acknowledged").length;
}

// ---- Procedures ----------------------------------------------------------------------
const drawer = document.getElementById("procedure-drawer");
let openProcedure = null;
document.getElementById("procedure-close").addEventListener("click", () => { drawer.hidden = true; openProcedure = null; });

async function loadProcedure(alarmId) {
  openProcedure = alarmId;
  const response = await fetch(`/controle/alarmes/${alarmId}/procedure/`, { credentials: "same-origin" });
  if (!response.ok) return;
  renderProcedure(await response.json());
}

function renderProcedure(view) {
  drawer.hidden = false;
  const alarm = alarms.get(String(view.alarm_id))?.feature;
  document.getElementById("procedure-title").textContent = view.available ? view.title : texts.procedure;
  document.getElementById("procedure-alarm").textContent = alarm ? `${alarm.title} · ${assetPlace(alarm)}` : "";
  document.getElementById("procedure-error").textContent = "";
  const done = document.getElementById("procedure-done");
  const current = document.getElementById("procedure-current");
  done.replaceChildren(...(view.done ?? []).map((record) => {
    const item = document.createElement("li");
    const answer = record.answer === "yes" ? texts.yes : record.answer === "no" ? texts.no
      : record.answer === "manual" ? texts.byHand : record.answer === "not_done" ? texts.notDone : "";
    item.innerHTML = `<span>${escapeHtml(record.text)}</span> <strong>${escapeHtml(answer)}</strong>
      ${record.outcome ? `<span class="step-outcome">${escapeHtml(record.outcome)}</span>` : ""}
      <span class="step-by">${escapeHtml(record.by)} · ${escapeHtml(new Date(record.at).toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit", timeZone }))}</span>`;
    return item;
  }));
  current.replaceChildren();
  if (!view.available) { current.textContent = texts.noProcedure; return; }
  if (view.finished) { current.innerHTML = `<p class="step-finished">${escapeHtml(texts.finished)}</p>`; return; }
  if (!canRunProcedures) return;
  if (!view.started) {
    current.append(stepButton(texts.start, view.alarm_id, {}));
    return;
  }
  const step = view.current;
  const text = document.createElement("p");
  text.className = "step-text";
  text.textContent = step.text;
  current.append(text);
  if (step.kind === "question") {
    current.append(stepButton(texts.yes, view.alarm_id, { step: step.code, answer: "yes" }), stepButton(texts.no, view.alarm_id, { step: step.code, answer: "no" }));
  } else if (step.not_done) {
    // The action achieved nothing (nobody to text): say why, retry or carry on by hand.
    const why = document.createElement("p");
    why.className = "step-not-done";
    why.setAttribute("role", "alert");
    why.textContent = step.not_done;
    current.append(why,
      stepButton(texts.doneByHand, view.alarm_id, { step: step.code, answer: "manual" }),
      stepButton(texts.retry, view.alarm_id, { step: step.code, answer: "done" }, "button-ghost"));
  } else {
    current.append(stepButton(step.kind === "action" ? texts.run : texts.done, view.alarm_id, { step: step.code, answer: "done" }));
  }
}

function stepButton(label, alarmId, body, style = "button-primary") {
  const button = document.createElement("button");
  button.type = "button";
  button.className = `button ${style} button-small`;
  button.textContent = label;
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      renderProcedure(await post(`/controle/alarmes/${alarmId}/procedure/etape/`, body));
    } catch (error) {
      document.getElementById("procedure-error").textContent = error.message;
      button.disabled = false;
    }
  });
  return button;
}

// ---- Crews ---------------------------------------------------------------------------
const AVAILABILITY_ORDER = { available: 0, busy: 1, break: 2, off: 3 };

function renderCrews(layer) {
  const list = document.getElementById("crew-list");
  if (!list) return;
  const crews = [...layer.markers.entries()].map(([id, marker]) => ({ id, marker, f: layer.features.get(id) }))
    .filter((crew) => crew.f)
    .sort((a, b) => (AVAILABILITY_ORDER[a.f.availability] ?? 9) - (AVAILABILITY_ORDER[b.f.availability] ?? 9) || a.f.name.localeCompare(b.f.name));
  list.replaceChildren(...crews.map(({ marker, f }) => {
    const item = document.createElement("li");
    item.className = "crew-item";
    item.dataset.availability = f.availability;
    item.tabIndex = 0;
    // The language's plural rules ("1 tâche ouverte", "2 tâches ouvertes").
    const plural = new Intl.PluralRules(document.documentElement.lang || "fr").select(f.open_tasks || 0);
    const openTasks = plural === "one" ? texts.openTasksOne : texts.openTasks;
    const tasks = f.open_tasks ? ` · ${escapeHtml(openTasks.replace("{n}", f.open_tasks))}` : "";
    item.innerHTML = `<span class="crew-name">${escapeHtml(f.name)}</span>
      <span class="crew-state">${escapeHtml(f.availability_label)}${f.stale ? ` · <em>${escapeHtml(texts.stale)}</em>` : ""}</span>
      <span class="crew-meta">${escapeHtml(f.kind_label)} · ${escapeHtml(f.service)}${tasks}</span>`;
    const focus = () => { map.setView(marker.getLatLng(), Math.max(map.getZoom(), 15)); marker.openPopup(); };
    item.addEventListener("click", focus);
    item.addEventListener("keydown", (event) => { if (event.key === "Enter") focus(); });
    return item;
  }));
  const all = crews.map((crew) => crew.f);
  document.getElementById("crew-count").textContent = all.length;
  document.getElementById("stat-crews-available").textContent = all.filter((f) => f.availability === "available").length;
  document.getElementById("stat-crews-busy").textContent = all.filter((f) => f.availability === "busy").length;
  document.getElementById("stat-crews-stale").textContent = all.filter((f) => f.stale).length;
}

// ---- Layers ----------------------------------------------------------------------------
const layers = { incidents: incidentLayer, alarms: alarmLayer };
const overlays = { [texts.communes]: communeLayer };
for (const definition of layerDefinitions) {
  if (definition.name === "incidents" || definition.name === "alarms") {
    overlays[definition.label] = layers[definition.name].group;
    continue;
  }
  let layer;
  if (definition.tiled) layer = new TiledLayer(map, definition, mapElement.dataset.tileUrl);
  else if (definition.name === "crisis") layer = new CrisisLayer(map, definition);
  else layer = new PointLayer(map, definition, workRenderer);
  if (definition.name === "crews") layer.onChange = () => renderCrews(layer);
  layers[definition.name] = layer;
  overlays[definition.label] = layer.group;
  // Equipment layers start aggregated (one mark per area, worst state first); the operator
  // asks for each point from the legend.
  if (layer instanceof TiledLayer) layer.attach(definition.visible);
  else if (definition.visible) layer.group.addTo(map);
}
L.control.layers(null, overlays, { collapsed: false, position: "topleft" }).addTo(map);
map.on("overlayadd", (event) => { for (const layer of Object.values(layers)) if (layer.group === event.layer && layer.refresh) layer.refresh(); });

// ---- Legend: one block per visible layer, kept in step with the layer control ----------
const LEGEND_COLOURS = { incidents: PRIORITY_COLOURS, alarms: SEVERITY_COLOURS };
const legend = L.control({ position: "bottomleft" });
legend.onAdd = () => {
  const box = L.DomUtil.create("section", "map-legend");
  box.setAttribute("aria-label", texts.legend);
  L.DomEvent.disableClickPropagation(box);
  L.DomEvent.disableScrollPropagation(box);
  return box;
};
legend.addTo(map);

function renderLegend() {
  const box = legend.getContainer();
  const blocks = [`<h2 class="legend-title">${escapeHtml(texts.legend)}</h2>`];
  for (const definition of layerDefinitions) {
    const layer = layers[definition.name];
    if (!layer || !map.hasLayer(layer.group)) continue;
    const entries = Object.entries(definition.legend ?? {});
    const colours = LEGEND_COLOURS[definition.name];
    const rows = definition.name === "crisis"
      ? `<li><span class="swatch swatch-zone" aria-hidden="true"></span>${escapeHtml(texts.crisisZone)}</li>`
      : entries.map(([code, label], index) => `<li><span class="swatch" data-colour="${escapeHtml(colours?.[code] ?? (code === "acknowledged" ? "#8b949e" : statusColour(code, index)))}" aria-hidden="true"></span>${escapeHtml(label)}</li>`).join("");
    const detail = layer instanceof TiledLayer
      ? `<label class="legend-detail"><input type="checkbox" data-detail="${escapeHtml(definition.name)}"${layer.detailed ? " checked" : ""}> ${escapeHtml(texts.eachPoint.replace("{layer}", definition.label.toLowerCase()))}</label>`
      : "";
    blocks.push(`<div class="legend-block" data-legend="${escapeHtml(definition.name)}"><h3>${escapeHtml(definition.label)}</h3><ul>${rows}</ul>${detail}</div>`);
  }
  box.innerHTML = blocks.join("");
  // Colours go through the CSSOM: the content security policy forbids style attributes.
  for (const swatch of box.querySelectorAll("[data-colour]")) swatch.style.setProperty("--swatch", swatch.dataset.colour);
  for (const input of box.querySelectorAll("[data-detail]")) {
    input.addEventListener("change", () => { const layer = layers[input.dataset.detail]; layer.detailed = input.checked; layer.refresh(); });
  }
}
map.on("overlayadd overlayremove", renderLegend);
renderLegend();

// ---- Panels and live socket -----------------------------------------------------------
for (const tab of document.querySelectorAll("[role=tab]")) {
  tab.addEventListener("click", () => {
    for (const other of document.querySelectorAll("[role=tab]")) {
      const selected = other === tab;
      other.setAttribute("aria-selected", selected);
      other.tabIndex = selected ? 0 : -1;
      document.getElementById(other.getAttribute("aria-controls")).hidden = !selected;
    }
  });
}

function setState(state) {
  statusBox.dataset.state = state;
  statusBox.querySelector(".live-label").textContent = texts[state] ?? state;
}

new LiveSocket("/ws/control/", {
  onState: setState,
  onMessage: (message) => {
    if (message.type === "snapshot") {
      for (const [name, features] of Object.entries(message.layers)) {
        layers[name]?.snapshot(features.map((feature) => localise(name, feature)));
      }
      performance.mark("ondijon:snapshot");
    } else if (message.type === "delta") {
      localise(message.layer, message.feature);
      layers[message.layer]?.applyDelta(message);
      document.dispatchEvent(new CustomEvent("ondijon:delta", { detail: message }));
    } else if (message.type === "notification") {
      toast(`${message.subject} — ${message.body}`, "info");
    }
  },
});

const clock = document.getElementById("clock");
const tick = () => { clock.textContent = new Date().toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit", timeZone }); };
tick();
window.setInterval(tick, 10000);
window.setInterval(() => { renderIncidents(); renderAlarms(); }, 60000);
