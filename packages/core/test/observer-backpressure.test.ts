import { describe, expect, it } from "vitest";
import { createCascade, lookupLayer, type CascadeObserver, type Decision } from "../src/index.js";

function gate(): { promise: Promise<void>; open(): void; fail(): void } {
  let open!: () => void;
  let fail!: () => void;
  const promise = new Promise<void>((resolve, reject) => ((open = resolve), (fail = () => reject(new Error("store down")))));
  return { promise, open, fail };
}

describe("observer backpressure", () => {
  it("route() resolves only once the promise an observer returned from onDecision settles", async () => {
    const wait = gate();
    const observer: CascadeObserver = { onDecision: () => wait.promise };
    const cascade = createCascade({ layers: [{ layer: lookupLayer(), threshold: 0.5 }], observers: [observer] });
    let decided: Decision | undefined;
    const routed = cascade.route({ description: "Deploy API" }).then((d) => (decided = d));
    await new Promise((resolve) => setImmediate(resolve));
    expect(decided).toBeUndefined();
    wait.open();
    await routed;
    expect(decided?.expert).toBe("coordinator-master");
  });

  it("waits for every observer that pushes back, also after an async layer; a rejection never fails routing", async () => {
    const first = gate();
    const second = gate();
    const slowLayer = { name: "slow", route: async () => ({ expert: "cicd-master", confidence: 0.9 }) };
    const cascade = createCascade({
      layers: [{ layer: slowLayer, threshold: 0.5 }],
      observers: [{ onDecision: () => first.promise }, { onDecision: () => undefined }, { onDecision: () => second.promise }],
    });
    let done = false;
    const routed = cascade.route({ description: "x" }).then((d) => ((done = true), d));
    first.open();
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    second.fail();
    expect((await routed).expert).toBe("cicd-master");
  });

  it("routeSync() never waits, and an observer returning nothing keeps route() as before", async () => {
    const wait = gate();
    const cascade = createCascade({ layers: [{ layer: lookupLayer(), threshold: 0.5 }], observers: [{ onDecision: () => wait.promise }] });
    expect(cascade.routeSync({ description: "x" }).expert).toBe("coordinator-master");
    const plain = createCascade({ layers: [{ layer: lookupLayer(), threshold: 0.5 }], observers: [{ onDecision: () => undefined }] });
    expect((await plain.route({ description: "x" })).expert).toBe("coordinator-master");
    wait.open();
  });
});
