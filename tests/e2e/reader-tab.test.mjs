// The full-tab reader and the side panel (Chromium): both opened from the real toolbar
// popup; the tab shows two panes at a wide size (the list stays beside the entry, each
// scrolls apart, the keyboard goes on in the list) and one column when narrow. The second
// README picture is taken here.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import path from "node:path";
import * as chromium from "./lib/extension.mjs";
import { ROOT } from "./lib/extension.mjs";
import { startServer } from "./lib/server.mjs";
import { targets } from "./lib/cdp.mjs";
import { PLANET, items } from "./lib/fixtures.mjs";
import { ROWS, button, serveGamma, titles } from "./lib/ui.mjs";

let server, ext;

before(async () => {
  server = await startServer();
  server.feed("/planetpython/rss20.xml", PLANET);
  serveGamma(server);
  server.route("/page/", (req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>A page</title><p>Hello</p>"));
  ext = await chromium.launch(chromium.testBuild({ defaultFeeds: [`${server.origin}/planetpython/rss20.xml`, `${server.origin}/gamma.xml`] }));
  await ext.badgeBecomes(String(items().length + 3));
});

after(async () => {
  await ext?.close();
  await server?.close();
});

test("the popup opens the full-tab reader", async () => {
  const { tab, popup } = await ext.popupOver(`${server.origin}/page/`);
  const opened = await ext.openedTab(() => popup.click(button("Open in a tab")));
  assert.equal(opened.url, ext.url("reader.html"));
  await opened.close();
  await tab.close();
});

test("at a wide size the reader shows the entry beside the list, each pane scrolling apart", async () => {
  const reader = await ext.view("reader.html");
  await reader.setViewport(1280, 800);
  await reader.waitForSelector(ROWS);
  const list = await titles(reader);
  await reader.click(`${ROWS}:nth-child(3) button.open`);
  await reader.waitForSelector(".panes.two .entry-pane article.entry-view");
  const layout = await reader.eval(() => {
    const r = (s) => document.querySelector(s).getBoundingClientRect();
    return {
      list: r(".list-pane"), entry: r(".entry-pane"),
      listHidden: document.querySelector(".list-pane").hidden,
      docScroll: document.documentElement.scrollHeight - document.documentElement.clientHeight,
      listScroll: document.querySelector(".list-pane").scrollHeight - document.querySelector(".list-pane").clientHeight,
    };
  });
  assert.equal(layout.listHidden, false, "the list stays");
  assert.ok(layout.entry.left >= layout.list.right - 1, "the entry is beside the list");
  assert.ok(layout.docScroll <= 0, "the page itself does not scroll: its panes do");
  assert.ok(layout.listScroll > 0, "the list scrolls in its pane");
  assert.equal(await reader.text("article.entry-view h2"), list[2]);
  // The keyboard: j opens the next entry, its row is the current one in the list.
  await reader.press("j");
  await reader.waitForSelector("article.entry-view h2", { text: list[3] });
  assert.equal(await reader.eval((s) => [...document.querySelectorAll(s)].findIndex((li) => li.classList.contains("current")), ROWS), 3);
  mkdirSync(path.join(ROOT, "tests/e2e/screenshots"), { recursive: true });
  await reader.screenshot(path.join(ROOT, "tests/e2e/screenshots/reader.png"));
  // Narrow, it is one column again, and Back returns to the list.
  await reader.setViewport(600, 800);
  await reader.waitFor(() => !document.querySelector(".panes.two"), null, { what: "one column" });
  assert.equal(await reader.eval(() => document.querySelector(".list-pane").hidden), true);
  await reader.click("button.back");
  await reader.waitFor(() => !document.querySelector(".list-pane").hidden);
  await reader.close();
});

test("the popup opens the side panel beside the page", async () => {
  const { tab, popup } = await ext.popupOver(`${server.origin}/page/`);
  const probe = await ext.probe();
  const cdp = await ext.context.newCDPSession(probe);
  const panels = async () => (await targets(cdp)).filter((t) => t.url === ext.url("panel.html"));
  assert.equal((await panels()).length, 0);
  await popup.click(button("Open in the side panel"));
  const opened = await ext.until(panels, (p) => p.length === 1, { what: "the side panel" });
  assert.equal(opened[0].type, "page");
  await cdp.detach();
  await tab.close();
});
