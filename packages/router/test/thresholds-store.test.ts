import { ErrorCode, isMoeRouterError } from "@moe-router/core";
import { postgresThresholdsStore } from "@moe-router/tuner";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openRouter, validateRouterConfig, type Router } from "../src/index.js";
import { postgresUnavailable, startPostgres, type PostgresServer } from "../../../tools/test-support/postgres.js";
import { toyProject } from "./support/project.js";

const open: Router[] = [];
afterEach(async () => {
  for (const router of open.splice(0)) await router.close();
});

async function until(check: () => boolean | Promise<boolean>, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const file = (thresholds: Record<string, number>) => ({ version: 1 as const, updated_at: new Date().toISOString(), thresholds });
const entry = (after: Record<string, number>) => ({ time: new Date().toISOString(), action: "apply" as const, before: {}, after, reason: "test", samples: {} });

describe("thresholdsStore in the config", () => {
  it("is a URL or a path, instead of thresholdsFile and not with it", () => {
    expect(validateRouterConfig({ layers: [], thresholdsStore: "postgres://moe@db/moe" }).thresholdsStore).toBe("postgres://moe@db/moe");
    expect(() => validateRouterConfig({ layers: [], thresholdsStore: "" })).toThrow(/thresholdsStore/);
    expect(() => validateRouterConfig({ layers: [], thresholdsStore: 5 })).toThrow(/thresholdsStore/);
    let error: unknown;
    try {
      validateRouterConfig({ layers: [], thresholdsStore: "postgres://moe@db/moe", thresholdsFile: "t.json" });
    } catch (caught) {
      error = caught;
    }
    expect(isMoeRouterError(error, ErrorCode.INVALID_CONFIG)).toBe(true);
    expect((error as Error).message).toMatch(/not both/);
  });

  it("as a file path, is read at start like the thresholds file", async () => {
    const { cwd, configPath } = toyProject({ thresholdsStore: "shared/thresholds.json" });
    const { openThresholdsStore } = await import("@moe-router/tuner");
    await (await openThresholdsStore(`${cwd}/shared/thresholds.json`)).write(file({ toy: 0.5 }), entry({ toy: 0.5 }));
    const router = await openRouter({ config: configPath, cwd });
    open.push(router);
    expect(router.cascade.getThresholds()).toEqual({ toy: 0.5 });
    expect(router.thresholds().source).toContain("shared/thresholds.json");
  });
});

const unavailable = postgresUnavailable();
if (unavailable) console.warn(`Skipping the PostgreSQL thresholds store tests: ${unavailable}.`);

describe.skipIf(unavailable !== undefined)("thresholds shared in PostgreSQL", () => {
  let pg: PostgresServer | undefined;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(async () => {
    await pg?.stop();
  });

  it("reaches two running routers within a poll of a write", async () => {
    const tablePrefix = `thr_router_${process.pid}`;
    const spec = `${pg!.url}?tablePrefix=${tablePrefix}`;
    const writer = await postgresThresholdsStore({ connectionString: pg!.url, tablePrefix });
    try {
      await writer.write(file({ toy: 0.8 }), entry({ toy: 0.8 }));
      const routers = await Promise.all(
        [0, 1].map(() => {
          const { cwd, configPath } = toyProject({ thresholdsStore: spec });
          return openRouter({ config: configPath, cwd, watchThresholds: { intervalMs: 100 } });
        }),
      );
      open.push(...routers);
      for (const router of routers) {
        expect(router.cascade.getThresholds()).toEqual({ toy: 0.8 });
        expect(router.thresholds().source).toMatch(/^thresholds table in postgres:\/\//);
      }
      // Between 0.8 and 0.95: "Deploy" (0.95) decides either way; 0.3 (anything else) never does.
      await writer.write(file({ toy: 0.96 }), entry({ toy: 0.96 }));
      await until(() => routers.every((router) => router.cascade.getThresholds().toy === 0.96));
      for (const router of routers) expect((await router.route({ description: "Deploy the API" })).layer).toBe("clarification");
      expect((await writer.history()).map((h) => h.after)).toEqual([{ toy: 0.8 }, { toy: 0.96 }]);
    } finally {
      await writer.close();
    }
  });

  it("keeps the thresholds in force when the database is unreachable at start", async () => {
    const { cwd, configPath } = toyProject({ thresholdsStore: "postgres://moe:s3cret@127.0.0.1:1/none" });
    const lines: string[] = [];
    const router = await openRouter({ config: configPath, cwd, logger: { warn: (line) => void lines.push(line) } });
    open.push(router);
    expect(router.cascade.getThresholds()).toEqual({ toy: 0.85 });
    expect(lines.join("\n")).toMatch(/MOE_STORE_FAILED/);
    expect(lines.join("\n")).not.toContain("s3cret");
  });
});
