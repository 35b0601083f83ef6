// The extension end to end, as a person uses it: Planet Python fetched from a local fixture
// server, the badge, the popup, read marks, the alarm, the background's death and rebirth,
// and a failing server. One browser profile; the steps build on each other. Shared by both
// browsers: `browser` is a driver module (lib/extension.mjs or lib/firefox.mjs).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { startServer } from "../lib/server.mjs";
import { ROOT } from "../lib/extension.mjs";
import { PLANET, items, withoutNewest, withNewestDescription, field, unescapeXml } from "../lib/fixtures.mjs";

const FEED_PATH = "/planetpython/rss20.xml";
const TOTAL = items().length;
const HOSTILE = `<p>Hello <b>world</b></p>
<script>document.title = "pwned-script"</script>
<img src="images/ok.png" onerror="document.title = 'pwned-onerror'" alt="cover">
<a href="javascript:document.title='pwned-link'">click me</a>
<iframe src="https://evil.example/"></iframe>
<form action="https://evil.example/"><input name="q"></form>
<p style="position: fixed; top: 0; left: 0; width: 100%; height: 100%">overlay</p>
<p><a href="/hello">a relative link</a></p>`;

const ROWS = "ul.entries > li";
const FILTER = 'select[aria-label="Feed or member"]';
const button = (label) => `button[aria-label="${label}"]`;

/** The reader's cases in `browser`; the profile they share is `ctx.ext` (for more cases). */
export function readerCases(browser) {
  const ctx = {};
  let server, ext;

  before(async () => {
    server = ctx.server = await startServer();
    // Before the 3 newest items were posted.
    server.feed(FEED_PATH, withoutNewest(3));
    ext = ctx.ext = await browser.launch(browser.testBuild({ defaultFeeds: [server.origin + FEED_PATH] }));
  });

  after(async () => {
    await ext?.close();
    await server?.close();
  });

  test("on install the worker fetches Planet Python and the badge shows every item", async () => {
    assert.ok(TOTAL >= 40, `the fixture has ${TOTAL} items`);
    await ext.badgeBecomes(String(TOTAL - 3));
    assert.equal(server.requests(FEED_PATH).length, 1);
    // Once the run ends, the alarm is set for the next refresh, 30 minutes on.
    const minutes = (alarm) => (alarm.scheduledTime - Date.now()) / 60_000;
    const alarm = await ext.until(() => ext.alarm(), (a) => a && minutes(a) > 25, { what: "the next alarm" });
    assert.ok(minutes(alarm) <= 30, `next refresh in ${minutes(alarm).toFixed(1)} min, expected ~30`);
  });

  test("the popup lists the unread entries newest first, each with its member blog", async () => {
    const popup = await ext.popup();
    await popup.countBecomes(ROWS, TOTAL - 3);
    // The newest entry still listed is the fixture's 4th item.
    const [member, title] = unescapeXml(field(items()[3], "title")).split(/: (.*)/s);
    assert.equal(await popup.text(`${ROWS} .member`), member);
    assert.equal(await popup.text(`${ROWS} .title`), title);
    assert.match(await popup.text(`${ROWS} time`), /^\d+ (minutes?|hours?) ago$/); // Intl.RelativeTimeFormat
    const members = new Set(await popup.texts("ul.entries .member"));
    assert.ok(members.has("Real Python") && members.has("Django Weblog"), [...members].join(", "));
    assert.equal(await popup.text("header .count"), `${TOTAL - 3} unread`);
    // Chromium's is the README's picture; Firefox's is kept with the test artifacts.
    const shot = browser.NAME === "chromium" ? "tests/e2e/screenshots/popup.png" : `tests/e2e/artifacts/popup-${browser.NAME}.png`;
    mkdirSync(path.dirname(path.join(ROOT, shot)), { recursive: true });
    await popup.screenshot(path.join(ROOT, shot));
    await popup.close();
  });

  test("the list can be narrowed to one member blog", async () => {
    const popup = await ext.popup();
    // The options come at once, their counts as soon as the library is read.
    await popup.waitForSelector(`${FILTER} option`, { text: `Every feed (${TOTAL - 3})` });
    const options = await popup.texts(`${FILTER} option`);
    assert.equal(options[0], `Every feed (${TOTAL - 3})`);
    const realPython = options.find((o) => o.startsWith("Real Python ("));
    const count = Number(realPython.match(/\((\d+)\)/)[1]);
    assert.ok(count >= 2, realPython);
    await popup.select(FILTER, { label: realPython });
    await popup.countBecomes(ROWS, count);
    assert.deepEqual([...new Set(await popup.texts("ul.entries .member"))], ["Real Python"]);
    await popup.select(FILTER, { index: 0 });
    assert.match(await popup.text(".viewname"), /^\d+ unread in every feed$/);
    await popup.countBecomes(ROWS, TOTAL - 3);
    await popup.close();
  });

  test("opening an entry shows its content and marks it read: the badge drops by one", async () => {
    const popup = await ext.popup();
    const title = await popup.text(`${ROWS} .title`);
    await popup.click(`${ROWS} button`);
    await popup.waitForSelector("article.entry-view");
    assert.equal(await popup.text("article.entry-view h2"), title);
    assert.ok((await popup.count("article.entry-view .content p")) > 0, "the entry's paragraphs are shown");

    await ext.badgeBecomes(String(TOTAL - 4));
    // Keep it unread, then read it again.
    await popup.click(".entry-bar button", { text: "Keep unread" });
    await ext.badgeBecomes(String(TOTAL - 3));
    await popup.click(".entry-bar button", { text: "Mark read" });
    await ext.badgeBecomes(String(TOTAL - 4));
    await popup.click("button.back");
    // The list keeps its place: the entry read stays where it was, shown as read.
    await popup.countBecomes(ROWS, TOTAL - 3);
    assert.equal(await popup.text(`${ROWS}.read .title`), title);
    await popup.close();
  });

  test("relative images in entries are made absolute against the entry's link", async () => {
    const popup = await ext.popup();
    // The fixture gives every third entry an image; the 7th item's is relative ("images/cover.png").
    const item = items()[6];
    const link = field(item, "link");
    const [, title] = unescapeXml(field(item, "title")).split(/: (.*)/s);
    await popup.click("ul.entries .title", { text: title });
    // No test reaches the internet, so the image cannot load: its placeholder links to it.
    const src = await popup.waitFor(() => document.querySelector("article.entry-view .content img")?.getAttribute("src")
      ?? document.querySelector("article.entry-view .media-placeholder a")?.getAttribute("href"), null, { what: "the image" });
    assert.equal(src, new URL("images/cover.png", link).href);
    await popup.close();
  });

  test("mark all read empties the badge; the rows stay, read, and the next open says all caught up", async () => {
    const popup = await ext.popup();
    await popup.waitForSelector(ROWS);
    await popup.click(button("Mark all read"));
    await ext.badgeBecomes("");
    await popup.waitFor((s) => document.querySelectorAll(s).length > 40 && document.querySelectorAll(`${s}:not(.read)`).length === 0, ROWS, { what: "every row shown read" });
    await popup.close();
    const again = await ext.popup();
    await again.waitForSelector('[role="status"]', { text: "All caught up in every feed" });
    await again.close();
  });

  test("three new items and the alarm fires: the badge shows 3", async () => {
    server.feed(FEED_PATH, withNewestDescription(HOSTILE, PLANET));
    await ext.makeDue();
    await ext.fireAlarm();
    await ext.badgeBecomes("3");
    const second = server.requests(FEED_PATH).at(-1);
    assert.ok(second.headers["if-none-match"], "the refresh is a conditional GET");
  });

  test("hostile HTML in an entry is shown sanitized", async () => {
    const popup = await ext.popup();
    const titleBefore = await popup.title();
    const [, title] = unescapeXml(field(items()[0], "title")).split(/: (.*)/s);
    await popup.click("ul.entries .title", { text: title });
    const content = "article.entry-view .content";
    assert.equal(await popup.text(`${content} b`), "world");
    // No script, frame or form (a form control may stay, inert: it has no form to submit).
    assert.equal(await popup.count(`${content} :is(script, iframe, form)`), 0);
    const html = await popup.eval((s) => document.querySelector(s).innerHTML, content);
    assert.doesNotMatch(html, /onerror|javascript:|position:\s*fixed/i, html);
    await new Promise((r) => setTimeout(r, 300)); // give a broken image's onerror time to run, if it could
    assert.equal(await popup.title(), titleBefore);
    const link = (text) => popup.eval(([s, text]) => {
      const a = [...document.querySelectorAll(`${s} a`)].find((a) => a.textContent === text);
      return { href: a.getAttribute("href"), target: a.getAttribute("target"), rel: a.getAttribute("rel") };
    }, [content, text]);
    const clickMe = await link("click me");
    assert.doesNotMatch(clickMe.href ?? "", /javascript/i);
    assert.equal(clickMe.target, "_blank");
    assert.equal(clickMe.rel, "noopener noreferrer");
    // A link opens in a new tab (tabs.create); relative links were resolved when stored.
    const { href } = await link("a relative link");
    assert.equal(href, new URL("/hello", field(items()[0], "link")).href);
    const tab = await ext.openedTab(() => popup.click(`${content} a`, { text: "a relative link" }));
    assert.equal(tab.url, href);
    assert.equal(tab.hasOpener, false, "the page has no handle on the popup");
    await tab.close();
    await popup.click(".entry-bar button", { text: "Keep unread" }); // keep the count at 3
    await ext.badgeBecomes("3");
    await popup.close();
  });

  test("the worker stopped and started again: badge and popup unchanged", async () => {
    await ext.stopWorker();
    assert.equal(await ext.backgroundRunning(), false);
    // Spoil the badge while no worker runs: only a worker that recounts from storage on
    // start puts it right again.
    await ext.setBadge("?");
    const popup = await ext.popup(); // the popup's request starts the worker
    await ext.badgeBecomes("3");
    await popup.countBecomes(ROWS, 3);
    await popup.close();
  });

  test("the server answers 500: the popup states the error and keeps the stored entries", async () => {
    server.fail(FEED_PATH, 500);
    const popup = await ext.popup();
    await popup.waitForSelector(ROWS);
    await popup.click(button("Refresh now"));
    assert.match(await popup.text(".feed-error"), /Planet Python.*HTTP 500/);
    assert.equal(await popup.count(ROWS), 3);
    assert.equal(await ext.badge(), "3");
    await popup.close();
  });

  return ctx;
}
