// Actions the tablet could not send yet, kept in IndexedDB (photos included) and sent
// again, in order, when the network is back. Each carries the id the server deduplicates
// on, so sending one twice has no second effect.
const DB = "ondijon-field";
const STORE = "actions";

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "action_id" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const result = work(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(result.result ?? result);
    tx.onerror = () => reject(tx.error);
  });
}

export const queue = {
  add: (action) => run("readwrite", (store) => store.put({ ...action, queued_at: Date.now() })),
  remove: (actionId) => run("readwrite", (store) => store.delete(actionId)),
  all: async () => {
    const items = await run("readonly", (store) => store.getAll());
    return [...items].sort((a, b) => a.queued_at - b.queued_at);
  },
};

export function formFor(action, csrf) {
  const form = new FormData();
  for (const key of ["action_id", "task_id", "kind", "note", "reason"]) form.append(key, action[key] ?? "");
  for (const photo of action.photos ?? []) form.append("photos", photo, photo.name || "photo.jpg");
  return { method: "POST", body: form, headers: { "X-CSRFToken": csrf }, credentials: "same-origin" };
}
