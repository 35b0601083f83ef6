// The store benchmark: what the library (IndexedDB) buys the reader, measured in Debian's
// Chromium against baselines run in the same browser:
//
//   popup open → list painted   the popup (its first page of 100, read straight from the
//                               library) against a plain-JS page that reads 100 list items
//                               from one storage.local key and paints them; with the
//                               worker running, and stopped first (the popup must not wake
//                               it: checked)
//   cold wake → first answer    a message to our stopped worker (which instantiates its hot
//                               module and starts) against one to an empty MV3 worker
//                               loaded alongside
//   mark read → badge           a read mark's round trip (the badge is set before the
//                               answer), the worker running
//   search → results painted    a word typed into the popup's search box until its results
//                               are on screen (less the 250 ms the box waits for typing to
//                               pause), against plain JS reading the same index and the
//                               entries it names (up to 100) in the same popup page
//
// at several numbers of unread entries, each in a fresh profile filled by the extension's
// own refresh of local feeds. Each figure is the median of --runs runs (7 by default).
//
//   tests/bench/store/run.sh [--scales 1000,10000,20000,50000] [--runs 7]
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startServer } from "../../e2e/lib/server.mjs";
import { launch, testBuild } from "../../e2e/lib/extension.mjs";
import { items } from "../../e2e/lib/fixtures.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const SCALES = arg("--scales", "1000,10000,20000,50000").split(",").map(Number);
const RUNS = Number(arg("--runs", 7));
const LIST_PAINTED = "planet-reader:list-painted";
const FLOOR_PAINTED = "floor:painted";

const progress = (...what) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${what.join(" ")}\n`);
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Feed `i` of a scale: `n` Planet Python-shaped items with guids and dates of their own. */
const PLANET_ITEMS = items();
function makeFeed(scale, i, n) {
  const now = Date.now();
  const out = [];
  for (let k = 0; k < n; k++) {
    const item = PLANET_ITEMS[(i + k) % PLANET_ITEMS.length];
    const date = new Date(now - (k * 997 + i * 13) * 60_000).toUTCString();
    out.push(item
      .replace(/<guid[^>]*>[\s\S]*?<\/guid>/, `<guid isPermaLink="false">b${scale}/${i}/${k}</guid>`)
      .replace(/<link>[\s\S]*?<\/link>/, `<link>https://blog${i}.example/${k}</link>`)
      .replace(/<pubDate>[\s\S]*?<\/pubDate>/, `<pubDate>${date}</pubDate>`));
  }
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Planet ${i}</title>
<link>https://planet${i}.example/</link>${out.join("")}</channel></rss>`;
}

/** The plain-JS floor page and an empty MV3 extension, beside the test build. */
function baselines(extDir) {
  writeFileSync(path.join(extDir, "floor.html"), `<!doctype html><meta charset="utf-8"><title>floor</title>
<link rel="stylesheet" href="popup.css"><main><ul class="entries" id="list"></ul></main><script src="floor.js"></script>`);
  writeFileSync(path.join(extDir, "floor.js"), `chrome.storage.local.get("bench:floor").then((found) => {
  const list = document.getElementById("list");
  for (const e of found["bench:floor"] ?? []) {
    const li = document.createElement("li");
    li.className = "entry";
    const button = document.createElement("button");
    for (const [cls, text] of [["member", e.member], ["title", e.title], ["time", e.when]]) {
      const span = document.createElement("span");
      span.className = cls;
      span.textContent = text ?? "";
      button.append(span);
    }
    li.append(button);
    list.append(li);
  }
  requestAnimationFrame(() => setTimeout(() => performance.mark("${FLOOR_PAINTED}")));
});\n`);
  const empty = mkdtempSync(path.join(tmpdir(), "empty-extension-"));
  writeFileSync(path.join(empty, "manifest.json"), JSON.stringify({
    manifest_version: 3, name: "Empty", version: "1", background: { service_worker: "empty-worker.js" },
  }));
  writeFileSync(path.join(empty, "empty-worker.js"),
    `chrome.runtime.onMessage.addListener((message, sender, reply) => { reply("pong"); });\n`);
  return empty;
}

/** Open `url` in a fresh tab, wait for the User Timing mark `mark`; its time (ms). */
async function paintTime(context, url, mark) {
  const page = await context.newPage();
  await page.setViewportSize({ width: 380, height: 600 });
  await page.goto(url);
  const at = await page.waitForFunction((m) => performance.getEntriesByName(m)[0]?.startTime, mark, { timeout: 60_000 });
  const ms = await at.jsonValue();
  const rows = await page.evaluate(() => document.querySelectorAll("ul.entries > li").length);
  await page.close();
  return { ms, rows };
}

async function scale(total) {
  const perFeed = total <= 20_000 ? 100 : 200;
  const feeds = Math.ceil(total / perFeed);
  const server = await startServer();
  const paths = Array.from({ length: feeds }, (_, i) => `/s${total}/${i}.xml`);
  paths.forEach((p, i) => server.feed(p, makeFeed(total, i, Math.min(perFeed, total - i * perFeed))));
  const dir = testBuild({ defaultFeeds: paths.map((p) => server.origin + p) });
  const empty = baselines(dir);
  const ext = await launch(dir, { alongside: [empty] });
  try {
    const t0 = Date.now();
    await ext.until(async () => (await ext.request({ type: "snapshot", limit: 1 })).unread, (n) => n === total, { timeout: 1_800_000, what: `${total} unread entries` });
    const filled = (Date.now() - t0) / 1000;
    progress(total, "filled in", filled.toFixed(0), "s");
    // The floor's 100 items: the newest 100, as the popup shows them.
    const first = await ext.request({ type: "snapshot", limit: 100 });
    await (await ext.probe()).evaluate((items) => chrome.storage.local.set({ "bench:floor": items }),
      first.entries.map((e) => ({ member: e.member, title: e.title, when: "40 min ago" })));
    const emptyWorker = ext.context.serviceWorkers().find((w) => w.url().endsWith("/empty-worker.js"));
    const emptyId = new URL(emptyWorker.url()).host;
    const emptyProbe = await ext.context.newPage();
    await emptyProbe.goto(`chrome-extension://${emptyId}/manifest.json`);

    const floor = [], warm = [], cold = [], woke = [];
    for (let r = 0; r < RUNS; r++) {
      floor.push((await paintTime(ext.context, ext.url("floor.html"), FLOOR_PAINTED)).ms);
      const w = await paintTime(ext.context, ext.url("popup.html"), LIST_PAINTED);
      if (w.rows !== 100) throw new Error(`the popup showed ${w.rows} rows, expected 100`);
      warm.push(w.ms);
      await ext.stopWorker();
      cold.push((await paintTime(ext.context, ext.url("popup.html"), LIST_PAINTED)).ms);
      woke.push(await ext.backgroundRunning());
    }

    progress(total, "popup paint done");
    const roundTrip = (page, message) => page.evaluate(async (m) => {
      const t = performance.now();
      const answer = await chrome.runtime.sendMessage(m);
      return { ms: performance.now() - t, answer };
    }, message);
    const entry = first.entries[0];
    const wakeOurs = [], wakeEmpty = [];
    for (let r = 0; r < RUNS; r++) {
      await ext.stopWorker();
      await sleep(200);
      const ours = await roundTrip(await ext.probe(), { type: "get_entry", feed: entry.feed, id: entry.id });
      if (ours.answer.type !== "entry") throw new Error(`get_entry answered ${JSON.stringify(ours.answer).slice(0, 200)}`);
      wakeOurs.push(ours.ms);
      await ext.stopWorker();
      await sleep(200);
      wakeEmpty.push((await roundTrip(emptyProbe, "ping")).ms);
    }

    progress(total, "wakes done");
    const marks = [];
    const probe = await ext.probe();
    for (let r = 0; r < RUNS; r++) {
      const e = first.entries[r + 1];
      const unread = async () => (await ext.library("feeds")).reduce((n, f) => n + f.counts.unread, 0);
      const [before, counted] = [await ext.badge(), await unread()];
      const { ms } = await roundTrip(probe, { type: "mark_read", feed: e.feed, id: e.id, read: true });
      const after = await ext.badge();
      // Above 999 the badge reads "999+" either way: the counts it is made from must move.
      if (after === before && before !== "999+") throw new Error(`the badge did not change (${before}) by the time the mark answered`);
      if ((await unread()) !== counted - 1) throw new Error("the mark did not reach the counts");
      marks.push(ms);
      await roundTrip(probe, { type: "mark_read", feed: e.feed, id: e.id, read: false });
    }
    progress(total, "marks done");
    // Search: a word held by about 100 entries (the first page of results).
    const counts = new Map();
    for (const r of await ext.library("search")) for (const [w] of r.words) counts.set(w, (counts.get(w) ?? 0) + 1);
    const [word, holders] = [...counts].filter(([w]) => w.length > 3)
      .sort((a, b) => Math.abs(a[1] - 100) - Math.abs(b[1] - 100))[0];
    const searched = [], searchFloor = [];
    for (let r = 0; r < RUNS; r++) {
      // The popup reopens on its last view, which would be this search: forget it.
      await (await ext.probe()).evaluate(() => localStorage.clear());
      const page = await ext.context.newPage();
      await page.setViewportSize({ width: 380, height: 600 });
      await page.goto(ext.url("popup.html"));
      await page.waitForFunction((m) => performance.getEntriesByName(m).length > 0, LIST_PAINTED);
      searchFloor.push(await page.evaluate(async (w) => {
        const t = performance.now();
        const db = await new Promise((ok, no) => { const o = indexedDB.open("planet-reader"); o.onsuccess = () => ok(o.result); o.onerror = () => no(o.error); });
        const tx = db.transaction(["search", "entries"]);
        const req = (r) => new Promise((ok, no) => { r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); });
        const hits = await req(tx.objectStore("search").index("words").getAll(IDBKeyRange.bound([w, -Infinity], [w, Infinity]), 100));
        const entries = await Promise.all(hits.map((h) => req(tx.objectStore("entries").get(h.k))));
        db.close();
        if (entries.some((e) => !e)) throw new Error("a search record names no entry");
        return performance.now() - t;
      }, word));
      const painted = await page.evaluate(async ({ w, mark }) => {
        const box = document.querySelector('input[type="search"]');
        const seen = performance.getEntriesByName(mark).length;
        const t = performance.now();
        box.value = w;
        box.dispatchEvent(new Event("input", { bubbles: true }));
        const give = t + 30_000;
        while (performance.getEntriesByName(mark).length === seen) {
          if (performance.now() > give) throw new Error(`no results painted for "${w}" in 30 s`);
          await new Promise((r) => setTimeout(r, 5));
        }
        return { ms: performance.getEntriesByName(mark)[seen].startTime - t - 250, rows: document.querySelectorAll("ul.entries > li").length };
      }, { w: word, mark: LIST_PAINTED });
      // (The box reads its last word as a prefix: longer words may match too.)
      if (painted.rows < Math.min(holders, 100)) throw new Error(`search for "${word}" showed ${painted.rows} rows, ${holders} entries hold it`);
      searched.push(painted.ms);
      await page.close();
    }
    return {
      search: median(searched), searchFloor: median(searchFloor), word, holders,
      total, feeds, filled,
      floor: median(floor), warm: median(warm), cold: median(cold), woke: woke.filter(Boolean).length,
      wakeOurs: median(wakeOurs), wakeEmpty: median(wakeEmpty), mark: median(marks),
    };
  } finally {
    await ext.close();
    await server.close();
  }
}

const results = [];
for (const total of SCALES) {
  const r = await scale(total);
  results.push(r);
  console.log(`${total} unread entries in ${r.feeds} feeds (filled by the extension's refresh in ${r.filled.toFixed(0)} s)`);
}
const f = (ms) => ms.toFixed(0).padStart(5);
console.log(`\nmedians of ${RUNS} runs, ms (x = ratio to the baseline in the same browser)\n`);
console.log("unread   floor   popup, worker running   popup, worker stopped   woke it   cold wake: ours  empty         mark read → badge   search: popup  plain JS");
for (const r of results) {
  console.log(`${String(r.total).padStart(6)}   ${f(r.floor)}   ${f(r.warm)} (${(r.warm / r.floor).toFixed(2)}x)          ${f(r.cold)} (${(r.cold / r.floor).toFixed(2)}x)          ${String(r.woke).padStart(2)}/${RUNS}     ${f(r.wakeOurs)} ${f(r.wakeEmpty)} (${(r.wakeOurs / r.wakeEmpty).toFixed(2)}x)   ${f(r.mark)}               ${f(r.search)} ${f(r.searchFloor)} (${(r.search / r.searchFloor).toFixed(2)}x; "${r.word}", ${r.holders} entries)`);
}
