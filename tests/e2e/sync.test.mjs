// The sync cases (cases/sync.mjs) in Chromium.
import * as chromium from "./lib/extension.mjs";
import { syncCases } from "./cases/sync.mjs";

syncCases(chromium);
