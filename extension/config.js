// What the worker is built with. The end-to-end tests load a copy of dist/ whose config.js
// points the default subscription at their local fixture server; this file is what ships.
export const CONFIG = {
  defaultFeeds: ["https://planetpython.org/rss20.xml"],
};
