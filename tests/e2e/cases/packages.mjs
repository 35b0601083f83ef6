// The store packages (extension/package.mjs, from dist/): made twice, the same bytes; each
// holds exactly the files its browser needs, with its manifest at Cargo.toml's version; and
// its contents, unpacked and loaded in that browser, fetch a local feed and show the badge.
// Shared by both browsers: `browser` is a driver module (lib/extension.mjs or
// lib/firefox.mjs), and the package tested is that browser's.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { FILES, version, writePackages } from "../../../extension/package.mjs";
import { ROOT } from "../lib/extension.mjs";
import { readZip } from "../lib/zip.mjs";
import { startServer } from "../lib/server.mjs";
import { rss } from "../lib/feeds.mjs";

const sha256 = (file) => createHash("sha256").update(readFileSync(file)).digest("hex");
const DOS_DATE_1980 = (0 << 9) | (1 << 5) | 1;

/** The package cases for `browser`; `ctx.unpacked` is its package, unzipped. */
export function packageCases(browser) {
  const ctx = {};
  const dirs = [];
  let zip, entries;

  before(() => {
    const made = [0, 1].map(() => {
      const out = mkdtempSync(path.join(tmpdir(), "planet-reader-packages-"));
      dirs.push(out);
      return writePackages(out);
    });
    ctx.made = made;
    zip = made[0][browser.NAME];
    entries = readZip(readFileSync(zip));
    ctx.unpacked = mkdtempSync(path.join(tmpdir(), "planet-reader-unpacked-"));
    dirs.push(ctx.unpacked);
    for (const e of entries) {
      mkdirSync(path.dirname(path.join(ctx.unpacked, e.name)), { recursive: true });
      writeFileSync(path.join(ctx.unpacked, e.name), e.data);
    }
  });

  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  test(`made twice from the same dist/, the ${browser.NAME} package is the same bytes`, () => {
    const [first, second] = ctx.made.map((m) => m[browser.NAME]);
    assert.equal(path.basename(first), `planet-reader-${version()}-${browser.NAME}.zip`);
    assert.equal(sha256(second), sha256(first));
    console.log(`${sha256(first)}  ${path.basename(first)} (${(readFileSync(first).length / 1024).toFixed(0)} KB)`);
  });

  test(`the ${browser.NAME} package holds exactly what it needs, in a reproducible form`, () => {
    const names = entries.map((e) => e.name);
    assert.deepEqual(names, ["manifest.json", ...FILES].sort(), "exactly these files, in sorted order");
    for (const e of entries) {
      assert.deepEqual(
        [e.time, e.date, e.madeBy >> 8, e.externalAttributes, e.extraLength, e.flags],
        [0, DOS_DATE_1980, 0, 0, 0, 0],
        `${e.name}: fixed time, no attributes, no extra fields`,
      );
      if (e.name !== "manifest.json") {
        assert.ok(e.data.equals(readFileSync(path.join(ROOT, "dist", e.name))), `${e.name} is dist/'s`);
      }
    }
    // What ships points at Planet Python, not at a test server.
    assert.equal(entries.find((e) => e.name === "config.js").data.toString(), readFileSync(path.join(ROOT, "extension/config.js"), "utf8"));
  });

  test(`the ${browser.NAME} package's manifest is the one ${browser.NAME} reads, at Cargo.toml's version`, () => {
    const manifest = JSON.parse(readFileSync(path.join(ctx.unpacked, "manifest.json"), "utf8"));
    const source = JSON.parse(readFileSync(path.join(ROOT, "manifest.json"), "utf8"));
    assert.equal(manifest.version, version());
    if (browser.NAME === "chromium") {
      assert.deepEqual(manifest.background, { service_worker: "background.js", type: "module" });
      assert.equal(manifest.browser_specific_settings, undefined);
      assert.equal(manifest.sidebar_action, undefined);
      assert.deepEqual(manifest.side_panel, { default_path: "panel.html" });
      assert.deepEqual(manifest.permissions, source.permissions);
    } else {
      assert.equal(manifest.side_panel, undefined);
      assert.equal(manifest.sidebar_action.default_panel, "panel.html");
      // Firefox has neither API: its sidebar is sidebar_action, and it has no declarativeContent.
      assert.deepEqual(manifest.permissions, source.permissions.filter((p) => p !== "sidePanel" && p !== "declarativeContent"));
      assert.deepEqual(manifest.background, { scripts: ["background.js"], type: "module" });
      assert.deepEqual(manifest.browser_specific_settings, source.browser_specific_settings);
      assert.equal(manifest.browser_specific_settings.gecko.id, "planet-reader@planet-reader.dev");
      assert.ok(manifest.browser_specific_settings.gecko_android.strict_min_version, "installs on Firefox for Android");
    }
    // Everything else is the source manifest's.
    const rest = (m) => {
      const { version: _v, background: _b, browser_specific_settings: _s, side_panel: _p, sidebar_action: _a, permissions: _m, ...others } = m;
      return others;
    };
    const expected = rest(source);
    assert.deepEqual(rest(manifest), expected);
    // Every file the manifest names is in the package.
    const named = [
      ...Object.values(manifest.icons), ...Object.values(manifest.action.default_icon),
      manifest.action.default_popup, manifest.background.service_worker ?? manifest.background.scripts[0],
      manifest.side_panel?.default_path ?? manifest.sidebar_action.default_panel,
      manifest.options_ui.page, `_locales/${manifest.default_locale}/messages.json`,
    ];
    for (const file of named) assert.ok(entries.some((e) => e.name === file), `${file} is in the package`);
  });

  test(`loaded in ${browser.NAME}, the package's contents fetch a feed and count it on the badge`, async () => {
    const server = await startServer();
    server.feed("/feed.xml", rss("Packaged", 4));
    const ext = await browser.launch(browser.testBuild({ defaultFeeds: [`${server.origin}/feed.xml`] }, { from: ctx.unpacked }));
    try {
      await ext.badgeBecomes("4");
      const popup = await ext.popup();
      await popup.countBecomes("ul.entries > li", 4);
      await popup.close();
    } finally {
      await ext.close();
      await server.close();
    }
  });

  return ctx;
}
