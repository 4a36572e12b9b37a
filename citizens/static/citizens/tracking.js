// Tracking page: a small map of the place, and the page follows the report's changes by
// reading itself again every half minute (no account, no socket: the token is the key).
const REFRESH_MS = 30_000;

function drawMap() {
  const container = document.getElementById("tracking-map");
  if (!container || typeof L === "undefined" || container.dataset.drawn) return;
  const lat = parseFloat(container.dataset.lat);
  const lon = parseFloat(container.dataset.lon);
  const map = L.map(container, {
    zoomControl: false, dragging: false, scrollWheelZoom: false, doubleClickZoom: false,
    boxZoom: false, keyboard: false, touchZoom: false, attributionControl: true,
  }).setView([lat, lon], 17);
  const tiles = document.querySelector("meta[name=ondijon-tiles]");
  if (tiles) {
    L.tileLayer(tiles.content, { maxZoom: 19, attribution: tiles.dataset.attribution }).addTo(map);
  }
  L.circleMarker([lat, lon], { radius: 9, color: "#0b6e4f", weight: 3, fillOpacity: 0.4 }).addTo(map);
  container.dataset.drawn = "1";
}

async function refresh() {
  const live = document.getElementById("tracking-live");
  const typing = live.querySelector("textarea");
  if (typing && (typing.value || document.activeElement === typing)) return;
  try {
    const response = await fetch(window.location.href, { headers: { Accept: "text/html" }, cache: "no-store" });
    if (!response.ok) return;
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html")
      .getElementById("tracking-live");
    if (!fresh || fresh.dataset.version === live.dataset.version) return;
    live.replaceWith(fresh);
    drawMap();
    const status = fresh.querySelector("[data-testid=status]");
    const announce = document.getElementById("tracking-announce");
    if (announce && status) announce.textContent = status.textContent;
  } catch {
    // Offline for a moment: the next round tries again.
  }
}

drawMap();
setInterval(refresh, Number(window.ONDIJON_TRACKING_REFRESH_MS) || REFRESH_MS);
