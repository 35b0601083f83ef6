// The offline case (cases/offline.mjs) in Firefox (its error reads "NetworkError when
// attempting to fetch resource." where Chromium's reads "Failed to fetch"), and nothing in
// the extension's console.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as firefox from "../lib/firefox.mjs";
import { offlineCases } from "../cases/offline.mjs";

offlineCases(firefox);

test("the extension logged no error", () => assert.deepEqual(firefox.errorsSeen(), []));
