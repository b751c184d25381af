import { describe, expect, it } from "vitest";
import { semanticLayer } from "../src/index.js";
import { fakeEmbedder, TOY_EXPERTS } from "./support/fake-embedder.js";

const context = { eventId: "test" };

describe("learn()", () => {
  it("changes routing: a corrected example pulls texts like it to the right expert", async () => {
    const layer = semanticLayer({ embedder: fakeEmbedder(), experts: TOY_EXPERTS });
    const task = { description: "renew the expired tls certificate on the gateway" };
    expect((await layer.route(task, context)).expert).not.toBe("development-master");
    await layer.learn([{ text: "renew the expired tls certificate", expert: "development-master", source: "outcome" }]);
    const verdict = await layer.route(task, context);
    expect(verdict.expert).toBe("development-master");
    expect(verdict.details!.nearest_exemplar).toBe("renew the expired tls certificate");
  });

  it("embeds only the new texts (no full re-embed)", async () => {
    const embedder = fakeEmbedder();
    const layer = semanticLayer({ embedder, experts: TOY_EXPERTS });
    await layer.ready();
    const before = embedder.texts.length;
    await layer.learn([
      { text: "renew the expired tls certificate", expert: "security-master" },
      { text: "rotate leaked api keys", expert: "security-master" }, // already an exemplar
      { text: "renew the expired tls certificate", expert: "security-master" }, // duplicate
    ]);
    expect(embedder.texts.slice(before)).toEqual(["renew the expired tls certificate"]);
    expect(layer.stats().exemplars).toBe(13);
  });

  it("relabels a known text without embedding it again: the latest correction wins", async () => {
    const embedder = fakeEmbedder();
    const layer = semanticLayer({ embedder, experts: TOY_EXPERTS });
    await layer.ready();
    const before = embedder.texts.length;
    await layer.learn([{ text: "roll back the release", expert: "development-master" }]);
    expect(embedder.texts.length).toBe(before);
    const verdict = await layer.route({ description: "roll back the release" }, context);
    expect(verdict.expert).toBe("development-master");
    expect(layer.capabilities?.experts).toContain("development-master");
    await layer.learn([{ text: "roll back the release", expert: "cicd-master" }]);
    expect((await layer.route({ description: "roll back the release" }, context)).expert).toBe("cicd-master");
  });

  it("can start empty and learn everything", async () => {
    const layer = semanticLayer({ embedder: fakeEmbedder() });
    expect(await layer.route({ description: "deploy the api" }, context)).toMatchObject({ expert: "coordinator-master", confidence: 0 });
    await layer.learn([
      { text: "deploy the api", expert: "cicd-master" },
      { text: "fix the login bug", expert: "security-master" },
    ]);
    expect((await layer.route({ description: "deploy the api to staging" }, context)).expert).toBe("cicd-master");
  });

  it("rejects examples without text or expert with a coded error", async () => {
    const layer = semanticLayer({ embedder: fakeEmbedder(), experts: TOY_EXPERTS });
    await expect(layer.learn([{ text: " ", expert: "cicd-master" }])).rejects.toMatchObject({ code: "MOE_INVALID_TASK" });
    await expect(layer.learn([{ text: "deploy", expert: "" }])).rejects.toMatchObject({ code: "MOE_INVALID_TASK", message: expect.stringContaining("expert") });
  });
});
