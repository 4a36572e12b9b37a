// Crisis cell map: shows the zone, or lets a supervisor draw it (Leaflet.draw polygon).
const communes = JSON.parse(document.getElementById("communes-data").textContent);
const zone = JSON.parse(document.getElementById("crisis-zone").textContent);
const map = L.map("crisis-map", { zoomSnap: 0.25 });
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
