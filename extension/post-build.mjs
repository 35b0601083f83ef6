// Trunk's post_build hook: runs in Trunk's staging directory before it becomes dist/.
//
// 1. In release builds, shrink the wasm modules with wasm-opt -Oz (binaryen 132 from npm:
//    Debian's binaryen 108 silently breaks modern rustc output).
// 2. Check what MV3 requires of the pages: no inline script.
// 3. Print the sizes (raw and gzipped) that the README and issue notes quote.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import path from "node:path";

const staging = process.env.TRUNK_STAGING_DIR;
const root = process.env.TRUNK_SOURCE_DIR ? path.resolve(process.env.TRUNK_SOURCE_DIR, "..") : process.cwd();
if (!staging) throw new Error("post-build.mjs runs as Trunk's post_build hook (TRUNK_STAGING_DIR is unset)");
const release = process.env.TRUNK_PROFILE === "release";
const modules = ["popup_bg.wasm", "worker_bg.wasm", "refresher_bg.wasm"];

const wasmOpt = path.join(root, "node_modules", "binaryen", "bin", "wasm-opt");
const FEATURES = [
  "--enable-bulk-memory", "--enable-reference-types", "--enable-nontrapping-float-to-int",
  "--enable-sign-ext", "--enable-multivalue", "--enable-mutable-globals",
];

for (const name of modules) {
  const file = path.join(staging, name);
  if (!existsSync(file)) throw new Error(`Trunk produced no ${name}`);
  if (release) {
    if (!existsSync(wasmOpt)) throw new Error(`wasm-opt not found at ${wasmOpt}: run npm ci`);
    execFileSync(process.execPath, [wasmOpt, "-Oz", ...FEATURES, file, "-o", file], { stdio: "inherit" });
  }
}

const html = readFileSync(path.join(staging, "popup.html"), "utf8");
for (const tag of html.matchAll(/<script\b[^>]*>/gi)) {
  if (!/\bsrc=/.test(tag[0])) throw new Error(`popup.html has an inline script, which MV3 refuses: ${tag[0]}`);
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
for (const name of modules) {
  const bytes = readFileSync(path.join(staging, name));
  console.log(`size ${name.padEnd(15)} ${kb(statSync(path.join(staging, name)).size).padStart(10)} raw, ${kb(gzipSync(bytes, { level: 9 }).length).padStart(9)} gzipped${release ? "" : " (debug)"}`);
}
