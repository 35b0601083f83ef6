// The package cases (cases/packages.mjs) for Firefox's package, loaded in Firefox; what
// `web-ext lint` (AMO's linter) says of it; and nothing in the extension's console.
import { test } from "node:test";
import assert from "node:assert/strict";
import webExt from "web-ext";
import * as firefox from "../lib/firefox.mjs";
import { packageCases } from "../cases/packages.mjs";

const ctx = packageCases(firefox);

test("web-ext lint finds no error in Firefox's package, and only the warning Leptos brings", async () => {
  const result = await webExt.cmd.lint({ sourceDir: ctx.unpacked, output: "none" }, { shouldExitProgram: false });
  const said = (list) => list.map((m) => `${m.code} ${m.file ?? ""}:${m.line ?? ""} ${m.message}`);
  assert.deepEqual(said(result.errors), []);
  assert.deepEqual(said(result.notices), []);
  // The one warning (README, "web-ext lint"): `.innerHTML =` in wasm-bindgen's glue, which
  // Leptos's renderer uses to build every view's static HTML from a <template> (and the
  // popup for an entry's content, sanitized when stored).
  assert.deepEqual(result.warnings.map((w) => [w.code, w.file]), [["UNSAFE_VAR_ASSIGNMENT", "popup.js"]], said(result.warnings).join("\n"));
});

test("the extension logged no error", () => assert.deepEqual(firefox.errorsSeen(), []));
