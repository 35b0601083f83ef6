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
  for (const el of document.querySelectorAll("link[href], a[href]")) {
    if (links.length >= MAX_LINKS) break;
    const isLink = el.localName === "link";
    links.push({
      rel: el.getAttribute("rel") ?? undefined,
      href: el.href, // absolute, against document.baseURI
      mime_type: el.getAttribute("type") ?? undefined,
      title: el.getAttribute("title") ?? undefined,
      text: isLink ? undefined : text(el),
    });
  }
  return { url: location.href, contentType: document.contentType, links };
})();
