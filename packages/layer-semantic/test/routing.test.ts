import { describe, expect, it } from "vitest";
import { createCascade } from "@moe-router/core";
import { semanticLayer } from "../src/index.js";
import { fakeEmbedder, TOY_EXPERTS } from "./support/fake-embedder.js";

const context = { eventId: "test" };

describe("routing", () => {
  it("routes to the expert with the nearest exemplar and explains why", async () => {
    const layer = semanticLayer({ embedder: fakeEmbedder(), experts: TOY_EXPERTS, scoring: "max" });
    const verdict = await layer.route({ description: "please deploy the api to production now" }, context);
    expect(verdict.expert).toBe("cicd-master");
    expect(verdict.details).toMatchObject({ nearest_exemplar: "deploy the api to production", cluster: "cicd-master", scoring: "max" });
    expect(verdict.details!.similarity).toBeGreaterThan(0.5);
    expect(verdict.details!.margin).toBeGreaterThan(0);
    expect((await layer.route({ description: "the sql injection vulnerability is back" }, context)).expert).toBe("security-master");
    expect((await layer.route({ description: "catalog the dependencies of the web app" }, context)).expert).toBe("inventory-master");
  });

  it("reports probabilities over every expert that sum to 1, led by the chosen expert", async () => {
    const layer = semanticLayer({ embedder: fakeEmbedder(), experts: TOY_EXPERTS });
    const verdict = await layer.route({ description: "roll back the release" }, context);
    const probabilities = verdict.probabilities!;
    expect(Object.keys(probabilities).sort()).toEqual(Object.keys(TOY_EXPERTS).sort());
    expect(Object.values(probabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    const best = Object.entries(probabilities).sort((a, b) => b[1] - a[1])[0]![0];
    expect(best).toBe(verdict.expert);
  });

  it("answers without a promise when the embedder is synchronous, with one when it is async", async () => {
    const sync = semanticLayer({ embedder: fakeEmbedder(), experts: TOY_EXPERTS });
    const plain = sync.route({ description: "roll back the release" }, context);
    expect(typeof (plain as Promise<unknown>).then).toBe("undefined");
    const asyncLayer = semanticLayer({ embedder: fakeEmbedder({ async: true }), experts: TOY_EXPERTS });
    const pending = asyncLayer.route({ description: "roll back the release" }, context);
    expect(pending).toBeInstanceOf(Promise);
    expect((await pending).expert).toBe((plain as { expert: string }).expert);
  });

  it("answers the fallback expert with confidence 0 when the text has no features", async () => {
    const layer = semanticLayer({ embedder: fakeEmbedder(), experts: TOY_EXPERTS, fallbackExpert: "coordinator-master" });
    const verdict = await layer.route({ description: "!!! ??? ..." }, context);
    expect(verdict).toMatchObject({ expert: "coordinator-master", confidence: 0, details: { reason: "no_signal" } });
    expect(layer.capabilities?.experts).toContain("coordinator-master");
  });

  it("answers only with experts the cascade declares", async () => {
    const layer = semanticLayer({ embedder: fakeEmbedder(), experts: TOY_EXPERTS });
    const verdict = await layer.route({ description: "deploy the api to production" }, { eventId: "x", experts: ["security-master", "inventory-master"] });
    expect(["security-master", "inventory-master"]).toContain(verdict.expert);
    expect(Object.keys(verdict.probabilities!).sort()).toEqual(["inventory-master", "security-master"]);
  });

  it("abstains (confidence 0, raw value in details) when an expert's own threshold is not met", async () => {
    const strict = { ...TOY_EXPERTS, "cicd-master": { ...TOY_EXPERTS["cicd-master"], threshold: 0.999 } };
    const layer = semanticLayer({ embedder: fakeEmbedder(), experts: strict });
    const verdict = await layer.route({ description: "deploy the thing" }, context);
    expect(verdict.expert).toBe("cicd-master");
    expect(verdict.confidence).toBe(0);
    expect(verdict.details).toMatchObject({ expert_threshold: 0.999, below_expert_threshold: true });
    expect(verdict.details!.raw_confidence).toBeGreaterThan(0);
    expect(layer.getExpertThresholds()).toEqual({ "cicd-master": 0.999 });
    // Other experts are unaffected.
    const other = await layer.route({ description: "rotate leaked api keys" }, context);
    expect(other.confidence).toBeGreaterThan(0);
    expect(other.details!.below_expert_threshold).toBeUndefined();
  });

  it("works in a promise-free cascade.routeSync() when the embedder is synchronous", () => {
    const cascade = createCascade({ layers: [{ layer: semanticLayer({ embedder: fakeEmbedder(), experts: TOY_EXPERTS }), threshold: 0 }] });
    const decision = cascade.routeSync({ description: "roll back the release" });
    expect(decision).toMatchObject({ layer: "semantic", expert: "cicd-master" });
  });

  it("lets the cascade escalate past an abstaining expert", async () => {
    const strict = { ...TOY_EXPERTS, "cicd-master": { ...TOY_EXPERTS["cicd-master"], threshold: 1 } };
    const cascade = createCascade({ layers: [{ layer: semanticLayer({ embedder: fakeEmbedder(), experts: strict }), threshold: 0.01 }] });
    const decision = await cascade.route({ description: "deploy the api to production" });
    expect(decision.layer).toBe("clarification");
    expect(decision.attempts[0]).toMatchObject({ layer: "semantic", expert: "cicd-master", confidence: 0, accepted: false });
  });

  it("scores with k nearest neighbours (the default) and centroids too", async () => {
    for (const scoring of ["knn", "centroid"] as const) {
      const layer = semanticLayer({ embedder: fakeEmbedder(), experts: TOY_EXPERTS, scoring, k: 2 });
      const verdict = await layer.route({ description: "deploy the api to production" }, context);
      expect(verdict.expert).toBe("cicd-master");
      expect(verdict.details!.scoring).toBe(scoring);
      // k-NN averages the nearest similarities, so it cannot exceed the nearest one.
      if (scoring === "knn") expect(verdict.details!.score).toBeLessThanOrEqual(verdict.details!.similarity as number);
    }
  });

  it("k-NN averages the k nearest similarities, but an identical exemplar decides", async () => {
    const layer = semanticLayer({ embedder: fakeEmbedder(), experts: TOY_EXPERTS, k: 3 });
    const near = await layer.route({ description: "deploy the release pipeline" }, context);
    expect(near.details!.score).toBeLessThan(near.details!.similarity as number);
    const exact = await layer.route({ description: "rotate leaked api keys" }, context);
    expect(exact.details!.score).toBeCloseTo(1, 5);
  });

  it("refuses to route after close()", async () => {
    const layer = semanticLayer({ embedder: fakeEmbedder(), experts: TOY_EXPERTS });
    await layer.close();
    expect(() => layer.route({ description: "deploy" }, context)).toThrowError(expect.objectContaining({ code: "MOE_CLOSED" }));
  });
});
