// Every staff page: the crisis banner follows activation, changes and closing live
// (/ws/crisis/), and tells the page (event "ondijon:crisis") so it can refresh its parts.
import { LiveSocket } from "./live-socket.js";

const banner = document.getElementById("crisis-banner");

function render(state) {
  const url = banner.dataset.url;
  banner.hidden = !state.active;
  banner.dataset.severity = state.severity || "";
  if (state.active) {
    const title = document.createElement("span");
    title.textContent = `${state.title} · ${state.severity_label}`;
    const label = document.createElement("strong");
    label.textContent = banner.dataset.label;
    banner.replaceChildren(label, " — ", title);
    if (url) {
      const link = document.createElement("a");
      link.href = url;
      link.textContent = banner.dataset.open;
      banner.append(" · ", link);
    }
  } else {
    banner.replaceChildren();
  }
  // The control room's link to the crisis cell says when a crisis is under way.
  for (const link of document.querySelectorAll("[data-crisis-link]")) {
    link.classList.toggle("crisis-link", state.active);
    link.textContent = state.active ? link.dataset.activeLabel : link.dataset.idleLabel;
  }
  // Maps below the banner moved: Leaflet re-measures its container on a resize event.
  window.dispatchEvent(new Event("resize"));
}

if (banner) {
  let last = null;
  new LiveSocket("/ws/crisis/", {
    onState() {},
    onMessage(state) {
      if (state.type !== "crisis") return;
      render(state);
      const changed = last !== null && JSON.stringify(last) !== JSON.stringify(state);
      last = state;
      document.dispatchEvent(new CustomEvent("ondijon:crisis", { detail: { state, changed } }));
    },
  });
}
