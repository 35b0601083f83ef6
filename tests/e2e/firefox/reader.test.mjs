// The reader's cases (cases/reader.mjs) in Firefox, and nothing in the extension's console.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as firefox from "../lib/firefox.mjs";
import { readerCases } from "../cases/reader.mjs";

readerCases(firefox);

test("the extension logged no error", () => assert.deepEqual(firefox.errorsSeen(), []));
