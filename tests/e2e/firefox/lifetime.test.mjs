// Firefox's event page and its idle timeout: a refresh that waits on a slow server is not
// cut short (extension/background.js keeps the page alive while a task is under way), and
// once nothing is under way Firefox unloads the page as usual. Firefox only: Chromium's
// worker is not unloaded while Playwright is attached (lifecycle cases: cases/refresh.mjs).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import * as firefox from "../lib/firefox.mjs";
import { startServer } from "../lib/server.mjs";
import { rss } from "../lib/feeds.mjs";
import { feedsOf } from "../cases/refresh.mjs";

// A short idle timeout (30 s by default), and the keep-alive at the same ratio to it as in
// what ships (a call every 10 s against 30 s): a third.
const IDLE_MS = 3_000;
const KEEP_ALIVE_MS = 1_000;
// How long the slow feed is held: four idle timeouts. A listener's pending promise holds
// the page off once, so without the keep-alive Firefox unloads it after two.
const HELD_MS = 4 * IDLE_MS;

let server, ext;
after(async () => {
  await ext?.close();
  await server?.close();
});

test("a refresh held up by a slow server outlasts the idle timeout, and finishes once, nothing doubled", async () => {
  server = await startServer();
  server.feed("/quick.xml", rss("Quick", 3));
  server.feed("/slow.xml", rss("Slow", 5));
  const release = server.hold("/slow.xml");
  const build = firefox.testBuild({ defaultFeeds: [`${server.origin}/quick.xml`, `${server.origin}/slow.xml`], keepAliveMs: KEEP_ALIVE_MS });
  ext = await firefox.launch(build, { prefs: { "extensions.background.idle.timeout": IDLE_MS } });
  await ext.badgeBecomes("3");
  await ext.until(() => server.requests("/slow.xml").length, (n) => n === 1, { what: "the slow feed asked for" });

  // While the slow feed is held, the page keeps running.
  const states = [];
  for (const end = Date.now() + HELD_MS; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    states.push(await ext.backgroundState());
  }
  release();
  assert.deepEqual([...new Set(states)], ["running"], `the event page's states while the feed was held: ${states}`);

  await ext.badgeBecomes("8");
  assert.equal(server.requests("/slow.xml").length, 1, "the slow feed was asked for once: the run was never cut short");
  const feeds = await feedsOf(ext);
  assert.deepEqual(
    Object.fromEntries(Object.entries(feeds).map(([p, f]) => [p, [f.total, f.error]])),
    { "/quick.xml": [3, null], "/slow.xml": [5, null] },
  );
});

test("with nothing under way, Firefox unloads the event page after its idle timeout", async () => {
  // The probe page reads state without waking the background; the snapshot above was its
  // last task. So the keep-alive has stopped, and the page goes.
  const started = Date.now();
  await ext.until(() => ext.backgroundState(), (s) => s === "stopped", { what: "the event page to be unloaded", timeout: 20 * IDLE_MS });
  console.log(`unloaded ${((Date.now() - started) / 1000).toFixed(1)} s after the last task (idle timeout ${IDLE_MS / 1000} s)`);
  // And wakes for the next message, with the badge right.
  await ext.setBadge("?");
  assert.equal((await ext.request({ type: "snapshot" })).unread, 8);
  await ext.badgeBecomes("8");
});

test("the extension logged no error", () => assert.deepEqual(firefox.errorsSeen(), []));
