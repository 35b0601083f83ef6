// The background service worker (a module worker): the shim between the browser's events
// and the wasm in worker.js / worker_bg.wasm.
//
// Every listener is registered synchronously, on the first turn of this script: a Manifest
// V3 worker is started *for* an event, and a listener added after an await would miss it.
// Each listener then waits for the one `ready` promise (wasm instantiated, and `start` run:
// fresh-install set-up, badge and alarm recomputed from storage) before calling into wasm.
// No top-level await: service workers reject it.
import init, * as wasm from "./worker.js";
import { CONFIG } from "./config.js";

// Core has no randomness: a fresh id comes with every start, kept as this profile's sync
// device id the first time.
const ready = init({ module_or_path: new URL("./worker_bg.wasm", import.meta.url) })
  .then(() => wasm.start({ ...CONFIG, device: crypto.randomUUID() }));

// Firefox runs this as an event page and unloads it once it has been idle for 30 s
// (`extensions.background.idle.timeout`), even with a fetch still pending: only an event,
// or a call from here to an extension API, resets its idle timer, and a listener's pending
// promise holds it off just once. So while a task is under way (a refresh waiting on a slow
// server, say), a cheap API call every 10 s keeps the page alive, and the task finishes
// instead of waiting for the next wake. Chromium keeps its worker alive on API calls too.
// A task older than 5 minutes is not kept alive any more (nor in Chromium past that).
const KEEP_ALIVE_MS = CONFIG.keepAliveMs ?? 10_000;
const KEEP_ALIVE_AT_MOST_MS = 5 * 60_000;
const underWay = new Set(); // when each task under way started
let keepAlive = null;

function keptAlive(task) {
  const started = { at: Date.now() };
  underWay.add(started);
  keepAlive ??= setInterval(() => {
    const now = Date.now();
    if ([...underWay].some((t) => now - t.at < KEEP_ALIVE_AT_MOST_MS)) chrome.runtime.getPlatformInfo();
  }, KEEP_ALIVE_MS);
  return task.finally(() => {
    underWay.delete(started);
    if (underWay.size === 0) {
      clearInterval(keepAlive);
      keepAlive = null;
    }
  });
}

function run(what, task) {
  return keptAlive(ready.then(task)).catch((error) => console.error(`Planet Reader: ${what} failed:`, error));
}

chrome.runtime.onInstalled.addListener(() => run("install", () => wasm.on_wake()));
chrome.runtime.onStartup.addListener(() => run("browser start", () => wasm.on_wake()));
chrome.alarms.onAlarm.addListener((alarm) => run("alarm", () => wasm.on_alarm(alarm.name)));
// Another profile's changes, copied in by the browser's sync.
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === "sync") run("sync", () => wasm.on_sync_changed());
});

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id) return false; // only our own pages may ask
  keptAlive(ready.then(() => wasm.on_message(message)))
    .then(sendResponse, (error) => sendResponse({ type: "error", message: String(error?.message ?? error) }));
  return true; // the answer comes asynchronously
});

// Even with no event pending, a started worker puts the badge right (done by `start`).
run("start", () => undefined);
