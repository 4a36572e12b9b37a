// The control room's incident panel: opens when an incident is chosen on the map or in a
// list, acts through the incident's services, and follows the incident live.
import { handleForms, mountMinimap } from "./incident-detail.js";

const texts = JSON.parse(document.getElementById("incident-desk-i18n").textContent);
const desk = document.getElementById("incident-desk");
const body = document.getElementById("incident-desk-body");
let openId = null;
let minimap = null;
let loading = 0;

async function load(id, { quiet = false, url = null } = {}) {
  const ticket = ++loading;
  const response = await fetch(url ?? texts.panelUrl.replace("/0/", `/${id}/`), { credentials: "same-origin" });
  if (ticket !== loading) return;
  if (response.status === 204) return; // an alarm that opened no incident
  if (!response.ok) {
    if (!quiet) body.textContent = texts.loadFailed;
    return;
  }
  const scroll = body.scrollTop;
  show(await response.text(), quiet, scroll);
  if (url) {
    // Opened from an alarm: the incident it opened is now the one followed.
    openId = body.querySelector("[data-incident-id]")?.dataset.incidentId ?? null;
    desk.hidden = false;
  }
}

function show(html, quiet, scroll) {
  if (minimap) { minimap.remove(); minimap = null; }
  body.innerHTML = html;
  body.scrollTop = quiet ? scroll : 0;
  for (const error of body.querySelectorAll(".detail-error")) error.dataset.fallback = texts.error;
  minimap = mountMinimap(body);
  handleForms(body, () => load(openId, { quiet: true }));
  for (const link of body.querySelectorAll("[data-incident-link]")) {
    link.addEventListener("click", (event) => { event.preventDefault(); open(link.dataset.incidentLink); });
  }
  if (quiet) {
    body.classList.add("is-updated");
    window.setTimeout(() => body.classList.remove("is-updated"), 1200);
  }
}

function open(id) {
  openId = String(id);
  desk.hidden = false;
  load(openId);
}

function close() {
  desk.hidden = true;
  openId = null;
  if (minimap) { minimap.remove(); minimap = null; }
  body.replaceChildren();
  document.dispatchEvent(new CustomEvent("ondijon:feature-closed", { detail: { layer: "incidents" } }));
}

document.getElementById("incident-desk-close").addEventListener("click", close);
document.addEventListener("keydown", (event) => { if (event.key === "Escape" && !desk.hidden) close(); });
document.addEventListener("ondijon:feature-open", (event) => {
  if (event.detail.layer === "incidents") open(event.detail.id);
  if (event.detail.layer === "alarms") load(null, { url: texts.alarmPanelUrl.replace("/0/", `/${event.detail.id}/`) });
});
document.addEventListener("ondijon:delta", (event) => {
  const message = event.detail;
  if (openId === null || message.layer !== "incidents" || String(message.id) !== openId) return;
  // Someone else (a crew, another operator) changed it: read it again, keeping the scroll.
  if (!body.querySelector("form :focus, textarea:focus, input:focus, select:focus")) load(openId, { quiet: true });
});

// Reports nobody could locate wait in the dispatch queue: a reminder on the map says how
// many, read again when incidents change (at most every few seconds).
const badge = document.getElementById("to-locate-badge");
let countTimer = null;

async function refreshToLocate() {
  countTimer = null;
  const response = await fetch(badge.dataset.countUrl, { credentials: "same-origin" });
  if (!response.ok) return;
  const { count } = await response.json();
  badge.hidden = count === 0;
  badge.textContent = count === 1 ? texts.toLocateOne : texts.toLocateMany.replace("{n}", count);
}

document.addEventListener("ondijon:delta", (event) => {
  if (event.detail.layer === "incidents" && countTimer === null) countTimer = window.setTimeout(refreshToLocate, 3000);
});
refreshToLocate();
