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

  /** The script `source` evaluated in the popup, as it is (no wrapping). */
  async evalSource(source) {
    const { exceptionDetails } = await this.session.send("Runtime.evaluate", { expression: source, returnByValue: true });
    if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
  }

  /** A key pressed on the real keyboard (a trusted event, as the browser handles it). */
  async press(combo) {
    const parts = combo.split("+");
    const key = parts.pop() || "+";
    const shift = parts.includes("Shift") || (key.length === 1 && key !== key.toLowerCase()) || "?~!@#$%^&*()_+{}|:\"<>".includes(key);
    const named = { Escape: [27, "Escape"], Enter: [13, "Enter"], ArrowDown: [40, "ArrowDown"], ArrowUp: [38, "ArrowUp"], Tab: [9, "Tab"] };
    const [code, codeName] = named[key] ?? [key === "?" ? 191 : key === "/" ? 191 : key.toUpperCase().charCodeAt(0), key === "?" || key === "/" ? "Slash" : `Key${key.toUpperCase()}`];
    const text = key === "Enter" ? "\r" : key.length === 1 ? key : undefined;
    const base = { key, code: codeName, windowsVirtualKeyCode: code, nativeVirtualKeyCode: code, modifiers: shift ? 8 : 0 };
    await this.sendKey({ type: text ? "keyDown" : "rawKeyDown", ...base, ...(text ? { text, unmodifiedText: text } : {}) });
    await this.sendKey({ type: "keyUp", ...base });
    // What the key does lands within two frames (the reader moves the focus after a
    // render): let them pass, as a person's next key would, unless the key closed it.
    // (Bounded: a popup that closes meanwhile never answers.)
    if (await this.isOpen()) {
      const frames = this.session.send("Runtime.evaluate", {
        expression: "new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r))))",
        awaitPromise: true,
      }).catch(() => {});
      await Promise.race([frames, new Promise((r) => setTimeout(r, 3_000))]);
    }
  }

  /**
   * One key event. The key may close the popup (Esc on its list, a tab opened): then the
   * command may fail for the session or never be answered at all, and that is no error.
   */
  async sendKey(event) {
    const sent = this.session.send("Input.dispatchKeyEvent", event).then(() => "sent", (e) => e);
    const answer = await Promise.race([sent, new Promise((r) => setTimeout(() => r("late"), 3_000))]);
    if (answer === "sent" || !(await this.isOpen())) return;
    throw answer instanceof Error ? answer : new Error(`the popup is open but did not take ${event.type} ${event.key}`);
  }

  emulate({ colorScheme = "light", forcedColors = "none" } = {}) {
    return this.session.send("Emulation.setEmulatedMedia", {
      features: [{ name: "prefers-color-scheme", value: colorScheme }, { name: "forced-colors", value: forcedColors }],
    });
  }

  /** Whether the popup is still open. */
  async isOpen() {
    const { targetInfos } = await this.session.cdp.send("Target.getTargets");
    return targetInfos.some((t) => t.targetId === this.session.targetId);
  }

  async screenshot(file) {
    const { data } = await this.session.send("Page.captureScreenshot", { format: "png" });
    (await import("node:fs")).writeFileSync(file, Buffer.from(data, "base64"));
  }

  async close() {
    await this.session.cdp.send("Target.closeTarget", { targetId: this.session.targetId }).catch(() => {});
    await this.session.detach();
  }
}
