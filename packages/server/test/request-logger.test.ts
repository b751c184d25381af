import { Writable } from "node:stream";
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import type { EventStore } from "@moe-router/tracker";
import type { FastifyBaseLogger } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { createServer, type MoeRouterServer } from "../src/index.js";
import { lazyChildLoggerFactory } from "../src/internal/request-logger.js";
import { testRouter } from "./support/router.js";

let service: MoeRouterServer | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

/** A parent logger at `level` that records the children it makes and the lines they write. */
function fakeLogger(level: string) {
  const order = ["trace", "debug", "info", "warn", "error", "fatal"];
  const children: Array<{ bindings: Record<string, unknown>; lines: unknown[][] }> = [];
  const make = (record?: { lines: unknown[][] }): FastifyBaseLogger => {
    const write =
      (name: string) =>
      (...args: unknown[]) =>
        void record?.lines.push([name, ...args]);
    return {
      level,
      isLevelEnabled: (l: string) => order.indexOf(l) >= order.indexOf(level),
      fatal: write("fatal"),
      error: write("error"),
      warn: write("warn"),
      info: write("info"),
      debug: write("debug"),
      trace: write("trace"),
      silent: () => undefined,
      child(bindings: Record<string, unknown>) {
        const child = { bindings, lines: [] as unknown[][] };
        children.push(child);
        return make(child);
      },
    } as unknown as FastifyBaseLogger;
  };
  return { logger: make(), children };
}

describe("lazyChildLoggerFactory", () => {
  it("makes no child for lines below the level, and one child (with the bindings) for the first line written", () => {
    const { logger, children } = fakeLogger("warn");
    const child = lazyChildLoggerFactory(logger, { reqId: "req-1" }, {});
    child.info("dropped");
    child.debug("dropped");
    expect(children).toHaveLength(0);
    child.error({ code: "MOE_STORE_FAILED" }, "kept");
    child.warn("kept too");
    expect(children).toHaveLength(1);
    expect(children[0]!.bindings).toEqual({ reqId: "req-1" });
    // Once made, the child gets every line (it decides itself what to drop).
    child.info("after");
    expect(children[0]!.lines).toEqual([
      ["error", { code: "MOE_STORE_FAILED" }, "kept"],
      ["warn", "kept too"],
      ["info", "after"],
    ]);
  });

  it("options that change the child (its own level) make the child at once", () => {
    const { logger, children } = fakeLogger("warn");
    lazyChildLoggerFactory(logger, { reqId: "req-2" }, { level: "debug" });
    expect(children).toHaveLength(1);
  });
});

describe("request logs through the lazy child", () => {
  it("an error logged for a request still carries its reqId; requests that log nothing write nothing", async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, callback) {
        lines.push(String(chunk));
        callback();
      },
    });
    const failing: EventStore = {
      ...testRouter().store,
      append: () => undefined,
      flush: () => Promise.reject(new MoeRouterError(ErrorCode.STORE_FAILED, "disk full")),
    };
    service = await createServer({ router: testRouter({ store: failing }), logLevel: "warn", logDestination: destination });
    const ok = await service.app.inject({ method: "GET", url: "/healthz" });
    expect(ok.statusCode).toBe(200);
    expect(lines).toHaveLength(0);
    const failed = await service.app.inject({ method: "POST", url: "/v1/route", payload: { description: "Deploy API to production" } });
    expect(failed.statusCode).toBe(503);
    const logged = lines.map((line) => JSON.parse(line) as { reqId?: string; code?: string; level: number });
    const error = logged.find((line) => line.code === "MOE_STORE_FAILED");
    expect(error).toBeDefined();
    expect(error!.reqId).toMatch(/^req-/);
  });
});
