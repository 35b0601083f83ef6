// The refresh engine in the real browser against a fault-injecting server: conditional
// GETs, errors and recovery, Retry-After, redirects, 410, a silent server, a huge body, an
// HTML page, and the worker stopped in the middle of refreshing 50 feeds. Shared by both
// browsers: `browser` is a driver module (lib/extension.mjs or lib/firefox.mjs).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "../lib/server.mjs";
import { rss } from "../lib/feeds.mjs";

/** The refresh cases in `browser`; `ctx` has the helpers, for more cases. */
export function refreshCases(browser) {
  const opened = [];
  after(async () => {
    for (const x of opened.reverse()) await x.close();
  });

  /** A browser whose extension subscribes to `paths` on `server`. */
  async function browserFor(server, paths, config = {}) {
    const dir = browser.testBuild({ defaultFeeds: paths.map((p) => server.origin + p), ...config });
    const ext = await browser.launch(dir);
    opened.push(ext);
    return ext;
  }

  async function serverFor() {
    const server = await startServer();
    opened.push(server);
    return server;
  }

  test("the second refresh sends If-None-Match, gets a 304, and writes nothing", async () => {
    const server = await serverFor();
    server.feed("/a.xml", rss("A", 5));
    const ext = await browserFor(server, ["/a.xml"]);
    await ext.badgeBecomes("5");
    const library = { entries: await ext.library("entries"), feeds: await ext.library("feeds") };
    const writes = await ext.watchWrites();
    const changes = await ext.watchChanges();
    await ext.makeDue();
    await ext.fireAlarm();
    await ext.until(() => server.requests("/a.xml").length, (n) => n === 2, { what: "the second fetch" });
    const [first, second] = server.requests("/a.xml");
    assert.ok(first.sent.etag, "the server gave an ETag");
    assert.equal(second.headers["if-none-match"], first.sent.etag, "the refresh is conditional");
    await ext.until(() => server.requests("/a.xml")[1].status, (s) => s === 304, { what: "a 304" });
    await new Promise((r) => setTimeout(r, 500)); // let the worker finish the run
    assert.deepEqual(await writes.stop(), [], "no storage.local write");
    assert.deepEqual(await changes.stop(), [], "no change announced by the worker");
    assert.deepEqual(
      { entries: await ext.library("entries"), feeds: await ext.library("feeds") },
      library,
      "the library is as it was",
    );
    const [feed] = Object.values(await feedsOf(ext));
    assert.ok(feed.checked > Date.now() - 10_000, "the check itself is recorded (in storage.session)");
  });

  test("a 500 is shown with the stored entries kept, and the feed recovers", async () => {
    const server = await serverFor();
    server.feed("/a.xml", rss("A", 4));
    const ext = await browserFor(server, ["/a.xml"]);
    await ext.badgeBecomes("4");
    server.fail("/a.xml", 500);
    await ext.makeDue();
    await ext.fireAlarm();
    await ext.until(async () => (await feedsOf(ext))["/a.xml"].error, (e) => e === "the server answered HTTP 500");
    assert.equal(await ext.badge(), "4");
    server.feed("/a.xml", rss("A", 6));
    await ext.makeDue({ failures: true }); // the backoff has passed
    await ext.fireAlarm();
    await ext.badgeBecomes("6");
    assert.equal((await feedsOf(ext))["/a.xml"].error, null);
  });

  test("429 with Retry-After is honoured while the other feeds refresh", async () => {
    const server = await serverFor();
    server.feed("/a.xml", rss("A", 2));
    server.feed("/b.xml", rss("B", 3));
    const ext = await browserFor(server, ["/a.xml", "/b.xml"]);
    await ext.badgeBecomes("5");
    server.fail("/a.xml", 429, { "retry-after": "3600" });
    server.feed("/b.xml", rss("B", 4));
    await ext.makeDue();
    await ext.fireAlarm();
    await ext.badgeBecomes("6");
    const a = (await feedsOf(ext))["/a.xml"];
    assert.equal(a.error, "the server answered HTTP 429");
    const wait = (a.next_due - Date.now()) / 60_000;
    assert.ok(wait > 55 && wait <= 60, `next try in ${wait.toFixed(1)} min, as asked (60)`);
    // Time passes for the regular schedule, not for the server's wait.
    const asked = server.requests("/a.xml").length;
    await ext.makeDue();
    await ext.fireAlarm();
    await ext.until(() => server.requests("/b.xml").length, (n) => n === 3, { what: "b fetched again" });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(server.requests("/a.xml").length, asked, "a is left alone until Retry-After");
  });

  test("a 301 moves the subscription to the new URL; a 302 does not", async () => {
    const server = await serverFor();
    server.route("/old.xml", (req, res) => res.writeHead(301, { location: "/new.xml" }).end());
    server.route("/tmp.xml", (req, res) => res.writeHead(302, { location: "/b.xml" }).end());
    server.feed("/new.xml", rss("Moved", 2));
    server.feed("/b.xml", rss("B", 1));
    const ext = await browserFor(server, ["/old.xml", "/tmp.xml"]);
    await ext.badgeBecomes("3");
    const feeds = await feedsOf(ext);
    assert.ok(feeds["/new.xml"], `subscribed at ${Object.keys(feeds)}`);
    assert.ok(feeds["/tmp.xml"], "the temporary redirect keeps its URL");
    await ext.makeDue();
    await ext.fireAlarm();
    await ext.until(() => server.requests("/new.xml").length, (n) => n === 2, { what: "the new URL fetched" });
    assert.equal(server.requests("/old.xml").length, 1, "the old URL is not asked again");
  });

  test("410 Gone stops polling and says so", async () => {
    const server = await serverFor();
    server.feed("/a.xml", rss("A", 2));
    const ext = await browserFor(server, ["/a.xml"]);
    await ext.badgeBecomes("2");
    server.fail("/a.xml", 410);
    await ext.makeDue();
    await ext.fireAlarm();
    await ext.until(async () => (await feedsOf(ext))["/a.xml"].gone, (g) => g === true, { what: "gone" });
    const popup = await ext.popup();
    await popup.waitForSelector(".feed-error", { text: "gone (HTTP 410)" });
    await popup.close();
    await ext.makeDue({ failures: true });
    await ext.fireAlarm();
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(server.requests("/a.xml").length, 2, "not polled any more");
    assert.equal(await ext.badge(), "2", "its entries stay");
  });

  test("a server that never answers times out while the other feeds refresh", async () => {
    const server = await serverFor();
    server.route("/silent.xml", () => new Promise(() => {})); // never answers
    server.feed("/b.xml", rss("B", 2));
    server.feed("/c.xml", rss("C", 3));
    const ext = await browserFor(server, ["/silent.xml", "/b.xml", "/c.xml"], { timeoutMs: 3000 });
    await ext.badgeBecomes("5");
    await ext.until(async () => (await feedsOf(ext))["/silent.xml"].error, (e) => e === "the server did not answer in 3 s", { what: "the timeout" });
  });

  test("a 20 MB body is cut at the cap; an HTML page is named as one", async () => {
    const server = await serverFor();
    let sent = 0;
    server.route("/huge.xml", (req, res) => {
      res.writeHead(200, { "content-type": "application/rss+xml" });
      const chunk = Buffer.alloc(1 << 20, 32);
      res.write("<rss version=\"2.0\"><channel>");
      // A megabyte every 20 ms, as a remote server would trickle it; stops when the client
      // hangs up.
      let closed = false;
      res.on("close", () => (closed = true));
      const pump = () => {
        if (closed) return;
        if (sent >= 20 << 20) return res.end("</channel></rss>");
        sent += chunk.length;
        res.write(chunk);
        setTimeout(pump, 20);
      };
      pump();
    });
    server.route("/page.xml", (req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><html><head><title>My blog</title></head><body>hi</body></html>"));
    server.feed("/c.xml", rss("C", 1));
    const ext = await browserFor(server, ["/huge.xml", "/page.xml", "/c.xml"], { maxBytes: 5 << 20 });
    await ext.badgeBecomes("1");
    const feeds = await ext.until(() => feedsOf(ext), (f) => f["/huge.xml"].error && f["/page.xml"].error, { what: "both errors" });
    assert.equal(feeds["/huge.xml"].error, "the feed is larger than 5 MB");
    assert.equal(feeds["/page.xml"].error, "this is an HTML page, not a feed");
    assert.ok(sent < 20 << 20, `the download stopped early (${(sent / 1048576).toFixed(0)} MB sent)`);
  });

  test("the worker stopped while refreshing 50 feeds: after restart all 50 complete, counts exact, read marks intact", async () => {
    const server = await serverFor();
    const paths = Array.from({ length: 50 }, (_, i) => `/f${i}.xml`);
    paths.forEach((p, i) => server.feed(p, rss(`Feed ${i}`, 6, `f${i}`)));
    // The second half answers only when released.
    const releases = paths.slice(25).map((p) => server.hold(p));
    const ext = await browserFor(server, paths);
    await ext.badgeBecomes(String(25 * 6), { timeout: 60_000 });
    // Read marks made while the refresh hangs on the slow half.
    const snap = await ext.request({ type: "snapshot" });
    const marked = snap.entries.slice(0, 7);
    for (const e of marked) await ext.request({ type: "mark_read", feed: e.feed, id: e.id, read: true });
    await ext.badgeBecomes(String(25 * 6 - 7));
    await ext.stopWorker();
    releases.forEach((release) => release());
    // Any wake (here a message; opening the popup no longer wakes the worker, which it reads
    // the library without) restarts the worker, which re-arms the alarm for the feeds still due.
    await ext.request({ type: "snapshot" });
    await ext.badgeBecomes(String(50 * 6 - 7), { timeout: 60_000 });
    const after = await ext.request({ type: "snapshot" });
    assert.equal(after.unread, 50 * 6 - 7);
    assert.equal(after.feeds.length, 50);
    assert.ok(after.feeds.every((f) => f.total === 6 && f.error === null), "every feed complete, none doubled");
    const unreadIds = new Set(after.entries.map((e) => e.id));
    assert.ok(marked.every((e) => !unreadIds.has(e.id)), "read marks intact");
  });

  return { browserFor, serverFor, feedsOf };
}

export async function feedsOf(ext) {
  const snap = await ext.request({ type: "snapshot" });
  return Object.fromEntries(snap.feeds.map((f) => [new URL(f.url).pathname, f]));
}
