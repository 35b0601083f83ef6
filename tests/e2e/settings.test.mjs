// The settings cases (cases/settings.mjs) in Chromium, and what only Chromium has or
// shows: axe-core's audit of the options page, the page by keyboard alone, and the toolbar
// button's "this page has a feed" (declarativeContent).
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import * as chromium from "./lib/extension.mjs";
import { settingsCases } from "./cases/settings.mjs";
import { startServer } from "./lib/server.mjs";
import { rss } from "./lib/feeds.mjs";

settingsCases(chromium);

const AXE = readFileSync(path.join(chromium.ROOT, "node_modules/axe-core/axe.min.js"), "utf8");
const opened = [];
afterEach(async () => {
  for (const x of opened.splice(0).reverse()) await x.close();
});

async function launched(paths = ["/a.xml"]) {
  const server = await startServer();
  opened.push(server);
  server.feed("/a.xml", rss("A", 2));
  server.feed("/b.xml", rss("B", 1));
  const ext = await chromium.launch(chromium.testBuild({ defaultFeeds: paths.map((p) => server.origin + p) }));
  opened.push(ext);
  await ext.badgeBecomes(String(paths.length === 1 ? 2 : 3));
  return { server, ext };
}

/** axe-core's violations on the page (WCAG 2.x A and AA, and best practices). */
async function audit(view) {
  await view.page.evaluate(AXE); // through DevTools: the page's CSP does not apply
  return view.eval(async () => {
    const result = await globalThis.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  });
}

test("axe-core finds nothing wrong with the options page, in light and dark, in English and German", async () => {
  const { ext } = await launched(["/a.xml", "/b.xml"]);
  const options = await ext.options();
  // A rule, so that its table is audited too.
  await options.fill("#rule-text", "python");
  await options.click("form.add-rule button[type=submit]");
  await options.waitForSelector("table.rules td", { text: "python" });
  assert.deepEqual(await audit(options), []);
  await options.click("#theme-dark");
  await options.waitFor(() => document.documentElement.dataset.theme === "dark", null, { what: "the dark theme" });
  assert.deepEqual(await audit(options), []);
  await options.select("#language", { value: "de" });
  await options.waitForSelector("h1", { text: "Einstellungen" });
  assert.deepEqual(await audit(options), []);
  await options.close();
});

test("the options page works with the keyboard alone", async () => {
  const { ext } = await launched(["/a.xml", "/b.xml"]);
  const options = await ext.options();
  // Every control is reached with Tab (one stop per group of radio buttons).
  const stops = await options.eval(() => {
    const controls = [...document.querySelectorAll("main input, main select, main button")];
    const groups = new Set();
    return controls.filter((c) => {
      if (c.type !== "radio") return true;
      if (groups.has(c.name)) return false;
      groups.add(c.name);
      return true;
    }).length;
  });
  const reached = new Set();
  await options.eval(() => document.activeElement?.blur());
  for (let i = 0; i < stops; i++) {
    await options.press("Tab");
    reached.add(await options.eval(() => {
      const el = document.activeElement;
      return el.type === "radio" ? `radio:${el.name}` : el.id || el.getAttribute("aria-label") || el.textContent;
    }));
  }
  assert.equal(reached.size, stops, `every control is a tab stop: ${[...reached].join(" | ")}`);
  // A radio group and a checkbox, changed from the keyboard, are saved.
  await options.eval(() => document.querySelector("#mark-read-on_open").focus());
  await options.press("ArrowDown");
  await ext.until(() => ext.syncItems(), (s) => s.settings?.mark_read === "manual", { what: "mark read by hand, from the keyboard" });
  await options.eval(() => document.querySelector("table.feeds input[type=checkbox]").focus());
  await options.press(" ");
  await ext.until(() => ext.syncItems(), (s) => Object.values(s.settings?.feeds ?? {}).some((f) => f.badge), { what: "a feed ticked from the keyboard" });
  await options.close();
});

test("the toolbar's feed rule matches a page with a feed link and not one without", async () => {
  const { server, ext } = await launched();
  server.route("/with.html", (req, res) => res.writeHead(200, { "content-type": "text/html" }).end(
    `<!doctype html><title>With</title><link rel="alternate" type="application/rss+xml" title="Feed" href="/a.xml"><p>a blog`));
  server.route("/without.html", (req, res) => res.writeHead(200, { "content-type": "text/html" }).end(
    `<!doctype html><title>Without</title><link rel="alternate" type="application/json+oembed" href="/o"><p>no feed`));
  // Set at install: one rule, the feed links' CSS, the orange icon.
  const rules = await ext.until(
    () => ext.probeEval(() => new Promise((r) => chrome.declarativeContent.onPageChanged.getRules(r))),
    (rules) => rules.length === 1,
    { what: "the declarativeContent rule" },
  );
  const [rule] = rules;
  const css = rule.conditions.flatMap((c) => c.css);
  assert.deepEqual(css, [
    'link[rel~="alternate"][type*="rss"]',
    'link[rel~="alternate"][type*="atom"]',
    'link[rel~="alternate"][type*="feed+json"]',
    'link[rel~="feed"]',
  ]);
  assert.equal(rule.actions.length, 1);
  // The icon it sets, in the two sizes the toolbar draws (getRules hands the images back
  // serialized, as opaque strings: their sizes are what core::icon's tests check).
  const images = rule.actions[0].imageData;
  assert.deepEqual(Object.keys(images).sort(), ["16", "32"], "the icon it sets");
  assert.ok(Object.values(images).every((i) => typeof i === "string" && i.length > 100), "icons with pixels");
  // The selectors match the page that offers a feed, and not the other (the browser
  // matches them itself; an extension is told nothing of a page's state, by design).
  const matches = async (url) => {
    const tab = await ext.tab(url);
    const hit = await tab.eval((css) => css.some((s) => document.querySelector(s)), css);
    await tab.close();
    return hit;
  };
  assert.equal(await matches(`${server.origin}/with.html`), true);
  assert.equal(await matches(`${server.origin}/without.html`), false);
});
