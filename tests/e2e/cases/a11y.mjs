// axe-core (npm, pinned) on every screen and state of the reader, in the light and dark
// schemes: every rule, the experimental ones too (label-content-name-mismatch among them).
// Shared by both browsers: `browser` is a driver module, `schemes` the colour schemes the
// browser's driver can emulate.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "../lib/server.mjs";
import { rss } from "../lib/feeds.mjs";
import { PLANET } from "../lib/fixtures.mjs";
import { ROWS, SEARCH, button, serveGamma, chooseScope, axe } from "../lib/ui.mjs";

const PLANET_PATH = "/planetpython/rss20.xml";

/** `{ server, ext }` of a profile with Planet Python, Gamma and a failing feed. */
export async function a11yProfile(browser) {
  const server = await startServer();
  server.feed(PLANET_PATH, PLANET);
  serveGamma(server);
  server.fail("/down.xml", 500);
  server.route("/blog/", (req, res) => res.writeHead(200, { "content-type": "text/html" }).end(
    `<!doctype html><title>Blog</title><link rel="alternate" type="application/rss+xml" title="The Blog" href="/blog/feed/"><p>Hi</p>`));
  server.feed("/blog/feed/", rss("The Blog", 3, "blog"));
  const ext = await browser.launch(browser.testBuild({
    defaultFeeds: [server.origin + PLANET_PATH, `${server.origin}/gamma.xml`, `${server.origin}/down.xml`],
  }));
  await ext.badgeBecomes(String(53));
  return { server, ext };
}

/** Run axe on `view` in each scheme; the violations, each named by where it was. */
export async function check(view, where, schemes, found) {
  const emulated = schemes.length > 1;
  for (const colorScheme of schemes) {
    if (emulated) {
      await view.emulate({ colorScheme });
      await new Promise((r) => setTimeout(r, 50)); // the scheme's styles applied
    }
    for (const v of await axe(view)) found.push(`${where} (${colorScheme}): ${v}`);
  }
  if (emulated) await view.emulate({ colorScheme: "light" });
}

export function a11yCases(browser, { schemes }) {
  let server, ext;
  before(async () => {
    ({ server, ext } = await a11yProfile(browser));
  });
  after(async () => {
    await ext?.close();
    await server?.close();
  });

  test(`axe-core finds no violation on any screen of the popup, in ${schemes.join(" and ")}`, async () => {
    const { tab, popup } = await ext.popupOver(`${server.origin}/blog/`);
    // Firefox's popup is a tab behind the page's, and a background tab gets no animation
    // frames (axe and the reader wait for them): it comes to the front, and the page goes
    // back to the front only for subscribing, which looks at the current tab.
    const firefox = browser.NAME === "firefox";
    if (firefox) await popup.bringToFront();
    const found = [];
    const screens = [];
    const at = async (where) => {
      screens.push(where);
      await check(popup, where, schemes, found);
    };
    await popup.waitForSelector(ROWS);
    await popup.waitForSelector(".feed-error");
    await at("the list, with a feed's error");
    await popup.press("j");
    await at("the list, a row focused");
    await popup.click(`${ROWS} button.open`);
    await popup.waitForSelector("article.entry-view");
    await at("an entry");
    await popup.click("button.back");
    await chooseScope(popup, "Gamma");
    await popup.click(`${ROWS} button.open`, { text: "A very wide post" });
    await popup.waitForSelector(".media-placeholder");
    await at("an entry with a table, code and a placeholder for a broken image");
    await popup.click("button.back");
    await popup.click(button("Keyboard shortcuts"));
    await popup.waitForSelector("#shortcuts");
    await at("the keyboard shortcuts");
    await popup.click("#shortcuts button", { text: "Close" });
    await chooseScope(popup, "Every feed");
    await popup.fill(SEARCH, "zymurgy");
    await popup.countBecomes(ROWS, 1);
    await at("search results");
    await popup.fill(SEARCH, "qqqqqq");
    await popup.waitForSelector(".empty .big", { text: "Nothing found" });
    await at("nothing found");
    await popup.fill(SEARCH, "");
    await popup.waitForSelector(ROWS);
    await chooseScope(popup, "Gamma");
    await popup.click(button("Mark all read"));
    await popup.waitForSelector(".snackbar");
    await at("marked read, with Undo");
    await popup.click('.viewbar button[aria-pressed="false"]', { text: "All" });
    await popup.click('.viewbar button[aria-pressed="false"]', { text: "Unread" });
    await popup.waitForSelector(".empty .big", { text: "All caught up" });
    await at("all caught up");
    await chooseScope(popup, "★ Starred");
    await popup.waitForSelector(".empty .big", { text: "No starred entries" });
    await at("no starred entries");
    await chooseScope(popup, "Every feed");
    await popup.click(button("Subscriptions"));
    await popup.waitForSelector("li.feed");
    await at("subscriptions");
    await popup.click(button("Unsubscribe from Gamma"));
    await at("subscriptions, confirming an unsubscribe");
    await popup.click(button("Keep the subscription"));
    if (firefox) await tab.bringToFront();
    await popup.click(button("Subscribe"));
    await popup.waitForSelector('ul[aria-label="Feeds on 127.0.0.1"] > li');
    if (firefox) await popup.bringToFront();
    await at("subscribe, a feed found");
    await popup.click(button("Subscribe to The Blog"));
    await popup.waitForSelector(".subscribed");
    await at("subscribed");
    await popup.fill('input[aria-label="Site or feed address"]', "not a url");
    await popup.click(button("Find feeds"));
    await popup.waitForSelector(".subscribe .notice", { text: "is not a web address" });
    await at("subscribe, an address refused");
    console.log(`axe-core ${await popup.eval(() => window.axe.version)}: ${screens.length} screens × ${schemes.length} schemes, ${found.length} violations`);
    assert.deepEqual(found, []);
    await popup.close();
    await tab.close();
  });

  return { get ext() { return ext; }, get server() { return server; } };
}
