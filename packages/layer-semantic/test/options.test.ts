import { describe, expect, it } from "vitest";
import { semanticLayer, type SemanticLayerOptions } from "../src/index.js";
import { fakeEmbedder, TOY_EXPERTS } from "./support/fake-embedder.js";

const embedder = fakeEmbedder();

describe("option validation", () => {
  it.each<[string, unknown, string]>([
    ["no embedder", { experts: TOY_EXPERTS }, "MOE_INVALID_CONFIG"],
    ["a typo", { embedder, experts: TOY_EXPERTS, scorng: "max" }, "MOE_UNKNOWN_OPTION"],
    ["an unknown scoring", { embedder, scoring: "best" }, "MOE_INVALID_CONFIG"],
    ["k = 0", { embedder, k: 0 }, "MOE_INVALID_CONFIG"],
    ["an expert without exemplars", { embedder, experts: { a: { exemplars: [] } } }, "MOE_INVALID_CONFIG"],
    ["a blank exemplar", { embedder, experts: { a: { exemplars: ["ok", " "] } } }, "MOE_INVALID_CONFIG"],
    ["an expert threshold above 1", { embedder, experts: { a: { exemplars: ["x"], threshold: 1.5 } } }, "MOE_INVALID_CONFIG"],
    ["an unknown expert option", { embedder, experts: { a: { exemplars: ["x"], treshold: 0.5 } } }, "MOE_UNKNOWN_OPTION"],
    ["a calibration without parameters", { embedder, calibration: { kind: "platt", feature: "margin" } }, "MOE_INVALID_CONFIG"],
    ["a negative temperature", { embedder, calibration: { kind: "temperature", temperature: -1 } }, "MOE_INVALID_CONFIG"],
    ["margin+top without c", { embedder, calibration: { kind: "platt", feature: "margin+top", a: 1, b: 0, temperature: 0.1 } }, "MOE_INVALID_CONFIG"],
  ])("rejects %s with a coded error", (_name, options, code) => {
    expect(() => semanticLayer(options as SemanticLayerOptions)).toThrowError(expect.objectContaining({ code }));
  });

  it("accepts a description alone for an expert", async () => {
    const layer = semanticLayer({ embedder, experts: { ...TOY_EXPERTS, "development-master": { exemplars: [], description: "write code, implement features and fix bugs" } } });
    expect((await layer.route({ description: "implement features" }, { eventId: "x" })).expert).toBe("development-master");
  });
});
