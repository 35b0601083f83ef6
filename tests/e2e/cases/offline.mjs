// dist/ exactly as it ships (Planet Python at planetpython.org), on a machine with no
// network: what a user behind a broken proxy sees. The feed's error is stated, per feed.
// Shared by both browsers: `browser` is a driver module (lib/extension.mjs or
// lib/firefox.mjs).
import { test, after } from "node:test";
import assert from "node:assert/strict";

export function offlineCases(browser) {
  let ext;
  after(() => ext?.close());

  test("with no network the popup names the default feed and says it cannot be reached", async () => {
    ext = await browser.launch(browser.DIST);
    const popup = await ext.popup();
    const alert = await popup.waitFor(() => document.querySelector(".feed-error")?.textContent, null, { what: "the feed's error", timeout: 30_000 });
    // The feed named with its address, and no "All caught up" while nothing could be fetched.
    assert.match(alert, /^planetpython\.org could not be fetched: could not reach the server.*https:\/\/planetpython\.org\/rss20\.xml$/);
    await popup.waitForSelector(".empty .big", { text: "Nothing could be fetched" });
    // Every feed failing is the error state: "!" on a red badge, and the button says why.
    assert.equal(await ext.badge(), "!");
    assert.equal(await ext.probeEval(() => chrome.action.getTitle({})), "Planet Reader: no feed could be fetched");
    assert.deepEqual((await ext.probeEval(() => chrome.action.getBadgeBackgroundColor({}))).slice(0, 3), [179, 38, 30]);
    // The feed backs off rather than hammering a dead network; the alarm stays set.
    const alarm = await ext.alarm();
    assert.ok(alarm && alarm.scheduledTime > Date.now(), "a retry is scheduled");
    await popup.click('button[aria-label="Subscriptions"]');
    assert.match(await popup.text("li.feed .health"), /Error: could not reach the server/);
  });
}
