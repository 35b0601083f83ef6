// Refresh benchmark: Planet Reader refreshing 200 local feeds of realistic size in Debian's
// Chromium, against a plain fetch of the same URLs in the same worker (the baseline: what
// the network alone costs). Prints wall time, CPU time in the worker (the non-idle samples
// of a DevTools CPU profile of the worker), the bytes written to storage.local and the
// library records the worker says it changed (its change broadcasts), for (1) a refresh
// where every feed changed, (2) one where every feed answers 304 and (3) one where every
// feed has one new entry. (Opening the popup is the store benchmark's, tests/bench/store.)
//
//   tests/bench/refresh/run.sh [--feeds N]
import { startServer } from "../../e2e/lib/server.mjs";
import { launch, testBuild } from "../../e2e/lib/extension.mjs";
import { PLANET } from "../../e2e/lib/fixtures.mjs";
import { TargetSession, targets } from "../../e2e/lib/cdp.mjs";

const N = Number(process.argv[process.argv.indexOf("--feeds") + 1]) || 200;

/** Feed `i`: the Planet Python fixture with its guids and links made its own. */
const feed = (i, edition) =>
  PLANET.replaceAll("<guid isPermaLink=\"true\">", `<guid isPermaLink="true">${edition}/${i}/`)
    .replace("<title>Planet Python</title>", `<title>Planet ${i}</title>`);

const server = await startServer();
const paths = Array.from({ length: N }, (_, i) => `/feeds/${i}.xml`);
paths.forEach((p, i) => server.feed(p, feed(i, "first")));
const urls = paths.map((p) => server.origin + p);
const size = feed(0, "first").length;

const ext = await launch(testBuild({ defaultFeeds: urls }));
try {
  // Let the install's own refresh finish first (every feed fetched once).
  await ext.until(async () => (await ext.request({ type: "snapshot" })).feeds.filter((f) => f.checked).length, (n) => n === N, { timeout: 600_000, what: "the first refresh" });

  const probe = await ext.probe();
  const cdp = await ext.context.newCDPSession(probe);
  const workerTarget = async () => (await targets(cdp)).find((t) => t.type === "service_worker" && t.url.includes(ext.id));
  const worker = await TargetSession.attach(cdp, (await workerTarget()).targetId);
  // CPU time: the worker's samples that were not idle, from a sampling CPU profile
  // (Performance.getMetrics is not available for service workers).
  await worker.send("Profiler.enable");
  await worker.send("Profiler.setSamplingInterval", { interval: 200 });
  const busySeconds = (profile) => {
    const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id));
    let micros = 0;
    profile.samples.forEach((node, i) => {
      if (!idle.has(node)) micros += profile.timeDeltas[i] ?? 0;
    });
    return micros / 1e6;
  };

  // storage.local bytes written, counted from storage.onChanged in an extension page.
  await probe.evaluate(() => {
    globalThis.written = 0;
    chrome.storage.onChanged.addListener((changes, area) => {
      if (area !== "local") return;
      for (const [k, c] of Object.entries(changes)) globalThis.written += k.length + JSON.stringify(c.newValue ?? null).length;
    });
  });
  const written = () => probe.evaluate(() => globalThis.written);
  // Library records changed, as the worker announces them to the pages.
  await probe.evaluate(() => {
    globalThis.records = 0;
    new BroadcastChannel("planet-reader").onmessage = (e) => (globalThis.records += (e.data.entries ?? []).length);
  });
  const records = () => probe.evaluate(() => globalThis.records);

  // With PROFILE_TOP=1: the functions the worker spent most of its time in.
  function top(profile, label) {
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map();
    profile.samples.forEach((id, i) => {
      const f = byId.get(id).callFrame;
      const name = `${f.functionName || "(anonymous)"} ${f.url.split("/").pop()}:${f.lineNumber}`;
      self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0));
    });
    console.log(`\n${label}: most self time`);
    for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`);
  }

  async function measure(label, run) {
    const w0 = await written();
    const r0 = await records();
    await worker.send("Profiler.start");
    const t0 = performance.now();
    await run();
    const wall = (performance.now() - t0) / 1000;
    const { profile } = await worker.send("Profiler.stop");
    await new Promise((r) => setTimeout(r, 300)); // let the last onChanged events arrive
    if (process.env.PROFILE_TOP) top(profile, label);
    return { label, wall, cpu: busySeconds(profile), bytes: (await written()) - w0, records: (await records()) - r0 };
  }

  // Baseline: the same URLs fetched and read by plain JS in the same worker, 4 at a time.
  const baseline = await measure("baseline: fetch only", () =>
    worker.eval(async (urls) => {
      const queue = [...urls];
      await Promise.all(Array.from({ length: 4 }, async () => {
        while (queue.length) await (await fetch(queue.shift(), { cache: "no-store" })).arrayBuffer();
      }));
    }, urls));

  paths.forEach((p, i) => server.feed(p, feed(i, "second"))); // every feed changed
  const changed = await measure("refresh, every feed changed", () => ext.request({ type: "refresh", feed: null }));
  const full = server.log.filter((r) => r.status === 200).length;
  const unchanged = await measure("refresh, every feed 304", () => ext.request({ type: "refresh", feed: null }));
  const notModified = server.log.filter((r) => r.status === 304).length;
  // The everyday case: one new post in every feed.
  paths.forEach((p, i) => server.feed(p, feed(i, "second").replace('<guid isPermaLink="true">second/', '<guid isPermaLink="true">third/')));
  const oneNew = await measure("refresh, one new entry a feed", () => ext.request({ type: "refresh", feed: null }));

  const mb = (N * size) / 1e6;
  console.log(`\n${N} feeds of ${(size / 1024).toFixed(0)} KB (${mb.toFixed(1)} MB), Planet Python-shaped, 4 at a time; ${full} full answers, ${notModified} answers 304\n`);
  console.log("run                             wall s   x baseline   worker CPU s   storage.local bytes   library records");
  for (const r of [baseline, changed, unchanged, oneNew]) {
    console.log(`${r.label.padEnd(32)}${r.wall.toFixed(2).padStart(6)}${(r.wall / baseline.wall).toFixed(2).padStart(12)}${r.cpu.toFixed(2).padStart(15)}${String(r.bytes).padStart(22)}${String(r.records).padStart(18)}`);
  }
  console.log(`\nparse + sanitize + store throughput when every feed changed: ${(mb / changed.wall).toFixed(1)} MB/s wall`);
  if (unchanged.bytes !== 0 || unchanged.records !== 0) {
    console.error(`expected no write when every feed answers 304, got ${unchanged.bytes} bytes and ${unchanged.records} records`);
    process.exitCode = 1;
  }
  await worker.detach();

} finally {
  await ext.close();
  await server.close();
}
