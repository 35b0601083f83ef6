// Loads the options page's wasm; its start function mounts the Leptos app into <body>.
// (Trunk's own loader is an inline script, which an extension page may not run.)
import init from "./options.js";

init({ module_or_path: new URL("./options_bg.wasm", import.meta.url) }).catch((error) => {
  document.body.textContent = `Planet Reader could not start: ${error}`;
  console.error(error);
});
