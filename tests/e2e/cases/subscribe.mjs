// Subscribing from the popup to the feed of the page in the current tab, by one click; pages
// with a declared feed, a probed feed, and none; a typed address; managing subscriptions; a
// blog offered in RSS, Atom and JSON Feed, of which the person picks Atom.
// Shared by both browsers: `browser` is a driver module (lib/extension.mjs or
// lib/firefox.mjs). The popup over the page is Chromium's real toolbar popup, and in Firefox
// popup.html in a tab behind the page's (Firefox's toolbar panel cannot be reached).
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "../lib/server.mjs";
import { atom, jsonFeed, rss } from "../lib/feeds.mjs";

const html = (head, body = "<p>Hello</p>") =>
  `<!doctype html><html><head><meta charset="utf-8"><title>Blog</title>${head}</head><body>${body}</body></html>`;

const FOUND = 'ul[aria-label="Feeds on 127.0.0.1"] > li';
const button = (label) => `button[aria-label="${label}"]`;

/** The popup's subscriptions screen (the popup reopens on the screen it was left on). */
export async function showSubscriptions(popup) {
  const pressed = await popup.eval((s) => document.querySelector(s)?.getAttribute("aria-pressed"), button("Subscriptions"));
  if (pressed !== "true") await popup.click(button("Subscriptions"));
  await popup.waitForSelector("section.manage");
}

/** The subscribe cases in `browser`; the profile they share is `ctx.ext` (for more cases). */
export function subscribeCases(browser) {
  const ctx = {};
  let server, bare, ext;

  before(async () => {
    server = ctx.server = await startServer();
    server.route("/blog/", (req, res) => res.writeHead(200, { "content-type": "text/html" }).end(html(
      `<link rel="alternate" type="application/rss+xml" title="The Blog » Feed" href="/blog/feed/">
       <link rel="alternate" type="application/rss+xml" title="The Blog » Comments Feed" href="/blog/comments/feed/">`)));
    server.feed("/blog/feed/", rss("The Blog", 5, "blog"));
    server.feed("/blog/comments/feed/", rss("Comments on The Blog", 8, "comments"));
    server.route("/jekyll/", (req, res) => res.writeHead(200, { "content-type": "text/html" }).end(html("")));
    server.feed("/feed.xml", rss("Jekyll Site", 3, "jekyll"), { type: "application/atom+xml" });
    // One blog in three formats, declared in its <head>, RSS first.
    server.route("/multi/", (req, res) => res.writeHead(200, { "content-type": "text/html" }).end(html(
      `<link rel="alternate" type="application/rss+xml" title="Multi Blog (RSS)" href="/multi/rss.xml">
       <link rel="alternate" type="application/atom+xml" title="Multi Blog (Atom)" href="/multi/atom.xml">
       <link rel="alternate" type="application/feed+json" title="Multi Blog (JSON)" href="/multi/feed.json">`)));
    server.feed("/multi/rss.xml", rss("Multi Blog", 4, "multi"));
    server.feed("/multi/atom.xml", atom("Multi Blog", 4, "multi"), { type: "application/atom+xml" });
    server.feed("/multi/feed.json", jsonFeed("Multi Blog", 4, "multi"), { type: "application/feed+json" });
    // A site with no feed anywhere: its own server, so probing finds nothing.
    bare = await startServer();
    bare.route("/plain/", (req, res) => res.writeHead(200, { "content-type": "text/html" }).end(html("")));
    ext = ctx.ext = await browser.launch(browser.testBuild({ defaultFeeds: [] }));
  });

  after(async () => {
    await ext?.close();
    await server?.close();
    await bare?.close();
  });

  test("a page announcing its feed: one click in the popup subscribes, entries appear, the badge grows", async () => {
    const { tab, popup } = await ext.popupOver(`${server.origin}/blog/`);
    await popup.click(button("Subscribe"));
    await popup.waitFor((s) => document.querySelectorAll(s).length > 0, FOUND, { what: "the feeds found" });
    const rows = await popup.texts(FOUND);
    assert.equal(rows.length, 2);
    assert.match(rows[0], /The Blog.*RSS 2\.0 · 5 entries.*announced by the page/s);
    assert.match(rows[1], /Comments on The Blog/, "the comments feed comes last");
    assert.equal(server.requests("/feed.xml").length, 0, "no probing when the page says where its feed is");
    await popup.click(button("Subscribe to The Blog"));
    await popup.waitFor(() => document.body.textContent.includes("Subscribed ✓"), null, { what: "Subscribed ✓" });
    // "Subscribed ✓" and "Read" side by side, not drawn over each other.
    const [done, read] = await popup.eval(() => [".subscribed", 'button[aria-label="Read The Blog"]']
      .map((s) => document.querySelector(s).getBoundingClientRect().toJSON()));
    const apart = done.right <= read.left || read.right <= done.left || done.bottom <= read.top || read.bottom <= done.top;
    assert.ok(apart, `they overlap: ${JSON.stringify([done, read])}`);
    if (browser.NAME === "chromium") {
      // (Firefox's popup is a tab in the background here, which gets no animation frame.)
      await popup.waitFor(() => document.activeElement?.getAttribute("aria-label") === "Read The Blog", null, { what: "the focus on Read" });
    }
    await ext.badgeBecomes("5");
    await popup.click("header h1 button");
    await popup.waitFor(() => document.querySelectorAll("ul.entries > li").length === 5, null, { what: "5 entries" });
    await popup.close();
    await tab.close();
  });

  test("a page with no feed link but a /feed.xml on its server: found by probing", async () => {
    const { tab, popup } = await ext.popupOver(`${server.origin}/jekyll/`);
    await popup.click(button("Subscribe"));
    await popup.waitFor((s) => document.querySelectorAll(s).length > 0, FOUND, { what: "the feeds found" });
    const rows = await popup.texts(FOUND);
    assert.equal(rows.length, 1);
    assert.match(rows[0], /Jekyll Site.*\/feed\.xml.*found at a usual address/s);
    await popup.click(button("Subscribe to Jekyll Site"));
    await ext.badgeBecomes("8");
    await popup.close();
    await tab.close();
  });

  test("a page with nothing says so clearly", async () => {
    const { tab, popup } = await ext.popupOver(`${bare.origin}/plain/`);
    await popup.click(button("Subscribe"));
    const said = await popup.waitFor(() => document.querySelector('.subscribe [role="status"]')?.textContent.startsWith("No feed") && document.querySelector('.subscribe [role="status"]').textContent, null, { what: "no feed found" });
    assert.equal(said, "No feed found on 127.0.0.1.");
    assert.ok(bare.requests("/feed.xml").length === 1, "the usual addresses were tried");
    await popup.close();
    await tab.close();
  });

  test("a typed site address goes through discovery", async () => {
    const popup = await ext.popup();
    await popup.click(button("Subscribe"));
    await popup.fill('input[aria-label="Site or feed address"]', `${server.origin}/blog/`);
    await popup.click(button("Find feeds"));
    await popup.waitForSelector(FOUND);
    assert.match((await popup.texts(FOUND))[0], /The Blog.*Subscribed ✓/s, "already subscribed is marked");
    // Not an address: said at once, and no permission is asked for it.
    const origins = () => ext.probeEval(async () => (await chrome.permissions.getAll()).origins);
    const before = await origins();
    await popup.fill('input[aria-label="Site or feed address"]', "not a url");
    await popup.click(button("Find feeds"));
    await popup.waitForSelector(".subscribe .notice", { text: "“not a url” is not a web address." });
    assert.deepEqual(await origins(), before);
    // A site whose front page answers 404 is probed at the usual addresses.
    await popup.fill('input[aria-label="Site or feed address"]', `${server.origin}/`);
    await popup.click(button("Find feeds"));
    await popup.waitForSelector(FOUND, { text: "Jekyll Site" });
    assert.match((await popup.texts(FOUND))[0], /Jekyll Site.*found at a usual address/s);
    await popup.close();
  });

  test("subscriptions show counts and health; rename and unsubscribe", async () => {
    const popup = await ext.popup();
    await showSubscriptions(popup);
    await popup.countBecomes("li.feed", 2);
    const blog = await popup.eval(() => {
      const li = [...document.querySelectorAll("li.feed")].find((f) => f.querySelector(".name button")?.textContent === "The Blog");
      return { counts: li.querySelector(".counts").textContent, health: li.querySelector(".health").textContent };
    });
    assert.match(blog.counts, /5 unread of 5/);
    assert.match(blog.health, /Checked .* · next refresh in \d+ min/);
    await popup.click(button("Rename The Blog"));
    await popup.fill('input[aria-label="New name"]', "Favourite blog");
    await popup.click(button("Save name"));
    await popup.waitForSelector("li.feed .name", { text: "Favourite blog" });
    await popup.click(button("Unsubscribe from Jekyll Site"));
    await popup.click(button("Confirm unsubscribe"));
    await ext.badgeBecomes("5");
    await popup.countBecomes("li.feed", 1);
    await popup.waitFor(() => document.activeElement?.closest("li.feed .name") !== null, null, { what: "the focus on the next subscription" });
    const stored = await ext.storedFeeds();
    assert.equal(stored.length, 1, `entries of one feed are stored: ${stored}`);
    await popup.close();
  });

  test("one blog in RSS, Atom and JSON Feed is one row offering the three; picking Atom subscribes to the Atom URL", async () => {
    const { tab, popup } = await ext.popupOver(`${server.origin}/multi/`);
    await popup.click(button("Subscribe"));
    await popup.waitFor((s) => document.querySelectorAll(s).length > 0, FOUND, { what: "the feeds found" });
    const rows = await popup.texts(FOUND);
    assert.equal(rows.length, 1, `one row for the three versions: ${rows}`);
    assert.match(rows[0], /Multi Blog.*\/multi\/rss\.xml.*RSS 2\.0 · 4 entries/s, "RSS, declared first, is the default");
    const group = '[role="group"][aria-label="Format of Multi Blog"]';
    const offered = await popup.eval((g) => [...document.querySelectorAll(`${g} button`)].map((b) => [b.textContent, b.getAttribute("aria-pressed")]), group);
    assert.deepEqual(offered, [["RSS", "true"], ["Atom", "false"], ["JSON", "false"]]);

    await popup.click(`${group} button`, { text: "Atom" });
    const shown = await popup.waitFor((s) => {
      const row = document.querySelector(s);
      return row.querySelector('button[title="Atom 1.0"]').getAttribute("aria-pressed") === "true" && row.textContent;
    }, FOUND, { what: "Atom to be picked" });
    assert.match(shown, /\/multi\/atom\.xml.*Atom 1\.0 · 4 entries/s, "the row shows the picked version");

    await popup.click(button("Subscribe to Multi Blog"));
    await popup.waitFor(() => document.body.textContent.includes("Subscribed ✓"), null, { what: "Subscribed ✓" });
    const feeds = (await ext.request({ type: "snapshot" })).feeds;
    const multi = feeds.filter((f) => f.url.includes("/multi/"));
    assert.deepEqual(multi.map((f) => f.url), [`${server.origin}/multi/atom.xml`], "the Atom URL, and only it");
    await popup.close();
    await tab.close();
    // The profile goes on to other cases (OPML) as it was.
    await ext.request({ type: "unsubscribe", feed: multi[0].id });
    await ext.badgeBecomes("5");
  });

  return ctx;
}
