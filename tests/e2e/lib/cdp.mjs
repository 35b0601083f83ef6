// A DevTools-protocol session with a target Playwright does not hand out (the action popup,
// the extension's service worker): attached through the CDP session of a page we have, with
// messages relayed by Target.sendMessageToTarget / Target.receivedMessageFromTarget.

/** The browser's targets, as the CDP session `cdp` (of any page) sees them. */
export async function targets(cdp) {
  return (await cdp.send("Target.getTargets")).targetInfos;
}

export class TargetSession {
  /** Attach to `targetId` through `cdp`. */
  static async attach(cdp, targetId) {
    const { sessionId } = await cdp.send("Target.attachToTarget", { targetId, flatten: false });
    return new this(cdp, sessionId, targetId);
  }

  constructor(cdp, sessionId, targetId) {
    this.cdp = cdp;
    this.sessionId = sessionId;
    this.targetId = targetId;
    this.next = 1;
    this.pending = new Map();
    this.listener = (event) => {
      if (event.sessionId !== sessionId) return;
      const message = JSON.parse(event.message);
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.error) waiter.reject(new Error(message.error.message));
      else waiter.resolve(message.result);
    };
    cdp.on("Target.receivedMessageFromTarget", this.listener);
  }

  send(method, params = {}) {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.cdp
        .send("Target.sendMessageToTarget", { sessionId: this.sessionId, message: JSON.stringify({ id, method, params }) })
        .catch(reject);
    });
  }

  /** Run `fn(arg)` in the target; its (JSON) result. */
  async eval(fn, arg = null) {
    const { result, exceptionDetails } = await this.send("Runtime.evaluate", {
      expression: `(${fn})(${JSON.stringify(arg)})`,
      awaitPromise: true,
      returnByValue: true,
    });
    if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
    return result.value;
  }

  async detach() {
    this.cdp.off("Target.receivedMessageFromTarget", this.listener);
    await this.cdp.send("Target.detachFromTarget", { sessionId: this.sessionId }).catch(() => {});
  }
}
