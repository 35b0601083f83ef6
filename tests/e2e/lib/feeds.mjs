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
