// A long unread list: the popup shows the newest 100 and a "Show more" button, and the
// member filter counts every unread entry, not only the ones shown. Shared by both
// browsers: `browser` is a driver module (lib/extension.mjs or lib/firefox.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "../lib/server.mjs";
import { PLANET, items, field, unescapeXml } from "../lib/fixtures.mjs";

const FEEDS = 3;
const PER_FEED = items().length;
const ROWS = "ul.entries > li";
const FILTER = 'select[aria-label="Feed or member"]';

/** Feed `i`: the Planet Python fixture with guids of its own. */
const feed = (i) => PLANET.replaceAll('<guid isPermaLink="true">', `<guid isPermaLink="true">copy-${i}/`);

export function longListCases(browser) {
  test("more than 100 unread: the popup shows 100 and 'Show more' brings the rest", async () => {
    const server = await startServer();
    const paths = Array.from({ length: FEEDS }, (_, i) => `/planet-${i}.xml`);
    paths.forEach((p, i) => server.feed(p, feed(i)));
    const ext = await browser.launch(browser.testBuild({ defaultFeeds: paths.map((p) => server.origin + p) }));
    try {
      const total = FEEDS * PER_FEED;
      assert.ok(total > 100 && total - 100 < 100, `${total} entries`);
      await ext.badgeBecomes(String(total));

      const popup = await ext.popup();
      await popup.countBecomes(ROWS, 100);
      await popup.click("button.more", { text: `Show ${total - 100} more` });
      await popup.countBecomes(ROWS, total);
      assert.equal(await popup.count("button.more"), 0, "nothing more to show");

      // Counts cover every unread entry: each member has its count in all three copies.
      assert.equal((await popup.texts(`${FILTER} option`))[0], `Every feed (${total})`);
      const realPython = items().filter((it) => unescapeXml(field(it, "title")).startsWith("Real Python: ")).length;
      assert.ok(realPython >= 2);
      await popup.select(FILTER, { label: `Real Python (${FEEDS * realPython})` });
      await popup.countBecomes(ROWS, FEEDS * realPython);
      await popup.close();
    } finally {
      await ext.close();
      await server.close();
    }
  });
}
