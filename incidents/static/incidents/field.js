// Field tablet: the crew's ordered tasks on a list and a map, live over /ws/field/,
// usable offline (tasks cached by the service worker, actions queued in IndexedDB).
import { LiveSocket } from "../js/live-socket.js";
import { formFor, queue } from "./field-queue.js";

const app = document.getElementById("field-app");
const texts = JSON.parse(document.getElementById("field-i18n").textContent);
const list = document.getElementById("task-list");
const detail = document.getElementById("task-detail");
const netStatus = document.getElementById("net-status");
const queueStatus = document.getElementById("queue-status");
const csrf = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="))?.split("=")[1] ?? "";
const PRIORITY_COLOURS = { emergency: "#d93025", high: "#e8710a", normal: "#1967d2", low: "#80868b" };
const CACHE_KEY = "ondijon-field-tasks";

const tasks = new Map();
let selected = null;

const lang = document.documentElement.lang || "fr";
const timeZone = app.dataset.timeZone || undefined;
const kilometres = new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
function when(iso) {
  return new Date(iso).toLocaleString(lang, { dateStyle: "short", timeStyle: "short", timeZone });
}
function distanceText(task) {
  return task.distance_m == null ? "" : texts.distance.replace("{km}", kilometres.format(task.distance_m / 1000));
}
function navigationUrl(task) {
  // geo: opens the device's own navigation app (Android); the label names the place.
  const label = encodeURIComponent(task.address || task.reference);
  return `geo:${task.lat},${task.lon}?q=${task.lat},${task.lon}(${label})`;
}

function escapeHtml(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function duration(ms) {
  const minutes = Math.round(Math.abs(ms) / 60000);
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")}`;
  return `${Math.round(minutes / 1440)} j`;
}

function slaText(task) {
  const left = Date.parse(task.due_at) - Date.now();
  return left >= 0 ? texts.due.replace("{time}", duration(left)) : texts.overdue.replace("{time}", duration(left));
}

// The map: tiles when reachable; markers for every task either way.
const map = L.map("field-map", { zoomControl: true });
const tiles = document.querySelector("meta[name=ondijon-tiles]");
if (tiles) L.tileLayer(tiles.content, { maxZoom: 19, attribution: tiles.dataset.attribution }).addTo(map);
const communes = L.geoJSON(JSON.parse(document.getElementById("communes-data").textContent), {
  style: { color: "#0b6e4f", weight: 1.2, opacity: 0.7, fillColor: "#0b6e4f", fillOpacity: 0.04 },
}).addTo(map);
map.fitBounds(communes.getBounds(), { padding: [8, 8] });
const markers = L.layerGroup().addTo(map);

const RANK = { emergency: 0, high: 1, normal: 2, low: 3 };
function ordered() {
  return [...tasks.values()].sort((a, b) =>
    (b.status === "in_progress") - (a.status === "in_progress") ||
    (a.blocked_by !== null) - (b.blocked_by !== null) ||
    RANK[a.priority] - RANK[b.priority] ||
    Date.parse(a.due_at) - Date.parse(b.due_at) || a.id - b.id);
}

function render() {
  const items = ordered();
  localStorage.setItem(CACHE_KEY, JSON.stringify(items));
  markers.clearLayers();
  if (!items.length) {
    const empty = document.createElement("li");
    empty.className = "task-empty";
    empty.textContent = texts.noTask;
    list.replaceChildren(empty);
  } else {
    list.replaceChildren(...items.map((task, index) => {
      const item = document.createElement("li");
      item.className = "task-item" + (task.id === selected ? " is-selected" : "");
      item.dataset.taskId = task.id;
      item.dataset.priority = task.priority;
      item.dataset.status = task.status;
      item.tabIndex = 0;
      const distance = task.distance_m == null ? "" : ` · ${distanceText(task)}`;
      item.innerHTML = `<span class="task-rank">${index + 1}</span>
        <span class="task-title">${escapeHtml(task.category)}</span>
        <span class="task-sla${task.overdue ? " is-late" : ""}">${escapeHtml(slaText(task))}</span>
        <span class="task-meta">${task.address ? `<span class="task-address">${escapeHtml(task.address)}</span> · ` : ""}${escapeHtml(task.priority_label)} · ${escapeHtml(task.trade)} · ${escapeHtml(task.commune)}${escapeHtml(distance)}</span>
        <span class="task-status" data-status="${escapeHtml(task.status)}">${escapeHtml(task.status_label)}</span>
        ${task.blocked_by ? `<span class="task-blocked">${escapeHtml(texts.blockedBy.replace("{trade}", task.blocked_by.trade).replace("{reference}", task.blocked_by.reference))}</span>` : ""}`;
      item.addEventListener("click", () => select(task.id));
      item.addEventListener("keydown", (event) => { if (event.key === "Enter") select(task.id); });
      return item;
    }));
  }
  const bounds = [];
  items.forEach((task, index) => {
    if (task.lat == null) return;
    // Numbered like the list, coloured by priority.
    // Colours come from the stylesheet: the page's CSP refuses inline styles.
    const priority = PRIORITY_COLOURS[task.priority] ? task.priority : "normal";
    const icon = L.divIcon({
      className: `task-marker task-marker-${priority}${task.id === selected ? " is-selected" : ""}`,
      html: `<span>${index + 1}</span>`,
      iconSize: [32, 32],
      iconAnchor: [16, 16],
    });
    const title = texts.taskMarker.replace("{n}", index + 1).replace("{category}", task.category);
    L.marker([task.lat, task.lon], { icon, title, alt: title, keyboard: true })
      .on("click", () => select(task.id)).addTo(markers);
    bounds.push([task.lat, task.lon]);
  });
  if (bounds.length && selected === null) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 16 });
  if (selected !== null && !tasks.has(selected)) { selected = null; detail.hidden = true; }
}

function actionButtons(task) {
  const buttons = [];
  if (task.status === "assigned" || task.status === "paused") buttons.push(["start", task.status === "paused" ? texts.resume : texts.start, "button-primary"]);
  if (task.status === "in_progress") buttons.push(["pause", texts.pause, ""]);
  buttons.push(["done", texts.done, task.status === "in_progress" ? "button-primary" : ""]);
  buttons.push(["cannot_do", texts.cannotDo, ""]);
  return buttons.map(([kind, label, style]) =>
    `<button type="button" class="button ${style} field-action" data-kind="${kind}" ${task.blocked_by && (kind === "start" || kind === "done") ? "disabled" : ""}>${escapeHtml(label)}</button>`).join("");
}

async function select(id) {
  selected = id;
  const task = tasks.get(id);
  if (!task) return;
  render();
  if (task.lat != null) map.setView([task.lat, task.lon], 16);
  detail.hidden = false;
  detail.dataset.taskId = id;
  detail.innerHTML = `<h2>${escapeHtml(task.category)} <small>${escapeHtml(task.reference)}</small></h2>
    <p class="task-sla${task.overdue ? " is-late" : ""}">${escapeHtml(slaText(task))} · ${escapeHtml(task.priority_label)}${task.distance_m == null ? "" : ` · ${escapeHtml(distanceText(task))}`}</p>
    <p class="task-where"><strong>${escapeHtml(task.address || task.commune)}</strong>${task.address && task.commune && !task.address.endsWith(task.commune) ? ` · ${escapeHtml(task.commune)}` : ""}
    ${task.lat != null ? `<a class="button navigate" data-testid="navigate" href="${escapeHtml(navigationUrl(task))}">${escapeHtml(texts.navigate)}</a>` : ""}</p>
    <p>${escapeHtml(task.description)}</p>
    ${task.blocked_by ? `<p class="task-blocked">${escapeHtml(texts.blockedBy.replace("{trade}", task.blocked_by.trade).replace("{reference}", task.blocked_by.reference))}</p>` : ""}
    <div class="action-bar">${actionButtons(task)}</div>
    <p id="action-message" class="action-message" role="status"></p>
    <div id="task-extra"></div>`;
  if (window.matchMedia("(orientation: portrait) and (max-width: 900px)").matches) {
    detail.scrollIntoView({ behavior: "smooth", block: "start" });
  }
  detail.querySelectorAll(".field-action").forEach((button) => button.addEventListener("click", () => onAction(task, button.dataset.kind)));
  try {
    const response = await fetch(`/api/v1/field/tasks/${id}/`, { credentials: "same-origin" });
    if (!response.ok || selected !== id) return;
    const full = await response.json();
    const fromCitizens = await fetch(`/api/v1/field/tasks/${id}/citizen-photos/`, { credentials: "same-origin" })
      .then((answer) => (answer.ok ? answer.json() : { photos: [] })).catch(() => ({ photos: [] }));
    if (selected !== id) return;
    const notes = full.operator_notes || [];
    document.getElementById("task-extra").innerHTML = `
      ${fromCitizens.photos.length ? `<h3>${escapeHtml(texts.citizenPhotos)}</h3><div class="task-photos" data-testid="citizen-photos">${fromCitizens.photos.map((photo, n) => `<a href="${escapeHtml(photo.url)}" target="_blank" rel="noopener"><img src="${escapeHtml(photo.url)}" alt="${escapeHtml(texts.citizenPhoto.replace("{n}", n + 1))}"></a>`).join("")}</div>` : ""}
      ${notes.length ? `<h3>${escapeHtml(texts.operatorNotes)}</h3><ul class="task-notes" data-testid="operator-notes">${notes.map((note) => `<li>${escapeHtml(note)}</li>`).join("")}</ul>` : ""}
      <h3>${escapeHtml(texts.history)}</h3>
      <ol class="task-history">${full.history.map((h) => `<li><time datetime="${escapeHtml(h.at)}">${escapeHtml(when(h.at))}</time> ${escapeHtml(h.label)} ${escapeHtml(h.who)} ${h.note ? `— ${escapeHtml(h.note)}` : ""}</li>`).join("")}</ol>
      ${full.photos.length ? `<h3>${escapeHtml(texts.photos)}</h3><div class="task-photos">${full.photos.map((src, n) => `<img src="${escapeHtml(src)}" alt="${escapeHtml(texts.crewPhoto.replace("{n}", n + 1))}">`).join("")}</div>` : ""}`;
  } catch (error) { /* offline: the summary above is what the tablet has */ }
}

function say(message, isError = false) {
  const box = document.getElementById("action-message");
  if (!box) return;
  box.textContent = message;
  box.classList.toggle("error", isError);
}

async function send(action) {
  const response = await fetch("/api/v1/field/actions/", formFor(action, csrf));
  const body = await response.json().catch(() => ({}));
  return { ok: response.ok, status: response.status, body };
}

// Applies the action now if possible, else keeps it for later. Returns the refusal, if any.
async function perform(action) {
  if (!navigator.onLine) {
    await queue.add(action);
    await showQueue();
    return { queued: true };
  }
  try {
    const result = await send(action);
    return result.ok ? { ok: true } : { error: result.body.error ?? String(result.status) };
  } catch (error) {
    await queue.add(action);
    await showQueue();
    return { queued: true };
  }
}

function optimistic(task, kind) {
  const next = { start: "in_progress", pause: "paused" }[kind];
  if (next) tasks.set(task.id, { ...task, status: next });
  else tasks.delete(task.id);
  render();
}

async function onAction(task, kind) {
  if (kind === "done") return openDialog("done", task);
  if (kind === "cannot_do") return openDialog("cannot", task);
  const result = await perform({ action_id: crypto.randomUUID(), task_id: task.id, kind });
  if (result.error) return say(result.error, true);
  optimistic(task, kind);
  if (tasks.has(task.id)) select(task.id);
}

function openDialog(name, task) {
  const dialog = document.getElementById(`${name}-dialog`);
  const form = document.getElementById(`${name}-form`);
  const error = document.getElementById(`${name}-error`);
  error.hidden = true;
  dialog.showModal();
  dialog.querySelector("[data-close]").onclick = () => dialog.close();
  form.onsubmit = async (event) => {
    event.preventDefault();
    const action = { action_id: form.dataset.actionId || crypto.randomUUID(), task_id: task.id, kind: name === "done" ? "done" : "cannot_do" };
    form.dataset.actionId = action.action_id; // a retry after a refusal keeps its id only if unchanged
    if (name === "done") {
      action.note = form.note.value;
      action.photos = [...form.photos.files];
    } else {
      action.reason = form.reason.value;
    }
    const result = await perform(action);
    if (result.error) {
      // The note stays in the form; only the refused part needs changing.
      delete form.dataset.actionId;
      error.textContent = result.error;
      error.hidden = false;
      return;
    }
    delete form.dataset.actionId;
    form.reset();
    dialog.close();
    optimistic(task, action.kind);
    say(result.queued ? texts.savedOffline : texts.sent);
  };
}

async function showQueue() {
  const pending = await queue.all();
  queueStatus.hidden = pending.length === 0;
  const waiting = new Intl.PluralRules(lang).select(pending.length) === "one" ? texts.queuedOne : texts.queued;
  queueStatus.textContent = waiting.replace("{n}", pending.length);
}

async function flush() {
  for (const action of await queue.all()) {
    try {
      const result = await send(action);
      // Sent (or refused for good, e.g. already done): either way it leaves the queue.
      if (result.status < 500) await queue.remove(action.action_id);
      else break;
    } catch (error) {
      break; // still offline
    }
  }
  await showQueue();
}

function setNet(online) {
  netStatus.dataset.state = online ? "online" : "offline";
  netStatus.querySelector(".net-label").textContent = online ? texts.online : texts.offline;
  if (online) flush();
}
window.addEventListener("online", () => setNet(true));
window.addEventListener("offline", () => setNet(false));

// Position sharing, only after the agent ticks the box (remembered on this tablet).
const share = document.getElementById("share-position");
let watch = null;
let lastSent = 0;
function startSharing() {
  if (!("geolocation" in navigator)) return;
  watch = navigator.geolocation.watchPosition((pos) => {
    if (Date.now() - lastSent < 15000 || !navigator.onLine) return;
    lastSent = Date.now();
    const body = new FormData();
    body.append("lat", pos.coords.latitude);
    body.append("lon", pos.coords.longitude);
    fetch("/api/v1/field/position/", { method: "POST", body, headers: { "X-CSRFToken": csrf }, credentials: "same-origin" }).catch(() => {});
  }, () => { share.checked = false; localStorage.removeItem("ondijon-share-position"); alert(texts.geoDenied); }, { enableHighAccuracy: true, maximumAge: 10000 });
}
share.checked = localStorage.getItem("ondijon-share-position") === "yes";
if (share.checked) startSharing();
share.addEventListener("change", () => {
  if (share.checked) { localStorage.setItem("ondijon-share-position", "yes"); startSharing(); }
  else { localStorage.removeItem("ondijon-share-position"); if (watch !== null) navigator.geolocation.clearWatch(watch); }
});

// A notice (and a short tone, if the agent turned sounds on) when the crew's tasks change.
const notice = document.getElementById("field-notice");
const sound = document.getElementById("sound-alerts");
sound.checked = localStorage.getItem("ondijon-sound-alerts") === "yes";
sound.addEventListener("change", () => {
  if (sound.checked) localStorage.setItem("ondijon-sound-alerts", "yes");
  else localStorage.removeItem("ondijon-sound-alerts");
});
function beep() {
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.setValueAtTime(0.2, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.4);
  } catch { /* no audio on this device */ }
}
let noticeTimer = null;
function notify(template, task) {
  notice.textContent = template.replace("{category}", task.category).replace("{reference}", task.reference);
  notice.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { notice.hidden = true; }, 15000);
  if (sound.checked) beep();
}

// The map fills its pane whatever the orientation: Leaflet is told when the pane changes.
new ResizeObserver(() => map.invalidateSize()).observe(document.getElementById("field-map"));

// Start from what the page brought (or what the tablet kept), then go live.
const initial = JSON.parse(document.getElementById("initial-tasks").textContent);
const kept = navigator.onLine ? null : JSON.parse(localStorage.getItem(CACHE_KEY) || "null");
for (const task of kept ?? initial) tasks.set(task.id, task);
render();
showQueue();

new LiveSocket("/ws/field/", {
  onState: (state) => { app.dataset.live = state; },
  onMessage: (message) => {
    if (message.type === "snapshot") {
      tasks.clear();
      for (const task of message.tasks) tasks.set(task.id, task);
      render();
      flush();
    } else if (message.type === "task") {
      const before = tasks.get(message.id);
      if (message.op === "remove") {
        tasks.delete(message.id);
        if (before) notify(texts.taskRemoved, before);
      } else {
        tasks.set(message.id, message.task);
        if (!before) notify(texts.taskAdded, message.task);
      }
      render();
      if (selected === message.id && tasks.has(message.id)) select(message.id);
    }
  },
});
window.setInterval(render, 30000);

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/terrain/sw.js", { scope: "/terrain/" }).catch(() => {});
}
