// The extension end to end, as a person uses it: Planet Python fetched from a local fixture
// server, the badge, the popup, read marks, the alarm, the worker's death and rebirth, and a
// failing server. One browser profile; the steps build on each other.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { startServer } from "./lib/server.mjs";
import { launch, testBuild, ROOT } from "./lib/extension.mjs";
import { PLANET, items, withoutNewest, withNewestDescription, field, unescapeXml } from "./lib/fixtures.mjs";

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

let server, ext;

before(async () => {
  server = await startServer();
  // Before the 3 newest items were posted.
  server.feed(FEED_PATH, withoutNewest(3));
  ext = await launch(testBuild({ defaultFeeds: [server.origin + FEED_PATH] }));
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
  const popup = await ext.openPopup();
  const rows = popup.locator("ul.entries > li");
  await assert.doesNotReject(rows.first().waitFor());
  assert.equal(await rows.count(), TOTAL - 3);
  // The newest entry still listed is the fixture's 4th item.
  const [member, title] = unescapeXml(field(items()[3], "title")).split(/: (.*)/s);
  assert.equal(await rows.nth(0).locator(".member").textContent(), member);
  assert.equal(await rows.nth(0).locator(".title").textContent(), title);
  assert.match(await rows.nth(0).locator("time").textContent(), /^\d+ (min|h) ago$/);
  const members = new Set(await popup.locator("ul.entries .member").allTextContents());
  assert.ok(members.has("Real Python") && members.has("Django Weblog"), [...members].join(", "));
  assert.equal(await popup.locator("header .count").textContent(), `${TOTAL - 3} unread`);
  mkdirSync(path.join(ROOT, "tests/e2e/screenshots"), { recursive: true });
  await popup.screenshot({ path: path.join(ROOT, "tests/e2e/screenshots/popup.png") });
  await popup.close();
});

test("the list can be narrowed to one member blog", async () => {
  const popup = await ext.openPopup();
  const filter = popup.getByRole("combobox", { name: "Show entries by" });
  await filter.waitFor();
  const options = await filter.locator("option").allTextContents();
  assert.equal(options[0], `Everyone (${TOTAL - 3})`);
  const realPython = options.find((o) => o.startsWith("Real Python ("));
  const count = Number(realPython.match(/\((\d+)\)/)[1]);
  assert.ok(count >= 2, realPython);
  await filter.selectOption({ label: realPython });
  await popup.waitForFunction((n) => document.querySelectorAll("ul.entries > li").length === n, count);
  const members = await popup.locator("ul.entries .member").allTextContents();
  assert.deepEqual([...new Set(members)], ["Real Python"]);
  await filter.selectOption({ index: 0 });
  await popup.waitForFunction((n) => document.querySelectorAll("ul.entries > li").length === n, TOTAL - 3);
  await popup.close();
});

test("opening an entry shows its content and marks it read: the badge drops by one", async () => {
  const popup = await ext.openPopup();
  const first = popup.locator("ul.entries > li").first();
  const title = await first.locator(".title").textContent();
  await first.locator("button").click();
  const view = popup.locator("article.entry-view");
  await view.waitFor();
  assert.equal(await view.locator("h2").textContent(), title);
  assert.ok((await view.locator(".content p").count()) > 0, "the entry's paragraphs are shown");

  await ext.badgeBecomes(String(TOTAL - 4));
  // Mark unread, then read again.
  await popup.getByRole("button", { name: "Mark unread" }).click();
  await ext.badgeBecomes(String(TOTAL - 3));
  await popup.getByRole("button", { name: "Mark read" }).click();
  await ext.badgeBecomes(String(TOTAL - 4));
  await popup.getByRole("button", { name: "Back to the list" }).click();
  await popup.locator("ul.entries").waitFor();
  // The list keeps its place: the entry read stays where it was, shown as read.
  assert.equal(await popup.locator("ul.entries > li").count(), TOTAL - 3);
  assert.equal(await popup.locator("ul.entries > li.read .title").textContent(), title);
  await popup.close();
});

test("relative images in entries are made absolute against the entry's link", async () => {
  const popup = await ext.openPopup();
  // The fixture gives every third entry an image; the 7th item's is relative ("images/cover.png").
  const item = items()[6];
  const link = field(item, "link");
  const [, title] = unescapeXml(field(item, "title")).split(/: (.*)/s);
  await popup.locator("ul.entries .title", { hasText: title }).first().click();
  const img = popup.locator("article.entry-view .content img").first();
  await img.waitFor({ state: "attached" });
  assert.equal(await img.getAttribute("src"), new URL("images/cover.png", link).href);
  await popup.close();
});

test("mark all read empties the badge and shows the empty state", async () => {
  const popup = await ext.openPopup();
  await popup.locator("ul.entries > li").first().waitFor();
  await popup.getByRole("button", { name: "Mark all read" }).click();
  await ext.badgeBecomes("");
  await popup.getByRole("status").filter({ hasText: "All caught up" }).waitFor();
  await popup.close();
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
  const popup = await ext.openPopup();
  const titleBefore = await popup.title();
  const [, title] = unescapeXml(field(items()[0], "title")).split(/: (.*)/s);
  await popup.locator("ul.entries .title", { hasText: title }).first().click();
  const content = popup.locator("article.entry-view .content");
  await content.locator("b").waitFor();
  assert.equal(await content.locator("b").textContent(), "world");
  // No script, frame or form (a form control may stay, inert: it has no form to submit).
  assert.equal(await content.locator("script, iframe, form").count(), 0);
  const html = await content.innerHTML();
  assert.doesNotMatch(html, /onerror|javascript:|position:\s*fixed/i, html);
  await popup.waitForTimeout(300); // give a broken image's onerror time to run, if it could
  assert.equal(await popup.title(), titleBefore);
  const link = content.locator("a", { hasText: "click me" });
  assert.doesNotMatch((await link.getAttribute("href")) ?? "", /javascript/i);
  assert.equal(await link.getAttribute("target"), "_blank");
  assert.equal(await link.getAttribute("rel"), "noopener noreferrer");
  // A link opens in a new tab (tabs.create); relative links were resolved when stored.
  const local = content.locator("a", { hasText: "a relative link" });
  const href = await local.getAttribute("href");
  assert.equal(href, new URL("/hello", field(items()[0], "link")).href);
  const opened = ext.context.waitForEvent("page");
  await local.click();
  const tab = await opened;
  await tab.waitForLoadState("commit").catch(() => {});
  // The tab's target names the address it was opened at (the page itself is an error page:
  // no test reaches the internet), and the page has no handle on the popup.
  const { targetInfo } = await (await ext.context.newCDPSession(tab)).send("Target.getTargetInfo");
  assert.equal(targetInfo.url, href);
  assert.equal(targetInfo.canAccessOpener, false);
  await tab.close();
  await popup.getByRole("button", { name: "Mark unread" }).click(); // keep the count at 3
  await ext.badgeBecomes("3");
  await popup.close();
});

test("the worker stopped and started again: badge and popup unchanged", async () => {
  await ext.stopWorker();
  // Spoil the badge while no worker runs: only a worker that recounts from storage on
  // start puts it right again.
  await ext.setBadge("?");
  const popup = await ext.openPopup(); // the popup's request starts the worker
  await ext.badgeBecomes("3");
  await popup.locator("ul.entries > li").first().waitFor();
  assert.equal(await popup.locator("ul.entries > li").count(), 3);
  await popup.close();
});

test("the server answers 500: the popup states the error and keeps the stored entries", async () => {
  server.fail(FEED_PATH, 500);
  const popup = await ext.openPopup();
  await popup.locator("ul.entries > li").first().waitFor();
  await popup.getByRole("button", { name: "Refresh now" }).click();
  const alert = popup.locator(".feed-error");
  await alert.waitFor();
  assert.match(await alert.textContent(), /Planet Python.*HTTP 500/);
  assert.equal(await popup.locator("ul.entries > li").count(), 3);
  assert.equal(await ext.badge(), "3");
  await popup.close();
});
