// Injected into the current tab (chrome.scripting.executeScript, files) when the popup looks
// for the page's feeds. It reads the live DOM, so links added by the page's own scripts
// count too, and returns plain data: what core::discovery calls a PageLink.
(() => {
  const MAX_LINKS = 2000;
  const links = [];
  const text = (a) => {
    const alts = [...a.querySelectorAll("img[alt]")].map((img) => img.alt);
    return [a.textContent, ...alts].join(" ").replace(/\s+/g, " ").trim().slice(0, 200);
  };
  // The absolute URL of an element's href. An SVG <a> has an SVGAnimatedString, not a
  // string, for `href`: its attribute is resolved here. Anything unusable is skipped.
  const href = (el) => {
    if (typeof el.href === "string") return el.href; // absolute, against document.baseURI
    try {
      return new URL(el.getAttribute("href") ?? "", document.baseURI).href;
    } catch {
      return undefined;
    }
  };
  const attr = (el, name) => el.getAttribute(name) ?? undefined;
  for (const el of document.querySelectorAll("link[href], a[href]")) {
    if (links.length >= MAX_LINKS) break;
    const url = href(el);
    if (!url) continue;
    const isLink = el.localName === "link";
    links.push({
      rel: attr(el, "rel"),
      href: url,
      mime_type: attr(el, "type"),
      title: attr(el, "title"),
      text: isLink ? undefined : text(el),
    });
  }
  return { url: location.href, contentType: document.contentType, links };
})();
