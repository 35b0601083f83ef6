// Two browser profiles of one user, each with the extension, syncing through storage.sync;
// and a storage.sync that holds less than the extension planned for. Headless profiles
// never sync by themselves, so the test does what the browser's sync service does: it
// copies one profile's storage.sync items into the other's (which then fires
// storage.onChanged there), and back. Shared by both browsers: `browser` is a driver module
// (lib/extension.mjs or lib/firefox.mjs).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "../lib/server.mjs";
import { rss } from "../lib/feeds.mjs";

const syncItems = (p) => p.syncItems();

/**
 * Watch `p`'s storage.sync for the writes its extension makes (its outbox), telling them
 * from the ones `relay` delivers into it.
 */
async function watchSync(p) {
  await p.probeEval(() => {
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
  const writes = await from.probeEval(() => globalThis.outbox.splice(0));
  await to.probeEval(async (writes) => {
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

/** `n` subscriptions to feeds that never answer (port 9), as an OPML import brings them. */
const many = (n) => Array.from({ length: n }, (_, i) => ({
  xml_url: `http://127.0.0.1:9/blog-${String(i).padStart(3, "0")}/feed.xml`,
  title: `Blog number ${i} about Python`,
  folder: i % 2 ? "Python" : "Rust / Tools",
}));

/** `storage.sync`'s quota, as both browsers count it. */
const QUOTA_BYTES = 102_400;

/** The sync cases in `browser`. */
export function syncCases(browser) {
  let server, a, b;

  before(async () => {
    server = await startServer();
    server.feed("/alpha.xml", rss("Alpha", 6, "alpha"));
    server.feed("/beta.xml", rss("Beta", 4, "beta"));
    a = await browser.launch(browser.testBuild({ defaultFeeds: [] }));
    b = await browser.launch(browser.testBuild({ defaultFeeds: [] }));
    await watchSync(a);
    await watchSync(b);
  });

  after(async () => {
    await a?.close();
    await b?.close();
    await server?.close();
  });

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

  test("a star made in one profile's popup survives its worker's restart and stars the entry in the other", async () => {
    const before = await syncItems(b);
    const popup = await b.popup();
    await popup.waitForSelector("ul.entries > li");
    const title = await popup.text("ul.entries > li:nth-child(2) .title");
    await popup.click("ul.entries > li:nth-child(2) button.star");
    await popup.waitForSelector('ul.entries > li:nth-child(2) button.star[aria-pressed="true"]');
    await popup.close();
    await written(b, before);
    assert.ok(Object.keys(await syncItems(b)).some((k) => k.startsWith("~t")), "the star is in storage.sync");
    await b.stopWorker();
    const starred = async (p) => (await p.library("entries")).filter((r) => r.s.starred).map((r) => r.e.title);
    assert.deepEqual(await starred(b), [title], "kept across the restart");
    await relay(b, a);
    await a.until(() => starred(a), (t) => t.length === 1 && t[0] === title, { what: "the star in A" });
    const other = await a.popup();
    await other.waitForSelector('select[aria-label="Feed or member"] option', { text: "★ Starred (1)" });
    await other.select('select[aria-label="Feed or member"]', { label: "★ Starred (1)" });
    await other.countBecomes("ul.entries > li", 1);
    assert.equal(await other.text("ul.entries > li .title"), title);
    await other.select('select[aria-label="Feed or member"]', { index: 0 });
    await other.close();
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
    const feeds = many(500);
    const before = await syncItems(a);
    const answer = await a.request({ type: "import", feeds });
    assert.deepEqual(answer, { type: "imported", added: 500, skipped: 0 });
    const items = await written(a, before);
    const bytes = await a.probeEval(() => chrome.storage.sync.getBytesInUse(null));
    assert.ok(bytes <= QUOTA_BYTES, `${bytes} bytes in storage.sync`);
    assert.ok(Object.keys(items).length <= 512, `${Object.keys(items).length} items`);
    assert.ok(Object.entries(items).every(([k, v]) => k.length + JSON.stringify(v).length <= 8192));
    assert.equal((await snapshot(a)).sync, null, "nothing had to be left out");
    console.log(`500 subscriptions: ${bytes} bytes in ${Object.keys(items).length} storage.sync items`);
    await relay(a, b);
    await b.until(async () => (await snapshot(b)).feeds.length, (n) => n === 501, { what: "B to have them all", timeout: 60_000 });
  });

  test("storage.sync refuses a write for its quota: the extension recognises the browser's words, holds back and says so", async () => {
    // This profile plans for 20 % more room than the browser gives (config.js can say so,
    // for this test), and the area also holds 48 KB of items that are not sync's. Its 500
    // subscriptions fit the room it thinks it has, so the browser refuses the first writes
    // in its own words (Chromium 156: "Resource::kQuotaBytes quota exceeded"; Firefox:
    // "QuotaExceededError: storage.sync API call exceeded its quota limitations.").
    // Recognised, each refusal makes the extension hold 10 % back, until what it writes
    // fits; unrecognised, the popup would say "Sync failed".
    const c = await browser.launch(browser.testBuild({ defaultFeeds: [], syncQuotaBytes: QUOTA_BYTES * 1.2 }));
    try {
      const others = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`other-${i}`, "x".repeat(7_990)]));
      await c.putSyncItems(others);
      assert.deepEqual(await c.request({ type: "import", feeds: many(500) }), { type: "imported", added: 500, skipped: 0 });
      const notice = await c.until(async () => (await snapshot(c)).sync, Boolean, { what: "a sync notice", timeout: 60_000 });
      assert.match(notice, /^Browser sync storage is full, so this stays on this browser only: \d+ subscriptions\.$/);
      const bytes = await c.probeEval(() => chrome.storage.sync.getBytesInUse(null));
      const items = await syncItems(c);
      assert.ok(bytes <= QUOTA_BYTES, `${bytes} bytes in storage.sync`);
      for (const [key, value] of Object.entries(others)) assert.equal(items[key], value, "the other items stay");
      assert.equal((await snapshot(c)).feeds.length, 500, "nothing local is lost");
      // The popup says so where the subscriptions are.
      const popup = await c.popup();
      await popup.click('button[aria-label="Subscriptions"]');
      assert.equal(await popup.text(".sync-notice"), notice);
      await popup.close();
      console.log(`a full storage.sync: ${bytes} bytes in ${Object.keys(items).length} items; ${notice}`);
    } finally {
      await c.close();
    }
  });
}
