// The views cases (cases/views.mjs) in Firefox (the popup is popup.html in a tab), and
// nothing in the extension's console.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as firefox from "../lib/firefox.mjs";
import { viewsCases, stateCases } from "../cases/views.mjs";

viewsCases(firefox);
stateCases(firefox);

test("the extension logged no error", () => assert.deepEqual(firefox.errorsSeen(), []));
