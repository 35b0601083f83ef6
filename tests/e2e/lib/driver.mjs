// What an end-to-end test needs of a browser with the extension loaded, whichever browser it
// is. Two drivers implement it: lib/extension.mjs (Chromium, through Playwright) and
// lib/firefox.mjs (Firefox, through puppeteer-core over WebDriver BiDi). The shared cases in
// cases/ are written against this interface only, so they run on both.
//
// A driver module exports
//   NAME                         "chromium" or "firefox"
//   launch(extDir, { profile })  start the browser with the extension in `extDir` installed
//                                (a fresh profile unless one is given) → a Driver
//   testBuild(config)            a copy of dist/ for a test (see extension.mjs)
//
// and its Driver subclass implements
//   name                         NAME
//   url(file)                    the extension's URL of `file`
//   probe()                      an extension page that runs none of the extension's code
//                                (manifest.json in a tab: the extension APIs, without
//                                waking the background), as the driver's own page
//   view(file)                   an extension page (popup.html: the popup's own document)
//                                opened in a tab, as a View
//   tab(url)                     a web page in a tab, as a View
//   popupOver(url)               { tab, popup }: `url` in the current tab (a page with
//                                `close()`) and the popup over it, a View (Chromium: the
//                                real toolbar popup; Firefox cannot reach the toolbar
//                                panel, so popup.html in a tab behind the site's, which
//                                stays the current tab)
//   stopWorker()                 stop the background (service worker, event page) as the
//                                browser does when it is idle, and wait until it is stopped
//   backgroundRunning()          whether the background runs now
//   openedTab(action)            { url, hasOpener, close } of the tab `action` opens
//   errors()                     the extension's console errors seen (Firefox only)
//   closeBrowser()
//
// and inherits from Driver `probeEval(fn, arg)` (fn(arg) in the probe page), `close()`,
// `popup()` (popup.html as a View, once rendered) and everything built on probeEval: the
// badge, protocol requests,
// alarms, the clock of the feeds, storage.sync, and the one door to stored data
// (`storage()`, `library(store)`, `storedFeeds()`, `watchChanges()`): cases look at storage
// only through these, so a change of storage layout is made here once.

import { rmSync } from "node:fs";

/**
 * A page, driven the same way in both browsers. `page` is the driver's own page (a
 * Playwright or a puppeteer Page: both have these `evaluate`, `click`, `screenshot`,
 * `bringToFront` and `close`). Everything here goes through `eval` and `clickOn`, so a page
 * reached another way (Chromium's toolbar popup, over CDP) is a View too.
 */
export class View {
  constructor(page) {
    this.page = page;
  }

  /** `fn(arg)` in the page; its (JSON) result. */
  eval(fn, arg = null) {
    return this.page.evaluate(fn, arg);
  }

  /** A mouse click on the element `selector` names (one element). */
  clickOn(selector) {
    return this.page.click(selector);
  }

  /** Poll `fn(arg)` in the page until it returns something truthy; return it. */
  async waitFor(fn, arg = null, { timeout = 20_000, what = "a condition" } = {}) {
    const end = Date.now() + timeout;
    let last;
    while (Date.now() < end) {
      try {
        last = await this.eval(fn, arg);
        if (last) return last;
      } catch (error) {
        last = `(${error.message})`; // the page is still loading, or navigating
      }
      await sleep(100);
    }
    throw new Error(`timed out in the page waiting for ${what}; last: ${JSON.stringify(last)}`);
  }

  /** The text of every element matching `selector`. */
  texts(selector) {
    return this.eval((s) => [...document.querySelectorAll(s)].map((e) => e.textContent), selector);
  }

  /** The text of the first element matching `selector` (waits for one). */
  async text(selector) {
    await this.waitForSelector(selector);
    return this.eval((s) => document.querySelector(s).textContent, selector);
  }

  count(selector) {
    return this.eval((s) => document.querySelectorAll(s).length, selector);
  }

  /** Wait until `selector` matches exactly `n` elements. */
  async countBecomes(selector, n, options = {}) {
    await this.waitFor(([s, n]) => document.querySelectorAll(s).length === n, [selector, n], { what: `${n} × ${selector}`, ...options });
  }

  /** Wait until an element matches `selector` (and holds `text`, if given). */
  async waitForSelector(selector, { text, ...options } = {}) {
    await this.waitFor(find, { selector, text }, { what: text ? `${selector} with "${text}"` : selector, ...options });
  }

  /**
   * Click, with the mouse (a user gesture), the first enabled, visible element matching
   * `selector` (and containing `text`, if given).
   */
  async click(selector, { text } = {}) {
    const target = await this.waitFor(mark, { selector, text }, { what: `${selector}${text ? ` "${text}"` : ""} to be clickable` });
    await this.clickOn(`[data-e2e-click="${target}"]`);
  }

  /** Type `value` into the input matching `selector`, as input events. */
  async fill(selector, value) {
    await this.waitForSelector(selector);
    await this.eval(([s, v]) => {
      const input = document.querySelector(s);
      input.focus();
      input.value = v;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }, [selector, value]);
  }

  /**
   * Choose the option labelled `label` (or whose value is `value`, or at `index`) in the
   * `<select>` matching `selector`.
   */
  async select(selector, { label, value, index }) {
    await this.waitForSelector(selector);
    const chosen = await this.eval(([s, label, value, index]) => {
      const select = document.querySelector(s);
      const options = [...select.options];
      const option = label !== null ? options.find((o) => o.textContent === label)
        : value !== null ? options.find((o) => o.value === value) : select.options[index];
      if (!option) return false;
      select.value = option.value;
      select.dispatchEvent(new Event("input", { bubbles: true }));
      select.dispatchEvent(new Event("change", { bubbles: true }));
      return true;
    }, [selector, label ?? null, value ?? null, index ?? 0]);
    if (!chosen) throw new Error(`no option ${label ?? value ?? index} in ${selector}`);
  }

  /** Press `key` on the keyboard ("Tab", "ArrowDown", " "…), as the user does. */
  press(key) {
    return this.page.keyboard.press(key);
  }

  /** Evaluate the script `source` (a whole file, such as axe-core) in the page. */
  evalSource(source) {
    return this.page.evaluate(source);
  }

  /**
   * Press `key` as the keyboard does ("j", "ArrowDown", "Enter", "Escape", "Shift+A", "?"),
   * with the focus where it is.
   */
  press(key) {
    return this.page.keyboard.press(key);
  }

  /** Emulate media features: `{ colorScheme: "dark" | "light", forcedColors: "active" | "none" }`. */
  async emulate({ colorScheme = "light", forcedColors = "none" } = {}) {
    if (this.page.emulateMedia) return this.page.emulateMedia({ colorScheme, forcedColors });
    return this.page.emulateMediaFeatures([
      { name: "prefers-color-scheme", value: colorScheme },
      { name: "forced-colors", value: forcedColors },
    ]);
  }

  /** Resize the page's viewport (CSS px). */
  setViewport(width, height) {
    return this.page.setViewportSize ? this.page.setViewportSize({ width, height }) : this.page.setViewport({ width, height });
  }

  title() {
    return this.eval(() => document.title);
  }

  screenshot(file) {
    return this.page.screenshot({ path: file });
  }

  bringToFront() {
    return this.page.bringToFront();
  }

  close() {
    return this.page.close();
  }
}

// In the page: the first element matching `selector` (and holding `text`), if any.
function find({ selector, text }) {
  return [...document.querySelectorAll(selector)].some((e) => text == null || e.textContent.includes(text));
}

// In the page: tag the element to click with a fresh id (so the driver's own click, which
// takes a selector, hits exactly it), once it is enabled and has a box.
function mark({ selector, text }) {
  const el = [...document.querySelectorAll(selector)].find((e) => text == null || e.textContent.includes(text));
  if (!el || el.disabled) return null;
  el.scrollIntoView({ block: "center" });
  const r = el.getBoundingClientRect();
  if (!r.width || !r.height) return null;
  const id = String(Math.random()).slice(2);
  el.dataset.e2eClick = id;
  return id;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class Driver {
  /** The extension `id`, in a profile at `userDataDir` (removed on close if `ownsProfile`). */
  constructor(id, userDataDir, ownsProfile) {
    this.id = id;
    this.userDataDir = userDataDir;
    this.ownsProfile = ownsProfile;
    this._probe = null;
  }

  /** `fn(arg)` in the probe page (the driver's `probe()`: manifest.json in a tab). */
  async probeEval(fn, arg = null) {
    return (await this.probe()).evaluate(fn, arg);
  }

  /** Close the browser (the driver's `closeBrowser()`) and remove a profile of its own. */
  async close() {
    await this.closeBrowser();
    // Retried: a browser that has just exited may still be writing into its profile.
    if (this.ownsProfile) rmSync(this.userDataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }

  /**
   * `ask()`, then wait until `read()` returns something `ok` accepts, and return it; ask
   * again, `times` in all, when that does not come within `timeout`. A background busy
   * with a burst of events may start again before it is seen stopped.
   */
  async askUntil(ask, read, ok, { times = 3, timeout = 8_000, what = "condition" } = {}) {
    for (let attempt = 1; ; attempt++) {
      await ask();
      try {
        return await this.until(read, ok, { timeout, what });
      } catch (error) {
        if (attempt === times) throw error;
      }
    }
  }

  /** Wait until `read()` returns something `ok` accepts; return it. */
  async until(read, ok, { timeout = 20_000, what = "condition" } = {}) {
    const end = Date.now() + timeout;
    let last;
    while (Date.now() < end) {
      last = await read();
      if (ok(last)) return last;
      await sleep(100);
    }
    throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
  }

  async badge() {
    return this.probeEval(() => chrome.action.getBadgeText({}));
  }

  async setBadge(text) {
    return this.probeEval((text) => chrome.action.setBadgeText({ text }), text);
  }

  async badgeBecomes(text, options = {}) {
    return this.until(() => this.badge(), (b) => b === text, { what: `badge "${text}"`, ...options });
  }

  /** Send a protocol request to the background, as the popup does. */
  async request(message) {
    return this.probeEval((m) => chrome.runtime.sendMessage(m), message);
  }

  /** Everything in `storage.local`. Cases look at stored data only through this module. */
  async storage() {
    return this.probeEval(() => chrome.storage.local.get(null));
  }

  /**
   * Every record of one of the library's IndexedDB stores ("entries", "html", "search",
   * "feeds"), read in the probe page (the worker's origin). The probe never creates the
   * database: an open that would create it is rolled back.
   */
  async library(store) {
    return this.probeEval(libraryRecords, store);
  }

  /** The feeds that have entries stored. */
  async storedFeeds() {
    const records = await this.library("entries");
    return [...new Set(records.filter((r) => r.e).map((r) => r.k[0]))];
  }

  /**
   * Let time pass: make every feed due now, as it is when its refresh interval has gone by
   * (the browser's clock cannot be moved; the check times in storage.session can). Waits the
   * server asked for (Retry-After, backoff: `retry_at`) stay unless `failures` is set.
   */
  async makeDue({ failures = false } = {}) {
    await this.probeEval(() => chrome.storage.session.clear());
    if (failures) await this.probeEval(clearFeedBackoff);
  }

  /**
   * Every change the background announces to the extension's pages (its BroadcastChannel),
   * from now on, until `stop()`.
   */
  async watchChanges() {
    await this.probeEval(() => {
      globalThis.__changes = [];
      globalThis.__channel = new BroadcastChannel("planet-reader");
      globalThis.__channel.onmessage = (e) => globalThis.__changes.push(e.data);
    });
    return {
      stop: () => this.probeEval(() => {
        globalThis.__channel.close();
        return globalThis.__changes;
      }),
    };
  }

  /** Every storage.local change from now on, counted by key, until `stop()`. */
  async watchWrites() {
    await this.probeEval(() => {
      globalThis.__writes = [];
      globalThis.__watch = (changes, area) => {
        if (area === "local") globalThis.__writes.push(...Object.keys(changes));
      };
      chrome.storage.onChanged.addListener(globalThis.__watch);
    });
    return {
      stop: () => this.probeEval(() => {
        chrome.storage.onChanged.removeListener(globalThis.__watch);
        return globalThis.__writes;
      }),
    };
  }

  /**
   * From now on, remember the extension's notifications that close, for `notifications()`:
   * headless Firefox has no alert service, so it closes each notification as soon as it is
   * created (getAll lists it for a moment, then onClosed fires); Chromium keeps them.
   */
  async watchNotifications() {
    await this.probeEval(() => {
      globalThis.__closedNotifications = [];
      chrome.notifications.onClosed.addListener((id) => globalThis.__closedNotifications.push(id));
    });
  }

  /**
   * The extension's notifications now shown: id → what the browser says of each; and,
   * after `watchNotifications()`, those created and closed since: id → "closed".
   */
  async notifications() {
    return this.probeEval(async () => {
      const shown = await chrome.notifications.getAll();
      for (const id of globalThis.__closedNotifications ?? []) shown[id] ??= "closed";
      return shown;
    });
  }

  /** Refresh every feed now, as the popup's button asks; resolves when the run is over. */
  async refreshNow() {
    const answer = await this.request({ type: "refresh", feed: null });
    if (answer?.type !== "done") throw new Error(`refresh: ${JSON.stringify(answer)}`);
  }

  /** The options page in a tab, once it has rendered. */
  async options() {
    const view = await this.view("options.html");
    await view.waitForSelector("main[aria-busy='false'] h1");
    return view;
  }

  /** Make the refresh alarm fire now, as the browser does when it is due. */
  async fireAlarm() {
    await this.probeEval(() => chrome.alarms.create("refresh", { when: Date.now() }));
  }

  async alarm() {
    return this.probeEval(() => chrome.alarms.get("refresh"));
  }

  /** Everything in `storage.sync` (what the browser copies to the user's other profiles). */
  async syncItems() {
    return this.probeEval(() => chrome.storage.sync.get(null));
  }

  /** Write `items` into `storage.sync` (another profile's, or something else's). */
  async putSyncItems(items) {
    await this.probeEval((items) => chrome.storage.sync.set(items), items);
  }

  /** The popup page in a tab, once it has rendered. */
  async popup() {
    const view = await this.view("popup.html");
    await view.waitForSelector("header");
    return view;
  }
}

/** In an extension page: every record of `store` in the library's database. */
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
      const request = db.transaction(store).objectStore(store).getAll();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  } finally {
    db.close();
  }
}

/** In an extension page: every feed record's backoff (`retry_at`) set to 0, as if over. */
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
      const request = store.getAll();
      request.onsuccess = () => {
        for (const record of request.result) {
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
