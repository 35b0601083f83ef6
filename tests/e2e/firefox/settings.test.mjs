// The settings cases (cases/settings.mjs) in Firefox; that Firefox, which has no
// declarativeContent, runs the extension without it; and nothing in the extension's console.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import * as firefox from "../lib/firefox.mjs";
import { settingsCases } from "../cases/settings.mjs";
import { startServer } from "../lib/server.mjs";
import { rss } from "../lib/feeds.mjs";

settingsCases(firefox);

test("Firefox has no declarativeContent: the toolbar looks the same on every page, and all else works", async () => {
  const server = await startServer();
  server.feed("/a.xml", rss("A", 2));
  const ext = await firefox.launch(firefox.testBuild({ defaultFeeds: [`${server.origin}/a.xml`] }));
  after(async () => {
    await ext.close();
    await server.close();
  });
  await ext.badgeBecomes("2");
  assert.equal(await ext.probeEval(() => typeof browser.declarativeContent), "undefined");
  const options = await ext.options();
  assert.equal(await options.text("h1"), "Planet Reader settings");
  await options.close();
});

test("the extension logged no error", () => assert.deepEqual(firefox.errorsSeen(), []));
