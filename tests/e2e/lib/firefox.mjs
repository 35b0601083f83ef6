// The Firefox driver (see driver.mjs): Debian's firefox-esr, headless, driven by
// puppeteer-core over WebDriver BiDi, with the extension installed as a temporary add-on.
// How and why, step by step: ../shared/docs/FIREFOX-NOTES.md.
//
// What Firefox's remote agent does not offer, and what this does instead:
// - Extension pages send no navigation events, so `page.goto` cannot open them: they are
//   opened with BiDi `browsingContext.navigate(url, "none")` and polled until loaded (this
//   needs `--remote-allow-system-access`).
// - The background (an event page) is not a BiDi context, and the toolbar popup panel is
//   not reachable at all: the background is stopped and inspected from chrome-scope script
//   (`WebExtensionPolicy`), and the popup is popup.html in a tab.
// - `page.on("console")` hears nothing from extension pages: the extension's console goes
//   to Firefox's stdout (`devtools.console.stdout.content`), which is read for errors.
// Two lines reach into puppeteer internals (`frame.browsingContext`, `…browser.session`):
// check them when upgrading puppeteer-core (pinned in package.json).
import puppeteer from "puppeteer-core";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Driver, View, sleep } from "./driver.mjs";
export { testBuild, ROOT, DIST } from "./extension.mjs";

export const NAME = "firefox";
const FIREFOX = process.env.FIREFOX ?? "/usr/bin/firefox-esr";
const launched = [];

/** The extension's errors in every Firefox this process launched (see `errors()`). */
export function errorsSeen() {
  return launched.flatMap((ext) => ext.errors());
}

/**
 * Start Firefox with the extension in `extDir` installed, in a fresh (or given) profile.
 * `prefs` are set on top of the ones below (an idle timeout for the event page, say);
 * `timezone`: the user's time zone (the browser's `TZ`).
 */
export async function launch(extDir, { profile, prefs = {}, timezone } = {}) {
  const manifest = JSON.parse(readFileSync(path.join(extDir, "manifest.json"), "utf8"));
  const id = manifest.browser_specific_settings.gecko.id;
  const uuid = crypto.randomUUID();
  const userDataDir = profile ?? mkdtempSync(path.join(tmpdir(), "planet-reader-firefox-"));
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX,
    headless: true,
    userDataDir,
    // Without it Firefox refuses to navigate a tab to a moz-extension:// page.
    args: ["--remote-allow-system-access"],
    timeout: 60_000,
    protocolTimeout: 60_000,
    ...(timezone ? { env: { ...process.env, TZ: timezone } } : {}),
    defaultViewport: { width: 380, height: 600 },
    extraPrefsFirefox: {
      // The extension's pages at a known host (moz-extension://<uuid>/).
      "extensions.webextensions.uuids": JSON.stringify({ [id]: uuid }),
      // The extension's console.* on stdout: the only way to see its errors.
      "devtools.console.stdout.content": true,
      // permissions.request from a click resolves without a doorhanger (headless has no UI).
      "extensions.webextOptionalPermissionPrompts": false,
      // Manifest host_permissions granted at install (Firefox's default, made explicit).
      "extensions.originControls.grantByDefault": true,
      // Nothing leaves the machine: every proxied request goes to a closed port (9), and
      // 127.0.0.1 is never proxied.
      "network.proxy.type": 1,
      "network.proxy.http": "127.0.0.1",
      "network.proxy.http_port": 9,
      "network.proxy.ssl": "127.0.0.1",
      "network.proxy.ssl_port": 9,
      "network.proxy.allow_hijacking_localhost": false,
      ...prefs,
    },
  });
  const lines = [];
  let partial = "";
  browser.process()?.stdout.on("data", (chunk) => {
    const text = partial + chunk.toString();
    const all = text.split("\n");
    partial = all.pop();
    lines.push(...all);
    if (process.env.E2E_DEBUG) for (const l of all) if (l.includes("moz-extension") || l.startsWith("console.")) console.log(`[firefox] ${l}`);
  });
  await browser.installExtension(extDir);
  const ext = new FirefoxExtension(browser, id, uuid, lines, userDataDir, profile === undefined);
  launched.push(ext);
  // The event page has started and run `start` once the badge is set or the first refresh
  // is under way; wait for it to be running, as Chromium's driver waits for the worker.
  await ext.until(() => ext.backgroundState(), (s) => s === "running", { what: "the event page to start", timeout: 30_000 });
  return ext;
}

export class FirefoxExtension extends Driver {
  constructor(browser, id, uuid, lines, userDataDir, ownsProfile) {
    super(id, userDataDir, ownsProfile);
    this.browser = browser;
    this.uuid = uuid;
    this.lines = lines;
  }

  get name() {
    return NAME;
  }

  url(file) {
    return `moz-extension://${this.uuid}/${file}`;
  }

  /** A new tab at the extension's `file`, once loaded (see the top of this file). */
  async openPage(file) {
    const page = await this.browser.newPage();
    const url = this.url(file);
    await page.mainFrame().browsingContext.navigate(url, "none"); // puppeteer internals
    for (const end = Date.now() + 20_000; ; await sleep(50)) {
      const state = await page.evaluate(() => [location.href, document.readyState]).catch(() => null);
      if (state?.[0] === url && state[1] === "complete") return page;
      if (Date.now() > end) throw new Error(`${url} did not load (last: ${JSON.stringify(state)})`);
    }
  }

  /** The extension's manifest.json in a tab: its APIs, none of its code. */
  async probe() {
    if (!this._probe || this._probe.isClosed()) this._probe = await this.openPage("manifest.json");
    return this._probe;
  }

  async view(file) {
    return new View(await this.openPage(file));
  }

  /** The popup page in a tab (the toolbar panel cannot be reached). */
  async openPopup() {
    return this.popup();
  }

  async tab(url) {
    const page = await this.browser.newPage();
    await page.goto(url);
    return new View(page);
  }

  /**
   * `url` as the current tab with the popup over it. Firefox's toolbar panel cannot be
   * reached from a test, so popup.html opens in a tab first and the site's tab is brought
   * to the front after it: the popup's `tabs.query({active: true, currentWindow: true})`
   * finds the site, and clicks in the popup's (background) tab are still user input.
   */
  async popupOver(url) {
    const popup = await this.popup();
    const tab = await this.tab(url);
    await tab.bringToFront();
    return { tab, popup };
  }

  /**
   * Run `action`, which opens a tab; that tab's address and whether it can reach the page
   * that opened it (`window.opener`).
   */
  async openedTab(action) {
    const before = new Set(await this.browser.pages());
    await action();
    const tab = await this.until(
      async () => (await this.browser.pages()).find((p) => !before.has(p) && p.url() !== "about:blank"),
      Boolean,
      { what: "a new tab" },
    );
    // No test reaches the internet: the tab shows the proxy's refusal, with the address it
    // was opened at as its `u` parameter.
    const refused = tab.url().match(/^about:neterror\?(?:.*&)?u=([^&]*)/);
    const url = refused ? decodeURIComponent(refused[1]) : tab.url();
    const hasOpener = await tab.evaluate(() => window.opener !== null);
    return { url, hasOpener, close: () => tab.close() };
  }

  /** `expression` evaluated in the browser's chrome scope (browser.xhtml); its value. */
  async chromeEval(expression) {
    const page = await this.probe();
    const session = page.mainFrame().browsingContext.userContext.browser.session; // puppeteer internals
    const { result: tree } = await session.send("browsingContext.getTree", { "moz:scope": "chrome" });
    const { result } = await session.send("script.evaluate", {
      target: { context: tree.contexts[0].context },
      expression,
      awaitPromise: true,
    });
    if (result.type === "exception") throw new Error(`chrome scope: ${result.exceptionDetails.text}`);
    return result.result.value;
  }

  /** "running", "stopped", "starting", "suspending" (the event page's state). */
  backgroundState() {
    return this.chromeEval(`String(WebExtensionPolicy.getByID(${JSON.stringify(this.id)}).extension.backgroundState)`);
  }

  async backgroundRunning() {
    return (await this.backgroundState()) === "running";
  }

  /**
   * Stop the event page, as Firefox does once it is idle (about:debugging's "Terminate"),
   * whether or not something is pending in it.
   */
  async stopWorker() {
    // An event pending (a sync change from the other profile, say) may start the page again
    // before it is seen stopped: asked again, up to three times.
    const terminate = () =>
      this.chromeEval(`WebExtensionPolicy.getByID(${JSON.stringify(this.id)}).extension
      .terminateBackground({ ignoreDevToolsAttached: true, disableResetIdleForTest: true }).then(() => "")`);
    await this.askUntil(terminate, () => this.backgroundState(), (s) => s === "stopped", { what: "the event page to stop" });
  }

  /**
   * The extension's errors Firefox printed: its pages' console.error calls, printed with
   * their first argument as a value (`console.error: "text" …`, `console.error: (new
   * Error(…`), and its uncaught errors. Not the browser's own: those are printed with a
   * prefix (`console.error: RSLoader: …`) or come from chrome:// and resource:// code (the
   * remote agent logs a few on every run).
   */
  errors() {
    return this.lines.filter((l) =>
      (/^console\.error: ["(]/.test(l) && !/chrome:\/\/|resource:\/\//.test(l)) || l.startsWith("JavaScript error: moz-extension://"));
  }

  closeBrowser() {
    return this.browser.close();
  }
}
