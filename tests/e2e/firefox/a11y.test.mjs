// axe-core on every screen of the popup in Firefox (popup.html in a tab; light: Firefox's
// driver cannot emulate the colour scheme), and nothing in the extension's console.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as firefox from "../lib/firefox.mjs";
import { a11yCases } from "../cases/a11y.mjs";

a11yCases(firefox, { schemes: ["light"] });

test("the extension logged no error", () => assert.deepEqual(firefox.errorsSeen(), []));
