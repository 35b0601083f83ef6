// Loads the options page's wasm; its start function mounts the Leptos app into <body>.
// (Trunk's own loader is an inline script, which an extension page may not run.)
import init from "./options.js";

init({ module_or_path: new URL("./options_bg.wasm", import.meta.url) }).catch((error) => {
  const fallback = `Planet Reader could not start: ${error}`;
  document.body.textContent = chrome.i18n?.getMessage("start_failed", [String(error)]) || fallback;
  console.error(error);
});
