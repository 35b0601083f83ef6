// The store packages, from dist/: planet-reader-<version>-chromium.zip (Chrome Web Store,
// or "Load unpacked" once unzipped) and planet-reader-<version>-firefox.zip (AMO, or
// about:debugging). Run by extension/package.sh after the build.
//
//   node extension/package.mjs [OUT_DIR]      (default: packages/)
//
// - The version is Cargo.toml's, stamped into each manifest.
// - Each browser gets the manifest keys it reads: Chromium's has no `background.scripts`,
//   no `browser_specific_settings` and no `sidebar_action`; Firefox's has no
//   `background.service_worker`, no `side_panel`, no `sidePanel` permission and no
//   `declarativeContent` permission (an API it does not have).
//   Every other file is the same in both, and the list below is all there is: a file in
//   dist/ that is not on it stops the packaging (no test copy, no stray file ships).
// - Reproducible: the same dist/ gives the same bytes. Entries are in sorted order, every
//   one with the same fixed time (1980-01-01 00:00, the first a zip can hold), no
//   permissions or other attributes (made on "MS-DOS", no extra fields), no comment, and
//   deflated by this Node's zlib at level 9.
import { deflateRawSync, crc32 } from "node:zlib";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DIST = path.join(ROOT, "dist");

/** What each browser needs from dist/, besides manifest.json (written per browser). */
export const FILES = [
  "background.js", "config.js", "discover.js", "worker.js", "worker_bg.wasm",
  "refresher.js", "refresher_bg.wasm",
  "popup.html", "popup.css", "popup-init.js", "popup.js", "popup_bg.wasm",
  "options.html", "options.css", "options-init.js", "options.js", "options_bg.wasm",
  "reader.html", "panel.html",
  "icons/icon-16.png", "icons/icon-32.png", "icons/icon-48.png", "icons/icon-128.png",
  "_locales/de/messages.json", "_locales/en/messages.json", "_locales/fr/messages.json",
];

export const BROWSERS = ["chromium", "firefox"];

/** Cargo.toml's `[package] version`. */
export function version() {
  const cargo = readFileSync(path.join(ROOT, "Cargo.toml"), "utf8");
  const v = cargo.match(/^\[package\][^[]*?^version\s*=\s*"([^"]+)"/m)?.[1];
  // Both stores want one to four dot-separated numbers.
  if (!v || !/^\d+(\.\d+){0,3}$/.test(v)) throw new Error(`Cargo.toml's version ${v} is not one the stores take`);
  return v;
}

/** dist/manifest.json as `browser` reads it, at `v`. */
export function manifestFor(browser, manifest, v) {
  const m = structuredClone(manifest);
  m.version = v;
  if (browser === "chromium") {
    delete m.background.scripts;
    delete m.browser_specific_settings;
    delete m.sidebar_action;
  } else {
    delete m.background.service_worker;
    delete m.side_panel;
    // Firefox has no declarativeContent (the toolbar's "this page has a feed").
    m.permissions = m.permissions.filter((p) => p !== "sidePanel" && p !== "declarativeContent");
  }
  return m;
}

/** Every file under `dir`, as sorted relative paths with "/". */
function walk(dir, prefix = "") {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(path.join(dir, d.name), `${prefix}${d.name}/`) : [`${prefix}${d.name}`]);
}

// 1980-01-01 00:00:00 in MS-DOS time and date.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/** A zip of `files` ([name, bytes] in the order given): stored or deflated, whichever is smaller. */
export function zip(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, data] of files) {
    const deflated = deflateRawSync(data, { level: 9 });
    const [method, body] = deflated.length < data.length ? [8, deflated] : [0, data];
    const nameBytes = Buffer.from(name, "utf8");
    const crc = crc32(data);
    const fields = (header) => {
      header.writeUInt16LE(20, 0); // version needed to extract: 2.0
      header.writeUInt16LE(0, 2); // flags: none
      header.writeUInt16LE(method, 4);
      header.writeUInt16LE(DOS_TIME, 6);
      header.writeUInt16LE(DOS_DATE, 8);
      header.writeUInt32LE(crc, 10);
      header.writeUInt32LE(body.length, 14);
      header.writeUInt32LE(data.length, 18);
      header.writeUInt16LE(nameBytes.length, 22);
      header.writeUInt16LE(0, 24); // no extra field
      return header;
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    fields(local.subarray(4));
    locals.push(local, nameBytes, body);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by: MS-DOS (no Unix mode bits), zip 2.0
    fields(central.subarray(6));
    // comment length, disk number, internal and external attributes: all 0
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Write both packages into `out`; their paths, by browser. */
export function writePackages(out, dist = DIST) {
  const present = walk(dist).filter((f) => f !== "manifest.json");
  const stray = present.filter((f) => !FILES.includes(f));
  const missing = FILES.filter((f) => !present.includes(f));
  if (stray.length) throw new Error(`dist/ has files no package lists (add them to FILES in extension/package.mjs): ${stray.join(", ")}`);
  if (missing.length) throw new Error(`dist/ lacks ${missing.join(", ")}: run extension/build.sh`);
  const manifest = JSON.parse(readFileSync(path.join(dist, "manifest.json"), "utf8"));
  const v = version();
  mkdirSync(out, { recursive: true });
  const written = {};
  for (const browser of BROWSERS) {
    const entries = [
      ["manifest.json", Buffer.from(`${JSON.stringify(manifestFor(browser, manifest, v), null, 2)}\n`)],
      ...FILES.map((f) => [f, readFileSync(path.join(dist, f))]),
    ].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const file = path.join(out, `planet-reader-${v}-${browser}.zip`);
    writeFileSync(file, zip(entries));
    written[browser] = file;
  }
  return written;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = path.resolve(process.argv[2] ?? path.join(ROOT, "packages"));
  for (const file of Object.values(writePackages(out))) {
    const sha = createHash("sha256").update(readFileSync(file)).digest("hex");
    console.log(`${sha}  ${path.relative(process.cwd(), file)}`);
  }
}
