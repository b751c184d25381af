import { describe, expect, it } from "vitest";
import { createCascade, ErrorCode, lookupLayer, MoeRouterError, type Layer, type Verdict } from "../src/index.js";

function fixed(name: string, verdict: Verdict | (() => Verdict)): Layer {
  return { name, route: () => (typeof verdict === "function" ? verdict() : verdict) };
}

function asyncFixed(name: string, verdict: Verdict, delayMs = 1): Layer {
  return { name, capabilities: { async: true }, route: () => new Promise((r) => setTimeout(() => r(verdict), delayMs)) };
}

describe("cascade: first confident layer decides", () => {
  it("stops at the first layer whose confidence reaches its threshold", async () => {
    let secondCalled = false;
    const cascade = createCascade({
      layers: [
        { layer: fixed("a", { expert: "cicd-master", confidence: 0.86 }), threshold: 0.85 },
        { layer: { name: "b", route: () => ((secondCalled = true), { expert: "x", confidence: 1 }) }, threshold: 0.5 },
      ],
    });
    const decision = await cascade.route({ description: "Deploy API to production" });
    expect(decision.expert).toBe("cicd-master");
    expect(decision.layer).toBe("a");
    expect(decision.confidence).toBe(0.86);
    expect(decision.attempts).toHaveLength(1);
    expect(decision.attempts[0]!.accepted).toBe(true);
    expect(secondCalled).toBe(false);
  });

  it("accepts confidence exactly equal to the threshold and escalates just below it", async () => {
    const at = createCascade({ layers: [{ layer: fixed("a", { expert: "e", confidence: 0.7 }), threshold: 0.7 }] });
    expect((await at.route({ description: "x" })).layer).toBe("a");
    const below = createCascade({ layers: [{ layer: fixed("a", { expert: "e", confidence: 0.6999 }), threshold: 0.7 }] });
    expect((await below.route({ description: "x" })).layer).toBe("clarification");
  });

  it("escalates through layers and records every attempt", async () => {
    const cascade = createCascade({
      layers: [
        { layer: fixed("keyword", { expert: "development-master", confidence: 0.5 }), threshold: 0.85 },
        { layer: asyncFixed("semantic", { expert: "security-master", confidence: 0.9 }), threshold: 0.7 },
      ],
    });
    const decision = await cascade.route({ description: "Fix authentication bug in login system" });
    expect(decision.layer).toBe("semantic");
    expect(decision.attempts.map((a) => [a.layer, a.accepted])).toEqual([
      ["keyword", false],
      ["semantic", true],
    ]);
    expect(decision.thresholds).toEqual({ keyword: 0.85, semantic: 0.7 });
  });
});

describe("cascade: clarification fallback", () => {
  it("routes to the coordinator with a reason when no layer is confident", async () => {
    const cascade = createCascade({ layers: [{ layer: fixed("a", { expert: "cicd-master", confidence: 0.3 }), threshold: 0.85 }] });
    const decision = await cascade.route({ description: "Do the thing" });
    expect(decision.expert).toBe("coordinator-master");
    expect(decision.layer).toBe("clarification");
    expect(decision.clarification?.reason).toBe("low_confidence_cascade");
  });

  it("names the two best candidates when they are within the ambiguity margin", async () => {
    const cascade = createCascade({
      layers: [
        { layer: fixed("a", { expert: "security-master", confidence: 0.6 }), threshold: 0.85 },
        { layer: fixed("b", { expert: "development-master", confidence: 0.55 }), threshold: 0.85 },
      ],
      fallback: { expert: "help-desk", ambiguityMargin: 0.1 },
    });
    const decision = await cascade.route({ description: "Fix the security bug" });
    expect(decision.expert).toBe("help-desk");
    expect(decision.clarification).toMatchObject({ reason: "ambiguous", candidates: ["security-master", "development-master"] });
    expect(decision.clarification?.question).toContain("security-master");
  });

  it("does not call candidates ambiguous when they are further apart than the margin", async () => {
    const cascade = createCascade({
      layers: [
        { layer: fixed("a", { expert: "security-master", confidence: 0.8 }), threshold: 0.85 },
        { layer: fixed("b", { expert: "development-master", confidence: 0.4 }), threshold: 0.85 },
      ],
    });
    expect((await cascade.route({ description: "x" })).clarification?.reason).toBe("low_confidence_cascade");
  });

  it("says no_layers for an empty cascade and all_layers_failed when every layer errors", async () => {
    expect((await createCascade({ layers: [] }).route({ description: "x" })).clarification?.reason).toBe("no_layers");
    const failing = createCascade({
      layers: [
        {
          layer: {
            name: "boom",
            route: () => {
              throw new Error("down");
            },
          },
          threshold: 0.5,
        },
      ],
    });
    expect((await failing.route({ description: "x" })).clarification?.reason).toBe("all_layers_failed");
  });
});

describe("cascade: failing layers never crash the route", () => {
  const malformed: Array<[string, unknown]> = [
    ["NaN confidence", { expert: "a", confidence: Number.NaN }],
    ["confidence above 1", { expert: "a", confidence: 1.5 }],
    ["negative confidence", { expert: "a", confidence: -0.1 }],
    ["missing expert", { confidence: 0.9 }],
    ["null verdict", null],
    ["probability out of range", { expert: "a", confidence: 0.9, probabilities: { a: 2 } }],
  ];
  for (const [label, verdict] of malformed) {
    it(`records a malformed verdict (${label}) as an errored attempt and continues`, async () => {
      const cascade = createCascade({
        layers: [
          { layer: { name: "bad", route: () => verdict as Verdict }, threshold: 0.1 },
          { layer: fixed("good", { expert: "cicd-master", confidence: 0.9 }), threshold: 0.5 },
        ],
      });
      const decision = await cascade.route({ description: "x" });
      expect(decision.layer).toBe("good");
      expect(decision.attempts[0]!.error?.code).toBe(ErrorCode.MALFORMED_VERDICT);
      expect(decision.attempts[0]!.accepted).toBe(false);
      expect(cascade.stats().layerErrors).toEqual({ bad: 1 });
    });
  }

  it("treats an unknown expert as malformed when experts are declared", async () => {
    const cascade = createCascade({
      experts: ["cicd-master", "coordinator-master"],
      layers: [{ layer: fixed("a", { expert: "made-up-master", confidence: 0.99 }), threshold: 0.5 }],
    });
    const decision = await cascade.route({ description: "x" });
    expect(decision.layer).toBe("clarification");
    expect(decision.attempts[0]!.error?.message).toContain("made-up-master");
  });

  it("records a throwing layer and a rejecting async layer with their messages", async () => {
    const cascade = createCascade({
      layers: [
        {
          layer: {
            name: "throws",
            route: () => {
              throw new Error("index missing");
            },
          },
          threshold: 0.5,
        },
        { layer: { name: "rejects", capabilities: { async: true }, route: () => Promise.reject(new Error("db down")) }, threshold: 0.5 },
        { layer: fixed("ok", { expert: "e", confidence: 0.9 }), threshold: 0.5 },
      ],
    });
    const decision = await cascade.route({ description: "x" });
    expect(decision.attempts.map((a) => a.error?.message)).toEqual(["index missing", "db down", undefined]);
    expect(decision.attempts[0]!.error?.code).toBe(ErrorCode.LAYER_FAILED);
    expect(decision.layer).toBe("ok");
  });

  it("times out a slow async layer, aborts its signal, and moves on", async () => {
    let aborted = false;
    const slow: Layer = {
      name: "slow",
      capabilities: { async: true },
      route: (_task, context) =>
        new Promise((resolve) => {
          context.signal?.addEventListener("abort", () => (aborted = true));
          setTimeout(() => resolve({ expert: "late", confidence: 1 }), 500);
        }),
    };
    const cascade = createCascade({
      layers: [
        { layer: slow, threshold: 0.5, timeoutMs: 20 },
        { layer: fixed("next", { expert: "e", confidence: 0.9 }), threshold: 0.5 },
      ],
    });
    const decision = await cascade.route({ description: "x" });
    expect(decision.attempts[0]!.error?.code).toBe(ErrorCode.LAYER_TIMEOUT);
    expect(aborted).toBe(true);
    expect(decision.layer).toBe("next");
  });

  it("discards the verdict of a sync layer that overran its budget", async () => {
    const busy: Layer = {
      name: "busy",
      route: () => {
        const end = Date.now() + 15;
        while (Date.now() < end) {
          /* spin */
        }
        return { expert: "e", confidence: 1 };
      },
    };
    const decision = await createCascade({ layers: [{ layer: busy, threshold: 0.5, timeoutMs: 5 }] }).route({ description: "x" });
    expect(decision.attempts[0]!.error?.code).toBe(ErrorCode.LAYER_TIMEOUT);
    expect(decision.layer).toBe("clarification");
  });

  it("counts a throwing observer without failing the route", async () => {
    const seen: string[] = [];
    const cascade = createCascade({
      layers: [{ layer: fixed("a", { expert: "e", confidence: 0.9 }), threshold: 0.5 }],
      observers: [
        {
          onDecision: () => {
            throw new Error("observer bug");
          },
        },
        { onDecision: (d) => void seen.push(d.eventId) },
      ],
    });
    const decision = await cascade.route({ description: "x" });
    expect(seen).toEqual([decision.eventId]);
    expect(cascade.stats().observerErrors).toBe(1);
  });
});

describe("cascade: sync hot path", () => {
  it("routeSync returns a decision (not a promise) for sync layers", () => {
    const cascade = createCascade({ layers: [{ layer: fixed("a", { expert: "e", confidence: 0.9 }), threshold: 0.5 }] });
    const decision = cascade.routeSync({ description: "x" });
    expect(decision).not.toBeInstanceOf(Promise);
    expect(decision.expert).toBe("e");
  });

  it("routeSync refuses an async layer with a coded error", () => {
    const cascade = createCascade({ layers: [{ layer: asyncFixed("a", { expert: "e", confidence: 0.2 }), threshold: 0.5 }] });
    expect(() => cascade.routeSync({ description: "x" })).toThrowError(expect.objectContaining({ code: ErrorCode.ASYNC_LAYER_IN_SYNC_ROUTE }));
  });
});

describe("cascade: observers see the whole route in order", () => {
  it("calls route start, layer start, layer verdict and decision hooks", async () => {
    const events: string[] = [];
    const cascade = createCascade({
      layers: [
        { layer: fixed("k", { expert: "e", confidence: 0.1 }), threshold: 0.5 },
        { layer: fixed("s", { expert: "e", confidence: 0.9 }), threshold: 0.5 },
      ],
      observers: [
        {
          onRouteStart: () => void events.push("start"),
          onLayerStart: (e) => void events.push(`layer:${e.layer}`),
          onLayerVerdict: (e) => void events.push(`verdict:${e.attempt.layer}:${e.attempt.accepted}`),
          onDecision: (d) => void events.push(`decision:${d.layer}`),
        },
      ],
    });
    await cascade.route({ description: "x" });
    expect(events).toEqual(["start", "layer:k", "verdict:k:false", "layer:s", "verdict:s:true", "decision:s"]);
  });
});

describe("cascade: shadow sampling and thresholds", () => {
  it("runs every layer as shadow without changing the route when sampled", async () => {
    const cascade = createCascade({
      shadowShare: 1,
      layers: [
        { layer: fixed("k", { expert: "cicd-master", confidence: 0.9 }), threshold: 0.85 },
        { layer: fixed("s", { expert: "security-master", confidence: 0.99 }), threshold: 0.7 },
      ],
    });
    const decision = await cascade.route({ description: "x" });
    expect(decision.layer).toBe("k");
    expect(decision.shadow).toBe(true);
    expect(decision.attempts[1]).toMatchObject({ layer: "s", shadow: true, accepted: false, expert: "security-master" });
  });

  it("setThresholds changes later decisions and validates input", async () => {
    const cascade = createCascade({ layers: [{ layer: fixed("k", { expert: "e", confidence: 0.8 }), threshold: 0.85 }] });
    expect((await cascade.route({ description: "x" })).layer).toBe("clarification");
    cascade.setThresholds({ k: 0.75 });
    expect((await cascade.route({ description: "x" })).layer).toBe("k");
    expect(() => cascade.setThresholds({ k: 1.2 })).toThrowError(MoeRouterError);
    expect(() => cascade.setThresholds({ nope: 0.5 })).toThrowError(/No layer named "nope"/);
  });

  it("learn() reaches learnable layers and reports failures by layer", async () => {
    const lookup = lookupLayer();
    const cascade = createCascade({
      layers: [
        { layer: lookup, threshold: 0.9 },
        {
          layer: {
            name: "broken",
            route: () => ({ expert: "e", confidence: 0 }),
            learn: () => {
              throw new Error("read-only");
            },
          },
          threshold: 0.9,
        },
      ],
    });
    const errors = await cascade.learn([{ text: "Rotate keys", expert: "security-master" }]);
    expect(Object.keys(errors)).toEqual(["broken"]);
    expect((await cascade.route({ description: "rotate keys!" })).expert).toBe("security-master");
  });
});
