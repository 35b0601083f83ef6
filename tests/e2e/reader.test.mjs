// The reader's cases (cases/reader.mjs) in Chromium.
import * as chromium from "./lib/extension.mjs";
import { readerCases } from "./cases/reader.mjs";

readerCases(chromium);
