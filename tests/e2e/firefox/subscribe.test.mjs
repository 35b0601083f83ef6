// The subscribe cases (cases/subscribe.mjs) in Firefox; a site the extension has no access
// to, granted in the click; and nothing in the extension's console.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as firefox from "../lib/firefox.mjs";
import { subscribeCases } from "../cases/subscribe.mjs";

const shared = subscribeCases(firefox);

// The test build grants http://127.0.0.1/*, so the cases above never need to ask. Here the
// site is `localhost` (the same server), which the manifest does not name: "Find feeds" and
// "Subscribe" ask for it with permissions.request in the click, and Firefox grants it with
// no prompt (extensions.webextOptionalPermissionPrompts is off in the test profile, as a
// user clicking "Allow" would). Chromium has no such switch: its prompt cannot be answered
// headless.
test("a site without host access: the click asks for it, it is granted, and the feed is fetched", async () => {
  const { ext, server } = shared;
  const site = server.origin.replace("127.0.0.1", "localhost");
  const allowed = () => ext.probeEval(() => chrome.permissions.contains({ origins: ["http://localhost/*"] }));
  assert.equal(await allowed(), false, "no access to localhost at first");
  const badge = Number(await ext.badge());
  const popup = await ext.popup();
  await popup.click('button[aria-label="Subscribe"]');
  await popup.fill('input[aria-label="Site or feed address"]', `${site}/blog/`);
  await popup.click('button[aria-label="Find feeds"]');
  const found = 'ul[aria-label="Feeds on localhost"] > li';
  await popup.waitForSelector(found, { text: "Comments on The Blog" });
  assert.equal(await allowed(), true, "access granted in the click");
  await popup.click('button[aria-label="Subscribe to Comments on The Blog"]');
  await ext.badgeBecomes(String(badge + 8));
  assert.ok(server.requests("/blog/comments/feed/").some((r) => r.headers.host.startsWith("localhost:")));
  await popup.close();
});

test("the extension logged no error", () => assert.deepEqual(firefox.errorsSeen(), []));
