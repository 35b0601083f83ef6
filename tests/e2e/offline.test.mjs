// The offline case (cases/offline.mjs) in Chromium.
import * as chromium from "./lib/extension.mjs";
import { offlineCases } from "./cases/offline.mjs";

offlineCases(chromium);
