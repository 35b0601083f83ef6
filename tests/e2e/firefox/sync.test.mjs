// The sync cases (cases/sync.mjs) in Firefox, and nothing in the extension's console.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as firefox from "../lib/firefox.mjs";
import { syncCases } from "../cases/sync.mjs";

syncCases(firefox);

test("the extension logged no error", () => assert.deepEqual(firefox.errorsSeen(), []));
