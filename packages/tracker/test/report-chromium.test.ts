import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { renderHtmlReport } from "../src/index.js";
import { hostileReport } from "./analysis-fixtures.js";

const CHROMIUM = "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
const required = process.env.MOE_REQUIRE_CHROMIUM === "1";
if (!available && !required) {
  console.warn(`report-chromium: skipped, ${CHROMIUM} is missing (apt-get install chromium; CI sets MOE_REQUIRE_CHROMIUM=1).`);
}

describe.skipIf(!available && !required)("HTML report in headless Chromium", () => {
  const dir = mkdtempSync(join(tmpdir(), "moe-report-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("loads without errors or network, shows every chart, runs no injected script and screenshots", async () => {
    expect(existsSync(CHROMIUM), `MOE_REQUIRE_CHROMIUM=1 but ${CHROMIUM} is missing: install Debian's chromium package`).toBe(true);
    const file = join(dir, "report.html");
    writeFileSync(file, renderHtmlReport(hostileReport()));
    const { chromium } = await import("playwright-core");
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      const requests: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(message.text());
      });
      page.on("pageerror", (error) => problems.push(error.message));
      page.on("request", (request) => requests.push(request.url()));
      await page.goto(pathToFileURL(file).href, { waitUntil: "load" });

      expect(problems).toEqual([]);
      expect(requests).toEqual([pathToFileURL(file).href]);
      expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
      const titles = await page.locator("svg.chart > title").allTextContents();
      expect(titles).toEqual(
        expect.arrayContaining([
          "Per-layer accuracy and coverage",
          "Latency percentiles (ms, log scale)",
          "Expert distribution",
          "Corrections matrix (rows: routed, columns: corrected to)",
          "A/B comparison: semantic-0.6",
          "Reliability diagram: semantic (accepted)",
        ]),
      );
      const box = await page.locator("svg.layers-chart").boundingBox();
      expect(box!.width).toBeGreaterThan(300);
      expect(await page.locator("svg.chart rect.bar").count()).toBeGreaterThan(20);
      // The hostile expert name is text (chart labels and tooltips), not markup: no script element exists.
      expect(await page.locator("script").count()).toBe(0);
      expect(await page.locator("body").textContent()).toContain("<script>window.__pwned = 1</script>");
      expect(await page.locator("body").innerText()).toContain("<script>window.__pwned");

      const shot = join(dir, "report.png");
      await page.screenshot({ path: shot, fullPage: true });
      const png = readFileSync(shot);
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(png.readUInt32BE(16)).toBe(1280);
      expect(png.readUInt32BE(20)).toBeGreaterThan(1500);
      expect(statSync(shot).size).toBeGreaterThan(50_000);
      if (process.env.MOE_REPORT_SCREENSHOT) writeFileSync(process.env.MOE_REPORT_SCREENSHOT, png);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
