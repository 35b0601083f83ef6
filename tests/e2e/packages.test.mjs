// The package cases (cases/packages.mjs) for Chromium's package, loaded in Chromium.
import * as chromium from "./lib/extension.mjs";
import { packageCases } from "./cases/packages.mjs";

packageCases(chromium);
