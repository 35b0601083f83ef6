// Load the built extension (dist/) into Debian's Chromium with Playwright, as a person would
// use it, and reach into the browser the way the tests need to: the badge, the alarm, the
// service worker's life.
import { chromium } from "playwright-core";
import { openRealPopup } from "./real-popup.mjs";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const DIST = path.join(ROOT, "dist");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

/**
 * A manifest "key" for tests that need a known extension id (the migration test's profile
 * fixture holds storage under that id). The key pair is a test fixture of this repository,
 * not the published extension's.
 */
export const TEST_KEY = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAo3Mo6ywhnazoARgyqDxlZ0oafnB7wQNjTbVSRRSeF3bxnE8E19MS72CsXe5m8oEG02wtLmCxLy54FtD0uA+of+3Eqeh/jWPwfFyx7mvLULZoC/ncj9PC5eiZa/fvwLGTm6zhn5T27B7YsMsLped3ngIyMxJ46ke6X/w8oXIm+GLitmKAe/Iz5yLO8lvRD5/qOLtSW9Qv1w6ttlYkm14cDpASlItk9stZt9ekmeHyLduodg4hoIxs2eSK7asnw0FOBqrzae76e4CU9J2Scxs0biCsN5XmcZ1q8iRnfjk3di5jUUa3RVpQEZQGQGAGt3PhP6pt9hcbReYBSnNyivRawwIDAQAB";
export const TEST_ID = "gaaljpibppbejjkimhmeppobddbiheji";

/**
 * A copy of dist/ for a test: its config.js is `config` (`defaultFeeds`, and limits such as
 * `timeoutMs`, `maxBytes`), and its
 * manifest grants 127.0.0.1 (the fixture server). The wasm and code are dist/'s, byte for
 * byte; nothing of this copy ships.
 */
export function testBuild(config) {
  const dir = mkdtempSync(path.join(tmpdir(), "planet-reader-ext-"));
  cpSync(DIST, dir, { recursive: true });
  writeFileSync(
    path.join(dir, "config.js"),
    `export const CONFIG = ${JSON.stringify(config)};\n`,
  );
  const manifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8"));
  manifest.host_permissions = [...manifest.host_permissions, "http://127.0.0.1/*"];
  writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest, null, 2));
  return dir;
}

/** Start Chromium with the extension in `extDir` loaded, in a fresh (or given) profile. */
export async function launch(extDir, { profile } = {}) {
  const userDataDir = profile ?? mkdtempSync(path.join(tmpdir(), "planet-reader-profile-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 380, height: 600 },
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
      // Nothing leaves the machine: every host but the fixture server fails to resolve.
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
      `--disable-extensions-except=${extDir}`,
      `--load-extension=${extDir}`,
    ],
  });
  let [worker] = context.serviceWorkers();
  if (!worker) worker = await context.waitForEvent("serviceworker", { timeout: 30_000 });
  const id = new URL(worker.url()).host;
  if (process.env.E2E_DEBUG) {
    const watch = (w) => w.on("console", (m) => console.log(`[worker ${id.slice(0, 4)}] ${m.type()}: ${m.text()}`));
    watch(worker);
    context.on("serviceworker", watch);
  }
  const ext = new Extension(context, id, userDataDir, profile === undefined);
  return ext;
}

export class Extension {
  constructor(context, id, userDataDir, ownsProfile) {
    this.context = context;
    this.id = id;
    this.userDataDir = userDataDir;
    this.ownsProfile = ownsProfile;
    this._probe = null;
  }

  url(file) {
    return `chrome-extension://${this.id}/${file}`;
  }

  /**
   * An extension page that runs none of the extension's code: it has the chrome.* APIs, so
   * tests read the badge and storage through it without waking the worker.
   */
  async probe() {
    if (!this._probe || this._probe.isClosed()) {
      this._probe = await this.context.newPage();
      await this._probe.goto(this.url("manifest.json"));
    }
    return this._probe;
  }

  async badge() {
    return (await this.probe()).evaluate(() => chrome.action.getBadgeText({}));
  }

  async setBadge(text) {
    return (await this.probe()).evaluate((text) => chrome.action.setBadgeText({ text }), text);
  }

  async storage() {
    return (await this.probe()).evaluate(() => chrome.storage.local.get(null));
  }

  /**
   * Every record of one of the library's IndexedDB stores ("entries", "html", "search",
   * "feeds"), read from the probe page (the same origin as the worker). The probe never
   * creates the database: an open that would create it is rolled back.
   */
  async library(store) {
    return (await this.probe()).evaluate(libraryRecords, store);
  }

  /** Forget every feed's backoff (`retry_at`) in the library, as if it had passed. */
  async clearBackoff() {
    return (await this.probe()).evaluate(clearFeedBackoff);
  }

  /**
   * Let time pass: make every feed due now, as it is when its refresh interval has gone by
   * (the browser's clock cannot be moved; the check times in storage.session can). Waits the
   * server asked for (Retry-After, backoff: `retry_at`) stay unless `failures` is set.
   */
  async makeDue({ failures = false } = {}) {
    await (await this.probe()).evaluate(() => chrome.storage.session.clear());
    if (failures) await this.clearBackoff();
  }

  /** Send a protocol request to the worker, as the popup does. */
  async request(message) {
    return (await this.probe()).evaluate((m) => chrome.runtime.sendMessage(m), message);
  }

  /** Every storage.local change from now on, counted by key, until `stop()`. */
  async watchWrites() {
    const page = await this.probe();
    await page.evaluate(() => {
      globalThis.__writes = [];
      globalThis.__watch = (changes, area) => {
        if (area === "local") globalThis.__writes.push(...Object.keys(changes));
      };
      chrome.storage.onChanged.addListener(globalThis.__watch);
    });
    return {
      stop: () => page.evaluate(() => {
        chrome.storage.onChanged.removeListener(globalThis.__watch);
        return globalThis.__writes;
      }),
    };
  }

  /**
   * Every change the worker announces to the extension's pages (its BroadcastChannel),
   * from now on, until `stop()`.
   */
  async watchChanges() {
    const page = await this.probe();
    await page.evaluate(() => {
      globalThis.__changes = [];
      globalThis.__channel = new BroadcastChannel("planet-reader");
      globalThis.__channel.onmessage = (e) => globalThis.__changes.push(e.data);
    });
    return {
      stop: () => page.evaluate(() => {
        globalThis.__channel.close();
        return globalThis.__changes;
      }),
    };
  }

  /** Make the refresh alarm fire now, as the browser does when it is due. */
  async fireAlarm() {
    await (await this.probe()).evaluate(() => chrome.alarms.create("refresh", { when: Date.now() }));
  }

  async alarm() {
    return (await this.probe()).evaluate(() => chrome.alarms.get("refresh"));
  }

  /** Wait until `read()` returns something `ok` accepts; return it. */
  async until(read, ok, { timeout = 20_000, what = "condition" } = {}) {
    const end = Date.now() + timeout;
    let last;
    while (Date.now() < end) {
      last = await read();
      if (ok(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
  }

  async badgeBecomes(text, options = {}) {
    return this.until(() => this.badge(), (b) => b === text, { what: `badge "${text}"`, ...options });
  }

  /** Open the popup page in a tab (the popup's own document, at popup size). */
  async openPopup() {
    const page = await this.context.newPage();
    await page.setViewportSize({ width: 380, height: 600 });
    await page.goto(this.url("popup.html"));
    await page.waitForSelector("header");
    return page;
  }

  /**
   * Open `url` in a tab, make it the active tab, and open the real toolbar popup over it
   * (chrome.action.openPopup), as a click on the toolbar button does.
   */
  async popupOver(url) {
    const tab = await this.context.newPage();
    await tab.goto(url);
    const popup = await openRealPopup(this, tab);
    return { tab, popup };
  }

  /** Stop the extension's service worker, as the browser does after 30 s idle. */
  async stopWorker() {
    const page = await this.probe();
    const cdp = await this.context.newCDPSession(page);
    // The ServiceWorker domain reports each worker version's running status; wait until this
    // extension's worker is reported stopped (stopAllWorkers may answer before it is).
    const versions = new Map();
    cdp.on("ServiceWorker.workerVersionUpdated", ({ versions: updated }) => {
      for (const v of updated) if (v.scriptURL.includes(this.id)) versions.set(v.versionId, v.runningStatus);
    });
    await cdp.send("ServiceWorker.enable");
    await cdp.send("ServiceWorker.stopAllWorkers");
    await this.until(
      () => [...versions.values()],
      (statuses) => statuses.length > 0 && statuses.every((s) => s === "stopped"),
      { what: "the worker to be stopped" },
    );
    await cdp.detach();
  }

  async close() {
    await this.context.close();
    if (this.ownsProfile) rmSync(this.userDataDir, { recursive: true, force: true });
  }
}

/** Runs in an extension page: every record of `store` in the library's database. */
async function libraryRecords(store) {
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open("planet-reader");
    open.onupgradeneeded = () => open.transaction.abort(); // not there yet: create nothing
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => (open.error?.name === "AbortError" ? resolve(null) : reject(open.error));
  });
  if (!db) return [];
  try {
    return await new Promise((resolve, reject) => {
      const req = db.transaction(store).objectStore(store).getAll();
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  } finally {
    db.close();
  }
}

/** Runs in an extension page: every feed record's `retry_at` set to 0. */
async function clearFeedBackoff() {
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open("planet-reader");
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  try {
    await new Promise((resolve, reject) => {
      const txn = db.transaction("feeds", "readwrite");
      const store = txn.objectStore("feeds");
      const req = store.getAll();
      req.onsuccess = () => {
        for (const record of req.result) {
          if (!record.state?.retry_at) continue;
          record.state.retry_at = 0;
          store.put(record);
        }
      };
      txn.oncomplete = resolve;
      txn.onerror = () => reject(txn.error);
    });
  } finally {
    db.close();
  }
}
