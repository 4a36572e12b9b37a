// Map layers of the control room: live point layers, the crisis zone, and large equipment
// layers read by viewport (canvas rendering, server-side aggregation at low zoom).

const STATUS_COLOURS = {
  ok: "#3fb950", normal: "#3fb950", on: "#3fb950", lit: "#3fb950", up: "#3fb950", online: "#3fb950", recording: "#3fb950",
  dimmed: "#2ea043", down: "#58a6ff", moving: "#58a6ff", off: "#6e7681", dark: "#ff5a4f",
  flashing: "#e3b341", flashing_amber: "#e3b341", works: "#58a6ff", under_works: "#58a6ff",
  degraded: "#e3b341", warning: "#e3b341", comm_lost: "#f0883e", communication_lost: "#f0883e",
  fault: "#ff5a4f", failed: "#ff5a4f", lamp_failed: "#ff5a4f", power_lost: "#ff5a4f", offline: "#f0883e",
  day_burning: "#e3b341", not_recording: "#f0883e",
  minor: "#e3b341", major: "#f0883e", critical: "#ff5a4f", info: "#58a6ff",
  car_park_free: "#3fb950", car_park_busy: "#e3b341", car_park_full: "#ff5a4f", car_park_stale: "#6e7681",
  car_park_unknown: "#6e7681", vehicle: "#58a6ff", vehicle_late: "#f0883e", transit_alert: "#ff5a4f",
  bike_ok: "#3fb950", bike_empty: "#ff5a4f", bike_full: "#a371f7", bike_closed: "#6e7681", bike_stale: "#6e7681",
};
const FALLBACK = ["#a371f7", "#79c0ff", "#d2a8ff", "#ffa657"];
// Below street zoom, equipment layers answer with aggregates (see AssetLayer.tile).
const AGGREGATED_MAX_ZOOM = 15;

export function statusColour(status, index = 0) {
  return STATUS_COLOURS[status] ?? FALLBACK[index % FALLBACK.length];
}

function escapeHtml(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

export { escapeHtml };

function featureHtml(layerLabel, feature) {
  // A layer may say what its popup shows, in words ([label, value] pairs); else raw fields.
  if (Array.isArray(feature.popup)) {
    const lines = feature.popup.filter(([, value]) => value !== null && value !== "")
      .map(([label, value]) => `<div class="popup-line"><span>${escapeHtml(label)}</span> ${escapeHtml(value)}</div>`).join("");
    return `<div class="popup-title">${escapeHtml(layerLabel)} · ${escapeHtml(feature.name ?? feature.title ?? feature.id)}</div>${lines}`;
  }
  const rows = Object.entries(feature)
    .filter(([key, value]) => !["lat", "lon", "id", "geometry"].includes(key) && value !== null && value !== "" && typeof value !== "object")
    .slice(0, 8)
    .map(([key, value]) => `<div class="popup-line"><span>${escapeHtml(key)}</span> ${escapeHtml(value)}</div>`)
    .join("");
  return `<div class="popup-title">${escapeHtml(layerLabel)} · ${escapeHtml(feature.name ?? feature.title ?? feature.id)}</div>${rows}`;
}

// A large layer read by viewport: asks the server for what is visible, draws it on canvas.
export class TiledLayer {
  constructor(map, definition, tileUrl) {
    this.map = map;
    this.definition = definition;
    this.url = tileUrl.replace("LAYER", definition.name);
    this.group = L.layerGroup();
    // Every tiled layer draws on the map's one canvas (preferCanvas): a canvas per layer
    // costs a full-size bitmap to clear and composite on every redraw.
    this.markers = new Map();
    this.request = 0;
    // Off: areas are aggregated whatever the zoom, so street zoom shows no sea of dots;
    // the abnormal points (faults) still show one by one above the aggregates.
    this.detailed = false;
    this.abnormal = new Map();
    map.on("moveend", () => this.refresh());
  }

  attach(visible) {
    if (visible) this.group.addTo(this.map);
    this.refresh();
  }

  async refresh() {
    if (!this.map.hasLayer(this.group)) return;
    const bounds = this.map.getBounds();
    const bbox = [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()].map((v) => v.toFixed(5)).join(",");
    const ticket = ++this.request;
    const zoom = Math.round(this.map.getZoom());
    const asked = this.detailed ? zoom : Math.min(zoom, AGGREGATED_MAX_ZOOM);
    const response = await fetch(`${this.url}?bbox=${bbox}&zoom=${asked}`, { credentials: "same-origin" });
    if (!response.ok || ticket !== this.request) return;
    this.draw(await response.json());
  }

  draw(tile) {
    this.group.clearLayers();
    this.markers.clear();
    if (tile.kind === "clusters") {
      for (const [lat, lon, count, status] of tile.rows) {
        const radius = Math.min(22, 5 + Math.log2(count + 1) * 2.2);
        L.circleMarker([lat, lon], {
          radius, weight: 1, color: statusColour(status), fillColor: statusColour(status), fillOpacity: 0.35,
        }).bindTooltip(`${this.definition.label}: ${count}`).addTo(this.group);
      }
      for (const feature of this.abnormal.values()) this.upsert(feature);
    } else {
      for (const row of tile.rows) {
        this.upsert(Object.fromEntries(tile.fields.map((field, index) => [field, row[index]])));
      }
    }
    // Read by bench/control_room_paint.py: when each layer was last handed to the map.
    performance.mark(`ondijon:layer:${this.definition.name}`);
  }

  upsert(feature) {
    if (feature.lat == null || feature.lon == null) return;
    const colour = statusColour(feature.status);
    const existing = this.markers.get(String(feature.id));
    if (existing) {
      existing.setStyle({ color: colour, fillColor: colour });
      existing.setPopupContent(featureHtml(this.definition.label, feature));
      return;
    }
    const marker = L.circleMarker([feature.lat, feature.lon], {
      radius: 3.5, weight: 1, color: colour, fillColor: colour, fillOpacity: 0.85,
    }).bindPopup(featureHtml(this.definition.label, feature));
    marker.addTo(this.group);
    this.markers.set(String(feature.id), marker);
  }

  applyDelta(message) {
    if (message.op === "remove") {
      // Left the "not normal" set: fetch the current state of the viewport again.
      this.abnormal.delete(String(message.id));
      this.refresh();
      return;
    }
    this.abnormal.set(String(message.feature.id), message.feature);
    if (this.map.getBounds().contains([message.feature.lat, message.feature.lon])) this.upsert(message.feature);
  }

  snapshot(features) {
    this.abnormal = new Map(features.map((feature) => [String(feature.id), feature]));
    for (const feature of features) this.upsert(feature);
  }
}

// A small live layer of points (crews, and any app layer without its own renderer).
export class PointLayer {
  constructor(map, definition, renderer = undefined) {
    this.definition = definition;
    this.renderer = renderer;
    this.group = L.layerGroup();
    this.markers = new Map();
    this.features = new Map();
    this.onChange = () => {};
  }

  snapshot(features) {
    this.group.clearLayers();
    this.markers.clear();
    this.features.clear();
    for (const feature of features) this.upsert(feature);
    this.onChange();
  }

  upsert(feature) {
    if (feature.lat == null || feature.lon == null) return;
    this.features.set(String(feature.id), feature);
    const colour = statusColour(feature.status ?? feature.state, 1);
    const existing = this.markers.get(String(feature.id));
    if (existing) {
      existing.setLatLng([feature.lat, feature.lon]);
      existing.setStyle({ color: colour, fillColor: colour });
      existing.setPopupContent(featureHtml(this.definition.label, feature));
      return;
    }
    const marker = L.circleMarker([feature.lat, feature.lon], { renderer: this.renderer, radius: 6, weight: 2, color: "#0d1117", fillColor: colour, fillOpacity: 0.95 })
      .bindPopup(featureHtml(this.definition.label, feature));
    marker.addTo(this.group);
    this.markers.set(String(feature.id), marker);
  }

  applyDelta(message) {
    if (message.op === "remove") {
      const marker = this.markers.get(String(message.id));
      if (marker) this.group.removeLayer(marker);
      this.markers.delete(String(message.id));
      this.features.delete(String(message.id));
    } else {
      this.upsert(message.feature);
    }
    this.onChange();
  }
}

export class CrisisLayer {
  constructor(map, definition) {
    this.definition = definition;
    this.group = L.layerGroup();
    this.shapes = new Map();
  }

  snapshot(features) {
    this.group.clearLayers();
    this.shapes.clear();
    for (const feature of features) this.upsert(feature);
  }

  upsert(feature) {
    this.remove(feature.id);
    if (!feature.geometry) return;
    const shape = L.geoJSON(feature.geometry, {
      style: { color: "#ff5a4f", weight: 3, dashArray: "8 6", fillColor: "#ff5a4f", fillOpacity: 0.12 },
      interactive: false,
    });
    shape.addTo(this.group);
    this.shapes.set(String(feature.id), shape);
  }

  remove(id) {
    const shape = this.shapes.get(String(id));
    if (shape) this.group.removeLayer(shape);
    this.shapes.delete(String(id));
  }

  applyDelta(message) {
    if (message.op === "remove") this.remove(message.id);
    else this.upsert(message.feature);
  }
}
