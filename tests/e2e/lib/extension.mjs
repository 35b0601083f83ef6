// The Chromium driver (see driver.mjs): load the built extension (dist/) into Debian's
// Chromium with Playwright, as a person would use it, and reach into the browser the way the
// tests need to: the badge, the alarm, the service worker's life, the real toolbar popup.
import { chromium } from "playwright-core";
import { openRealPopup } from "./real-popup.mjs";
import { Driver, View } from "./driver.mjs";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const DIST = path.join(ROOT, "dist");
export const NAME = "chromium";
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

/**
 * A manifest "key" for tests that need a known extension id (the migration test's profile
 * fixture holds storage under that id). The key pair is a test fixture of this repository,
 * not the published extension's.
 */
export const TEST_KEY = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAo3Mo6ywhnazoARgyqDxlZ0oafnB7wQNjTbVSRRSeF3bxnE8E19MS72CsXe5m8oEG02wtLmCxLy54FtD0uA+of+3Eqeh/jWPwfFyx7mvLULZoC/ncj9PC5eiZa/fvwLGTm6zhn5T27B7YsMsLped3ngIyMxJ46ke6X/w8oXIm+GLitmKAe/Iz5yLO8lvRD5/qOLtSW9Qv1w6ttlYkm14cDpASlItk9stZt9ekmeHyLduodg4hoIxs2eSK7asnw0FOBqrzae76e4CU9J2Scxs0biCsN5XmcZ1q8iRnfjk3di5jUUa3RVpQEZQGQGAGt3PhP6pt9hcbReYBSnNyivRawwIDAQAB";
export const TEST_ID = "gaaljpibppbejjkimhmeppobddbiheji";

/**
 * A copy of dist/ (or of the unpacked extension `from`) for a test: its config.js is
 * `config` (`defaultFeeds`, and limits such as `timeoutMs`, `maxBytes`), and its
 * manifest grants 127.0.0.1 (the fixture server), and has `key` when given (a known
 * extension id: TEST_KEY). The wasm and code are dist/'s, byte for byte; nothing of this
 * copy ships.
 */
export function testBuild(config, { from = DIST, key } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), "planet-reader-ext-"));
  cpSync(from, dir, { recursive: true });
  writeFileSync(
    path.join(dir, "config.js"),
    `export const CONFIG = ${JSON.stringify(config)};\n`,
  );
  const manifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8"));
  manifest.host_permissions = [...manifest.host_permissions, "http://127.0.0.1/*"];
  if (key) manifest.key = key;
  writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest, null, 2));
  return dir;
}

/**
 * Start Chromium with the extension in `extDir` loaded, in a fresh (or given) profile;
 * `alongside`: more unpacked extensions to load beside it (a benchmark's baseline);
 * `timezone`: the user's time zone (the browser's `TZ`).
 */
export async function launch(extDir, { profile, alongside = [], timezone } = {}) {
  const userDataDir = profile ?? mkdtempSync(path.join(tmpdir(), "planet-reader-profile-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    ...(timezone ? { env: { ...process.env, TZ: timezone } } : {}),
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
      `--disable-extensions-except=${[extDir, ...alongside].join(",")}`,
      `--load-extension=${[extDir, ...alongside].join(",")}`,
    ],
  });
  // Ours is the worker named background.js (an extension alongside names its own otherwise).
  const ours = (w) => w.url().endsWith("/background.js");
  let worker = context.serviceWorkers().find(ours);
  while (!worker) {
    const w = await context.waitForEvent("serviceworker", { timeout: 30_000 });
    if (ours(w)) worker = w;
  }
  const id = new URL(worker.url()).host;
  if (process.env.E2E_DEBUG) {
    const watch = (w) => w.on("console", (m) => console.log(`[worker ${id.slice(0, 4)}] ${m.type()}: ${m.text()}`));
    watch(worker);
    context.on("serviceworker", watch);
  }
  const ext = new Extension(context, id, userDataDir, profile === undefined);
  return ext;
}

export class Extension extends Driver {
  constructor(context, id, userDataDir, ownsProfile) {
    super(id, userDataDir, ownsProfile);
    this.context = context;
  }

  get name() {
    return NAME;
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

  /** Open the popup page in a tab (the popup's own document, at popup size): a Playwright Page. */
  async openPopup() {
    const page = await this.context.newPage();
    await page.setViewportSize({ width: 380, height: 600 });
    await page.goto(this.url("popup.html"));
    await page.waitForSelector("header");
    return page;
  }

  /** The extension's `file` in a tab, as a View. */
  async view(file) {
    const page = await this.context.newPage();
    await page.setViewportSize({ width: 380, height: 600 });
    await page.goto(this.url(file));
    return new View(page);
  }

  /** A web page in a tab, as a View. */
  async tab(url) {
    const page = await this.context.newPage();
    await page.goto(url);
    return new View(page);
  }

  /**
   * Open `url` in a tab, make it the active tab, and open the real toolbar popup over it
   * (chrome.action.openPopup), as a click on the toolbar button does. `tab` is a Playwright
   * Page, `popup` a View.
   */
  async popupOver(url) {
    const tab = await this.context.newPage();
    await tab.goto(url);
    const popup = await openRealPopup(this, tab);
    return { tab, popup };
  }

  /**
   * Run `action`, which opens a tab; that tab's address and whether it can reach the page
   * that opened it (`window.opener`).
   */
  async openedTab(action) {
    const opened = this.context.waitForEvent("page");
    await action();
    const tab = await opened;
    await tab.waitForLoadState("commit").catch(() => {});
    // The tab's target names the address it was opened at (the page itself is an error
    // page: no test reaches the internet).
    const { targetInfo } = await (await this.context.newCDPSession(tab)).send("Target.getTargetInfo");
    return { url: targetInfo.url, hasOpener: targetInfo.canAccessOpener, close: () => tab.close() };
  }

  async backgroundRunning() {
    const page = await this.probe();
    const cdp = await this.context.newCDPSession(page);
    try {
      // The domain reports every worker version when enabled; none of ours: not running.
      const running = new Promise((resolve) => {
        cdp.on("ServiceWorker.workerVersionUpdated", ({ versions }) => {
          const mine = versions.filter((v) => v.scriptURL.includes(this.id));
          if (mine.length) resolve(mine.some((v) => v.runningStatus === "running"));
        });
        setTimeout(() => resolve(false), 5_000);
      });
      await cdp.send("ServiceWorker.enable");
      return await running;
    } finally {
      await cdp.detach();
    }
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
    const stopped = (statuses) => statuses.length > 0 && statuses.every((s) => s === "stopped");
    // A worker busy with a burst of fetches may start again before it is reported stopped
    // (a pending event restarts it): asked again, up to three times.
    try {
      await this.askUntil(() => cdp.send("ServiceWorker.stopAllWorkers"), () => [...versions.values()], stopped, {
        what: "the worker to be stopped",
      });
    } finally {
      await cdp.detach();
    }
  }

  /** Console errors of the extension (Chromium's driver does not collect them). */
  errors() {
    return [];
  }

  closeBrowser() {
    return this.context.close();
  }
}
