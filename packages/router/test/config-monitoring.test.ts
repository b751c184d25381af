import { describe, expect, it } from "vitest";
import { isMoeRouterError } from "@moe-router/core";
import { validateRouterConfig } from "../src/index.js";

const LAYERS = [{ package: "@moe-router/layer-keyword", threshold: 0.85 }];

function refusal(config: object): { code: string; message: string } {
  try {
    validateRouterConfig({ layers: LAYERS, ...config }, "moe.yaml");
  } catch (error) {
    if (isMoeRouterError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected the config to be refused");
}

describe("monitoring keys of the config", () => {
  it("accepts alert rules, the monitor's settings and otel", () => {
    const config = validateRouterConfig({
      layers: LAYERS,
      alerts: [{ name: "keyword-accuracy", metric: "accuracy", layer: "keyword", window: "24h", below: 0.85, min_samples: 50 }],
      alertMonitor: { intervalMs: 30_000, webhook: { url: "https://hooks.example.com/moe", headers: { authorization: "Bearer x" }, attempts: 3 } },
      otel: { enabled: true, recordDescription: false },
    });
    expect(config.alerts?.[0]?.name).toBe("keyword-accuracy");
    expect(config.alertMonitor?.webhook?.url).toBe("https://hooks.example.com/moe");
    expect(config.otel?.enabled).toBe(true);
  });

  it.each([
    [{ alerts: [{ name: "a", metric: "accuracy", window: "1d", below: 85 }] }, "MOE_INVALID_CONFIG", /moe\.yaml: alert "a": accuracy is a share/],
    [{ alerts: { name: "a" } }, "MOE_INVALID_CONFIG", /"alerts" must be a list/],
    [{ alertMonitor: { interval: 5 } }, "MOE_UNKNOWN_OPTION", /alertMonitor: unknown key "interval"/],
    [{ alertMonitor: { intervalMs: 10 } }, "MOE_INVALID_CONFIG", /intervalMs must be a whole number of milliseconds >= 1000/],
    [{ alertMonitor: { webhook: { url: "file:///etc/passwd" } } }, "MOE_INVALID_CONFIG", /alertMonitor: webhook\.url must be an http\(s\) URL/],
    [{ alertMonitor: { webhook: { url: "https://h", headers: { a: 1 } } } }, "MOE_INVALID_CONFIG", /webhook\.headers must map header names to strings/],
    [{ otel: { enabled: "yes" } }, "MOE_INVALID_CONFIG", /otel\.enabled must be true or false/],
    [{ otel: { exporter: "otlp" } }, "MOE_UNKNOWN_OPTION", /unknown key "exporter" in otel/],
  ])("refuses %j with a coded error", (config, code, message) => {
    const error = refusal(config);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });
});
