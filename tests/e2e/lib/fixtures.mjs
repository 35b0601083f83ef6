// The Planet Python fixture feed (tests/fixtures/planetpython.xml, built from
// ../shared/seeds by tests/fixtures/make_planet.py) and variations of it.
import { readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./extension.mjs";

/**
 * The fixture with its dates moved so that its newest item was posted 40 minutes ago (the
 * seeds are months old; a reader shows recent posts as "40 min ago").
 */
export const PLANET = recent(readFileSync(path.join(ROOT, "tests/fixtures/planetpython.xml"), "utf8"));

function recent(feed) {
  const DATE = /<pubDate>([^<]*)<\/pubDate>/g;
  const times = [...feed.matchAll(DATE)].map((m) => Date.parse(m[1]));
  const shift = Date.now() - 40 * 60_000 - Math.max(...times);
  return feed.replace(DATE, (_, d) => `<pubDate>${new Date(Date.parse(d) + shift).toUTCString()}</pubDate>`);
}

const ITEM = /<item>[\s\S]*?<\/item>\s*/g;

/** The fixture's items, newest first, as XML text. */
export function items(feed = PLANET) {
  return feed.match(ITEM) ?? [];
}

/** The feed without its `n` newest items (as it was before they were posted). */
export function withoutNewest(n, feed = PLANET) {
  let dropped = 0;
  return feed.replace(ITEM, (item) => (dropped++ < n ? "" : item));
}

/** The text of the first `<tag>` of an item. */
export function field(item, tag) {
  return item.match(new RegExp(`<${tag}[^>]*>([\\s\\S]*?)</${tag}>`))?.[1];
}

/** Replace the description of the newest item with `html` (escaped into the XML). */
export function withNewestDescription(html, feed = PLANET) {
  const escaped = html.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  let done = false;
  return feed.replace(/<description>[\s\S]*?<\/description>/g, (d) => {
    if (done || !d.includes("&lt;")) return d; // the channel's own description has no markup
    done = true;
    return `<description>${escaped}</description>`;
  });
}

/** Decode the XML escapes of a title. */
export function unescapeXml(text) {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
}
