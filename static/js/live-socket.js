// A WebSocket that reconnects with backoff and resumes from the last sequence number it
// saw, so a screen never silently misses an update.

// Close code of a server that asks the screen to catch up (see hypervisor/fanout.py).
const RESYNC_CLOSE_CODE = 4000;

export class LiveSocket {
  constructor(path, { onMessage, onState }) {
    this.path = path;
    this.onMessage = onMessage;
    this.onState = onState;
    this.sequence = null;
    this.attempt = 0;
    this.closedByPage = false;
    this.resyncing = false;
    this.heartbeat = null;
    this.connect();
  }

  url() {
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    const since = this.sequence === null ? "" : `?since=${this.sequence}`;
    return `${scheme}://${window.location.host}${this.path}${since}`;
  }

  connect() {
    this.onState(this.attempt === 0 ? "connecting" : "reconnecting");
    const socket = new WebSocket(this.url());
    this.socket = socket;
    socket.addEventListener("open", () => {
      this.attempt = 0;
      this.onState("live");
      // Keeps idle connections alive through proxies during a long shift.
      this.heartbeat = window.setInterval(() => this.send({ type: "ping" }), 25000);
    });
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(event.data);
      if (message.type === "resync") {
        // The server lost deltas meant for this screen (its feed was interrupted, or the
        // screen fell too far behind): reconnect at once and catch up from the last seq.
        this.resyncing = true;
        socket.close();
        return;
      }
      // Deltas carry the current state of their feature, so applying one twice or late is
      // harmless; transactions commit out of id order, so none is dropped for its number.
      if (message.type === "snapshot" || message.type === "caught_up") {
        this.sequence = message.seq;
      } else if (message.type === "delta") {
        this.sequence = Math.max(this.sequence ?? 0, message.seq);
      }
      this.onMessage(message);
    });
    socket.addEventListener("close", (event) => {
      window.clearInterval(this.heartbeat);
      if (this.closedByPage) return;
      if (event.code === 4403) {
        this.onState("forbidden");
        return;
      }
      this.onState("reconnecting");
      if (this.resyncing || event.code === RESYNC_CLOSE_CODE) {
        // Every screen of a server hears this at once: spread them over a second.
        this.resyncing = false;
        window.setTimeout(() => this.connect(), Math.random() * 1000);
        return;
      }
      this.attempt += 1;
      const delay = Math.min(30000, 500 * 2 ** Math.min(this.attempt, 6)) * (0.75 + Math.random() / 2);
      window.setTimeout(() => this.connect(), delay);
    });
  }

  send(message) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(message));
    }
  }

  close() {
    this.closedByPage = true;
    this.socket?.close();
  }
}
