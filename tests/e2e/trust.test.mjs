// What the extension trusts (Chromium): only its own pages may ask its worker anything or
// read its storage (a content script, which runs in every page the extension reads for
// discovery, may not); and a feed whose reading killed the worker is recorded, not read
// again, while the others go on.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./lib/server.mjs";
import { launch, testBuild } from "./lib/extension.mjs";
import { rss } from "./lib/feeds.mjs";
import { writeFileSync } from "node:fs";
import path from "node:path";

const opened = [];
after(async () => {
  for (const x of opened.reverse()) await x.close();
});

async function setUp() {
  const server = await startServer();
  const dir = testBuild({ defaultFeeds: [] });
  writeFileSync(path.join(dir, "intruder.js"), INTRUDER);
  opened.push(server);
  server.feed("/a.xml", rss("A", 4));
  server.feed("/b.xml", rss("B", 3));
  server.route("/page.html", (req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<title>A page</title>"));
  writeFileSync(path.join(dir, "config.js"), `export const CONFIG = ${JSON.stringify({ defaultFeeds: [server.origin + "/a.xml", server.origin + "/b.xml"] })};\n`);
  const ext = await launch(dir);
  opened.push(ext);
  await ext.badgeBecomes("7");
  return { server, ext };
}

/** Run the content script `file` (written into the test build) in a tab showing `url`. */
async function inContentScript(ext, url, file) {
  const tab = await ext.context.newPage();
  await tab.goto(url);
  const probe = await ext.probe();
  const [result] = await probe.evaluate(async ([url, file]) => {
    const [tab] = await chrome.tabs.query({ url });
    return chrome.scripting.executeScript({ target: { tabId: tab.id }, files: [file] });
  }, [url, file]);
  await tab.close();
  return result?.result;
}

// What the content script tries: ask the worker to reset everything, read storage.
const INTRUDER = `(async () => {
  const out = {};
  try {
    out.answer = (await chrome.runtime.sendMessage({ type: "reset_all" })) ?? null;
  } catch (e) {
    out.refused = String(e.message ?? e);
  }
  for (const area of ["local", "sync"]) {
    try {
      out[area] = Object.keys(await chrome.storage[area].get(null));
    } catch (e) {
      out[area + "Error"] = String(e.message ?? e);
    }
  }
  return out;
})();
`;

test("a content script's requests are ignored and it cannot read the extension's storage", async () => {
  const { server, ext } = await setUp();
  const asked = await inContentScript(ext, server.origin + "/page.html", "intruder.js");
  assert.ok(asked, "the content script ran");
  assert.ok(asked.answer === null || asked.refused, `no answer: ${JSON.stringify(asked)}`);
  assert.equal(asked.local, undefined, `storage.local is closed to it: ${JSON.stringify(asked)}`);
  assert.equal(asked.sync, undefined, `storage.sync is closed to it: ${JSON.stringify(asked)}`);
  // Nothing was reset: the entries are all there, unread.
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await ext.badge(), "7");
  assert.equal((await ext.library("entries")).length, 7);
  // The extension's own pages still are answered.
  assert.equal((await ext.request({ type: "snapshot", limit: 1 })).unread, 7);
});

test("a feed whose reading killed the worker is recorded as such; the others refresh", async () => {
  const { server, ext } = await setUp();
  const snap = await ext.request({ type: "snapshot", limit: 1 });
  const a = snap.feeds.find((f) => f.url.endsWith("/a.xml")).id;
  // Feed A has a new body; the previous worker wrote A's attempt marker for it and died.
  const body = rss("A", 5);
  server.feed("/a.xml", body);
  server.feed("/b.xml", rss("B", 4));
  await ext.makeDue(); // (clears storage.session, where the marker goes: first)
  const bodyHash = await (await ext.probe()).evaluate(async ([feed, text]) => {
    // FNV-1a 64, as core::identity::short_hash computes it over the bytes.
    let h = 0xcbf29ce484222325n;
    for (const b of new TextEncoder().encode(text)) h = BigInt.asUintN(64, (h ^ BigInt(b)) * 0x100000001b3n);
    const hash = h.toString(16).padStart(16, "0");
    await chrome.storage.session.set({ [`attempt:${feed}`]: { at: Date.now() - 60_000, body_hash: hash } });
    return hash;
  }, [a, body]);
  assert.match(bodyHash, /^[0-9a-f]{16}$/);
  await ext.stopWorker();
  await ext.fireAlarm();
  await ext.badgeBecomes("8", { timeout: 30_000 }); // B's new entry arrived; A's did not
  const feeds = Object.fromEntries((await ext.request({ type: "snapshot", limit: 1 })).feeds.map((f) => [f.url.split("/").pop(), f]));
  assert.match(feeds["a.xml"].error ?? "", /stopped Planet Reader/);
  assert.equal(feeds["a.xml"].total, 4, "its stored entries stay; the fatal body was not read");
  assert.equal(feeds["b.xml"].error, null);
  const stalled = (await ext.library("feeds")).find((f) => f.id === a);
  assert.equal(stalled.state.poison, bodyHash, "that body is never parsed again");
});
