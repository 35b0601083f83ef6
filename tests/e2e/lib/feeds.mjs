// Small synthetic feeds for the refresh tests.

/** An RSS 2.0 feed titled `title` with `n` items whose guids start with `prefix`. */
export function rss(title, n, prefix = title) {
  const items = Array.from({ length: n }, (_, i) => `<item><title>${title} post ${i}</title>
<guid>${prefix}-${i}</guid><link>https://blog.example/${prefix}/${i}</link>
<description>&lt;p&gt;Body ${i} of ${title}&lt;/p&gt;</description>
<pubDate>${new Date(Date.now() - (i + 1) * 3_600_000).toUTCString()}</pubDate></item>`).join("\n");
  return `<?xml version="1.0"?>
<rss version="2.0"><channel><title>${title}</title><link>https://blog.example/</link>
${items}
</channel></rss>`;
}

/** The same posts as `rss(title, n, prefix)` as an Atom 1.0 feed (same ids, so one blog). */
export function atom(title, n, prefix = title) {
  const entries = Array.from({ length: n }, (_, i) => `<entry><id>${prefix}-${i}</id>
<title>${title} post ${i}</title><link href="https://blog.example/${prefix}/${i}"/>
<content type="html">&lt;p&gt;Body ${i} of ${title}&lt;/p&gt;</content>
<updated>${new Date(Date.now() - (i + 1) * 3_600_000).toISOString()}</updated></entry>`).join("\n");
  return `<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>${title}</title><link href="https://blog.example/"/>
${entries}
</feed>`;
}

/** The same posts as `rss(title, n, prefix)` as a JSON Feed 1.1. */
export function jsonFeed(title, n, prefix = title) {
  const items = Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i}`,
    title: `${title} post ${i}`,
    url: `https://blog.example/${prefix}/${i}`,
    content_html: `<p>Body ${i} of ${title}</p>`,
    date_published: new Date(Date.now() - (i + 1) * 3_600_000).toISOString(),
  }));
  return JSON.stringify({ version: "https://jsonfeed.org/version/1.1", title, home_page_url: "https://blog.example/", items });
}
