// The reader a switching user expects: every view (unread, all, starred, one feed, one
// Planet member), rows that show their feed and its icon, search as a view, stars that
// survive the worker, "mark all read" scoped to the view with Undo, never losing the
// place (an entry opens at its top, Back and reopening restore the list, new entries are
// announced, not shifted in), the header always reachable, reflow at 320 CSS px, and
// honest states. Shared by both browsers: `browser` is a driver module. The popup over a
// page is Chromium's real toolbar popup (its size is the popup's), and in Firefox
// popup.html in a tab (its toolbar panel cannot be reached).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startServer } from "../lib/server.mjs";
import { PLANET, items, withoutNewest, field, unescapeXml } from "../lib/fixtures.mjs";
import { ROWS, SCOPE, SEARCH, button, serveGamma, scopes, chooseScope, countOf, titles, topRow, scrollToRow, overflow } from "../lib/ui.mjs";

const PLANET_PATH = "/planetpython/rss20.xml";
const TOTAL = items().length + 3; // Planet Python's, and Gamma's 3
const member = (item) => unescapeXml(field(item, "title")).split(/: (.*)/s)[0];

/**
 * What this test build's popup runs first, before its own code: when the test asked for it
 * (`localStorage`, which the extension's pages share), the message a refresh broadcasts to
 * the open pages ("entries arrived"), every 10 ms for 3 s. Posted in the popup itself: a
 * page in the background (the probe) has its timers slowed to one a second.
 */
const ARRIVALS = `if (localStorage.getItem("test-arrivals")) {
  const channel = new BroadcastChannel("planet-reader");
  const until = Date.now() + 3000;
  const timer = setInterval(() => {
    if (Date.now() < until) return channel.postMessage({ added: 1 });
    clearInterval(timer);
    globalThis.arrivalsDone = true;
  }, 10);
}
`;

/** Put {@link ARRIVALS} into the test build in `dir`, ahead of the popup page's scripts. */
function withArrivals(dir) {
  writeFileSync(path.join(dir, "arrivals.js"), ARRIVALS);
  const page = path.join(dir, "popup.html");
  const html = readFileSync(page, "utf8");
  const at = html.indexOf('<script type="module"');
  assert.ok(at > 0, "popup.html loads its scripts as modules");
  writeFileSync(page, `${html.slice(0, at)}<script src="arrivals.js"></script>\n  ${html.slice(at)}`);
}

/** The views cases in `browser`; the profile they share is `ctx.ext`. */
export function viewsCases(browser) {
  const ctx = {};
  let server, ext;

  before(async () => {
    server = ctx.server = await startServer();
    server.feed(PLANET_PATH, withoutNewest(3));
    serveGamma(server);
    server.route("/page/", (req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>A page</title><p>Hello</p>"));
    const build = browser.testBuild({ defaultFeeds: [server.origin + PLANET_PATH, `${server.origin}/gamma.xml`] });
    withArrivals(build);
    ext = ctx.ext = await browser.launch(build);
    await ext.badgeBecomes(String(TOTAL - 3));
  });

  after(async () => {
    await ext?.close();
    await server?.close();
  });

  const popupOver = async () => {
    const { tab, popup } = await ext.popupOver(`${server.origin}/page/`);
    // Firefox's popup is a tab behind the page's: a tab in the background gets no animation
    // frames, which the reader waits for; nothing here needs the page to be the current tab.
    if (browser.NAME === "firefox") await popup.bringToFront();
    await popup.waitForSelector(ROWS);
    return { tab, popup, close: async () => { await popup.close(); await tab.close(); } };
  };

  /** Whether a popup opened from now on is told at once, for its first 3 s, that entries
   * keep arriving (see `ARRIVALS`). */
  const arrivals = (on) => ext.probeEval((on) => (on ? localStorage.setItem("test-arrivals", "1") : localStorage.removeItem("test-arrivals")), on);

  test("rows show their feed, with its icon where the feed has one, beside the member or author", async () => {
    const popup = await ext.popup();
    await popup.countBecomes(ROWS, TOTAL - 3);
    await popup.waitFor(() => [...document.querySelectorAll("img.icon")].every((i) => i.complete && i.naturalWidth > 0), null, { what: "the icons loaded" });
    const rows = await popup.eval((s) => [...document.querySelectorAll(s)].map((li) => ({
      feed: li.querySelector(".feed")?.textContent,
      member: li.querySelector(".member")?.textContent,
      icon: li.querySelector("img.icon") ? { src: li.querySelector("img.icon").getAttribute("src"), loaded: li.querySelector("img.icon").naturalWidth } : li.querySelector(".icon.letter")?.textContent,
    })), ROWS);
    const gammaRows = rows.filter((r) => r.feed === "Gamma");
    const planetRows = rows.filter((r) => r.feed === "Planet Python");
    assert.equal(gammaRows.length, 3);
    assert.equal(planetRows.length, TOTAL - 6);
    for (const r of gammaRows) assert.deepEqual(r.icon, { src: `${server.origin}/gamma.png`, loaded: 16 }, "the feed's own image");
    for (const r of planetRows) assert.equal(r.icon, "P", "no image: the feed's initial");
    assert.ok(planetRows.some((r) => r.member === "Real Python"), "the Planet member beside the feed");
    await popup.close();
  });

  test("each view: unread, all (read entries too), starred, one feed, one member", async () => {
    const popup = await ext.popup();
    await popup.countBecomes(ROWS, TOTAL - 3);
    // Read one entry and star two: the unread view keeps the read one in place until it is
    // read again.
    const first = (await titles(popup))[0];
    await popup.click(`${ROWS} button.open`, { text: first });
    await popup.waitForSelector("article.entry-view");
    await ext.badgeBecomes(String(TOTAL - 4));
    await popup.click("button.back");
    await popup.waitForSelector(`${ROWS}.read`);
    for (const i of [1, 2]) await popup.click(`${ROWS}:nth-child(${i + 1}) button.star`);
    await popup.countBecomes(`${ROWS} button.star[aria-pressed="true"]`, 2);

    await popup.click("button", { text: "Unread" }); // already on: nothing changes
    const gammaUnread = countOf(await chooseScope(popup, "Gamma"));
    await popup.countBecomes(ROWS, gammaUnread);
    assert.equal(await popup.count(`${ROWS} .feed`), 0, "one feed's rows need not name it");
    await popup.click('.viewbar button[aria-pressed="false"]', { text: "All" });
    await popup.countBecomes(ROWS, 3);
    await chooseScope(popup, "Every feed");
    await popup.countBecomes(ROWS, TOTAL - 3);
    assert.equal(await popup.count(`${ROWS}.read`), 1, "All lists read entries too");
    await popup.click('.viewbar button[aria-pressed="false"]', { text: "Unread" });
    await popup.countBecomes(ROWS, TOTAL - 4);
    assert.ok(!(await titles(popup)).includes(first), "Unread leaves out what was read");

    const starred = await chooseScope(popup, "★ Starred");
    assert.equal(countOf(starred), 2);
    await popup.countBecomes(ROWS, 2);
    assert.equal(await popup.count(`${ROWS} button.star[aria-pressed="true"]`), 2);

    const labels = await scopes(popup);
    const realPython = labels.find((l) => l.startsWith("Real Python ("));
    await chooseScope(popup, "Real Python (");
    await popup.countBecomes(ROWS, countOf(realPython));
    assert.deepEqual([...new Set(await popup.texts(`${ROWS} .member`))], ["Real Python"]);
    assert.match(await popup.text(".viewname"), /unread in Real Python$/);
    await chooseScope(popup, "Every feed");
    await popup.countBecomes(ROWS, TOTAL - 4);
    await popup.close();
  });

  test("search is a view: a word that is only in an entry's content finds it", async () => {
    const popup = await ext.popup();
    await popup.waitForSelector(ROWS);
    const titlesHaveIt = (await titles(popup)).some((t) => /zymurgy/i.test(t));
    assert.equal(titlesHaveIt, false, "the word is in no title");
    await popup.fill(SEARCH, "zymurgy");
    await popup.countBecomes(ROWS, 1);
    assert.deepEqual(await titles(popup), ["Brewing notes"]);
    assert.match(await popup.text(".viewname"), /^1 found for “zymurgy”/);
    await popup.fill(SEARCH, "zymurgy nonexistentword");
    await popup.waitForSelector(".empty .big", { text: "Nothing found for “zymurgy nonexistentword”" });
    await popup.fill(SEARCH, "");
    await popup.countBecomes(ROWS, TOTAL - 4);
    await popup.close();
  });

  test("a star survives the worker's restart", async () => {
    const popup = await ext.popup();
    await chooseScope(popup, "★ Starred");
    await popup.countBecomes(ROWS, 2);
    const before = await titles(popup);
    await popup.close();
    await ext.stopWorker();
    assert.equal(await ext.backgroundRunning(), false);
    const again = await ext.popup();
    await again.countBecomes(ROWS, 2); // the popup reopens on the Starred view
    assert.deepEqual(await titles(again), before);
    const stored = (await ext.library("entries")).filter((r) => r.s.starred);
    assert.equal(stored.length, 2, "starred in the library");
    await chooseScope(again, "Every feed");
    await again.close();
  });

  test("mark all read marks the filtered view only, and Undo restores exactly what was", async () => {
    const popup = await ext.popup();
    const django = await chooseScope(popup, "Django Weblog (");
    const n = countOf(django);
    assert.ok(n >= 3, django);
    await popup.countBecomes(ROWS, n);
    // One of them read beforehand: it must stay read after Undo.
    await popup.click(`${ROWS}:nth-child(2) button.open`);
    await popup.waitForSelector("article.entry-view");
    await popup.click("button.back");
    const badge = Number(await ext.badgeBecomes(String(TOTAL - 5)));
    await popup.click(button("Mark all read"));
    await ext.badgeBecomes(String(badge - (n - 1)));
    assert.equal(await popup.text(".snackbar span"), `Marked ${n - 1} entries read in Django Weblog.`);
    assert.equal(await popup.count(`${ROWS}.read`), n, "the rows stay, shown read");
    await chooseScope(popup, "Every feed");
    await popup.countBecomes(ROWS, badge - (n - 1));
    assert.ok(!(await popup.texts(`${ROWS} .member`)).includes("Django Weblog"), "every other view's entries stay unread");
    await popup.close();

    const again = await ext.popup();
    // The Undo bar is of the page that marked: mark again here, then undo.
    await chooseScope(again, "Every feed");
    const realPython = await chooseScope(again, "Real Python (");
    await again.countBecomes(ROWS, countOf(realPython));
    const unreadBefore = Number(await ext.badge());
    await again.click(button("Mark all read"));
    await ext.badgeBecomes(String(unreadBefore - countOf(realPython)));
    await again.click(".snackbar button", { text: "Undo" });
    await ext.badgeBecomes(String(unreadBefore));
    assert.equal(await again.count(`${ROWS}.read`), 0, "exactly those unread again");
    assert.equal(await again.count(".snackbar"), 0);
    await chooseScope(again, "Every feed");
    await again.close();
  });

  let placed; // where the list was when the popup below closed
  test("an entry opens at its top; Back brings the list back where it was", async () => {
    const { popup, close } = await popupOver();
    await popup.countBecomes(ROWS, Number(await ext.badge()));
    await scrollToRow(popup, 20);
    // The click below scrolls its row to the middle first, as a user's would be in view.
    await popup.eval((s) => document.querySelectorAll(s)[21].scrollIntoView({ block: "center" }), ROWS);
    const at = await topRow(popup);
    assert.ok(at.index > 10 && at.index <= 21, `row ${at.index} at the top`);
    assert.ok(at.scrollY > 500, `scrolled ${at.scrollY} px`);
    await popup.click(`${ROWS}:nth-child(22) button.open`);
    await popup.waitForSelector("article.entry-view h2");
    // Scrolled to its top, and its title focused, once the entry has been laid out.
    await popup.waitFor(() => document.activeElement?.tagName === "H2", null, { what: "the entry's title focused" });
    const opened = await popup.eval(() => ({
      scrollY: window.scrollY,
      title: document.querySelector("article.entry-view h2").getBoundingClientRect().top,
      header: document.querySelector("header").getBoundingClientRect().bottom,
      focus: document.activeElement.tagName,
    }));
    assert.equal(opened.scrollY, 0, "the entry starts at its top");
    assert.ok(opened.title >= opened.header, "its title shows below the header");
    assert.equal(opened.focus, "H2", "the focus is on its title");
    await popup.click("button.back");
    // The list is put back on the frame after it is shown, and the focus on the row opened
    // then: wait for that (under load, a frame can take longer than a poll).
    await popup.waitFor(() => !document.querySelector("article.entry-view") && document.activeElement?.matches("button.open"), null, { what: "the list back, its row focused" });
    const back = await topRow(popup);
    assert.equal(back.index, at.index, "Back: the same row at the top");
    assert.ok(Math.abs(back.scrollY - at.scrollY) <= 2, `${back.scrollY} vs ${at.scrollY}`);
    assert.match(await popup.eval(() => document.activeElement.className), /open/, "the focus is on the row opened");
    await new Promise((r) => setTimeout(r, 400)); // the place is saved as the list scrolls (debounced)
    // The row after the one opened: where the list reopens if the opened row was at the top
    // (read now, it is no longer among the unread).
    const following = await popup.eval((s) => document.querySelectorAll(s)[22].querySelector(".title").textContent, ROWS);
    await close();
    placed = { ...at, opened: 21, following };
  });

  /**
   * Reopen the popup while it is told every 10 ms that entries arrived (as a refresh tells
   * the open pages), from its start: some of this lands while it reads its first page, and
   * a read started then must go back to the place too, not to the top. `check(top)` is given
   * the row at the top once that is over; `last`: scroll the list to its top after (the
   * next cases start there).
   */
  const reopen = async (check, { last = false } = {}) => {
    await arrivals(true);
    const reopened = await popupOver();
    try {
      await reopened.popup.waitFor((s) => document.querySelectorAll(s).length > 20 && window.scrollY > 500, ROWS, { what: "the list scrolled back", timeout: 10_000 });
      // Where it stays once the arrivals are over and what they started is done.
      await reopened.popup.waitFor(() => globalThis.arrivalsDone, null, { what: "the arrivals over" });
      await new Promise((r) => setTimeout(r, 300));
      assert.match(await reopened.popup.eval(() => document.querySelector("button.arrived")?.textContent ?? ""), /new entr/, "the arrivals were heard");
      check(await topRow(reopened.popup));
    } finally {
      await arrivals(false);
      if (last) await reopened.popup.eval(() => window.scrollTo(0, 0));
      await new Promise((r) => setTimeout(r, 400)); // the place is saved (debounced)
      await reopened.close();
    }
  };

  let reopenedAt;
  test("reopening the popup brings the list back where it was, with entries arriving as it reads", async () => {
    assert.ok(placed, "the case before left the list scrolled");
    const at = placed;
    await reopen((again) => {
      if (at.index === at.opened) {
        // The row at the top was the one opened, read since: the row after it takes its place.
        assert.equal(again.title, at.following, "reopening: the next row at the top");
        assert.ok(Math.abs(again.offset) <= 2, `at its top (${again.offset})`);
      } else {
        assert.equal(again.title, at.title, "reopening: the same row at the top");
        assert.ok(Math.abs(again.offset - at.offset) <= 2, `${again.offset} vs ${at.offset}`);
      }
      reopenedAt = again;
    });
  });

  test("a reader who never chose a view gets the place back too (the view the settings open on)", async () => {
    assert.ok(reopenedAt, "the case before reopened the list scrolled");
    // The cases above chose views; until a reader does, the popup's preferences hold no
    // list, and it opens on the settings' default view.
    await ext.probeEval(() => {
      const key = "planet-reader.prefs.popup";
      const prefs = JSON.parse(localStorage.getItem(key));
      delete prefs.list;
      localStorage.setItem(key, JSON.stringify(prefs));
    });
    await reopen((again) => {
      assert.equal(again.title, reopenedAt.title, "the same row at the top");
      assert.ok(Math.abs(again.offset - reopenedAt.offset) <= 2, `${again.offset} vs ${reopenedAt.offset}`);
    }, { last: true });
  });

  test("new entries are announced, not shifted in above the reader", async () => {
    const { popup, close } = await popupOver();
    await scrollToRow(popup, 10);
    const before = await topRow(popup);
    server.feed(PLANET_PATH, PLANET);
    await ext.makeDue();
    await ext.fireAlarm();
    const said = await popup.waitFor(() => document.querySelector("button.arrived")?.textContent, null, { what: "the announcement" });
    assert.equal(said, "3 new entries: show them");
    const after = await topRow(popup);
    assert.equal(after.title, before.title, "the same row at the top");
    // (The announcement above the list is kept out of the way by the browser's scroll
    // anchoring: the document's scroll grows by its height, the rows stay.)
    assert.ok(Math.abs(after.offset - before.offset) <= 2, `the list did not move: ${JSON.stringify([before, after])}`);
    await popup.click("button.arrived");
    await popup.waitFor(() => !document.querySelector("button.arrived") && window.scrollY === 0, null, { what: "the new entries shown at the top" });
    const [newest] = await titles(popup);
    assert.equal(newest, unescapeXml(field(items()[0], "title")).split(/: (.*)/s)[1]);
    await close();
  });

  test("the header stays reachable however far the list is scrolled", async () => {
    const { popup, close } = await popupOver();
    await popup.eval(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const seen = await popup.eval(() => {
      const header = document.querySelector("header").getBoundingClientRect();
      const tools = [...document.querySelectorAll("header .tools button")];
      const hit = tools.every((b) => {
        const r = b.getBoundingClientRect();
        return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)?.closest("button") === b;
      });
      return { top: header.top, scrollY: window.scrollY, hit, tools: tools.length };
    });
    assert.ok(seen.scrollY > 1000, `scrolled ${seen.scrollY} px`);
    assert.equal(seen.top, 0, "the header is at the top of the viewport");
    assert.ok(seen.tools >= 5 && seen.hit, "every header button can be clicked");
    await popup.click(button("Subscriptions"));
    await popup.waitForSelector("section.manage");
    await popup.click(button("Subscriptions"));
    await popup.waitFor(() => !document.querySelector("section.manage"));
    await popup.eval(() => window.scrollTo(0, 0));
    await close();
  });

  test("at 320 CSS px every screen reflows with nothing wider than the page", async () => {
    const popup = await ext.popup();
    await popup.setViewport(320, 600);
    await popup.waitForSelector(ROWS);
    await popup.waitFor(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth, null, { what: "the popup fitted to 320 px" });
    const check = async (what) => {
      const o = await overflow(popup);
      assert.ok(o.scrollWidth <= o.width && o.wider.length === 0, `${what}: ${JSON.stringify(o)}`);
    };
    await check("the list");
    await chooseScope(popup, "Gamma");
    await popup.click(`${ROWS} button.open`, { text: "A very wide post" });
    await popup.waitForSelector("article.entry-view .content table");
    await popup.waitForSelector(".media-placeholder", { text: "Image that cannot be shown here: a chart" });
    // The embedded video, which the sanitizer removes, left a link in its place.
    assert.equal(await popup.eval(() => document.querySelector('.content a[href="https://www.youtube.com/embed/abc123"]')?.textContent),
      "▶ Embedded content from www.youtube.com (not shown here): open it");
    await check("an entry with a long word, a wide table, code and a broken image");
    await popup.click("button.back");
    await chooseScope(popup, "Every feed");
    await popup.click(button("Subscriptions"));
    await popup.waitForSelector("li.feed");
    await check("subscriptions");
    await popup.click(button("Subscribe"));
    await popup.waitForSelector("form.address");
    await check("subscribe");
    await popup.click(button("Keyboard shortcuts"));
    await popup.waitForSelector("#shortcuts");
    await check("the shortcuts");
    await popup.click("#shortcuts button", { text: "Close" });
    await popup.click("header h1 button");
    await popup.waitForSelector(ROWS);
    await popup.close();
  });

  test("errors name the subscription, with its address", async () => {
    server.fail("/gamma.xml", 500);
    const popup = await ext.popup();
    await popup.waitForSelector(ROWS);
    await popup.click(button("Refresh now"));
    const said = await popup.text(".feed-error");
    assert.match(said, /^Gamma could not be fetched: the server answered HTTP 500/);
    assert.ok(said.endsWith(`${server.origin}/gamma.xml`), said);
    serveGamma(server);
    await popup.close();
  });

  return ctx;
}

/** The states a new or emptied profile shows, each in its own words. */
export function stateCases(browser) {
  test("first run says it is fetching, then all read says all caught up", async () => {
    const server = await startServer();
    server.feed(PLANET_PATH, PLANET);
    const release = server.hold(PLANET_PATH);
    const ext = await browser.launch(browser.testBuild({ defaultFeeds: [server.origin + PLANET_PATH] }));
    try {
      const popup = await ext.popup();
      const first = await popup.text(".empty .big");
      assert.match(first, /^Fetching 127\.0\.0\.1…$/, "not “All caught up” during the first fetch");
      release();
      await popup.countBecomes(ROWS, items().length);
      await popup.click(button("Mark all read"));
      await popup.click("button", { text: "Unread" }); // read the view again
      await popup.click('.viewbar button[aria-pressed="false"]', { text: "All" });
      await popup.click('.viewbar button[aria-pressed="false"]', { text: "Unread" });
      assert.equal(await popup.text(".empty .big"), "All caught up in every feed");
      await popup.close();
    } finally {
      await ext.close();
      await server.close();
    }
  });

  test("no subscriptions: a call to subscribe, not an empty list", async () => {
    const ext = await browser.launch(browser.testBuild({ defaultFeeds: [] }));
    try {
      const popup = await ext.popup();
      assert.equal(await popup.text(".empty .big"), "No subscriptions yet");
      await popup.click(".empty button", { text: "Subscribe…" });
      await popup.waitForSelector("section.subscribe h2");
      await popup.close();
    } finally {
      await ext.close();
    }
  });

  test("a feed that cannot be fetched is named in the empty state's stead", async () => {
    const server = await startServer();
    server.fail("/down.xml", 503);
    const ext = await browser.launch(browser.testBuild({ defaultFeeds: [`${server.origin}/down.xml`] }));
    try {
      const popup = await ext.popup();
      await popup.waitForSelector(".empty .big", { text: "Nothing could be fetched" });
      assert.match(await popup.text(".feed-error"), /127\.0\.0\.1 could not be fetched: .*503.*\/down\.xml$/);
      await popup.close();
    } finally {
      await ext.close();
      await server.close();
    }
  });
}

export { SCOPE };
