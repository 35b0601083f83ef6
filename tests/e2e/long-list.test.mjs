// The long-list case (cases/long-list.mjs) in Chromium.
import * as chromium from "./lib/extension.mjs";
import { longListCases } from "./cases/long-list.mjs";

longListCases(chromium);
