// Crisis cell: the zone on a map (or a supervisor draws it with Leaflet.draw), and the
// page's parts kept live: when the crisis changes elsewhere, they are read again.
const communes = JSON.parse(document.getElementById("communes-data").textContent);
let map = null;

function initMap() {
  if (map) { map.remove(); map = null; }
  const container = document.getElementById("crisis-map");
  if (!container) return;
  const zone = JSON.parse(document.getElementById("crisis-zone").textContent);
  map = L.map(container, { zoomSnap: 0.25 });
  const tiles = document.querySelector("meta[name=ondijon-tiles]");
  if (tiles) L.tileLayer(tiles.content, { maxZoom: 19, attribution: tiles.dataset.attribution }).addTo(map);
  const territory = L.geoJSON(communes, { style: { color: "#0b6e4f", weight: 1, fillOpacity: 0.03 }, interactive: false }).addTo(map);
  map.fitBounds(territory.getBounds(), { padding: [8, 8] });
  const style = { color: "#d93025", weight: 3, dashArray: "8 6", fillColor: "#d93025", fillOpacity: 0.15 };
  if (zone) {
    const shape = L.geoJSON(zone, { style }).addTo(map);
    map.fitBounds(shape.getBounds(), { padding: [20, 20] });
  }
  const zoneInput = document.querySelector("input[name=zone]");
  if (zoneInput && L.Control.Draw) {
    const drawn = new L.FeatureGroup().addTo(map);
    map.addControl(new L.Control.Draw({
      draw: { polygon: { shapeOptions: style }, polyline: false, rectangle: { shapeOptions: style }, circle: false, marker: false, circlemarker: false },
      edit: { featureGroup: drawn },
    }));
    const store = () => {
      const layers = drawn.getLayers();
      zoneInput.value = layers.length ? JSON.stringify(layers[layers.length - 1].toGeoJSON().geometry) : "";
    };
    map.on(L.Draw.Event.CREATED, (event) => { drawn.clearLayers(); drawn.addLayer(event.layer); store(); });
    map.on(L.Draw.Event.EDITED, store);
    map.on(L.Draw.Event.DELETED, store);
  }
}

async function refresh(state) {
  const page = document.getElementById("crisis-page");
  const response = await fetch(window.location.pathname, { credentials: "same-origin" });
  if (!response.ok) return;
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
  const freshPage = fresh.getElementById("crisis-page");
  if (!freshPage) return;
  if (String(state.active ? state.id : "") !== page.dataset.crisisId) {
    // Activated or closed elsewhere: the whole page changes (forms typed in are for the
    // crisis that no longer is).
    page.replaceWith(document.adoptNode(freshPage));
    initMap();
    return;
  }
  // The same crisis changed: only the live parts, so what someone is typing stays.
  for (const part of page.querySelectorAll("[data-live][id]")) {
    const replacement = freshPage.querySelector(`#${part.id}`);
    if (replacement) part.replaceWith(document.adoptNode(replacement));
  }
}

initMap();
document.addEventListener("ondijon:crisis", (event) => {
  const { state, changed } = event.detail;
  const shown = document.getElementById("crisis-page").dataset.crisisId;
  if (changed || String(state.active ? state.id : "") !== shown) refresh(state);
});
