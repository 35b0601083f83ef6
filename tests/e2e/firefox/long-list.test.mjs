// The long-list case (cases/long-list.mjs) in Firefox, and nothing in the extension's
// console.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as firefox from "../lib/firefox.mjs";
import { longListCases } from "../cases/long-list.mjs";

longListCases(firefox);

test("the extension logged no error", () => assert.deepEqual(firefox.errorsSeen(), []));
