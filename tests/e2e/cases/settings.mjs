// Settings, rules and notifications in the real browser, set as a person sets them: in the
// options page. The refresh interval moves the next alarm; blocked images are not
// requested when an entry opens; a rule marks a member's new entries read on arrival; a
// refresh with new entries makes one notification, none when they are off; the options
// page in German, with dates in the user's time zone. Shared by both browsers: `browser`
// is a driver module (lib/extension.mjs or lib/firefox.mjs).
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "../lib/server.mjs";
import { rss } from "../lib/feeds.mjs";
import { PLANET, items, withoutNewest, field, unescapeXml } from "../lib/fixtures.mjs";

const ROWS = "ul.entries > li";
const minutes = (alarm) => (alarm.scheduledTime - Date.now()) / 60_000;

/** A 1×1 transparent PNG. */
const PIXEL = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

/** An RSS feed of posts `ids`, each with an image on `origin` (/img/<id>.png). */
function withImages(origin, ids) {
  const now = Date.now();
  const items = ids.map((id, i) => `<item><title>Post ${id}</title><guid>img-${id}</guid>
<link>https://blog.example/${id}</link><pubDate>${new Date(now - (i + 1) * 3_600_000).toUTCString()}</pubDate>
<description>&lt;p&gt;Picture ${id}&lt;/p&gt;&lt;img src="${origin}/img/${id}.png" alt="picture ${id}"&gt;</description></item>`).join("\n");
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Pictures</title><link>https://blog.example/</link>
${items}</channel></rss>`;
}

/** The settings cases in `browser`. */
export function settingsCases(browser) {
  const opened = [];
  // Each test's browser and server are closed when it ends (not all at the end: eight
  // browsers at once are too many for a small machine).
  afterEach(async () => {
    for (const x of opened.splice(0).reverse()) await x.close();
  });

  async function serverFor() {
    const server = await startServer();
    opened.push(server);
    return server;
  }

  async function browserFor(server, paths, options = {}) {
    const dir = browser.testBuild({ defaultFeeds: paths.map((p) => server.origin + p) });
    const ext = await browser.launch(dir, options);
    opened.push(ext);
    return ext;
  }

  /** storage.sync's and storage.local's `settings`. */
  async function stored(ext) {
    const sync = await ext.syncItems();
    const local = await ext.storage();
    return { sync: sync.settings ?? {}, local: local.settings ?? {} };
  }

  test("a new refresh interval in the options page moves the next alarm", async () => {
    const server = await serverFor();
    server.feed("/a.xml", rss("A", 3));
    const ext = await browserFor(server, ["/a.xml"]);
    await ext.badgeBecomes("3");
    const before = await ext.until(() => ext.alarm(), (a) => a && minutes(a) > 25, { what: "the first alarm" });
    assert.ok(minutes(before) <= 30, `${minutes(before).toFixed(1)} min`);
    const options = await ext.options();
    await options.select("#refresh-interval", { value: "120" });
    const moved = await ext.until(() => ext.alarm(), (a) => a && minutes(a) > 100, { what: "the alarm to move" });
    assert.ok(minutes(moved) <= 120, `next refresh in ${minutes(moved).toFixed(1)} min, expected ~120`);
    assert.ok(Math.abs(moved.scheduledTime - before.scheduledTime - 90 * 60_000) < 60_000, "90 minutes later than before");
    assert.deepEqual((await stored(ext)).sync, { refresh_minutes: 120 });
    // The page shows when, and a feed of its own may be checked more often.
    await options.waitForSelector(".next-refresh", { text: "Next check:" });
    await options.select("table.feeds select", { value: "15" });
    await ext.until(() => ext.alarm(), (a) => a && minutes(a) < 16, { what: "the feed's own interval" });
    await options.close();
  });

  test("blocked images are not requested when an entry opens; loaded ones are", async () => {
    const server = await serverFor();
    server.route("/img/a.png", (req, res) => res.writeHead(200, { "content-type": "image/png" }).end(PIXEL));
    server.route("/img/b.png", (req, res) => res.writeHead(200, { "content-type": "image/png" }).end(PIXEL));
    server.feed("/pictures.xml", withImages(server.origin, ["a", "b"]));
    const ext = await browserFor(server, ["/pictures.xml"]);
    await ext.badgeBecomes("2");
    // Loaded (the default): opening "a" requests its image.
    let popup = await ext.popup();
    await popup.click(`${ROWS} .title`, { text: "Post a" });
    await popup.waitFor(() => document.querySelector("article.entry-view .content img")?.complete, null, { what: "image a" });
    await ext.until(() => server.requests("/img/a.png").length, (n) => n === 1, { what: "image a requested" });
    await popup.close();

    const options = await ext.options();
    await options.click("#images-block");
    await ext.until(() => stored(ext), (s) => s.sync.images === "block", { what: "images blocked" });
    await options.close();
    popup = await ext.popup();
    assert.equal(await popup.eval(() => document.documentElement.dataset.images), "block");
    await popup.click(`${ROWS} .title`, { text: "Post b" });
    // Refused by the page's policy, not loaded: in its place, a placeholder that says so
    // and links to the image.
    const shown = await popup.waitFor(() => {
      const el = document.querySelector("article.entry-view .content .media-placeholder");
      return el ? { text: el.textContent, href: el.querySelector("a")?.getAttribute("href") } : null;
    }, null, { what: "image b's placeholder" });
    assert.equal(shown.href, `${server.origin}/img/b.png`);
    assert.match(shown.text, /blocked/i, shown.text);
    assert.equal(await popup.eval(() => document.querySelector("article.entry-view .content img")), null, "no image element left");
    assert.deepEqual(server.requests("/img/b.png"), [], "no request for the blocked image");
    await popup.close();
  });

  test("a rule marks a member's entries read when they arrive, and leaves the older ones", async () => {
    const server = await serverFor();
    const feedPath = "/planetpython/rss20.xml";
    server.feed(feedPath, withoutNewest(3));
    const ext = await browserFor(server, [feedPath]);
    const total = items().length;
    await ext.badgeBecomes(String(total - 3));
    const memberOf = (item) => unescapeXml(field(item, "title")).split(/: (.*)/s)[0];
    const member = memberOf(items()[0]);
    const newOfMember = items().slice(0, 3).filter((i) => memberOf(i) === member).length;
    const options = await ext.options();
    await options.select("#rule-field", { value: "member" });
    await options.select("#rule-kind", { value: "words" });
    await options.fill("#rule-text", member);
    await options.select("#rule-action", { value: "read" });
    await options.click("form.add-rule button[type=submit]");
    await options.waitForSelector("table.rules td", { text: member });
    const rules = await ext.until(() => ext.syncItems(), (s) => s.rules?.rules?.length === 1, { what: "the rule stored" });
    assert.deepEqual(rules.rules.rules[0], { field: "member", words: member, action: "read" });
    await options.close();

    server.feed(feedPath, PLANET);
    await ext.refreshNow();
    await ext.badgeBecomes(String(total - 3 + 3 - newOfMember));
    const records = await ext.library("entries");
    const ofMember = records.filter((r) => r.e?.member === member);
    const newIds = new Set(items().slice(0, 3).map((i) => field(i, "guid")));
    const arrived = ofMember.filter((r) => newIds.has(r.k[1]));
    assert.equal(arrived.length, newOfMember);
    assert.ok(arrived.every((r) => r.s.read), `${member}'s new entries arrived read`);
    assert.ok(ofMember.filter((r) => !newIds.has(r.k[1])).every((r) => !r.s.read), "the older ones are left unread");
  });

  test("a refresh with new entries makes one notification; none while they are off; it opens its feed's list", async () => {
    const server = await serverFor();
    server.feed("/a.xml", rss("A", 3));
    server.feed("/b.xml", rss("B", 2));
    const ext = await browserFor(server, ["/a.xml", "/b.xml"]);
    await ext.badgeBecomes("5");
    await ext.watchNotifications();
    const ours = async () => Object.entries(await ext.notifications()).filter(([id]) => id.startsWith("planet-reader:"));
    server.feed("/a.xml", rss("A", 5));
    await ext.refreshNow();
    assert.equal(await ext.badge(), "7");
    assert.deepEqual(await ours(), [], "off by default: no notification");

    const options = await ext.options();
    await options.click("#notifications-all");
    await ext.until(() => stored(ext), (s) => s.local.notifications === "all", { what: "notifications on" });
    await options.close();
    server.feed("/a.xml", rss("A", 8));
    await ext.refreshNow();
    const shown = await ours();
    assert.equal(shown.length, 1, "one notification for the refresh");
    const [id, details] = shown[0];
    assert.match(id, /^planet-reader:view=feed:[0-9a-f]{16}$/, "a click opens the feed's list");
    // Firefox says what the notification holds; Chromium only that it is there.
    if (typeof details === "object") assert.equal(details.title, "3 new entries");
    // Its click opens the popup at that address (or the full-tab reader at reader.html#…,
    // where the browser cannot open the popup): A's 8 unread entries, not B's 2.
    const list = await ext.view(`reader.html#${id.slice("planet-reader:".length)}`);
    await list.waitForSelector(`${ROWS} .title`);
    await ext.until(() => list.texts(`${ROWS} .title`), (titles) => titles.length === 8, { what: "A's entries alone" });
    await list.close();
  });

  test("the badge counts every feed, only the chosen ones, or nothing; red when every feed fails", async () => {
    const server = await serverFor();
    server.feed("/a.xml", rss("A", 3));
    server.feed("/b.xml", rss("B", 2));
    const ext = await browserFor(server, ["/a.xml", "/b.xml"]);
    await ext.badgeBecomes("5");
    const color = () => ext.probeEval(() => chrome.action.getBadgeBackgroundColor({}));
    assert.deepEqual(await color(), [0x30, 0x69, 0x98, 255], "Planet Python's blue");
    const options = await ext.options();
    await options.click("#badge-chosen");
    // None chosen yet: nothing counted.
    await ext.badgeBecomes("");
    await options.click('table.feeds input[aria-label="Count A on the badge"]');
    await ext.badgeBecomes("3");
    await options.click("#badge-off");
    await ext.badgeBecomes("");
    await options.click("#badge-all");
    await ext.badgeBecomes("5");
    await options.close();
    // Every feed failing: the badge turns red and the button's title says why.
    server.fail("/a.xml", 500);
    server.fail("/b.xml", 500);
    await ext.refreshNow();
    await ext.until(color, (c) => c.join() === [0xb3, 0x26, 0x1e, 255].join(), { what: "the red badge" });
    assert.equal(await ext.probeEval(() => chrome.action.getTitle({})), "Planet Reader: no feed could be fetched");
    assert.equal(await ext.badge(), "5", "what is stored still counts");
    // One feed back: blue again.
    server.feed("/b.xml", rss("B", 2));
    await ext.refreshNow();
    await ext.until(color, (c) => c.join() === [0x30, 0x69, 0x98, 255].join(), { what: "the blue badge again" });
  });

  test("a language and a theme chosen while the reader is open apply to it at once", async () => {
    const server = await serverFor();
    server.feed("/a.xml", rss("A", 2));
    const ext = await browserFor(server, ["/a.xml"]);
    await ext.badgeBecomes("2");
    const reader = await ext.view("reader.html");
    await reader.waitForSelector("header .count", { text: "2 unread" });
    assert.equal(await reader.eval(() => document.documentElement.dataset.theme), "system");
    const options = await ext.options();
    await options.select("#language", { value: "de" });
    await options.click("#theme-dark");
    await options.close();
    await reader.waitForSelector("header .count", { text: "2 ungelesen" });
    assert.equal(await reader.eval(() => document.documentElement.lang), "de");
    await reader.waitFor(() => document.documentElement.dataset.theme === "dark", null, { what: "the dark theme" });
    await reader.close();
  });

  test("the options page in German, with dates in the user's time zone (UTC+14)", async () => {
    const zone = "Pacific/Kiritimati";
    const server = await serverFor();
    server.feed("/a.xml", rss("A", 2));
    const ext = await browserFor(server, ["/a.xml"], { timezone: zone });
    await ext.badgeBecomes("2");
    const alarm = await ext.until(() => ext.alarm(), (a) => a && minutes(a) > 25, { what: "the alarm" });
    const options = await ext.options();
    await options.select("#language", { value: "de" });
    await options.waitForSelector("h1", { text: "Planet-Reader-Einstellungen" });
    assert.equal(await options.eval(() => document.documentElement.lang), "de");
    assert.equal(await options.title(), "Planet-Reader-Einstellungen");
    assert.deepEqual((await stored(ext)).sync, { language: "de" });
    const next = await options.text(".next-refresh");
    const expected = new Intl.DateTimeFormat("de", { dateStyle: "medium", timeStyle: "short", timeZone: zone })
      .format(new Date(alarm.scheduledTime));
    assert.equal(next, `Nächste Prüfung: ${expected}`);
    // That is the wall clock 14 hours ahead of UTC: the day and hour the user sees.
    const there = new Date(alarm.scheduledTime + 14 * 3_600_000);
    const pad = (n) => String(n).padStart(2, "0");
    assert.ok(next.includes(`${pad(there.getUTCDate())}.${pad(there.getUTCMonth() + 1)}.${there.getUTCFullYear()}`), next);
    assert.ok(next.includes(`${pad(there.getUTCHours())}:${pad(there.getUTCMinutes())}`), next);
    // Counted words in German too.
    assert.deepEqual(await options.texts("#refresh-interval option:checked"), ["30 Minuten"]);
    await options.close();
  });

  test("the popup in German, with its dates in the user's time zone (UTC+14)", async () => {
    const zone = "Pacific/Kiritimati";
    const server = await serverFor();
    // One post an hour old, one from ten days ago at 20:00 UTC: already the next day there.
    const old = new Date(Date.now() - 10 * 86_400_000);
    old.setUTCHours(20, 0, 0, 0);
    server.feed("/a.xml", `<?xml version="1.0"?><rss version="2.0"><channel><title>A</title><link>https://a.example/</link>
<item><title>Recent</title><guid>recent</guid><link>https://a.example/r</link><pubDate>${new Date(Date.now() - 3_600_000 - 60_000).toUTCString()}</pubDate></item>
<item><title>Old</title><guid>old</guid><link>https://a.example/o</link><pubDate>${old.toUTCString()}</pubDate></item>
</channel></rss>`);
    server.fail("/b.xml", 500); // a subscription whose fetch fails: its error in German too
    const ext = await browserFor(server, ["/a.xml", "/b.xml"], { timezone: zone });
    await ext.badgeBecomes("2");
    const options = await ext.options();
    await options.select("#language", { value: "de" });
    await ext.until(() => stored(ext), (s) => s.sync.language === "de", { what: "German chosen" });
    await options.close();

    const popup = await ext.popup();
    await popup.waitForSelector("header .count", { text: "2 ungelesen" });
    assert.equal(await popup.eval(() => document.documentElement.lang), "de");
    assert.equal(await popup.eval(() => document.querySelector("header button.home").getAttribute("title")), "Ungelesene Einträge");
    const dates = await popup.texts(`${ROWS} time`);
    assert.equal(dates[0], "vor 1 Stunde");
    const expected = new Intl.DateTimeFormat("de", { dateStyle: "medium", timeZone: zone }).format(old);
    assert.equal(dates[1], expected);
    // The day the user sees there, one after the UTC day.
    const there = new Date(old.getTime() + 14 * 3_600_000);
    const pad = (n) => String(n).padStart(2, "0");
    assert.equal(expected, `${pad(there.getUTCDate())}.${pad(there.getUTCMonth() + 1)}.${there.getUTCFullYear()}`);
    assert.notEqual(there.getUTCDate(), old.getUTCDate());
    // Why a feed failed, in German (the worker stores what failed, not its English words).
    const failed = await popup.waitFor(() => document.querySelector(".feed-error")?.textContent, null, { what: "the feed's error" });
    assert.match(failed, /konnte nicht abgerufen werden: der Server antwortete mit HTTP 500/);
    // The view bar and an entry's bar speak German too.
    assert.equal(await popup.eval(() => document.querySelector("select.scope").getAttribute("aria-label")), "Feed oder Mitglied");
    await popup.click(`${ROWS} .title`, { text: "Recent" });
    await popup.waitForSelector("article.entry-view button.back", { text: "← Zurück" });
    await popup.waitForSelector("article.entry-view button", { text: "Ungelesen lassen" });
    await popup.close();
  });

  test("the settings open from the popup; with marking read by hand, opening an entry leaves it unread", async () => {
    const server = await serverFor();
    server.feed("/a.xml", rss("A", 2));
    const ext = await browserFor(server, ["/a.xml"]);
    await ext.badgeBecomes("2");
    const options = await ext.options();
    await options.click("#mark-read-manual");
    await ext.until(() => stored(ext), (s) => s.sync.mark_read === "manual", { what: "marking by hand" });
    await options.close();
    const popup = await ext.popup();
    // The settings are a click away from the popup.
    if (browser.NAME === "chromium") {
      const tab = await ext.openedTab(() => popup.click("header button.settings"));
      assert.equal(tab.url, ext.url("options.html"));
      await tab.close();
    } else {
      // Firefox's runtime.openOptionsPage opens a tab its driver does not list: the
      // extension's own pages in tabs are asked for instead.
      const optionsTabs = (close = false) =>
        ext.probeEval((close) => {
          const tabs = chrome.extension.getViews({ type: "tab" }).filter((w) => w.location.pathname === "/options.html");
          if (close) tabs.forEach((w) => w.close());
          return tabs.length;
        }, close);
      assert.equal(await optionsTabs(), 0);
      await popup.click("header button.settings");
      await ext.until(() => optionsTabs(), (n) => n === 1, { what: "the options page in a tab" });
      await optionsTabs(true);
    }
    await popup.click(`${ROWS} .title`);
    await popup.waitForSelector("article.entry-view");
    assert.equal(await ext.badge(), "2", "still unread");
    assert.ok((await ext.library("entries")).every((r) => !r.s.read), "no entry marked read");
    await popup.close();
  });
}
