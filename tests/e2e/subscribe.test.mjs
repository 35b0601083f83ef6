// Subscribing from the toolbar popup to the feed of the page in the current tab, by one
// click; pages with a declared feed, a probed feed, and none; managing subscriptions; OPML
// out of one profile and into a fresh one.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { startServer } from "./lib/server.mjs";
import { launch, testBuild } from "./lib/extension.mjs";
import { rss } from "./lib/feeds.mjs";

let server, bare, ext;
const html = (head, body = "<p>Hello</p>") =>
  `<!doctype html><html><head><meta charset="utf-8"><title>Blog</title>${head}</head><body>${body}</body></html>`;

before(async () => {
  server = await startServer();
  server.route("/blog/", (req, res) => res.writeHead(200, { "content-type": "text/html" }).end(html(
    `<link rel="alternate" type="application/rss+xml" title="The Blog » Feed" href="/blog/feed/">
     <link rel="alternate" type="application/rss+xml" title="The Blog » Comments Feed" href="/blog/comments/feed/">`)));
  server.feed("/blog/feed/", rss("The Blog", 5, "blog"));
  server.feed("/blog/comments/feed/", rss("Comments on The Blog", 8, "comments"));
  server.route("/jekyll/", (req, res) => res.writeHead(200, { "content-type": "text/html" }).end(html("")));
  server.feed("/feed.xml", rss("Jekyll Site", 3, "jekyll"), { type: "application/atom+xml" });
  // A site with no feed anywhere: its own server, so probing finds nothing.
  bare = await startServer();
  bare.route("/plain/", (req, res) => res.writeHead(200, { "content-type": "text/html" }).end(html("")));
  ext = await launch(testBuild({ defaultFeeds: [] }));
});

after(async () => {
  await ext?.close();
  await server?.close();
  await bare?.close();
});

/** The subscriptions screen (the popup reopens on the screen it was left on). */
async function showSubscriptions(popup) {
  const button = popup.getByRole("button", { name: "Subscriptions", exact: true });
  if ((await button.getAttribute("aria-pressed")) !== "true") await button.click();
  await popup.locator("section.manage").waitFor();
}

const FOUND = 'ul[aria-label="Feeds on 127.0.0.1"] > li';

test("a page announcing its feed: one click in the popup subscribes, entries appear, the badge grows", async () => {
  const { tab, popup } = await ext.popupOver(`${server.origin}/blog/`);
  await popup.click('button[aria-label="Subscribe"]');
  await popup.waitFor((s) => document.querySelectorAll(s).length > 0, FOUND, { what: "the feeds found" });
  const rows = await popup.texts(FOUND);
  assert.equal(rows.length, 2);
  assert.match(rows[0], /The Blog.*RSS 2\.0 · 5 entries.*announced by the page/s);
  assert.match(rows[1], /Comments on The Blog/, "the comments feed comes last");
  assert.equal(server.requests("/feed.xml").length, 0, "no probing when the page says where its feed is");
  await popup.click('button[aria-label="Subscribe to The Blog"]');
  await popup.waitFor(() => document.body.textContent.includes("Subscribed ✓"), null, { what: "Subscribed ✓" });
  await ext.badgeBecomes("5");
  await popup.click('button[aria-label="Unread entries"]');
  await popup.waitFor(() => document.querySelectorAll("ul.entries > li").length === 5, null, { what: "5 entries" });
  await popup.close();
  await tab.close();
});

test("a page with no feed link but a /feed.xml on its server: found by probing", async () => {
  const { tab, popup } = await ext.popupOver(`${server.origin}/jekyll/`);
  await popup.click('button[aria-label="Subscribe"]');
  await popup.waitFor((s) => document.querySelectorAll(s).length > 0, FOUND, { what: "the feeds found" });
  const rows = await popup.texts(FOUND);
  assert.equal(rows.length, 1);
  assert.match(rows[0], /Jekyll Site.*\/feed\.xml.*found at a usual address/s);
  await popup.click('button[aria-label="Subscribe to Jekyll Site"]');
  await ext.badgeBecomes("8");
  await popup.close();
  await tab.close();
});

test("a page with nothing says so clearly", async () => {
  const { tab, popup } = await ext.popupOver(`${bare.origin}/plain/`);
  await popup.click('button[aria-label="Subscribe"]');
  const said = await popup.waitFor(() => document.querySelector('.subscribe [role="status"]')?.textContent.startsWith("No feed") && document.querySelector('.subscribe [role="status"]').textContent, null, { what: "no feed found" });
  assert.equal(said, "No feed found on 127.0.0.1.");
  assert.ok(bare.requests("/feed.xml").length === 1, "the usual addresses were tried");
  await popup.close();
  await tab.close();
});

test("a typed site address goes through discovery", async () => {
  const popup = await ext.openPopup();
  await popup.getByRole("button", { name: "Subscribe", exact: true }).click();
  await popup.getByRole("textbox", { name: "Site or feed address" }).fill(`${server.origin}/blog/`);
  await popup.getByRole("button", { name: "Find feeds" }).click();
  const rows = popup.getByRole("list", { name: "Feeds on 127.0.0.1" }).locator("li");
  await rows.first().waitFor();
  assert.match(await rows.nth(0).textContent(), /The Blog.*Subscribed ✓/s, "already subscribed is marked");
  await popup.close();
});

test("subscriptions show counts and health; rename and unsubscribe", async () => {
  const popup = await ext.openPopup();
  await showSubscriptions(popup);
  const feeds = popup.locator("li.feed");
  await feeds.first().waitFor();
  assert.equal(await feeds.count(), 2);
  const names = await feeds.locator(".name").allTextContents();
  const blog = feeds.nth(names.indexOf("The Blog"));
  assert.match(await blog.locator(".counts").textContent(), /5 unread of 5/);
  assert.match(await blog.locator(".health").textContent(), /Checked .* · next refresh in \d+ min/);
  await blog.getByRole("button", { name: "Rename The Blog" }).click();
  await blog.getByRole("textbox", { name: "New name" }).fill("Favourite blog");
  await blog.getByRole("button", { name: "Save name" }).click();
  await feeds.filter({ hasText: "Favourite blog" }).waitFor();
  const jekyll = feeds.nth(names.indexOf("Jekyll Site"));
  await jekyll.getByRole("button", { name: "Unsubscribe from Jekyll Site" }).click();
  await jekyll.getByRole("button", { name: "Confirm unsubscribe" }).click();
  await ext.badgeBecomes("5");
  await ext.until(() => feeds.count(), (n) => n === 1, { what: "one subscription left" });
  const feedsWithEntries = new Set((await ext.library("entries")).map((r) => r.k[0]));
  assert.equal(feedsWithEntries.size, 1, `entries of one feed: ${[...feedsWithEntries]}`);
  assert.equal((await ext.library("feeds")).length, 1, "one feed record");
  await popup.close();
});

test("OPML exported from one profile and imported into a fresh one gives the same subscriptions", async () => {
  const popup = await ext.openPopup();
  await showSubscriptions(popup);
  const download = popup.waitForEvent("download");
  await popup.getByRole("button", { name: "Export subscriptions as OPML" }).click();
  const file = await (await download).path();
  const opml = readFileSync(file, "utf8");
  assert.match(opml, /<opml version="2.0">/);
  assert.match(opml, /text="Favourite blog"/);
  await popup.close();

  const fresh = await launch(testBuild({ defaultFeeds: [] }));
  try {
    const other = await fresh.openPopup();
    await showSubscriptions(other);
    await other.getByLabel("Import an OPML file").setInputFiles(file);
    await other.getByRole("status").filter({ hasText: "1 new feed, 0 already there" }).waitFor();
    await other.getByRole("button", { name: "Import 1 feeds" }).click();
    await fresh.badgeBecomes("5");
    const mine = (await ext.request({ type: "snapshot" })).feeds.map((f) => [f.url, f.title]);
    const theirs = (await fresh.request({ type: "snapshot" })).feeds.map((f) => [f.url, f.title]);
    assert.deepEqual(theirs, mine);
  } finally {
    await fresh.close();
  }
});
