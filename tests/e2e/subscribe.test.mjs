// The subscribe cases (cases/subscribe.mjs) in Chromium, and OPML out of one profile and
// into a fresh one (a download and a file upload: Chromium only).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as chromium from "./lib/extension.mjs";
import { launch, testBuild } from "./lib/extension.mjs";
import { View } from "./lib/driver.mjs";
import { subscribeCases, showSubscriptions } from "./cases/subscribe.mjs";

const shared = subscribeCases(chromium);

test("OPML exported from one profile and imported into a fresh one gives the same subscriptions", async () => {
  const { ext } = shared;
  const popup = await ext.openPopup();
  await showSubscriptions(new View(popup));
  const download = popup.waitForEvent("download");
  await popup.getByRole("button", { name: "Export OPML" }).click();
  const file = await (await download).path();
  const opml = readFileSync(file, "utf8");
  assert.match(opml, /<opml version="2.0">/);
  assert.match(opml, /text="Favourite blog"/);
  await popup.close();

  const fresh = await launch(testBuild({ defaultFeeds: [] }));
  try {
    const other = await fresh.openPopup();
    await showSubscriptions(new View(other));
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
