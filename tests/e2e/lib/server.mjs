// A fixture HTTP server on 127.0.0.1 that a test starts and stops. Routes are set and
// changed by the test while it runs; every request is counted and logged, so a test can
// assert what the extension asked for (conditional GETs, retries...).
import http from "node:http";

export async function startServer() {
  const routes = new Map(); // path -> handler(req, res, ctx)
  const log = []; // { path, headers, at }
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    const entry = { path: url.pathname, headers: req.headers, at: Date.now(), status: null, sent: {} };
    log.push(entry);
    const writeHead = res.writeHead.bind(res);
    res.writeHead = (status, headers = {}) => {
      entry.status = status;
      entry.sent = headers;
      return writeHead(status, headers);
    };
    const handler = routes.get(url.pathname);
    if (!handler) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    Promise.resolve(handler(req, res, { url })).catch((error) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    });
  });
  const sockets = new Set();
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;

  return {
    origin,
    log,
    /** Serve `path` with `handler(req, res)`. */
    route(path, handler) {
      routes.set(path, handler);
    },
    /** Serve a feed body at `path`, with an ETag; answers 304 to a matching If-None-Match. */
    feed(path, body, { type = "application/rss+xml; charset=utf-8", etag = true } = {}) {
      const tag = `"${hash(body)}"`;
      routes.set(path, (req, res) => {
        if (etag && req.headers["if-none-match"] === tag) {
          res.writeHead(304, { etag: tag }).end();
          return;
        }
        res.writeHead(200, { "content-type": type, ...(etag ? { etag: tag } : {}) }).end(body);
      });
    },
    /** Answer `path` with an HTTP error status. */
    fail(path, status, headers = {}) {
      routes.set(path, (req, res) => res.writeHead(status, { "content-type": "text/plain", ...headers }).end(`error ${status}`));
    },
    requests(path) {
      return log.filter((r) => r.path === path);
    },
    /** Hold every answer of `path` until the returned function is called. */
    hold(path) {
      const handler = routes.get(path);
      let release;
      const released = new Promise((r) => (release = r));
      routes.set(path, async (req, res, ctx) => {
        await released;
        return handler(req, res, ctx);
      });
      return () => {
        release();
        routes.set(path, handler);
      };
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function hash(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16);
}
