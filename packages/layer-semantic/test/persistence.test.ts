import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { MoeRouterError } from "@moe-router/core";
import { semanticLayer } from "../src/index.js";
import { fakeEmbedder, TOY_EXPERTS } from "./support/fake-embedder.js";

const context = { eventId: "test" };
let directory: string;
let persistPath: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), "moe-semantic-"));
  persistPath = join(directory, "nested", "semantic.vectors");
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

describe("persistence", () => {
  it("a restart loads vectors from the file and embeds nothing but the task", async () => {
    const first = fakeEmbedder();
    const layer = semanticLayer({ embedder: first, experts: TOY_EXPERTS, persistPath });
    await layer.ready();
    expect(first.texts).toHaveLength(12);
    const expected = await layer.route({ description: "roll back the release" }, context);
    await layer.close();
    expect(existsSync(persistPath)).toBe(true);

    const second = fakeEmbedder();
    const restarted = semanticLayer({ embedder: second, experts: TOY_EXPERTS, persistPath });
    await restarted.ready();
    expect(second.calls).toBe(0);
    expect(restarted.stats()).toMatchObject({ exemplars: 12, embedded: 0, loadedFromCache: 12 });
    const verdict = await restarted.route({ description: "roll back the release" }, context);
    expect(second.texts).toEqual(["roll back the release"]);
    expect(verdict.confidence).toBeCloseTo(expected.confidence, 6);
    expect(restarted.capabilities?.persistence).toBe(true);
  });

  it("embeds only new or changed exemplars after a config change", async () => {
    await semanticLayer({ embedder: fakeEmbedder(), experts: TOY_EXPERTS, persistPath }).ready();
    const changed = { ...TOY_EXPERTS, "cicd-master": { exemplars: ["deploy the api to production", "publish the docker image"] } };
    const embedder = fakeEmbedder();
    const layer = semanticLayer({ embedder, experts: changed, persistPath });
    await layer.ready();
    expect(embedder.texts).toEqual(["publish the docker image"]);
    await layer.close();
    // The file now holds exactly the current texts: removed exemplars are pruned.
    const third = fakeEmbedder();
    await semanticLayer({ embedder: third, experts: changed, persistPath }).ready();
    expect(third.calls).toBe(0);
  });

  it("re-embeds everything when the embedder id differs", async () => {
    await semanticLayer({ embedder: fakeEmbedder({ id: "model-a" }), experts: TOY_EXPERTS, persistPath }).ready();
    const other = fakeEmbedder({ id: "model-b" });
    const layer = semanticLayer({ embedder: other, experts: TOY_EXPERTS, persistPath });
    await layer.ready();
    expect(other.texts).toHaveLength(12);
    expect(readFileSync(persistPath, "latin1")).toContain('"embedderId":"model-b"');
  });

  it("re-embeds when the embedder's id changes while the layer runs (e.g. IDF refitted)", async () => {
    const embedder = fakeEmbedder({ id: "model-a" });
    const layer = semanticLayer({ embedder, experts: TOY_EXPERTS, persistPath });
    await layer.ready();
    const before = embedder.texts.length;
    (embedder as { id: string }).id = "model-a+idf";
    const verdict = await layer.route({ description: "roll back the release" }, context);
    expect(verdict.expert).toBe("cicd-master");
    expect(embedder.texts.length - before).toBe(12 + 1);
    await layer.close();
    expect(readFileSync(persistPath, "latin1")).toContain('"embedderId":"model-a+idf"');
  });

  it("keeps learned examples across restarts, including corrections of configured exemplars", async () => {
    const layer = semanticLayer({ embedder: fakeEmbedder(), experts: TOY_EXPERTS, persistPath });
    await layer.learn([
      { text: "renew the expired tls certificate", expert: "security-master" },
      { text: "roll back the release", expert: "development-master" },
    ]);
    await layer.close();
    const embedder = fakeEmbedder();
    const restarted = semanticLayer({ embedder, experts: TOY_EXPERTS, persistPath });
    expect((await restarted.route({ description: "renew the expired tls certificate" }, context)).expert).toBe("security-master");
    expect((await restarted.route({ description: "roll back the release" }, context)).expert).toBe("development-master");
    expect(embedder.texts).toEqual(["renew the expired tls certificate", "roll back the release"]); // the two tasks only
    expect(restarted.stats().exemplars).toBe(13);
  });

  it.each([
    ["garbage", Buffer.from("this is not a vector file")],
    ["a truncated file", Buffer.concat([Buffer.from("MOESEMV1"), Buffer.from([200, 0, 0, 0]), Buffer.from("{")])],
  ])("warns MOE_CORRUPT_FILE on %s, rebuilds, and keeps routing", async (_name, bytes) => {
    writeFileSync(join(directory, "bad.vectors"), bytes);
    const warnings: MoeRouterError[] = [];
    const embedder = fakeEmbedder();
    const layer = semanticLayer({ embedder, experts: TOY_EXPERTS, persistPath: join(directory, "bad.vectors"), onWarning: (w) => warnings.push(w) });
    const verdict = await layer.route({ description: "deploy the api to production" }, context);
    expect(verdict.expert).toBe("cicd-master");
    expect(warnings.map((w) => w.code)).toEqual(["MOE_CORRUPT_FILE"]);
    expect(warnings[0]!.message).toMatch(/rebuilt/);
    await layer.close();
    // The rebuilt file is valid: the next start embeds nothing.
    const next = fakeEmbedder();
    await semanticLayer({ embedder: next, experts: TOY_EXPERTS, persistPath: join(directory, "bad.vectors"), onWarning: (w) => warnings.push(w) }).ready();
    expect(next.calls).toBe(0);
    expect(warnings).toHaveLength(1);
  });

  it("detects a file whose vectors were cut short", async () => {
    await semanticLayer({ embedder: fakeEmbedder(), experts: TOY_EXPERTS, persistPath }).ready();
    const bytes = readFileSync(persistPath);
    writeFileSync(persistPath, bytes.subarray(0, bytes.length - 8));
    const warnings: MoeRouterError[] = [];
    await semanticLayer({ embedder: fakeEmbedder(), experts: TOY_EXPERTS, persistPath, onWarning: (w) => warnings.push(w) }).ready();
    expect(warnings[0]).toMatchObject({ code: "MOE_CORRUPT_FILE" });
  });

  it("warns MOE_STORE_FAILED when the file cannot be written, and routes anyway", async () => {
    const blocker = join(directory, "file");
    writeFileSync(blocker, "x");
    const warnings: MoeRouterError[] = [];
    const layer = semanticLayer({ embedder: fakeEmbedder(), experts: TOY_EXPERTS, persistPath: join(blocker, "semantic.vectors"), onWarning: (w) => warnings.push(w) });
    expect((await layer.route({ description: "deploy the api" }, context)).expert).toBe("cicd-master");
    await layer.close();
    // One warning for the failed read, one for the failed write; never a crash.
    expect(warnings.length).toBeGreaterThan(0);
    expect(new Set(warnings.map((w) => w.code))).toEqual(new Set(["MOE_STORE_FAILED"]));
  });
});

describe("persisted calibration", () => {
  const experts = {
    "cicd-master": { exemplars: ["deploy the api to production", "roll back the release", "fix the failing build", "publish the docker image", "rerun the nightly pipeline", "speed up the ci cache"] },
    "security-master": { exemplars: ["rotate the leaked keys", "patch the openssl cve", "audit the login attempts", "enable mfa for admins", "review the firewall rules", "revoke the stolen token"] },
  };

  it("a restart reuses the leave-one-out calibration saved with the vectors instead of refitting", async () => {
    const layer = semanticLayer({ embedder: fakeEmbedder(), experts, persistPath });
    await layer.ready();
    expect(layer.stats()).toMatchObject({ calibrationSource: "exemplars", calibrationSamples: 12, calibrationRestored: false });
    const calibration = layer.getCalibration();
    await layer.close();

    const restarted = semanticLayer({ embedder: fakeEmbedder(), experts, persistPath });
    await restarted.ready();
    expect(restarted.stats()).toMatchObject({ calibrationSource: "exemplars", calibrationSamples: 12, calibrationRestored: true });
    expect(restarted.getCalibration()).toEqual(calibration);
  });

  it("refits when the exemplars or the settings changed, and keeps a fit on held-out data across restarts", async () => {
    await semanticLayer({ embedder: fakeEmbedder(), experts, persistPath })
      .ready()
      .then(() => undefined);
    const changed = { ...experts, "cicd-master": { exemplars: [...experts["cicd-master"].exemplars, "cut a release branch"] } };
    const edited = semanticLayer({ embedder: fakeEmbedder(), experts: changed, persistPath });
    await edited.ready();
    expect(edited.stats()).toMatchObject({ calibrationRestored: false, calibrationSamples: 13 });
    await edited.close();
    const otherK = semanticLayer({ embedder: fakeEmbedder(), experts: changed, persistPath, k: 2 });
    await otherK.ready();
    expect(otherK.stats().calibrationRestored).toBe(false);
    await otherK.close();

    const fitted = semanticLayer({ embedder: fakeEmbedder(), experts: changed, persistPath, k: 2 });
    const report = await fitted.calibrate([
      { text: "deploy the web app", expert: "cicd-master" },
      { text: "rotate the api keys", expert: "security-master" },
      { text: "the build is failing again", expert: "cicd-master" },
      { text: "audit the admin accounts", expert: "security-master" },
    ]);
    await fitted.close();
    // Learning changes the rows; a fit on held-out data still holds (as it does without a restart).
    const again = semanticLayer({ embedder: fakeEmbedder(), experts: changed, persistPath, k: 2 });
    await again.learn([{ text: "renew the tls certificate", expert: "security-master" }]);
    await again.close();
    const last = semanticLayer({ embedder: fakeEmbedder(), experts: changed, persistPath, k: 2 });
    await last.ready();
    expect(last.stats()).toMatchObject({ calibrationSource: "fitted", calibrationSamples: 4, calibrationRestored: true });
    expect(last.getCalibration()).toEqual(report.parameters);
  });

  it("reads vector files written without a calibration (earlier builds) and adds one", async () => {
    const { readVectorFile, writeVectorFile } = await import("../src/internal/vector-file.js");
    const layer = semanticLayer({ embedder: fakeEmbedder(), experts, persistPath });
    await layer.ready();
    await layer.close();
    const contents = readVectorFile(persistPath)!;
    expect(contents.calibration?.source).toBe("exemplars");
    const keys = [...contents.vectors.keys()];
    const data = new Float32Array(keys.length * contents.dimension);
    keys.forEach((key, i) => data.set(contents.vectors.get(key)!, i * contents.dimension));
    await writeVectorFile(persistPath, { embedderId: contents.embedderId, dimension: contents.dimension, keys, data, learned: contents.learned });
    expect(readVectorFile(persistPath)!.calibration).toBeUndefined();
    const embedder = fakeEmbedder();
    const restarted = semanticLayer({ embedder, experts, persistPath });
    await restarted.ready();
    expect(embedder.calls).toBe(0);
    expect(restarted.stats()).toMatchObject({ calibrationSource: "exemplars", calibrationRestored: false });
    await restarted.close();
    expect(readVectorFile(persistPath)!.calibration?.source).toBe("exemplars");
  });
});
