// The background service worker (a module worker): the shim between the browser's events
// and the wasm. Two modules (see src/worker/mod.rs):
//   worker.js / worker_bg.wasm        instantiated on every wake: marks, stars, badge,
//                                     alarm, resets (local changes journaled for sync);
//   refresher.js / refresher_bg.wasm  instantiated only when needed: a refresh,
//                                     subscribing, discovery, OPML, the exchange with
//                                     storage.sync, a migration, settings, notifications,
//                                     the toolbar's "this page has a feed".
//
// Every listener is registered synchronously, on the first turn of this script: a Manifest
// V3 worker is started *for* an event, and a listener added after an await would miss it.
// Each listener then waits for the one `ready` promise (the hot module instantiated, and
// `start` run: migrations, badge, alarm) before calling into wasm. No top-level await:
// service workers reject it.
import initHot, * as hot from "./worker.js";
import initRefresher, * as refresher from "./refresher.js";
import { CONFIG } from "./config.js";

// Core has no randomness: a fresh id comes with every start, kept as this profile's sync
// device id the first time.
const config = { ...CONFIG, device: crypto.randomUUID() };

// The refresh module, instantiated on first use (after `start`, so a migration is done).
let refresherReady = null;
function refreshModule() {
  refresherReady ??= initRefresher({ module_or_path: new URL("./refresher_bg.wasm", import.meta.url) })
    .then(() => refresher.refresher_start(config));
  return refresherReady;
}

// What the hot module asks of the refresh module (src/browser/jobs.rs).
globalThis.planetReader = {
  refresh: (force, feed) => refreshModule().then(() => refresher.refresh(force, feed)),
  install: () => refreshModule().then(() => refresher.install()),
  migrate: () => refreshModule().then(() => refresher.migrate()),
};

// The schema version is read while the wasm is instantiated, not after.
const storedMeta = chrome.storage.local.get("meta");
const ready = Promise.all([initHot({ module_or_path: new URL("./worker_bg.wasm", import.meta.url) }), storedMeta])
  .then(([, found]) => hot.start(config, found.meta));

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

// Browser start or install: fetch what is due (everything, after an install), look at
// what other profiles synced, and (Chromium) set the rule that marks pages with a feed.
function wake() {
  return refreshModule().then(() =>
    Promise.all([refresher.sync_start(), refresher.refresh(false, null), refresher.show_feed_pages()]));
}
chrome.runtime.onInstalled.addListener(() => run("install", wake));
chrome.runtime.onStartup.addListener(() => run("browser start", wake));
chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === "refresh") run("refresh", () => globalThis.planetReader.refresh(false, null));
  if (alarm.name === "sync") run("sync", () => refreshModule().then(() => refresher.sync_alarm()));
});
// Another profile's changes, copied in by the browser's sync (or this profile's own
// writes): sync's items (their keys start with "~") are merged; settings and rules
// (src/core/settings.rs, rules.rs) are applied.
chrome.storage.onChanged.addListener((changes, area) => {
  if (area !== "sync") return;
  const keys = Object.keys(changes);
  if (keys.some((k) => k.startsWith("~"))) run("sync", () => refreshModule().then(() => refresher.sync_changed()));
  if (keys.includes("settings") || keys.includes("rules")) {
    run("settings", () => refreshModule().then(() => refresher.settings_changed()));
  }
});

// A click on a notification of new entries opens where it goes (the popup, or a tab).
chrome.notifications?.onClicked.addListener((id) =>
  run("notification", () => refreshModule().then(() => refresher.notification_clicked(id))));

// Only the extension's own pages may ask: content scripts (discover.js runs in web pages)
// share the extension's id but not its origin.
const ORIGIN = new URL(chrome.runtime.getURL("/")).origin;
function fromOurPages(sender) {
  if (sender.id !== chrome.runtime.id) return false;
  try {
    return new URL(sender.url ?? "").origin === ORIGIN;
  } catch {
    return false;
  }
}

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (!fromOurPages(sender)) return false;
  keptAlive(
    ready
      .then(() => hot.on_message(message))
      .then((answer) => answer ?? refreshModule().then(() => refresher.refresher_on_message(message))),
  )
    .then(sendResponse, (error) => sendResponse({ type: "error", message: String(error?.message ?? error) }));
  return true; // the answer comes asynchronously
});

// The storage areas are the extension's own: content scripts may not read or write them.
for (const area of [chrome.storage.local, chrome.storage.sync]) {
  area.setAccessLevel?.({ accessLevel: "TRUSTED_CONTEXTS" })?.catch?.(() => {});
}

// Even with no event pending, a started worker puts the badge right (done by `start`).
run("start", () => undefined);
