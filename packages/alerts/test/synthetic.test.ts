import { describe, expect, it } from "vitest";
import { createAlertMonitor, evaluateAlerts, type AlertRule } from "../src/index.js";
import { event, source } from "./support/events.js";

const NOW = Date.parse("2026-11-20T12:00:00.000Z");
const RULE: AlertRule = { name: "kw", metric: "accuracy", layer: "keyword", window: "1h", below: 0.85, min_samples: 20 };

// 100 real decisions, all right, and 300 generated sample ones, all wrong (moe-router generate --store <the real log>).
const real = Array.from({ length: 100 }, (_, i) => event({ at: NOW - (i + 1) * 20_000, right: true }));
const samples = Array.from({ length: 300 }, (_, i) => ({ ...event({ at: NOW - (i + 1) * 10_000, right: false }), synthetic: true }));
const log = source([...real, ...samples]);

describe("alerts and sample data (issue 13)", () => {
  it("evaluateAlerts: synthetic: exclude judges the real decisions only; the default counts every decision", async () => {
    const [excluded] = await evaluateAlerts([RULE], log, { now: NOW, synthetic: "exclude" });
    expect(excluded).toMatchObject({ state: "ok", value: 1, samples: 100 });
    const [included] = await evaluateAlerts([RULE], log, { now: NOW });
    expect(included).toMatchObject({ state: "firing", value: 0.25, samples: 400 });
    await expect(evaluateAlerts([RULE], log, { now: NOW, synthetic: "maybe" as never })).rejects.toMatchObject({ code: "MOE_INVALID_CONFIG" });
  });

  it("the monitor passes synthetic on to every evaluation", async () => {
    const excluding = createAlertMonitor({ rules: [RULE], store: log, now: () => NOW, synthetic: "exclude" });
    const including = createAlertMonitor({ rules: [RULE], store: log, now: () => NOW });
    try {
      expect((await excluding.evaluate())?.[0]).toMatchObject({ state: "ok", samples: 100 });
      expect((await including.evaluate())?.[0]).toMatchObject({ state: "firing", samples: 400 });
    } finally {
      await excluding.close();
      await including.close();
    }
  });
});
