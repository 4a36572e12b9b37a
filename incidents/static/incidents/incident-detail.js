// The incident detail, wherever it is shown (its page, the control room's panel): the small
// map with the incident's position (clicked to place or move it) and the action forms.

const DEFAULT_CENTRE = [47.322, 5.041];

export function mountMinimap(root) {
  const element = root.querySelector(".incident-minimap");
  if (!element || typeof L === "undefined") return null;
  const lat = parseFloat(element.dataset.lat);
  const lon = parseFloat(element.dataset.lon);
  const located = Number.isFinite(lat) && Number.isFinite(lon);
  const map = L.map(element, { zoomControl: true, attributionControl: false }).setView(located ? [lat, lon] : DEFAULT_CENTRE, located ? 16 : 11);
  const tiles = document.querySelector("meta[name=ondijon-tiles]");
  if (tiles) L.tileLayer(tiles.content, { maxZoom: 19 }).addTo(map);
  const communes = document.getElementById("communes-data");
  if (communes) {
    L.geoJSON(JSON.parse(communes.textContent), { style: { color: "#3fb98a", weight: 1, fillOpacity: 0.04 }, onEachFeature: (feature, layer) => layer.bindTooltip(feature.properties.name, { sticky: true }) }).addTo(map);
  }
  let marker = located ? L.circleMarker([lat, lon], { radius: 9, color: "#ff5a4f", weight: 3, fillOpacity: 0.4 }).addTo(map) : null;
  const form = root.querySelector(".locate-form");
  if (element.dataset.placeable === "true" && form) {
    element.style.cursor = "crosshair";
    const place = (latLng) => {
      if (marker) marker.setLatLng(latLng);
      else marker = L.circleMarker(latLng, { radius: 9, color: "#ff5a4f", weight: 3, fillOpacity: 0.4 }).addTo(map);
      form.lat.value = latLng.lat.toFixed(6);
      form.lon.value = latLng.lng.toFixed(6);
      form.querySelector("button[type=submit]").disabled = false;
    };
    map.on("click", (event) => place(event.latlng));
    searchPlaces(form, (found) => {
      const latLng = L.latLng(found.lat, found.lon);
      map.setView(latLng, found.kind === "commune" ? 14 : 18);
      place(latLng);
    });
  }
  return map;
}

// In a panel the forms are sent in the background and the detail is read again; on the
// page they are ordinary forms (the server answers with a redirect and a message).
export function handleForms(root, onDone) {
  for (const form of root.querySelectorAll("form[data-desk-action]")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      // A section with its own error line shows its failures there; the others, under the actions.
      const error = form.closest(".detail-section")?.querySelector(".detail-error")
        ?? root.querySelector(".detail-actions .detail-error") ?? root.querySelector(".detail-error");
      const button = form.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      try {
        const response = await fetch(form.action, {
          method: "POST", credentials: "same-origin", body: new FormData(form),
          headers: { Accept: "application/json" },
        });
        const data = await response.json().catch(() => ({}));
        if (!response.ok) throw new Error(data.error ?? "");
        await onDone(data.ok);
      } catch (failure) {
        if (error) error.textContent = failure.message || error.dataset.fallback || "";
        else window.alert(failure.message);
        if (button) button.disabled = false;
      }
    });
  }
}

// The gazetteer (communes, streets, addresses): a choice centres the small map and puts the
// pin there; the operator adjusts it by clicking, then confirms.
function searchPlaces(form, onChoose) {
  const input = form.querySelector(".locate-search");
  const list = form.querySelector(".locate-results");
  if (!input || !list) return;
  let timer = null;
  let ticket = 0;
  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(async () => {
      const mine = ++ticket;
      const query = input.value.trim();
      if (query.length < 2) { list.replaceChildren(); return; }
      const response = await fetch(`${input.dataset.url}?q=${encodeURIComponent(query)}`, { credentials: "same-origin" });
      if (!response.ok || mine !== ticket) return;
      const { results } = await response.json();
      list.replaceChildren(...results.map((found) => {
        const item = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.className = "button button-small button-ghost";
        button.textContent = found.label;
        button.addEventListener("click", () => { onChoose(found); list.replaceChildren(); input.value = button.textContent; });
        item.append(button);
        return item;
      }));
    }, 250);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); list.querySelector("button")?.click(); }
  });
}
