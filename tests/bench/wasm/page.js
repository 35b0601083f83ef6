// The benchmark itself, in the page: for each feed, the wasm parser (bytes in, model in
// wasm memory out) against fast-xml-parser plus a mapping into the same fields (bytes
// decoded with TextDecoder, parsed, mapped to {id, title, link, published, updated, author,
// summary, content, enclosures}), interleaved, medians compared.
import init, * as wasm from '/pkg/parse-bench.js';

// fast-xml-parser's browser bundle (lib/fxp.min.js) defines `window.fxp`.
let parser;
const parserOptions = {
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: true,
  isArray: (name) => ['item', 'entry', 'link', 'enclosure', 'category'].includes(name),
};

const text = (v) => (v == null ? null : typeof v === 'object' ? (v['#text'] ?? null) : String(v));
const date = (s) => {
  if (!s) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
};
const person = (v) => (v == null ? null : { name: text(v.name ?? v), email: text(v.email), uri: text(v.uri) });
const decoder = new TextDecoder('utf-8');

function mapFeed(bytes) {
  const doc = parser.parse(decoder.decode(bytes));
  if (doc.rss) {
    const ch = doc.rss.channel;
    return {
      title: text(ch.title), link: text(ch.link?.[0] ?? ch.link), description: text(ch.description),
      entries: (ch.item ?? []).map((it) => ({
        id: text(it.guid), title: text(it.title), link: text(it.link?.[0] ?? it.link),
        published: date(text(it.pubDate)), updated: date(text(it['dc:date'])),
        author: person(it.author ?? it['dc:creator']), summary: text(it.description),
        content: text(it['content:encoded']),
        enclosures: (it.enclosure ?? []).map((e) => ({ url: e['@_url'], type: e['@_type'] ?? null, length: e['@_length'] ? Number(e['@_length']) : null })),
      })),
    };
  }
  if (doc.feed) {
    const f = doc.feed;
    const alt = (links) => (links ?? []).find((l) => !l['@_rel'] || l['@_rel'] === 'alternate')?.['@_href'] ?? null;
    return {
      title: text(f.title), link: alt(f.link), description: text(f.subtitle),
      entries: (f.entry ?? []).map((e) => ({
        id: text(e.id), title: text(e.title), link: alt(e.link),
        published: date(text(e.published)), updated: date(text(e.updated)),
        author: person(e.author), summary: text(e.summary), content: text(e.content),
        enclosures: (e.link ?? []).filter((l) => l['@_rel'] === 'enclosure').map((l) => ({ url: l['@_href'], type: l['@_type'] ?? null, length: l['@_length'] ? Number(l['@_length']) : null })),
      })),
    };
  }
  const rdf = doc['rdf:RDF'];
  const ch = rdf.channel;
  return {
    title: text(ch.title), link: text(ch.link?.[0] ?? ch.link), description: text(ch.description),
    entries: (rdf.item ?? []).map((it) => ({
      id: it['@_rdf:about'] ?? null, title: text(it.title), link: text(it.link?.[0] ?? it.link),
      published: null, updated: date(text(it['dc:date'])), author: person(it['dc:creator']),
      summary: text(it.description), content: text(it['content:encoded']), enclosures: [],
    })),
  };
}

const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];

async function run() {
  parser = new window.fxp.XMLParser(parserOptions);
  await init();
  const rows = [];
  for (const [name, file] of [['RSS 2.0', 'rss20.xml'], ['Atom 1.0', 'atom.xml'], ['RSS 1.0', 'rdf.xml']]) {
    const bytes = new Uint8Array(await (await fetch(`/feeds/${file}`)).arrayBuffer());
    const entries = wasm.parse_feed(bytes);
    const mapped = mapFeed(bytes);
    if (entries !== mapped.entries.length) throw new Error(`${name}: wasm saw ${entries} entries, JS ${mapped.entries.length}`);
    const jsTitles = mapped.entries.reduce((n, e) => n + [...(e.title ?? '')].length, 0);
    console.log(`${name}: ${entries} entries; title characters wasm ${wasm.title_chars(bytes)}, JS ${jsTitles}`);
    // Warm up both (JIT, wasm tier-up), then interleave.
    for (let i = 0; i < 5; i++) { wasm.parse_feed(bytes); mapFeed(bytes); }
    const tw = [], tj = [], ts = [];
    const deadline = performance.now() + 6000;
    while (tw.length < 10 || (performance.now() < deadline && tw.length < 300)) {
      let t = performance.now();
      wasm.parse_feed(bytes);
      tw.push(performance.now() - t);
      t = performance.now();
      mapFeed(bytes);
      tj.push(performance.now() - t);
      if (ts.length < 5) {
        t = performance.now();
        wasm.parse_and_sanitize(bytes);
        ts.push(performance.now() - t);
      }
    }
    const mb = bytes.length / 1e6;
    rows.push({
      name, bytes: bytes.length, entries,
      wasm: mb / (median(tw) / 1000), js: mb / (median(tj) / 1000), sanitized: mb / (median(ts) / 1000),
    });
  }
  return { rows, userAgent: navigator.userAgent };
}

run()
  .then((r) => { window.__result = r; })
  .catch((e) => { window.__result = { error: String(e && e.stack || e) }; })
  .finally(() => { window.__done = true; document.body.textContent = 'done'; });
