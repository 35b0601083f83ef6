// dist/ exactly as it ships (Planet Python at planetpython.org), on a machine with no
// network: what a user behind a broken proxy sees. The feed's error is stated, per feed.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { launch, DIST } from "./lib/extension.mjs";

let ext;
after(() => ext?.close());

test("with no network the popup names the default feed and says it cannot be reached", async () => {
  ext = await launch(DIST);
  const popup = await ext.openPopup();
  const alert = popup.locator(".feed-error");
  await alert.waitFor({ timeout: 30_000 });
  assert.match(await alert.textContent(), /^planetpython\.org: could not reach the server/);
  await popup.getByRole("status").filter({ hasText: "All caught up" }).waitFor();
  assert.equal(await ext.badge(), "");
  // The feed backs off rather than hammering a dead network; the alarm stays set.
  const alarm = await ext.alarm();
  assert.ok(alarm && alarm.scheduledTime > Date.now(), "a retry is scheduled");
  await popup.getByRole("button", { name: "Subscriptions" }).click();
  const feed = popup.locator("li.feed");
  assert.match(await feed.locator(".health").textContent(), /Error: could not reach the server/);
});
