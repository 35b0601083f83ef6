// The real toolbar popup (chrome.action.openPopup), driven over the DevTools protocol.
//
// Playwright does not surface the action popup as a Page, but Chromium lists it as a target.
// This attaches to it through a CDP session of an extension page (see cdp.mjs), evaluates in
// it, and clicks with real mouse events (Input.dispatchMouseEvent), so a click is a user
// gesture, as permissions.request requires.
import { TargetSession, targets } from "./cdp.mjs";

export async function openRealPopup(ext, tabPage) {
  const probe = await ext.probe();
  const cdp = await ext.context.newCDPSession(probe);
  const popups = async () => (await targets(cdp)).filter((t) => t.type === "page" && t.url.endsWith("/popup.html"));
  const before = new Set((await popups()).map((t) => t.targetId));
  await tabPage.bringToFront();
  await probe.evaluate(() => chrome.action.openPopup());
  let target;
  for (let i = 0; i < 100 && !target; i++) {
    target = (await popups()).find((t) => !before.has(t.targetId));
    if (!target) await new Promise((r) => setTimeout(r, 100));
  }
  if (!target) throw new Error("the toolbar popup did not open");
  const popup = await RealPopup.attach(cdp, target.targetId);
  await popup.waitFor(() => !!document.querySelector("header"), null, { what: "the popup to render" });
  return popup;
}

class RealPopup extends TargetSession {
  async waitFor(fn, arg = null, { timeout = 20_000, what = "a condition" } = {}) {
    const end = Date.now() + timeout;
    let last;
    while (Date.now() < end) {
      last = await this.eval(fn, arg);
      if (last) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out in the popup waiting for ${what}; last: ${JSON.stringify(last)}`);
  }

  /** The text of every element matching `selector`. */
  texts(selector) {
    return this.eval((s) => [...document.querySelectorAll(s)].map((e) => e.textContent), selector);
  }

  /** Click the element matching `selector` with the mouse (a user gesture). */
  async click(selector) {
    const box = await this.waitFor((s) => {
      const el = document.querySelector(s);
      if (!el || el.disabled) return null;
      el.scrollIntoView({ block: "center" });
      const r = el.getBoundingClientRect();
      return r.width && r.height ? { x: r.x + r.width / 2, y: r.y + r.height / 2 } : null;
    }, selector, { what: `${selector} to be clickable` });
    for (const type of ["mouseMoved", "mousePressed", "mouseReleased"]) {
      await this.send("Input.dispatchMouseEvent", { type, x: box.x, y: box.y, button: "left", clickCount: 1 });
    }
  }

  async close() {
    await this.cdp.send("Target.closeTarget", { targetId: this.targetId }).catch(() => {});
    await this.detach();
  }
}
