import { describe, expect, it } from "vitest";
import { ErrorCode, isMoeRouterError } from "@moe-router/core";
import { DEFAULT_CONFIG, validateRouterConfig } from "../src/index.js";

const layers = [{ package: "@moe-router/layer-keyword", threshold: 0.85 }];

function refusal(config: unknown): { code: string; message: string } {
  try {
    validateRouterConfig(config, "moe.yaml");
  } catch (error) {
    if (!isMoeRouterError(error)) throw error;
    return { code: error.code, message: error.message };
  }
  throw new Error("the config was accepted");
}

describe("validateRouterConfig: every field is type-checked", () => {
  it("accepts the embedded default and a full config", () => {
    expect(validateRouterConfig(DEFAULT_CONFIG)).toBe(DEFAULT_CONFIG);
    const full = {
      experts: ["a", "b"],
      fallback: { expert: "b", ambiguityMargin: 0.1 },
      embedder: { package: "@moe-router/embeddings", options: { kind: "hashed" } },
      layers: [{ package: "./x.js", threshold: 0.5, options: {}, timeoutMs: 100, enabled: false, isolate: "worker" }],
      tracking: { store: "postgres://u@127.0.0.1/db", enabled: true },
      thresholdsFile: "t.json",
      dataDir: "d",
      shadowShare: 0.05,
      experiment: { name: "e", share: 0.1, candidateThresholds: { x: 0.4 } },
      maxDescriptionLength: 100,
      layerTimeoutMs: 50,
      startupTimeoutMs: 1000,
    };
    expect(validateRouterConfig(full)).toBe(full);
  });

  it.each([
    ['experts: "x"', { experts: "x", layers }, /experts must be a non-empty list/],
    ["experts: [1]", { experts: [1], layers }, /experts\[0\] must be a non-empty string/],
    ["experts: duplicates", { experts: ["a", "a"], layers }, /experts must be a list without duplicates/],
    ["dataDir: 42", { dataDir: 42, layers }, /dataDir must be a non-empty string.*got number 42/],
    ["thresholdsFile: 42", { thresholdsFile: 42, layers }, /thresholdsFile must be a non-empty string.*got number 42/],
    ['tracking: "yes"', { tracking: "yes", layers }, /tracking must be an object \{ store\?, enabled\? \}.*got the string "yes"/],
    ['tracking.enabled: "no"', { tracking: { enabled: "no" }, layers }, /tracking\.enabled must be true or false.*got the string "no"/],
    ["tracking.store: 42", { tracking: { store: 42 }, layers }, /tracking\.store must be a non-empty string.*postgres:\/\//],
    ['fallback: "coordinator"', { fallback: "coordinator", layers }, /fallback must be an object/],
    ["fallback.expert: 3", { fallback: { expert: 3 }, layers }, /fallback\.expert must be a non-empty string/],
    ["fallback.ambiguityMargin: 2", { fallback: { ambiguityMargin: 2 }, layers }, /fallback\.ambiguityMargin must be a number in \[0,1\]/],
    ['embedder: "x"', { embedder: "x", layers }, /embedder must be an object \{ package, options\? \}/],
    ["embedder.options: []", { embedder: { package: "p", options: [] }, layers }, /embedder\.options must be an object of options/],
    ["layers: {}", { layers: {} }, /layers must be a list/],
    ['layers[0]: "k"', { layers: ["k"] }, /layers\[0\] must be an object/],
    ["layers[0].package: 1", { layers: [{ package: 1, threshold: 0.5 }] }, /layers\[0\]\.package must be/],
    ['layers[0].threshold: "0.5"', { layers: [{ package: "p", threshold: "0.5" }] }, /layers\[0\]\.threshold must be a number in \[0,1\]/],
    ["layers[0].timeoutMs: -1", { layers: [{ package: "p", threshold: 0.5, timeoutMs: -1 }] }, /layers\[0\]\.timeoutMs must be a positive number/],
    ['layers[0].enabled: "no"', { layers: [{ package: "p", threshold: 0.5, enabled: "no" }] }, /layers\[0\]\.enabled must be true or false/],
    ['layers[0].isolate: "thread"', { layers: [{ package: "p", threshold: 0.5, isolate: "thread" }] }, /layers\[0\]\.isolate must be one of "none", "worker"/],
    ['shadowShare: "5%"', { shadowShare: "5%", layers }, /shadowShare must be a number in \[0,1\]/],
    ["experiment: true", { experiment: true, layers }, /experiment must be an object/],
    ["experiment.share: 2", { experiment: { name: "e", share: 2, candidateThresholds: {} }, layers }, /experiment\.share must be a number in \[0,1\]/],
    ["experiment.candidateThresholds.x: 9", { experiment: { name: "e", share: 0.1, candidateThresholds: { x: 9 } }, layers }, /experiment\.candidateThresholds\.x must be a number in \[0,1\]/],
    ["maxDescriptionLength: 1.5", { maxDescriptionLength: 1.5, layers }, /maxDescriptionLength must be a positive integer/],
    ['layerTimeoutMs: "1s"', { layerTimeoutMs: "1s", layers }, /layerTimeoutMs must be a positive number/],
    ["startupTimeoutMs: 0", { startupTimeoutMs: 0, layers }, /startupTimeoutMs must be a positive number/],
    ["config: []", [], /config must be an object/],
  ])("refuses %s with MOE_INVALID_CONFIG naming the field", (_name, config, message) => {
    const error = refusal(config);
    expect(error.code).toBe(ErrorCode.INVALID_CONFIG);
    expect(error.message).toMatch(/^moe\.yaml: /);
    expect(error.message).toMatch(message);
  });

  it.each([
    [{ layers, tracking: { stor: "x.jsonl" } }, /unknown key "stor" in tracking/],
    [{ layers: [{ package: "p", threshold: 0.5, treshold: 1 }] }, /unknown key "treshold" in layers\[0\]/],
    [{ layers, fallback: { expert: "x", margin: 0.1 } }, /unknown key "margin" in fallback/],
    [{ layer: [] }, /unknown key "layer" in config/],
  ])("refuses an unknown key with MOE_UNKNOWN_OPTION (%j)", (config, message) => {
    const error = refusal(config);
    expect(error.code).toBe(ErrorCode.UNKNOWN_OPTION);
    expect(error.message).toMatch(message);
  });
});

describe("startWithin (layer start-up budget)", () => {
  it("keeps a coded error's code and prefixes the package; wraps a plain error; times out a factory that never settles", async () => {
    const { startWithin } = await import("../src/startup.js");
    const { MoeRouterError } = await import("@moe-router/core");
    await expect(startWithin("Layer", "@acme/rag", 1000, () => Promise.reject(new MoeRouterError(ErrorCode.NOT_FOUND, "no index; run moe-router index")))).rejects.toMatchObject({
      code: ErrorCode.NOT_FOUND,
      message: 'Layer "@acme/rag": no index; run moe-router index',
      data: { package: "@acme/rag" },
    });
    await expect(
      startWithin("Layer", "@acme/x", 1000, () => {
        throw new Error("boom");
      }),
    ).rejects.toMatchObject({ code: ErrorCode.LAYER_START_FAILED, message: expect.stringMatching(/"@acme\/x" failed to start: boom/) });
    let closedLate = false;
    let resolveLate: (value: { close(): void }) => void = () => {};
    const late = new Promise<{ close(): void }>((resolve) => (resolveLate = resolve));
    await expect(
      startWithin(
        "Layer",
        "@acme/slow",
        50,
        () => late,
        (value) => value.close(),
      ),
    ).rejects.toMatchObject({ code: ErrorCode.LAYER_START_FAILED, message: expect.stringMatching(/did not start within 50 ms/) });
    resolveLate({ close: () => void (closedLate = true) });
    await new Promise((r) => setTimeout(r, 10));
    expect(closedLate).toBe(true);
  });
});
