// The migration into the library, on a real profile: tests/fixtures/profile-v3 holds the
// storage.local and storage.sync of a Chromium profile as the release build of schema 3
// left it (entries and read marks of two feeds in storage.local, a renamed subscription,
// the sync replica; made by tests/fixtures/profile-v3/make.mjs). This build starts on it:
// everything moves into IndexedDB, nothing is lost, and storage.local keeps only what
// belongs there.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { launch, testBuild, ROOT, TEST_ID, TEST_KEY } from "./lib/extension.mjs";

const FIXTURE = path.join(ROOT, "tests/fixtures/profile-v3");
const expected = JSON.parse(readFileSync(path.join(FIXTURE, "expected.json"), "utf8"));
const before = JSON.parse(readFileSync(path.join(FIXTURE, "storage-local.json"), "utf8"));

/** A fresh profile holding the fixture's extension storage. */
function profileFromFixture() {
  const profile = mkdtempSync(path.join(tmpdir(), "planet-reader-v3-"));
  for (const dir of ["Local Extension Settings", "Sync Extension Settings"]) {
    cpSync(path.join(FIXTURE, dir, TEST_ID), path.join(profile, "Default", dir, TEST_ID), { recursive: true });
  }
  return profile;
}

test("a schema-3 profile is migrated into the library with every entry, read mark and name", async () => {
  assert.equal(before.meta.schema, 3, "the fixture is schema 3");
  // No feed server: nothing is fetched, so what shows is what was migrated.
  const ext = await launch(testBuild({ defaultFeeds: [] }, { key: TEST_KEY }), { profile: profileFromFixture() });
  try {
    assert.equal(ext.id, TEST_ID);
    await ext.badgeBecomes(String(expected.unread));

    const records = await ext.library("entries");
    const of = (feed) => records.filter((r) => r.k[0] === feed && r.e);
    const oldEntries = (feed) => before[`entries:${feed}`].map((e) => e.id).sort();
    assert.deepEqual(of(expected.planet).map((r) => r.k[1]).sort(), oldEntries(expected.planet));
    assert.deepEqual(of(expected.blog).map((r) => r.k[1]).sort(), oldEntries(expected.blog));
    const status = (feed, id) => records.find((r) => r.k[0] === feed && r.k[1] === id).s;
    for (const id of expected.read) assert.equal(status(expected.planet, id).read, true, id);
    assert.equal(status(expected.planet, expected.unreadAgain).read, false, "marked unread again");
    assert.ok(of(expected.blog).every((r) => r.s.read), "the blog was read entry by entry");
    // Each status keeps when it arrived and when it changed (what sync compares).
    for (const [id, s] of Object.entries(before[`status:${expected.planet}`])) {
      assert.equal(status(expected.planet, id).arrived, s.arrived, id);
      assert.equal(status(expected.planet, id).changed, s.changed, id);
    }

    // HTML and search words came along; the feeds' counts are right.
    const html = await ext.library("html");
    assert.equal(html.length, Object.keys(before).filter((k) => k.startsWith("html:")).length);
    const words = await ext.library("search");
    const walrus = words.find((w) => w.words.some(([word]) => word === "walrus"));
    assert.ok(walrus, "the blog's content is searchable");
    const feeds = Object.fromEntries((await ext.library("feeds")).map((f) => [f.id, f]));
    assert.equal(feeds[expected.planet].counts.unread + feeds[expected.blog].counts.unread, expected.unread);
    assert.equal(feeds[expected.planet].state.etag, before[`feed:${expected.planet}`].etag, "validators kept");

    // storage.local keeps only what belongs there, and the sync replica as it was.
    const after = await ext.storage();
    assert.equal(after.meta.schema, 4);
    assert.deepEqual(Object.keys(after).filter((k) => /^(entries|status|html|feed|content):/.test(k)), []);
    assert.deepEqual(after["sync:replica"], before["sync:replica"]);
    assert.deepEqual(after.subs, before.subs);
    const snap = await ext.request({ type: "snapshot" });
    assert.deepEqual(snap.feeds.map((f) => f.title).sort(), [expected.title, "A small blog"].sort());
    assert.equal(snap.unread, expected.unread);
  } finally {
    await ext.close();
  }
});
