// The reader's screens as the tests see them: selectors, a second fixture feed with an icon,
// and the checks several cases share (axe-core, overflow, positions).
import { readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./extension.mjs";

export const ROWS = "ul.entries > li";
export const SCOPE = 'select[aria-label="Feed or member"]';
export const SEARCH = 'input[aria-label="Search"]';
export const button = (label) => `button[aria-label="${label}"]`;

/** A feed with an image (its icon), one entry whose content alone holds "zymurgy", and
 *  content that tests layout: a long word, a wide table, an image that cannot load. */
export function gamma(origin) {
  const at = (h) => new Date(Date.now() - h * 3_600_000).toUTCString();
  const esc = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const items = [
    ["gamma-0", "Brewing notes", "<p>On the fine art of zymurgy, with numbers.</p>", 1],
    ["gamma-1", "A very wide post", `<p>${"Donaudampfschifffahrtsgesellschaftskapitän".repeat(3)}</p>
<table><tr>${Array.from({ length: 12 }, (_, i) => `<td>column-${i}-with-long-content</td>`).join("")}</tr></table>
<pre>${"x".repeat(300)}</pre><p><img src="${origin}/missing.png" alt="a chart"></p>
<iframe src="https://www.youtube.com/embed/abc123" width="560" height="315"></iframe>`, 2],
    ["gamma-2", "Short one", "<p>Nothing much.</p>", 3],
  ];
  return `<?xml version="1.0"?>
<rss version="2.0"><channel><title>Gamma</title><link>${origin}/gamma/</link>
<image><url>${origin}/gamma.png</url><title>Gamma</title><link>${origin}/gamma/</link></image>
${items.map(([id, title, html, h]) => `<item><title>${title}</title><guid>${id}</guid><link>${origin}/gamma/${id}</link>
<description>${esc(html)}</description><pubDate>${at(h)}</pubDate></item>`).join("\n")}
</channel></rss>`;
}

/** Serve `gamma(origin)` and its icon on `server`. */
export function serveGamma(server) {
  server.feed("/gamma.xml", gamma(server.origin));
  const png = readFileSync(path.join(ROOT, "public/icons/icon-16.png"));
  server.route("/gamma.png", (req, res) => res.writeHead(200, { "content-type": "image/png" }).end(png));
}

/** The options of the scope chooser, by label. */
export async function scopes(popup) {
  await popup.waitForSelector(`${SCOPE} option`);
  return popup.eval((s) => [...document.querySelectorAll(`${s} option`)].map((o) => o.textContent), SCOPE);
}

/** Choose the scope whose label starts with `prefix` (as a user's choice: a change event); its label. */
export async function chooseScope(popup, prefix) {
  return popup.waitFor(([s, p]) => {
    const select = document.querySelector(s);
    const option = [...(select?.options ?? [])].find((o) => o.textContent.startsWith(p));
    if (!option) return null;
    select.value = option.value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    return option.textContent;
  }, [SCOPE, prefix], { what: `a scope "${prefix}…"` });
}

/** The number in a label such as "Django Weblog (4)". */
export const countOf = (label) => Number(label.match(/\((\d+)\)$/)?.[1] ?? 0);

/** The rows' titles, in order. */
export function titles(popup) {
  return popup.eval((s) => [...document.querySelectorAll(`${s} .title`)].map((t) => t.textContent), ROWS);
}

/** Wait until the list shows `n` rows and its view is read (after a switch). */
export async function rowsBecome(popup, n) {
  await popup.countBecomes(ROWS, n);
}

/** The row at the top of the visible list and where it is. */
export function topRow(popup) {
  return popup.eval((s) => {
    const header = document.querySelector("header").getBoundingClientRect().bottom;
    const rows = [...document.querySelectorAll(s)];
    const i = rows.findIndex((r) => r.getBoundingClientRect().bottom > header + 1);
    return i < 0 ? null : { index: i, title: rows[i].querySelector(".title").textContent, offset: header - rows[i].getBoundingClientRect().top, scrollY: window.scrollY };
  }, ROWS);
}

/** Scroll the document so that row `i` is at the top of the visible list. */
export function scrollToRow(popup, i) {
  return popup.eval(([s, i]) => {
    const header = document.querySelector("header").getBoundingClientRect().bottom;
    const row = document.querySelectorAll(s)[i];
    window.scrollBy(0, row.getBoundingClientRect().top - header);
    return window.scrollY;
  }, [ROWS, i]);
}

/** What overflows the page's width: the document's own scroll width and every element
 *  whose box reaches past the viewport (hidden ones aside). */
export function overflow(view) {
  return view.eval(() => {
    const width = document.documentElement.clientWidth;
    const wider = [...document.querySelectorAll("body *")]
      .filter((e) => e.getClientRects().length && getComputedStyle(e).visibility !== "hidden")
      .filter((e) => !e.closest(".sr-only"))
      .filter((e) => e.getBoundingClientRect().right > width + 0.5)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className}: right ${Math.round(e.getBoundingClientRect().right)}`);
    return { width, scrollWidth: document.documentElement.scrollWidth, wider: wider.slice(0, 5) };
  });
}

const AXE = readFileSync(path.join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");

/**
 * axe-core's violations on the page as it is now: every rule, the experimental ones too
 * (`label-content-name-mismatch` is one), as "rule: target".
 */
export async function axe(view) {
  if (!(await view.eval(() => typeof window.axe === "object"))) await view.evalSource(AXE);
  return view.eval(async () => {
    const experimental = window.axe.getRules(["experimental"]).map((r) => r.ruleId);
    const rules = Object.fromEntries(experimental.map((id) => [id, { enabled: true }]));
    const result = await window.axe.run(document, { rules, resultTypes: ["violations"] });
    return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")} (${n.failureSummary.split("\n").slice(1).join(" ").trim()})`));
  });
}

/** What has the focus, as a short description; "body" when nothing does. */
export function focused(view) {
  return view.eval(() => {
    const a = document.activeElement;
    if (!a || a === document.body) return "body";
    return `${a.tagName.toLowerCase()}${a.className ? "." + a.className.split(" ")[0] : ""}: ${(a.getAttribute("aria-label") ?? a.textContent).trim().slice(0, 60)}`;
  });
}

/** Whether the focused element shows a focus ring (its :focus-visible outline). */
export function focusVisible(view) {
  return view.eval(() => {
    const a = document.activeElement;
    if (!a || a === document.body) return false;
    const s = getComputedStyle(a);
    return a.matches(":focus-visible") && s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2;
  });
}
