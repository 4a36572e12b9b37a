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
    L.geoJSON(JSON.parse(communes.textContent), { style: { color: "#3fb98a", weight: 1, fillOpacity: 0.04 }, interactive: false }).addTo(map);
  }
  let marker = located ? L.circleMarker([lat, lon], { radius: 9, color: "#ff5a4f", weight: 3, fillOpacity: 0.4 }).addTo(map) : null;
  const form = root.querySelector(".locate-form");
  if (element.dataset.placeable === "true" && form) {
    element.style.cursor = "crosshair";
    map.on("click", (event) => {
      const { lat: newLat, lng: newLon } = event.latlng;
      if (marker) marker.setLatLng(event.latlng);
      else marker = L.circleMarker(event.latlng, { radius: 9, color: "#ff5a4f", weight: 3, fillOpacity: 0.4 }).addTo(map);
      form.lat.value = newLat.toFixed(6);
      form.lon.value = newLon.toFixed(6);
      form.querySelector("button[type=submit]").disabled = false;
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
      const error = root.querySelector(".detail-error");
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
