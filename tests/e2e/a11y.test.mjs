// Accessibility in Chromium: axe-core on every screen of the real toolbar popup in light
// and dark (cases/a11y.mjs); the full-tab reader, two panes, and the side panel page; forced
// colours (Windows high contrast) still telling every state apart; and the real popup at
// 250 % zoom, where the browser gives it 320 CSS px, reflowing with no horizontal scroll.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as chromium from "./lib/extension.mjs";
import { a11yCases, check } from "./cases/a11y.mjs";
import { ROWS, button, overflow, focusVisible } from "./lib/ui.mjs";

const shared = a11yCases(chromium, { schemes: ["light", "dark"] });

test("axe-core finds no violation in the full-tab reader (two panes) and the side panel, light and dark", async () => {
  const { ext } = shared;
  const found = [];
  const reader = await ext.view("reader.html");
  await reader.setViewport(1280, 800);
  await reader.waitForSelector(ROWS);
  await check(reader, "the full-tab reader", ["light", "dark"], found);
  await reader.click(`${ROWS} button.open`);
  await reader.waitForSelector(".panes.two .entry-pane article.entry-view");
  await check(reader, "the full-tab reader, an entry beside the list", ["light", "dark"], found);
  await reader.close();
  const panel = await ext.view("panel.html");
  await panel.setViewport(360, 800);
  await panel.waitForSelector(ROWS);
  await check(panel, "the side panel", ["light", "dark"], found);
  await panel.close();
  assert.deepEqual(found, []);
});

test("in forced colours, the pressed toggles, the current row and the focus stay visible", async () => {
  const { ext, server } = shared;
  const { tab, popup } = await ext.popupOver(`${server.origin}/blog/`);
  await popup.waitForSelector(ROWS);
  await popup.emulate({ forcedColors: "active" });
  await popup.press("j");
  const seen = await popup.eval(() => {
    const pressed = getComputedStyle(document.querySelector('.viewbar button[aria-pressed="true"]'));
    const other = getComputedStyle(document.querySelector('.viewbar button[aria-pressed="false"]'));
    const row = getComputedStyle(document.querySelector("li.entry.current"));
    return {
      forced: matchMedia("(forced-colors: active)").matches,
      pressed: [pressed.borderTopWidth, pressed.borderTopStyle],
      other: [other.borderTopWidth, other.borderTopStyle],
      current: [row.outlineStyle, row.outlineWidth],
    };
  });
  assert.equal(seen.forced, true);
  assert.notDeepEqual(seen.pressed, seen.other, "a pressed toggle looks pressed without its background");
  assert.equal(seen.current[0], "solid", "the current row is outlined");
  assert.ok(await focusVisible(popup), "the focus ring shows");
  await popup.emulate({ forcedColors: "none" });
  await popup.close();
  await tab.close();
});

/** Zoom the extension's pages: zoom is kept per origin, so zooming a tab of one of its
 *  pages zooms its popup too. */
async function zoom(ext, factor) {
  const page = await ext.view("popup.html");
  await page.waitForSelector("header");
  await ext.probeEval(async ([url, factor]) => {
    const [t] = await chrome.tabs.query({ url });
    await chrome.tabs.setZoom(t.id, factor);
  }, [ext.url("popup.html"), factor]);
  await page.close();
}

test("the real popup at 250 % zoom gets 320 CSS px and reflows into them", async () => {
  const { ext, server } = shared;
  await zoom(ext, 2.5);
  const { tab, popup } = await ext.popupOver(`${server.origin}/blog/`);
  try {
    await popup.waitForSelector(ROWS);
    const size = await popup.waitFor(() => {
      const w = window.innerWidth;
      return document.body.getBoundingClientRect().width <= w && { inner: w };
    }, null, { what: "the popup fitted" });
    console.log(`popup at 250 %: ${JSON.stringify(size)}`);
    assert.ok(size.inner <= 330, `the popup is ${size.inner} CSS px wide (380 unzoomed)`);
    const o = await overflow(popup);
    assert.ok(o.scrollWidth <= o.width && o.wider.length === 0, JSON.stringify(o));
    await popup.click(`${ROWS} button.open`);
    await popup.waitForSelector("article.entry-view");
    const e = await overflow(popup);
    assert.ok(e.scrollWidth <= e.width && e.wider.length === 0, JSON.stringify(e));
    await popup.click(button("Subscriptions"));
    await popup.waitForSelector("li.feed");
    const f = await overflow(popup);
    assert.ok(f.scrollWidth <= f.width && f.wider.length === 0, JSON.stringify(f));
  } finally {
    await popup.close();
    await tab.close();
    await zoom(ext, 1);
  }
});

test("sizes follow the browser's font setting", async () => {
  const { ext } = shared;
  const view = await ext.view("popup.html");
  await view.waitForSelector(ROWS);
  const size = () => view.eval((s) => parseFloat(getComputedStyle(document.querySelector(`${s} .title`)).fontSize), ROWS);
  const normal = await size();
  const cdp = await view.page.context().newCDPSession(view.page);
  await cdp.send("Page.setFontSizes", { fontSizes: { standard: 24 } });
  const large = await ext.until(size, (px) => px !== normal, { what: "the text to follow the font setting" });
  assert.ok(large >= normal * 1.4, `${normal} px at 16, ${large} px at 24`);
  await view.close();
});
