// Loads the popup's wasm; its start function mounts the Leptos app into <body>.
// (Trunk's own loader is an inline script, which an extension page may not run.)
//
// First, the page's part of the settings (src/core/settings.rs: storage.sync, "settings";
// any other value is the default), read while the wasm downloads:
// - images blocked: a content security policy of the page's own, in place before the app
//   renders, so that an opened entry requests nothing from other sites (no image, medium or
//   font: the manifest's policy allows images from http(s), this narrows it to the
//   extension's own files);
// - the theme, and whether images are blocked, as <html data-theme> and <html data-images>,
//   for the stylesheet and the entry view.
import init from "./popup.js";

const wasm = fetch(new URL("./popup_bg.wasm", import.meta.url));

function applyTheme(settings) {
  document.documentElement.dataset.theme = ["light", "dark"].includes(settings.theme) ? settings.theme : "system";
}

// The page's own words before the app is up, in the browser's language (the language
// chosen in the options page comes with the app); English if the browser has none.
function say(key, fallback, ...args) {
  return chrome.i18n?.getMessage(key, args) || fallback;
}

const booting = document.querySelector(".boot");
if (booting) booting.textContent = say("loading", booting.textContent);

function applyPageSettings(settings) {
  const root = document.documentElement;
  applyTheme(settings);
  if (settings.images === "block") {
    const policy = document.createElement("meta");
    policy.httpEquiv = "Content-Security-Policy";
    policy.content = "img-src 'self'; media-src 'self'; font-src 'self'";
    document.head.prepend(policy);
    root.dataset.images = "block";
  }
}

// A theme chosen while the page is open applies at once (the options page writes the
// synced settings).
chrome.storage.onChanged.addListener((changes, area) => {
  const settings = changes.settings?.newValue;
  if (area === "sync" && settings && typeof settings === "object") applyTheme(settings);
});

chrome.storage.sync
  .get("settings")
  .then(({ settings }) => applyPageSettings(settings && typeof settings === "object" ? settings : {}), () => {})
  .then(() => init({ module_or_path: wasm }))
  .then(() => document.querySelector(".boot")?.remove())
  .catch((error) => {
    const boot = document.querySelector(".boot");
    if (boot) boot.textContent = say("start_failed", `Planet Reader could not start: ${error}`, String(error));
    console.error(error);
  });
