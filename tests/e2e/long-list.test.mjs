// A long unread list: the popup shows the newest 100 and a "Show more" button, and the
// member filter counts every unread entry, not only the ones shown.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./lib/server.mjs";
import { launch, testBuild } from "./lib/extension.mjs";
import { PLANET, items, field, unescapeXml } from "./lib/fixtures.mjs";

const FEEDS = 3;
const PER_FEED = items().length;

/** Feed `i`: the Planet Python fixture with guids of its own. */
const feed = (i) => PLANET.replaceAll('<guid isPermaLink="true">', `<guid isPermaLink="true">copy-${i}/`);

test("more than 100 unread: the popup shows 100 and 'Show more' brings the rest", async () => {
  const server = await startServer();
  const paths = Array.from({ length: FEEDS }, (_, i) => `/planet-${i}.xml`);
  paths.forEach((p, i) => server.feed(p, feed(i)));
  const ext = await launch(testBuild({ defaultFeeds: paths.map((p) => server.origin + p) }));
  try {
    const total = FEEDS * PER_FEED;
    assert.ok(total > 100 && total - 100 < 100, `${total} entries`);
    await ext.badgeBecomes(String(total));

    const popup = await ext.openPopup();
    const rows = popup.locator("ul.entries > li");
    await rows.first().waitFor();
    assert.equal(await rows.count(), 100);
    const more = popup.getByRole("button", { name: `Show ${total - 100} more` });
    await more.click();
    await popup.waitForFunction((n) => document.querySelectorAll("ul.entries > li").length === n, total);
    assert.equal(await more.count(), 0, "nothing more to show");

    // Counts cover every unread entry: each member has its count in all three copies.
    const filter = popup.getByRole("combobox", { name: "Show entries by" });
    assert.equal(await filter.locator("option").first().textContent(), `Everyone (${total})`);
    const realPython = items().filter((it) => unescapeXml(field(it, "title")).startsWith("Real Python: ")).length;
    assert.ok(realPython >= 2);
    await filter.selectOption({ label: `Real Python (${FEEDS * realPython})` });
    await popup.waitForFunction((n) => document.querySelectorAll("ul.entries > li").length === n, FEEDS * realPython);
    await popup.close();
  } finally {
    await ext.close();
    await server.close();
  }
});
