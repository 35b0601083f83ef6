// The views cases (cases/views.mjs) in Chromium, through the real toolbar popup where its
// size matters, and the states of new and emptied profiles.
import * as chromium from "./lib/extension.mjs";
import { viewsCases, stateCases } from "./cases/views.mjs";

viewsCases(chromium);
stateCases(chromium);
