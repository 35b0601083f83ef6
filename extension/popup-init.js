// Loads the popup's wasm; its start function mounts the Leptos app into <body>.
// (Trunk's own loader is an inline script, which an extension page may not run.)
import init from "./popup.js";

init({ module_or_path: new URL("./popup_bg.wasm", import.meta.url) })
  .then(() => document.querySelector(".boot")?.remove())
  .catch((error) => {
    const boot = document.querySelector(".boot");
    if (boot) boot.textContent = `Planet Reader could not start: ${error}`;
    console.error(error);
  });
