// Serve the benchmark page on 127.0.0.1 (a port the OS picks), drive headless Chromium to
// it with playwright-core, print what the page measured, stop everything.
// Usage: node tests/bench/wasm/bench.mjs OUT_DIR   (run.sh calls it)
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const out = path.resolve(process.argv[2] ?? path.join(root, 'target/wasm-bench'));

const routes = {
  '/': path.join(here, 'index.html'),
  '/page.js': path.join(here, 'page.js'),
  '/fxp.min.js': path.join(root, 'node_modules/fast-xml-parser/lib/fxp.min.js'),
};
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.xml': 'application/octet-stream' };

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (url.pathname === '/favicon.ico') {
    res.writeHead(204).end();
    return;
  }
  let file = routes[url.pathname];
  if (!file && /^\/(pkg|feeds)\/[\w.-]+$/.test(url.pathname)) file = path.join(out, url.pathname);
  if (!file || !fs.existsSync(file)) {
    res.writeHead(404).end('not found');
    return;
  }
  res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const port = server.address().port;

const userDataDir = fs.mkdtempSync(path.join(out, 'chromium-'));
let browser;
try {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
  });
  const page = await browser.newPage();
  page.on('console', (m) => process.stderr.write(`[page] ${m.text()}\n`));
  let failed = null;
  page.on('pageerror', (e) => { failed = e; process.stderr.write(`[page error] ${e}\n`); });
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => window.__done === true, null, { timeout: 180_000 });
  if (failed) throw failed;
  const result = await page.evaluate(() => window.__result);
  if (result.error) throw new Error(result.error);
  console.log(`${result.userAgent}`);
  console.log('MB = 10^6 bytes; median of interleaved runs; both sides start from the same bytes\n');
  console.log('format     bytes     entries  wasm MB/s  fxp+map MB/s  ratio  wasm+sanitize MB/s');
  for (const r of result.rows) {
    console.log(
      `${r.name.padEnd(9)} ${String(r.bytes).padStart(8)} ${String(r.entries).padStart(8)}` +
      ` ${r.wasm.toFixed(1).padStart(10)} ${r.js.toFixed(1).padStart(13)} ${(r.wasm / r.js).toFixed(2).padStart(5)}x` +
      ` ${r.sanitized.toFixed(1).padStart(19)}`,
    );
  }
  const geo = Math.exp(result.rows.reduce((s, r) => s + Math.log(r.wasm / r.js), 0) / result.rows.length);
  console.log(`\nratio wasm/fast-xml-parser (geometric mean): ${geo.toFixed(2)}x`);
} finally {
  if (browser) await browser.close();
  server.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
