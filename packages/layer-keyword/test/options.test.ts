import { describe, expect, it } from "vitest";
import type { LayerModule } from "@moe-router/core";
import * as keywordModule from "../src/index.js";
import { createLayer, keywordLayer } from "../src/index.js";
import { route, thrown } from "./helpers.js";

const rule = { name: "r", expert: "security-master", confidence: 0.9, keywords: ["leak"] };

describe("option validation", () => {
  it("reports unknown option keys as MOE_UNKNOWN_OPTION, listing the known ones", () => {
    const error = thrown(() => keywordLayer({ rule: [] } as never));
    expect(error.code).toBe("MOE_UNKNOWN_OPTION");
    expect(error.message).toContain('"rule"');
    expect(error.message).toContain("rules, fallbackExpert");
    expect(thrown(() => keywordLayer({ rules: [{ ...rule, keyword: ["x"] }] } as never)).code).toBe("MOE_UNKNOWN_OPTION");
    expect(thrown(() => keywordLayer({ rules: [{ ...rule, keywords: [{ text: "x", wieght: 2 }] }] } as never)).code).toBe("MOE_UNKNOWN_OPTION");
  });

  it.each([
    [{ name: "" }, '"name"'],
    [{ fallbackExpert: 3 }, '"fallbackExpert"'],
    [{ noMatchConfidence: 1.5 }, '"noMatchConfidence"'],
    [{ matchBoost: -0.1 }, '"matchBoost"'],
    [{ maxBoost: Number.NaN }, '"maxBoost"'],
    [{ maxPatternInputLength: 0 }, '"maxPatternInputLength"'],
    [{ maxPatternInputLength: 2.5 }, '"maxPatternInputLength"'],
    [{ rules: [] }, "non-empty array"],
    [{ rules: "security" }, "non-empty array"],
    [{ rules: [null] }, "rules[0] must be an object"],
    [{ rules: [{ ...rule, name: "" }] }, "rules[0].name"],
    [{ rules: [rule, rule] }, "appears twice"],
    [{ rules: [{ ...rule, name: "fallback" }] }, "reserved"],
    [{ rules: [{ ...rule, expert: "" }] }, "rules[0].expert"],
    [{ rules: [{ ...rule, confidence: 1.2 }] }, "rules[0].confidence"],
    [{ rules: [{ ...rule, confidence: "0.9" }] }, "rules[0].confidence"],
    [{ rules: [{ ...rule, keywords: "leak" }] }, "rules[0].keywords must be an array"],
    [{ rules: [{ ...rule, keywords: [] }] }, "can never match"],
    [{ rules: [{ ...rule, keywords: ["!!!"] }] }, "no letters or digits"],
    [{ rules: [{ ...rule, keywords: ["test", "tests"] }] }, 'same as "test"'],
    [{ rules: [{ ...rule, keywords: [{ text: "x", weight: 0 }] }] }, "weight must be a positive number"],
    [{ rules: [{ ...rule, keywords: [{ weight: 1 }] }] }, ".text must be a string"],
  ])("rejects %j with MOE_INVALID_CONFIG", (options, fragment) => {
    const error = thrown(() => keywordLayer(options as never));
    expect(error.code).toBe("MOE_INVALID_CONFIG");
    expect(error.message).toContain(fragment);
  });

  it("rejects a non-object options value", () => {
    expect(thrown(() => keywordLayer("rules" as never)).code).toBe("MOE_INVALID_CONFIG");
    expect(thrown(() => keywordLayer([] as never)).code).toBe("MOE_INVALID_CONFIG");
  });

  it("accepts no options, null and an empty object as the defaults", () => {
    for (const options of [undefined, null, {}]) expect(route(keywordLayer(options as never), "Deploy it").expert).toBe("cicd-master");
  });

  it("takes the name option", () => {
    expect(keywordLayer({ name: "rules-v2" }).name).toBe("rules-v2");
  });

  it("refuses a task without a string description with MOE_INVALID_TASK", () => {
    expect(thrown(() => keywordLayer().route({ description: 5 } as never, { eventId: "x" })).code).toBe("MOE_INVALID_TASK");
  });
});

describe("createLayer (LayerModule)", () => {
  it("has core's LayerModule shape", () => {
    const module: LayerModule = keywordModule;
    expect(typeof module.createLayer).toBe("function");
  });

  it("builds the layer from plain JSON options", async () => {
    const layer = await createLayer({ name: "kw", rules: [{ name: "sec", expert: "security-master", confidence: 0.9, keywords: ["leak"], patterns: [{ pattern: "cve-\\d+" }] }] }, { dataDir: "/tmp" });
    expect(layer.name).toBe("kw");
    expect(route(layer, "cve-42 found").expert).toBe("security-master");
  });

  it("checks rule experts against the environment's declared experts", () => {
    const error = thrown(() => createLayer({}, { dataDir: "/tmp", experts: ["security-master", "coordinator-master"] }));
    expect(error.code).toBe("MOE_INVALID_CONFIG");
    expect(error.message).toContain('"cicd-master"');
    const ok = createLayer({ rules: [rule] }, { dataDir: "/tmp", experts: ["security-master", "coordinator-master"] });
    expect(ok.name).toBe("keyword");
  });

  it("validates like keywordLayer", () => {
    expect(thrown(() => createLayer({ treshold: 1 }, { dataDir: "/tmp" })).code).toBe("MOE_UNKNOWN_OPTION");
  });
});
