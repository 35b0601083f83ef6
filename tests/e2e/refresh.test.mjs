// The refresh cases (cases/refresh.mjs) in Chromium.
import * as chromium from "./lib/extension.mjs";
import { refreshCases } from "./cases/refresh.mjs";

refreshCases(chromium);
