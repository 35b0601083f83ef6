// The refresh cases (cases/refresh.mjs) in Chromium, and the migration of schema 2 data.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as chromium from "./lib/extension.mjs";
import { refreshCases } from "./cases/refresh.mjs";
import { rss } from "./lib/feeds.mjs";

const { browserFor, serverFor } = refreshCases(chromium);

test("schema 2 data (one HTML map per feed) is migrated when the worker starts", async () => {
  const server = await serverFor();
  server.feed("/a.xml", rss("A", 3));
  const ext = await browserFor(server, ["/a.xml"]);
  await ext.badgeBecomes("3");
  // Put what is stored back into schema 2: every entry's HTML in one content:<feed> map.
  const feed = await (await ext.probe()).evaluate(async () => {
    const all = await chrome.storage.local.get(null);
    const maps = {};
    for (const [key, html] of Object.entries(all)) {
      const [, feed, entry] = key.match(/^html:([^:]+):(.*)$/s) ?? [];
      if (feed) (maps[`content:${feed}`] ??= {})[entry] = html;
    }
    await chrome.storage.local.remove(Object.keys(all).filter((k) => k.startsWith("html:")));
    await chrome.storage.local.set({ ...maps, meta: { schema: 2 } });
    return Object.keys(maps)[0].slice("content:".length);
  });
  await ext.stopWorker();

  const snap = await ext.request({ type: "snapshot" }); // wakes the worker: start, migrate
  assert.equal(snap.unread, 3);
  const newest = snap.entries[0];
  const opened = await ext.request({ type: "get_entry", feed: newest.feed, id: newest.id });
  assert.equal(opened.html, "<p>Body 0 of A</p>");
  const stored = await ext.storage();
  assert.equal(stored.meta.schema, 3);
  assert.deepEqual(Object.keys(stored).filter((k) => k.startsWith("content:")), []);
  assert.equal(Object.keys(stored).filter((k) => k.startsWith(`html:${feed}:`)).length, 3);
});
