// The views cases (cases/views.mjs) in Firefox (the popup is popup.html in a tab); the
// full-tab reader's two panes; and nothing in the extension's console.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as firefox from "../lib/firefox.mjs";
import { viewsCases, stateCases } from "../cases/views.mjs";
import { ROWS } from "../lib/ui.mjs";

const shared = viewsCases(firefox);

// Firefox's sidebar (sidebar_action) opens only from a user's click in its own UI and
// cannot be seen from a test; the page it shows, panel.html, is the app the other cases
// drive. The full-tab reader can be opened.
test("the full-tab reader shows the entry beside the list at a wide size", async () => {
  const reader = await shared.ext.view("reader.html");
  await reader.setViewport(1280, 800);
  await reader.waitForSelector(ROWS);
  await reader.click(`${ROWS} button.open`);
  await reader.waitForSelector(".panes.two .entry-pane article.entry-view");
  const [list, entry] = await reader.eval(() => [".list-pane", ".entry-pane"].map((s) => document.querySelector(s).getBoundingClientRect().toJSON()));
  assert.ok(entry.left >= list.right - 1, "side by side");
  await reader.close();
});

stateCases(firefox);

test("the extension logged no error", () => assert.deepEqual(firefox.errorsSeen(), []));
