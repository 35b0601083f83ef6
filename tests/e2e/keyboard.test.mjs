// Every shortcut, pressed on the real keyboard in the real toolbar popup (Chromium): the
// browser sees the keys as a user's, so Esc would close the popup unless the reader keeps
// it. After each one the focus is somewhere sensible, and visible.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as chromium from "./lib/extension.mjs";
import { startServer } from "./lib/server.mjs";
import { PLANET, items } from "./lib/fixtures.mjs";
import { ROWS, SEARCH, serveGamma, focused, focusVisible, titles } from "./lib/ui.mjs";

const PLANET_PATH = "/planetpython/rss20.xml";
const TOTAL = items().length + 3;
let server, ext, tab, popup;

before(async () => {
  server = await startServer();
  server.feed(PLANET_PATH, PLANET);
  serveGamma(server);
  server.route("/page/", (req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>A page</title><p>Hello</p>"));
  ext = await chromium.launch(chromium.testBuild({ defaultFeeds: [server.origin + PLANET_PATH, `${server.origin}/gamma.xml`] }));
  await ext.badgeBecomes(String(TOTAL));
});

after(async () => {
  await ext?.close();
  await server?.close();
});

async function open() {
  ({ tab, popup } = await ext.popupOver(`${server.origin}/page/`));
  await popup.countBecomes(ROWS, Number(await ext.badge()));
}

async function close() {
  await popup.close();
  await tab.close();
}

/** The index of the focused row, if a row has the focus. */
const focusedRow = () => popup.eval((s) => [...document.querySelectorAll(`${s} button.open`)].indexOf(document.activeElement), ROWS);

test("j/k and ↓/↑ move between rows, with a visible focus", async () => {
  await open();
  await popup.press("j");
  assert.equal(await focusedRow(), 0);
  assert.ok(await focusVisible(popup), await focused(popup));
  await popup.press("j");
  await popup.press("j");
  assert.equal(await focusedRow(), 2);
  await popup.press("k");
  assert.equal(await focusedRow(), 1);
  await popup.press("ArrowDown");
  assert.equal(await focusedRow(), 2);
  await popup.press("ArrowUp");
  await popup.press("ArrowUp");
  assert.equal(await focusedRow(), 0);
  assert.equal(await popup.eval(() => window.scrollY), 0, "the arrows move the focus, not the page");
});

test("Enter and o open; inside an entry j/k open the next and previous; u and Esc go back, and Esc keeps the popup open", async () => {
  const list = await titles(popup);
  await popup.press("Enter");
  await popup.waitForSelector("article.entry-view");
  assert.equal(await popup.text("article.entry-view h2"), list[0]);
  await ext.until(() => focused(popup), (f) => /^h2/.test(f), { what: "the focus on the entry's title" });
  await ext.badgeBecomes(String(TOTAL - 1)); // opening marks read
  await popup.press("j");
  await popup.waitForSelector("article.entry-view h2", { text: list[1] });
  assert.match(await focused(popup), /^h2/, "the next entry's title has the focus");
  await ext.badgeBecomes(String(TOTAL - 2));
  await popup.press("k");
  await popup.waitForSelector("article.entry-view h2", { text: list[0] });
  await popup.press("u");
  await popup.waitFor(() => !document.querySelector("article.entry-view"));
  assert.equal(await focusedRow(), 0, "back on the row opened");
  await popup.press("j");
  await popup.press("o");
  await popup.waitForSelector("article.entry-view h2", { text: list[1] });
  await popup.press("Escape");
  await popup.waitFor(() => !document.querySelector("article.entry-view"), null, { what: "Esc back to the list" });
  assert.equal(await popup.isOpen(), true, "Esc from an entry does not close the popup");
  assert.equal(await focusedRow(), 1);
  assert.ok(await focusVisible(popup));
});

test("m toggles read, s stars, in the list and in an entry", async () => {
  // Row 1 was read by opening it.
  await popup.press("m");
  await ext.badgeBecomes(String(TOTAL - 1));
  assert.equal(await popup.count(`${ROWS}:nth-child(2).read`), 0);
  await popup.press("m");
  await ext.badgeBecomes(String(TOTAL - 2));
  await popup.press("s");
  await popup.waitForSelector(`${ROWS}:nth-child(2) button.star[aria-pressed="true"]`);
  await popup.press("Enter");
  await popup.waitForSelector("article.entry-view .entry-bar .star[aria-pressed=\"true\"]");
  await popup.press("s");
  await popup.waitForSelector("article.entry-view .entry-bar .star[aria-pressed=\"false\"]");
  await popup.press("m");
  await popup.waitForSelector(".entry-bar button", { text: "Mark read" });
  await ext.badgeBecomes(String(TOTAL - 1));
  assert.match(await focused(popup), /^h2/, "the focus stays on the entry");
  await popup.press("m");
  await ext.badgeBecomes(String(TOTAL - 2));
  await popup.press("u");
  await popup.waitFor(() => !document.querySelector("article.entry-view"));
  const starred = (await ext.library("entries")).filter((r) => r.s.starred);
  assert.equal(starred.length, 0, "starred, then unstarred");
});

test("/ goes to the search field; Esc leaves it; ? shows the shortcuts and Esc hides them", async () => {
  await popup.press("/");
  // Each key's effect is awaited, not assumed at once (on a busy machine it lands a frame later).
  await ext.until(() => popup.eval(() => document.activeElement.getAttribute("aria-label")), (l) => l === "Search", { what: "the focus in the search field" });
  await popup.press("z");
  await popup.press("y");
  await popup.press("m");
  await popup.waitFor((s) => document.querySelectorAll(s).length === 1, ROWS, { what: "the search results" });
  assert.deepEqual(await titles(popup), ["Brewing notes"]);
  await popup.press("Escape");
  await ext.until(() => focused(popup), (f) => /^button\.open/.test(f), { what: "the focus out of the field, on a row" });
  assert.equal(await popup.isOpen(), true);
  await popup.fill(SEARCH, "");
  await popup.countBecomes(ROWS, TOTAL - 2);
  await popup.press("Escape"); // out of the field again
  await popup.press("?");
  await popup.waitForSelector("#shortcuts");
  const keys = await popup.texts("#shortcuts kbd");
  assert.deepEqual(keys, ["j or ↓", "k or ↑", "Enter or o", "u or Esc", "m", "s", "v", "/", "Shift+A", "?"]);
  await ext.until(() => focused(popup), (f) => /^h2/.test(f), { what: "the focus on the shortcuts' title" });
  await popup.press("Escape");
  await popup.waitFor(() => !document.querySelector("#shortcuts"));
  assert.equal(await popup.isOpen(), true, "Esc closes the shortcuts, not the popup");
  assert.notEqual(await focused(popup), "body");
});

test("Shift+A marks what is listed read, and Undo brings it back", async () => {
  await popup.press("Shift+A");
  await ext.badgeBecomes("");
  assert.match(await popup.text(".snackbar span"), new RegExp(`^Marked ${TOTAL - 2} entries read in every feed\\.$`));
  await popup.click(".snackbar button", { text: "Undo" });
  await ext.badgeBecomes(String(TOTAL - 2));
});

test("v opens the entry's page in a tab", async () => {
  await popup.press("j");
  const opened = await ext.openedTab(() => popup.press("v"));
  assert.match(opened.url, /^http:\/\/127\.0\.0\.1:\d+\/gamma\/gamma-\d$|^https:\/\//, "the entry's own page");
  assert.equal(opened.hasOpener, false);
  await opened.close();
  await tab.close().catch(() => {});
});

test("on the list, Esc closes the popup as the browser does", async () => {
  await open();
  await popup.press("Escape");
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await popup.isOpen(), false, "the positive control: Esc would close it");
  await tab.close();
});
