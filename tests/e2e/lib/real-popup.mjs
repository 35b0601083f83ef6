// The real toolbar popup (chrome.action.openPopup), driven over the DevTools protocol.
//
// Playwright does not surface the action popup as a Page, but Chromium lists it as a target.
// This attaches to it through a CDP session of an extension page (see cdp.mjs), evaluates in
// it, and clicks with real mouse events (Input.dispatchMouseEvent), so a click is a user
// gesture, as permissions.request requires. It is a View (driver.mjs), like any other page.
import { TargetSession, targets } from "./cdp.mjs";
import { View } from "./driver.mjs";

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
  const popup = new RealPopup(await TargetSession.attach(cdp, target.targetId));
  await popup.waitFor(() => !!document.querySelector("header"), null, { what: "the popup to render" });
  return popup;
}

class RealPopup extends View {
  constructor(session) {
    super(null);
    this.session = session;
  }

  eval(fn, arg = null) {
    return this.session.eval(fn, arg);
  }

  /** Click the element `selector` names with the mouse (a user gesture). */
  async clickOn(selector) {
    const box = await this.eval((s) => {
      const r = document.querySelector(s).getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    }, selector);
    for (const type of ["mouseMoved", "mousePressed", "mouseReleased"]) {
      await this.session.send("Input.dispatchMouseEvent", { type, x: box.x, y: box.y, button: "left", clickCount: 1 });
    }
  }

  async close() {
    await this.session.cdp.send("Target.closeTarget", { targetId: this.session.targetId }).catch(() => {});
    await this.session.detach();
  }
}
