/**
 * The real `moe-router serve` process: SIGTERM drains and exits 0, SIGHUP reloads the
 * config (an invalid one keeps the running config and logs a coded error), and a thresholds
 * file rewritten while it runs takes effect without a restart.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeThresholdsFile } from "@moe-router/tuner";
import { describe, expect, it } from "vitest";
import { runCli, startServe } from "./support/serve-process.js";

const SLOW_LAYER = `
export function createLayer(options) {
  return {
    name: "slow",
    capabilities: { async: true },
    async route() {
      process.stderr.write("slow-layer: routing\\n");
      await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      return { expert: "development-master", confidence: 0.95 };
    },
  };
}
`;

function writeConfig(file: string, config: object): void {
  writeFileSync(file, JSON.stringify(config));
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function thresholdOf(url: string, layer: string): Promise<{ threshold: number; source: string } | undefined> {
  const report = (await (await fetch(`${url}/v1/config`)).json()) as { layers: Array<{ layer: string; threshold: number; source: string }> };
  return report.layers.find((l) => l.layer === layer);
}

describe("moe-router serve auth and exposure", () => {
  it("--token-file: 401 without the token, 200 with it, probes open, and the token never appears in the output", async () => {
    const dir = mkdtempSync(join(tmpdir(), "moe-serve-token-"));
    const token = "serve-test-token-5f2b8c1d9e7a4b3c";
    writeFileSync(join(dir, "token"), `${token}\n`);
    const serve = await startServe(["--token-file", "token", "--log-level", "trace", "--log-requests"], { cwd: dir });
    try {
      const route = (headers: Record<string, string>) =>
        fetch(`${serve.url}/v1/route`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ description: "Deploy API to production" }) });
      expect((await route({})).status).toBe(401);
      expect((await route({ authorization: "Bearer wrong-token-000000000000" })).status).toBe(401);
      expect((await route({ authorization: `Bearer ${token}` })).status).toBe(200);
      expect((await fetch(`${serve.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${serve.url}/metrics`)).status).toBe(401);
      expect((await fetch(`${serve.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      serve.child.kill("SIGTERM");
      await serve.exited;
    }
    expect(serve.output()).toContain("/v1/route");
    expect(serve.output()).not.toContain(token);
  }, 60_000);

  it("refuses a non-loopback address without a token: exit 2 with a coded error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "moe-serve-bind-"));
    const result = await runCli(["serve", "--host", "0.0.0.0", "--port", "0"], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error \[MOE_INVALID_CONFIG\]: Refusing to listen on 0\.0\.0\.0 without a token/m);
  }, 60_000);
});

describe("moe-router serve lifecycle", () => {
  it("SIGTERM: stops accepting, answers the requests in flight, flushes them, exits 0", async () => {
    const dir = mkdtempSync(join(tmpdir(), "moe-serve-term-"));
    writeFileSync(join(dir, "slow-layer.mjs"), SLOW_LAYER);
    const log = join(dir, "events.jsonl");
    const config = join(dir, "moe-router.json");
    writeConfig(config, { layers: [{ package: "./slow-layer.mjs", threshold: 0.9, options: { delayMs: 400 } }], tracking: { store: log } });
    const serve = await startServe(["--config", config], { cwd: dir });
    const inFlight = Array.from({ length: 8 }, (_, i) =>
      fetch(`${serve.url}/v1/route`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ description: `slow task ${i}` }) }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { event_id: string },
      })),
    );
    // All eight are inside the layer when the stop begins.
    await until(async () => (serve.output().match(/slow-layer: routing/g) ?? []).length === 8, 20_000, "the requests to arrive");
    serve.child.kill("SIGTERM");
    const answers = await Promise.all(inFlight);
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(await serve.exited).toEqual({ code: 0, signal: null });
    const stored = new Set(
      readFileSync(log, "utf8")
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as { event_id: string }).event_id),
    );
    for (const answer of answers) expect(stored.has(answer.body.event_id)).toBe(true);
    // Nothing listens any more.
    await expect(fetch(`${serve.url}/healthz`)).rejects.toThrow();
  }, 60_000);

  it("a thresholds file rewritten while serving takes effect within seconds", async () => {
    const dir = mkdtempSync(join(tmpdir(), "moe-serve-tune-"));
    const config = join(dir, "moe-router.json");
    const thresholdsFile = join(dir, "thresholds.json");
    writeConfig(config, { layers: [{ package: "@moe-router/layer-keyword", threshold: 0.85 }], tracking: { store: join(dir, "events.jsonl") }, thresholdsFile });
    const serve = await startServe(["--config", config, "--thresholds-interval", "200"], { cwd: dir });
    try {
      expect(await thresholdOf(serve.url, "keyword")).toMatchObject({ threshold: 0.85, source: "config" });
      const route = async () =>
        (await (
          await fetch(`${serve.url}/v1/route`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ description: "Deploy API to production" }) })
        ).json()) as { layer: string; attempts: Array<{ threshold: number }> };
      expect((await route()).layer).toBe("keyword");
      // What `moe-router tune` writes when it applies a proposal.
      await writeThresholdsFile(thresholdsFile, { version: 1, updated_at: new Date().toISOString(), thresholds: { keyword: 0.99 } });
      const changedAt = Date.now();
      await until(async () => (await thresholdOf(serve.url, "keyword"))?.threshold === 0.99, 5000, "the new threshold");
      expect(Date.now() - changedAt).toBeLessThan(5000);
      expect(await thresholdOf(serve.url, "keyword")).toMatchObject({ source: "thresholds-file" });
      const after = await route();
      expect(after.attempts[0]!.threshold).toBe(0.99);
      expect(after.layer).toBe("clarification");
    } finally {
      serve.child.kill("SIGTERM");
      await serve.exited;
    }
  }, 60_000);

  it("`moe-router tune` run beside the service: the thresholds it writes are in force within seconds", async () => {
    const dir = mkdtempSync(join(tmpdir(), "moe-serve-tune-cli-"));
    const config = join(dir, "moe-router.json");
    const thresholdsFile = join(dir, "thresholds.json");
    writeConfig(config, { layers: [{ package: "@moe-router/layer-keyword", threshold: 0.85 }], tracking: { store: join(dir, "events.jsonl") }, thresholdsFile });
    const serve = await startServe(["--config", config, "--thresholds-interval", "200"], { cwd: dir });
    try {
      const post = (path: string, body: unknown) => fetch(`${serve.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      // Outcomes through the API: the keyword layer is right for deployments, wrong for the rest.
      const tasks = ["Deploy API to production", "Fix SQL injection vulnerability", "Update inventory count", "Refactor the billing module", "Deploy the web app to staging"];
      for (let i = 0; i < 120; i++) {
        const description = `${tasks[i % tasks.length]} (${i})`;
        const routed = (await (await post("/v1/route", { description })).json()) as { event_id: string; master: string };
        const correct = description.startsWith("Deploy");
        const other = routed.master === "development-master" ? "security-master" : "development-master";
        const outcome = await post("/v1/outcomes", { event_id: routed.event_id, completed: correct, ...(correct ? { correct: true } : { corrected_to: other }) });
        expect(outcome.status, await outcome.clone().text()).toBe(200);
      }
      const tuned = await runCli(["tune", "--config", config, "-m", "20", "-a"], dir);
      expect(tuned.code, tuned.stderr).toBe(0);
      const file = JSON.parse(readFileSync(thresholdsFile, "utf8")) as { thresholds: Record<string, number> };
      expect(typeof file.thresholds.keyword).toBe("number");
      await until(async () => (await thresholdOf(serve.url, "keyword"))?.source === "thresholds-file", 5000, "the tuned thresholds");
      expect((await thresholdOf(serve.url, "keyword"))?.threshold).toBe(file.thresholds.keyword);
    } finally {
      serve.child.kill("SIGTERM");
      await serve.exited;
    }
  }, 120_000);

  it("SIGHUP reloads the config; an invalid one keeps the running config and logs a coded error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "moe-serve-hup-"));
    const config = join(dir, "moe-router.json");
    writeConfig(config, { layers: [{ package: "@moe-router/layer-keyword", threshold: 0.85 }], tracking: { store: join(dir, "events.jsonl") } });
    const serve = await startServe(["--config", config], { cwd: dir });
    try {
      writeConfig(config, { layers: [{ package: "@moe-router/layer-keyword", threshold: 0.6 }], tracking: { store: join(dir, "events.jsonl") } });
      serve.child.kill("SIGHUP");
      await until(async () => (await thresholdOf(serve.url, "keyword"))?.threshold === 0.6, 10_000, "the reloaded config");

      writeFileSync(config, '{ "layers": [ { "package": "@moe-router/layer-keyword", "threshold": 7 } ] }');
      serve.child.kill("SIGHUP");
      await until(async () => /MOE_INVALID_CONFIG/.test(serve.output()), 10_000, "the coded error in the log");
      expect(await thresholdOf(serve.url, "keyword")).toMatchObject({ threshold: 0.6 });
      const routed = await fetch(`${serve.url}/v1/route`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ description: "Deploy API to production" }) });
      expect(routed.status).toBe(200);
    } finally {
      serve.child.kill("SIGTERM");
      expect((await serve.exited).code).toBe(0);
    }
  }, 60_000);
});
