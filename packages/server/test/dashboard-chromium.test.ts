import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../src/index.js";
import { testRouter } from "./support/router.js";

const CHROMIUM = "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
const required = process.env.MOE_REQUIRE_CHROMIUM === "1";
if (!available && !required) console.warn(`dashboard-chromium: skipped, ${CHROMIUM} is missing (apt-get install chromium; CI sets MOE_REQUIRE_CHROMIUM=1).`);

/** Runs in the page (a function, not a string: the page's CSP forbids eval). */
const shownDecisions = (count: number) => Number((globalThis as unknown as { document: { body: { dataset: Record<string, string | undefined> } } }).document.body.dataset.decisions) === count;

const TOKEN = "dashboard-test-token-0123456789";
const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

describe("dashboard auth", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ router: testRouter(), token: TOKEN, port: 0, logLevel: "silent" });
  });
  afterAll(async () => {
    await server.close();
  });
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

  it("asks a browser for Basic credentials, accepts the token as the password or as a bearer, and nothing else", async () => {
    const anonymous = await fetch(`${server.url}/dashboard`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Basic realm="moe-router dashboard"/);
    expect((await fetch(`${server.url}/dashboard/data`, { headers: { authorization: basic("ops", "wrong-token-0123456789") } })).status).toBe(401);
    expect((await fetch(`${server.url}/dashboard`, { headers: { authorization: basic("ops", TOKEN) } })).status).toBe(200);
    expect((await fetch(`${server.url}/dashboard/data`, { headers: { authorization: basic("", TOKEN) } })).status).toBe(200);
    expect((await fetch(`${server.url}/dashboard/data`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    // Basic is for the dashboard only: the API still needs the bearer token.
    const api = await fetch(`${server.url}/v1/route`, {
      method: "POST",
      headers: { authorization: basic("ops", TOKEN), "content-type": "application/json" },
      body: JSON.stringify({ description: "Deploy API" }),
    });
    expect(api.status).toBe(401);
    expect(api.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });
});

describe.skipIf(!available && !required)("dashboard in headless Chromium", () => {
  const dir = mkdtempSync(join(tmpdir(), "moe-dashboard-"));
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ router: testRouter({ dir }), token: TOKEN, port: 0, logLevel: "silent", dashboard: { refreshMs: 300 } });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const route = async (description: string) => {
    const response = await fetch(`${server.url}/v1/route`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ description }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { event_id: string; master: string };
  };

  it("loads with no console error or other host, updates live when a task is routed through the API, and runs no injected markup", async () => {
    expect(existsSync(CHROMIUM), `MOE_REQUIRE_CHROMIUM=1 but ${CHROMIUM} is missing: install Debian's chromium package`).toBe(true);
    const first = await route("Deploy API to production");
    await fetch(`${server.url}/v1/outcomes`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ event_id: first.event_id, completed: true, correct: true }),
    });

    const { chromium } = await import("playwright-core");
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, httpCredentials: { username: "ops", password: TOKEN } });
      const page = await context.newPage();
      const problems: string[] = [];
      const hosts = new Set<string>();
      page.on("console", (message) => {
        if (message.type() === "error" || message.type() === "warning") problems.push(`${message.type()}: ${message.text()}`);
      });
      page.on("pageerror", (error) => problems.push(error.message));
      page.on("request", (request) => hosts.add(new URL(request.url()).origin));
      const response = await page.goto(`${server.url}/dashboard`, { waitUntil: "load" });
      expect(response?.headers()["content-security-policy"]).toContain("script-src 'self'");

      await page.waitForFunction(shownDecisions, 1, { timeout: 10_000 });
      expect(await page.locator("#kpi-decisions").textContent()).toBe("1");
      expect(await page.locator("#kpi-accuracy").textContent()).toBe("100.0% of 1");
      expect(await page.locator("#layers tbody tr").count()).toBeGreaterThan(0);
      expect(await page.locator("#layers tbody tr td").first().textContent()).toBe("memory");
      expect(await page.locator("[data-chart] svg").count()).toBe(8);
      expect(await page.locator("[data-chart='decisions-minute'] rect.bar").count()).toBeGreaterThan(0);
      const before = join(dir, "dashboard-before.png");
      await page.screenshot({ path: before, fullPage: true });

      // Routed through the API: the open page shows it without a reload, as text.
      const second = await route(HOSTILE);
      await page.waitForFunction(shownDecisions, 2, { timeout: 10_000 });
      expect(await page.locator("#recent tbody tr").count()).toBe(2);
      expect(await page.locator("#recent tbody tr").first().locator("td.task").textContent()).toBe(HOSTILE);
      expect(await page.locator("#recent tbody tr").first().locator("td").nth(2).textContent()).toBe(second.master);
      expect(await page.locator("#recent img").count()).toBe(0);
      expect(await page.locator("body script").count()).toBe(0);
      expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator("#status").getAttribute("class")).toBe("status live");

      const after = join(dir, "dashboard-after.png");
      await page.screenshot({ path: after, fullPage: true });
      const png = readFileSync(after);
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(png.readUInt32BE(16)).toBe(1280);
      expect(png.length).toBeGreaterThan(30_000);
      if (process.env.MOE_DASHBOARD_SCREENSHOT) writeFileSync(process.env.MOE_DASHBOARD_SCREENSHOT, png);

      expect(problems).toEqual([]);
      expect([...hosts]).toEqual([server.url]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
