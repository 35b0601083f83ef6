// Two browser profiles of one user, each with the extension, syncing through storage.sync.
// Headless profiles never sync by themselves, so the test does what the browser's sync
// service does: it copies one profile's storage.sync items into the other's (which then
// fires storage.onChanged there), and back.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./lib/server.mjs";
import { launch, testBuild } from "./lib/extension.mjs";
import { rss } from "./lib/feeds.mjs";

let server, a, b;

before(async () => {
  server = await startServer();
  server.feed("/alpha.xml", rss("Alpha", 6, "alpha"));
  server.feed("/beta.xml", rss("Beta", 4, "beta"));
  a = await launch(testBuild({ defaultFeeds: [] }));
  b = await launch(testBuild({ defaultFeeds: [] }));
  await watchSync(a);
  await watchSync(b);
});

after(async () => {
  await a?.close();
  await b?.close();
  await server?.close();
});

const syncItems = async (p) => (await p.probe()).evaluate(() => chrome.storage.sync.get(null));

/**
 * Watch `p`'s storage.sync for the writes its extension makes (its outbox), telling them
 * from the ones `relay` delivers into it.
 */
async function watchSync(p) {
  await (await p.probe()).evaluate(() => {
    globalThis.outbox = [];
    globalThis.delivered = new Map();
    chrome.storage.onChanged.addListener((changes, area) => {
      if (area !== "sync") return;
      for (const [key, { newValue }] of Object.entries(changes)) {
        const value = JSON.stringify(newValue ?? null);
        if (globalThis.delivered.get(key) === value) globalThis.delivered.delete(key);
        else globalThis.outbox.push([key, newValue ?? null]);
      }
    });
  });
}

/**
 * Deliver the writes `from` made since the last delivery to `to`, key by key, as the
 * browser's sync service does (the last writer of a key wins); `to` hears of them through
 * storage.onChanged.
 */
async function relay(from, to) {
  const writes = await (await from.probe()).evaluate(() => globalThis.outbox.splice(0));
  await (await to.probe()).evaluate(async (writes) => {
    const set = {};
    const remove = [];
    for (const [key, value] of writes) {
      globalThis.delivered.set(key, JSON.stringify(value));
      if (value === null) {
        delete set[key];
        remove.push(key);
      } else {
        set[key] = value;
      }
    }
    if (Object.keys(set).length) await chrome.storage.sync.set(set);
    if (remove.length) await chrome.storage.sync.remove(remove);
  }, writes);
  return writes.length;
}

/** Wait until `p` has written something new to its storage.sync. */
async function written(p, since) {
  const before = JSON.stringify(since);
  return p.until(() => syncItems(p), (items) => JSON.stringify(items) !== before, { what: "a sync write" });
}

const snapshot = (p) => p.request({ type: "snapshot" });
const view = (s) => ({ feeds: s.feeds.map((f) => [f.url, f.title]).sort(), unread: s.unread });

test("subscribing in one profile: the feed appears in the other with its entries", async () => {
  const before = await syncItems(a);
  const answer = await a.request({ type: "subscribe", url: `${server.origin}/alpha.xml`, title: null });
  assert.equal(answer.type, "subscribed");
  await a.badgeBecomes("6");
  await written(a, before);
  await relay(a, b);
  await b.badgeBecomes("6");
  assert.deepEqual(view(await snapshot(b)), view(await snapshot(a)));
});

test("reading in the other profile lowers the first one's badge", async () => {
  const before = await syncItems(b);
  const entry = (await snapshot(b)).entries[0];
  await b.request({ type: "mark_read", feed: entry.feed, id: entry.id, read: true });
  await b.badgeBecomes("5");
  await written(b, before);
  await relay(b, a);
  await a.badgeBecomes("5");
});

test("conflicting edits in both profiles before they hear of each other converge", async () => {
  await a.request({ type: "subscribe", url: `${server.origin}/beta.xml`, title: null });
  await a.badgeBecomes("9");
  let before = await syncItems(a);
  await written(a, before);
  await relay(a, b);
  await b.badgeBecomes("9");
  const alpha = (await snapshot(a)).feeds.find((f) => f.url.endsWith("/alpha.xml")).id;
  const beta = (await snapshot(a)).feeds.find((f) => f.url.endsWith("/beta.xml")).id;
  const entry = (await snapshot(a)).entries.find((e) => e.feed === alpha);

  // A unsubscribes Beta and reads the entry; B renames Beta, reads the same entry and, a
  // second later, marks it unread again.
  const [beforeA, beforeB] = [await syncItems(a), await syncItems(b)];
  await a.request({ type: "unsubscribe", feed: beta });
  await a.request({ type: "mark_read", feed: alpha, id: entry.id, read: true });
  await b.request({ type: "rename", feed: beta, title: "Beta, renamed in B" });
  await b.request({ type: "mark_read", feed: alpha, id: entry.id, read: true });
  await new Promise((r) => setTimeout(r, 1100));
  await b.request({ type: "mark_read", feed: alpha, id: entry.id, read: false });
  await written(a, beforeA);
  await written(b, beforeB);

  // The sync service delivers each side's writes to the other until both are quiet.
  let quiet = 0;
  for (let round = 0; round < 20 && quiet < 2; round++) {
    const moved = (await relay(a, b)) + (await relay(b, a));
    quiet = moved === 0 ? quiet + 1 : 0;
    await new Promise((r) => setTimeout(r, 1000));
  }
  assert.equal(quiet, 2, "the profiles stop writing");
  const [sa, sb] = [await snapshot(a), await snapshot(b)];
  assert.deepEqual(view(sa), view(sb));
  assert.deepEqual(sa.feeds.map((f) => f.url), [`${server.origin}/alpha.xml`], "the unsubscribe wins");
  assert.ok(sa.entries.some((e) => e.id === entry.id), "the newest mark (unread) wins");
  assert.equal(await a.badge(), await b.badge());
});

test("a profile with 500 subscriptions stays within storage.sync's quota", async () => {
  const feeds = Array.from({ length: 500 }, (_, i) => ({
    xml_url: `http://127.0.0.1:9/blog-${String(i).padStart(3, "0")}/feed.xml`,
    title: `Blog number ${i} about Python`,
    folder: i % 2 ? "Python" : "Rust / Tools",
  }));
  const before = await syncItems(a);
  const answer = await a.request({ type: "import", feeds });
  assert.deepEqual(answer, { type: "imported", added: 500, skipped: 0 });
  const items = await written(a, before);
  const probe = await a.probe();
  const bytes = await probe.evaluate(() => chrome.storage.sync.getBytesInUse(null));
  assert.ok(bytes <= 102_400, `${bytes} bytes in storage.sync`);
  assert.ok(Object.keys(items).length <= 512, `${Object.keys(items).length} items`);
  assert.ok(Object.entries(items).every(([k, v]) => k.length + JSON.stringify(v).length <= 8192));
  assert.equal((await snapshot(a)).sync, null, "nothing had to be left out");
  console.log(`500 subscriptions: ${bytes} bytes in ${Object.keys(items).length} storage.sync items`);
  await relay(a, b);
  await b.until(async () => (await snapshot(b)).feeds.length, (n) => n === 501, { what: "B to have them all", timeout: 60_000 });
});
