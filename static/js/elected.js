// Elected officials' board: the open incidents of their commune, kept live (read-only).
import { LiveSocket } from "./live-socket.js";
import { escapeHtml } from "./map-layers.js";

const texts = JSON.parse(document.getElementById("elected-i18n").textContent);
const body = document.getElementById("elected-incidents");
const state = document.getElementById("live-state");
const incidents = new Map();
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
      for (const feature of message.layers.incidents ?? []) incidents.set(feature.id, feature);
    } else if (message.type === "delta" && message.layer === "incidents") {
      if (message.op === "remove") incidents.delete(message.id);
      else incidents.set(message.id, message.feature);
    } else {
      return;
    }
    render();
  },
});
