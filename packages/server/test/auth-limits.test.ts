import { afterEach, describe, expect, it } from "vitest";
import { createServer, isLoopback, startServer, type MoeRouterServer, type RunningServer } from "../src/index.js";
import { testRouter } from "./support/router.js";

const TOKEN = "s3cret-token-for-tests-0123456789";
let service: MoeRouterServer | RunningServer | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

function capture() {
  const lines: string[] = [];
  return { lines, destination: { write: (line: string) => void lines.push(line) } };
}

describe("bearer token", () => {
  it("every route but the probes needs the token; 401 otherwise, with a coded body", async () => {
    service = await createServer({ router: testRouter(), token: TOKEN, logLevel: "silent" });
    const { app } = service;
    for (const [method, url] of [
      ["POST", "/v1/route"],
      ["POST", "/v1/route/batch"],
      ["POST", "/v1/outcomes"],
      ["GET", "/v1/events/x"],
      ["GET", "/metrics"],
      ["GET", "/openapi.json"],
      ["GET", "/v1/config"],
      ["GET", "/nowhere"],
    ] as const) {
      const response = await app.inject({ method, url, ...(method === "POST" ? { payload: { description: "Deploy" } } : {}) });
      expect(response.statusCode, `${method} ${url}`).toBe(401);
      expect(response.json().error.code).toBe("MOE_UNAUTHORIZED");
      expect(response.headers["www-authenticate"]).toMatch(/^Bearer/);
    }
    expect((await app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    expect((await app.inject({ method: "GET", url: "/readyz" })).statusCode).toBe(200);
  });

  it("accepts the right token and refuses wrong, partial and malformed ones", async () => {
    service = await createServer({ router: testRouter(), token: TOKEN, logLevel: "silent" });
    const { app } = service;
    const route = (authorization?: string) =>
      app.inject({ method: "POST", url: "/v1/route", payload: { description: "Deploy API to production" }, ...(authorization !== undefined ? { headers: { authorization } } : {}) });
    expect((await route(`Bearer ${TOKEN}`)).statusCode).toBe(200);
    expect((await route(`bearer ${TOKEN}`)).statusCode).toBe(200);
    for (const wrong of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, TOKEN, `Basic ${TOKEN}`, "Bearer", "", `Bearer ${TOKEN} extra`]) {
      expect((await route(wrong)).statusCode, JSON.stringify(wrong)).toBe(401);
    }
  });

  it("never writes the token to the log, even at trace level with request logging on", async () => {
    const { lines, destination } = capture();
    service = await createServer({ router: testRouter(), token: TOKEN, logLevel: "trace", logRequests: true, logDestination: destination });
    const { app } = service;
    await app.inject({ method: "POST", url: "/v1/route", headers: { authorization: `Bearer ${TOKEN}` }, payload: { description: "Deploy API to production" } });
    await app.inject({ method: "POST", url: "/v1/route", headers: { authorization: `Bearer ${TOKEN}-wrong` }, payload: { description: "Deploy" } });
    await app.inject({ method: "GET", url: "/nowhere", headers: { authorization: `Bearer ${TOKEN}` } });
    expect(lines.length).toBeGreaterThan(3);
    const log = lines.join("");
    expect(log).toContain("/v1/route");
    expect(log).not.toContain(TOKEN);
    expect(log).not.toContain(TOKEN.slice(0, 12));
  });

  it("refuses a short token", async () => {
    await expect(createServer({ router: testRouter(), token: "short" })).rejects.toMatchObject({ code: "MOE_INVALID_CONFIG" });
  });
});

describe("exposure", () => {
  it("knows loopback addresses", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "::ffff:127.0.0.1"]) expect(isLoopback(host), host).toBe(true);
    for (const host of ["0.0.0.0", "::", "10.0.0.1", "192.168.1.2", "example.com", "::ffff:10.0.0.1"]) expect(isLoopback(host), host).toBe(false);
  });

  it("refuses to bind a non-loopback address without a token", async () => {
    await expect(startServer({ router: testRouter(), host: "0.0.0.0", port: 0, logLevel: "silent" })).rejects.toMatchObject({ code: "MOE_INVALID_CONFIG", message: expect.stringMatching(/token/) });
  });

  it("binds 127.0.0.1 by default", async () => {
    const running = await startServer({ router: testRouter(), port: 0, logLevel: "silent" });
    service = running;
    expect(running.host).toBe("127.0.0.1");
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${running.url}/healthz`);
    expect(await response.json()).toEqual({ status: "ok" });
  });
});

describe("body limit", () => {
  it("413 above the default 64 KiB, with a coded body", async () => {
    service = await createServer({ router: testRouter(), logLevel: "silent" });
    const response = await service.app.inject({ method: "POST", url: "/v1/route", payload: { description: "x".repeat(70 * 1024) } });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe("MOE_PAYLOAD_TOO_LARGE");
  });

  it("honours a configured limit; batches get their own larger limit", async () => {
    service = await createServer({ router: testRouter(), bodyLimit: 1024, logLevel: "silent" });
    expect((await service.app.inject({ method: "POST", url: "/v1/route", payload: { description: "x".repeat(2000) } })).statusCode).toBe(413);
    const tasks = Array.from({ length: 100 }, (_, i) => ({ description: `Deploy service ${i} to production` }));
    expect((await service.app.inject({ method: "POST", url: "/v1/route/batch", payload: { tasks } })).statusCode).toBe(200);
  });

  it("a 1000-task batch fits the default batch limit", async () => {
    service = await createServer({ router: testRouter(), logLevel: "silent" });
    const tasks = Array.from({ length: 1000 }, (_, i) => ({ description: `Deploy service number ${i} of the platform to production`, id: `task-${i}` }));
    const response = await service.app.inject({ method: "POST", url: "/v1/route/batch", payload: { tasks } });
    expect(response.statusCode).toBe(200);
    expect(response.json().decisions).toHaveLength(1000);
  });
});
