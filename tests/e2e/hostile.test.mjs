// Hostile feeds in the real extension (issue 11): what the native tests of tests/hostile.rs
// check in core, seen through the popup and the worker in Chromium. Each test is named after
// the finding it covers.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./lib/server.mjs";
import { launch, testBuild } from "./lib/extension.mjs";
import { rss } from "./lib/feeds.mjs";

const FOUND = 'ul[aria-label="Feeds on 127.0.0.1"] > li';
const page = (head, body = "<p>Hello</p>") =>
  `<!doctype html><html><head><meta charset="utf-8"><title>Blog</title>${head}</head><body>${body}</body></html>`;

const opened = [];
after(async () => {
  for (const x of opened.reverse()) await x.close();
});

async function serverFor() {
  const server = await startServer();
  opened.push(server);
  return server;
}

async function browserFor(server, paths) {
  const ext = await launch(testBuild({ defaultFeeds: paths.map((p) => server.origin + p) }));
  opened.push(ext);
  return ext;
}

const escape = (html) => html.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const hoursAgo = (h) => new Date(Date.now() - h * 3_600_000).toUTCString();

// An entry whose link is a data: URL with a TAB in its scheme, under an xml:base that is a
// script, and whose content links every way that used to get past the sanitizer.
const EVIL_BASE = "javascript://%0Aalert(document.domain)//";
const CONTENT = `<p>Hostile links</p>
<p><a href="java&#x0A;script:document.title='ran-lf'">lf</a>
<a href="java&#x09;script:document.title='ran-tab'">tab</a>
<a href="d&#x09;ata:text/html,&lt;script&gt;document.title='ran'&lt;/script&gt;">data</a>
<a href="vbscript:msgbox">vb</a> <a href="file:///etc/passwd">file</a>
<a href="chrome://settings">chrome</a> <a href="relative.html">relative</a></p>
<img src="img.png" srcset="big.png 2x"> <video src="movie.mp4" poster="poster.png" autoplay></video>
<table background="bg.png"><tr><td>cell</td></tr></table>`;
const URL_FEED = `<?xml version="1.0"?>
<rss version="2.0" xml:base="${EVIL_BASE}"><channel xml:base="${EVIL_BASE}">
<title>Hostile URLs</title><link>https://blog.example/</link>
<item xml:base="java&#x0A;script://%0Aalert(1)//"><title>Data link</title><guid>evil-1</guid>
<link>d&#x09;ata:text/html,&lt;script&gt;document.title='ran'&lt;/script&gt;</link>
<pubDate>${hoursAgo(1)}</pubDate>
<description>${escape(CONTENT)}</description></item>
<item><title>Script link</title><guid>evil-2</guid><link>java&#x0A;script://%0Aalert(1)//</link>
<pubDate>${hoursAgo(2)}</pubDate><description>plain</description></item>
</channel></rss>`;

test("finding 3, 4, 11: no script or data URL is rendered or opened; only images load", async () => {
  const server = await serverFor();
  server.feed("/evil.xml", URL_FEED);
  // A real 1×1 PNG: an image that does not decode is replaced by a placeholder link.
  const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");
  for (const file of ["img.png", "big.png", "movie.mp4", "poster.png", "bg.png"]) {
    server.route(`/${file}`, (req, res) => res.writeHead(200, { "content-type": "image/png" }).end(png));
  }
  const ext = await browserFor(server, ["/evil.xml"]);
  await ext.badgeBecomes("2"); // the worker fetched the feed: the CSP lets it (connect-src)
  const popup = await ext.openPopup();
  const titleBefore = await popup.title();
  const pagesBefore = ext.context.pages().length;

  await popup.locator("ul.entries .title", { hasText: "Data link" }).click();
  const content = popup.locator("article.entry-view .content");
  await content.locator("p").first().waitFor();
  const urls = await content.evaluate((root) =>
    [...root.querySelectorAll("*")].flatMap((el) =>
      [...el.attributes]
        .filter((a) => ["href", "src", "srcset", "poster", "background", "action", "formaction"].includes(a.name))
        .map((a) => `${a.name}=${a.value}`),
    ),
  );
  for (const url of urls) {
    const value = url.slice(url.indexOf("=") + 1);
    assert.ok(value === "" || /^https?:\/\//.test(value), `a non-web URL is rendered: ${url}`);
  }
  // Relative URLs resolved against the feed's own address, not the script base.
  assert.ok(urls.includes(`href=${server.origin}/relative.html`), urls.join("\n"));
  assert.ok(urls.includes(`src=${server.origin}/img.png`), urls.join("\n"));

  // "Open in tab" refuses the data: link (the button is disabled, a click opens nothing).
  const open = popup.getByRole("button", { name: "Open in tab" });
  assert.equal(await open.isDisabled(), true);
  await open.click({ force: true });
  // A click on every refused link opens nothing either, and runs nothing.
  for (const name of ["lf", "tab", "data", "vb", "file", "chrome"]) {
    await content.getByText(name, { exact: true }).click();
  }
  await popup.waitForTimeout(500);
  assert.equal(ext.context.pages().length, pagesBefore, "no tab was opened");
  assert.equal(await popup.title(), titleBefore, "no script ran");

  // Remote content: the image loads; media, its poster's neighbours and background do not.
  await ext.until(() => server.requests("/img.png").length, (n) => n > 0, { what: "the image" });
  await popup.waitForTimeout(500);
  for (const file of ["movie.mp4", "big.png", "bg.png"]) {
    assert.equal(server.requests(`/${file}`).length, 0, `${file} was loaded`);
  }

  // The other entry's javascript: link is no link at all.
  await popup.locator("article.entry-view button.back").click();
  await popup.locator("ul.entries .title", { hasText: "Script link" }).click();
  await popup.locator("article.entry-view").waitFor();
  assert.equal(await popup.getByRole("button", { name: "Open in tab" }).isDisabled(), true);
  await popup.close();
});

test("finding 4: an allowed link still opens in a tab", async () => {
  const server = await serverFor();
  server.feed("/ok.xml", `<rss version="2.0"><channel><title>Fine</title>
    <item><title>Fine post</title><guid>ok-1</guid><link>${server.origin}/post.html</link>
    <pubDate>${hoursAgo(1)}</pubDate><description>ok</description></item></channel></rss>`);
  server.route("/post.html", (req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<p>post</p>"));
  const ext = await browserFor(server, ["/ok.xml"]);
  await ext.badgeBecomes("1");
  const popup = await ext.openPopup();
  await popup.locator("ul.entries .title", { hasText: "Fine post" }).click();
  const opening = ext.context.waitForEvent("page");
  await popup.getByRole("button", { name: "Open in tab" }).click();
  const tab = await opening;
  await tab.waitForLoadState("domcontentloaded");
  assert.equal(tab.url(), `${server.origin}/post.html`);
  await popup.close();
});

/** The finding's reproduction: one 1 MiB entity, 500 items referencing it five times. */
function amplified() {
  const big = "A".repeat(1 << 20);
  const items = Array.from({ length: 500 }, (_, i) =>
    `<item><guid>amp-${i}</guid><title>&a;</title><description>&a;&a;&a;&a;</description></item>`).join("");
  return `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "${big}">]>
<rss version="2.0"><channel><title>Amplified</title>${items}</channel></rss>`;
}

test("finding 1: an entity bomb is a clear error in its row; the other feed keeps updating", async () => {
  const server = await serverFor();
  server.feed("/amp.xml", amplified());
  server.feed("/good.xml", rss("Good", 3));
  const ext = await browserFor(server, ["/amp.xml", "/good.xml"]);
  await ext.badgeBecomes("3");
  const snapshot = () => ext.request({ type: "snapshot" });
  const amp = await ext.until(
    async () => (await snapshot()).feeds.find((f) => f.url.endsWith("/amp.xml")),
    (f) => f?.error,
    { what: "the amplified feed's error" },
  );
  assert.equal(amp.error, "the feed declares entities that expand too far: past 64 KB in one value");
  const popup = await ext.openPopup();
  const alert = popup.locator(".feed-error");
  await alert.waitFor();
  assert.match(await alert.textContent(), /^127\.0\.0\.1 could not be fetched: /, "the row names the feed (by host: it has no title yet)");
  assert.match(await alert.textContent(), /entities that expand too far/);
  await popup.close();

  // The next refresh: the good feed's new posts arrive, the worker still answers.
  server.feed("/good.xml", rss("Good", 5));
  await ext.makeDue({ failures: true });
  await ext.fireAlarm();
  await ext.badgeBecomes("5");
  const snap = await snapshot();
  assert.equal(snap.entries.length, 5);
  assert.ok(server.requests("/amp.xml").length >= 2, "the bomb was fetched again and refused again");
});

test("finding 12: an inline SVG link on a page does not break discovery", async () => {
  const server = await serverFor();
  server.route("/svg/", (req, res) => res.writeHead(200, { "content-type": "text/html" }).end(page(
    `<link rel="alternate" type="application/rss+xml" title="SVG Blog" href="/svg/feed.xml">`,
    `<svg width="10" height="10"><a href="/svg/rss/"><circle r="5"/></a></svg>
     <svg><a xlink:href="/svg/old/" xmlns:xlink="http://www.w3.org/1999/xlink"><text>x</text></a></svg>`)));
  server.feed("/svg/feed.xml", rss("SVG Blog", 2, "svg"));
  const ext = await browserFor(server, []);
  const { tab, popup } = await ext.popupOver(`${server.origin}/svg/`);
  await popup.click('button[aria-label="Subscribe"]');
  await popup.waitFor((s) => document.querySelectorAll(s).length > 0, FOUND, { what: "the feeds found" });
  const rows = await popup.texts(FOUND);
  assert.match(rows[0], /SVG Blog.*RSS 2\.0 · 2 entries/s);
  assert.equal(await popup.eval(() => document.body.textContent.includes("cannot read this page")), false);
  await popup.close();
  await tab.close();
});

test("finding 10: a page declaring 300 feeds gets 20 checked, and no cookie is sent", async () => {
  const server = await serverFor();
  const links = Array.from({ length: 300 }, (_, i) =>
    `<link rel="alternate" type="application/rss+xml" title="Feed ${i}" href="/many/${i}.xml">`).join("");
  server.route("/many/", (req, res) => res.writeHead(200, { "content-type": "text/html" }).end(page(links)));
  for (let i = 0; i < 300; i++) server.feed(`/many/${i}.xml`, rss(`Feed ${i}`, 1, `many-${i}`));
  const ext = await browserFor(server, []);
  // The user has a session on the site; discovery must not send it.
  await ext.context.addCookies([{ name: "session", value: "secret", url: server.origin }]);
  const { tab, popup } = await ext.popupOver(`${server.origin}/many/`);
  await popup.click('button[aria-label="Subscribe"]');
  await popup.waitFor((s) => document.querySelectorAll(s).length > 0, FOUND, { what: "the feeds found" });
  const checks = server.log.filter((r) => r.path.startsWith("/many/") && r.path.endsWith(".xml"));
  assert.equal(checks.length, 20, "at most 20 candidates are fetched");
  assert.ok(checks.every((r) => !r.headers.cookie), "no cookie on a discovery request");
  assert.ok(server.requests("/many/")[0].headers.cookie?.includes("session=secret"), "the page itself had it");
  const rows = await popup.texts(FOUND);
  assert.equal(rows.length, 100, "the first 100 are listed");
  assert.match(rows[25], /not checked: the page offers more than 20 feeds/);
  await popup.close();
  await tab.close();
});
