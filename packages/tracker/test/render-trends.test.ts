import { describe, expect, it } from "vitest";
import { analyzeEvents, renderDashboard, renderHtmlReport, renderTimeSeriesText, timeSeriesEvents, type RoutingEvent } from "../src/index.js";
import { sparkline } from "../src/render/internal/trends-terminal.js";
import { makeEvent, RIGHT_OUTCOME, corrected } from "./analysis-fixtures.js";

const BASE = Date.parse("2026-11-20T00:00:00.000Z");
const HOSTILE = "evil\x1b[2J\x1b]0;pwned\x07-master<script>";

/** Events over `hours` hours; accuracy of the keyword layer falls in the second half. */
function events(hours: number, perHour = 6): RoutingEvent[] {
  const out: RoutingEvent[] = [];
  for (let h = 0; h < hours; h++) {
    for (let i = 0; i < perHour; i++) {
      const degraded = h >= hours / 2 && i % 2 === 0;
      out.push(
        makeEvent({
          timestamp: new Date(BASE + h * 3_600_000 + i * 60_000).toISOString(),
          attempts: [["keyword", i === 5 ? HOSTILE : "security-master", 0.95, true, 0.1 + i * 0.01]],
          outcome: degraded ? corrected("cicd-master") : RIGHT_OUTCOME,
          totalLatencyMs: 1 + i,
        }),
      );
    }
  }
  return out;
}

const stripAnsi = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "");

describe("trend rendering", () => {
  it("draws sparklines scaled to the line's range, with gaps for buckets without data", () => {
    expect(sparkline([0, 0.5, 1, null, 1])).toBe("▁▅█ █");
    expect(sparkline([2, 2])).toBe("▄▄");
    expect(sparkline([null, null])).toBe("  ");
  });

  it("adds a Trends section to the dashboard that fits 80 columns, even with many buckets and long names", async () => {
    const list = events(200);
    const report = await analyzeEvents(list);
    const series = await timeSeriesEvents(list, { by: "hour" });
    expect(series.buckets).toHaveLength(200);
    const frame = stripAnsi(renderDashboard(report, { series, color: true }));
    const trends = frame.slice(frame.indexOf("Trends"));
    const lines = trends.split("\n").slice(
      0,
      trends.split("\n").findIndex((l, i) => i > 0 && l === ""),
    );
    // The dashboard fits 80x24 (render-dashboard-size.test.ts), so its Trends section keeps the
    // cascade-wide lines: volume, accuracy and clarifications, one 50-column sparkline each.
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
    expect(trends).toMatch(/accuracy +[▁-█ ]{40,} +\d/);
    expect(trends).toMatch(/clarified +[▁-█ ]{40,}/);
  });

  it("shows the fall of accuracy: the sparkline's second half is lower", async () => {
    const series = await timeSeriesEvents(events(40), { by: "hour" });
    const text = renderTimeSeriesText(series);
    const line = text.split("\n").find((l) => l.startsWith("keyword acc "))!;
    const spark = line.slice(17, 17 + 40);
    expect(spark.slice(0, 20)).toBe("█".repeat(20));
    expect(spark.slice(20)).toBe("▁".repeat(20));
    expect(text).toMatch(/2026-11-20T00:00Z\s+6\s+100\.0%/);
  });

  it("neutralises control sequences in recorded names before they reach a terminal", async () => {
    const series = await timeSeriesEvents(
      events(2, 6).filter((_, i) => i % 6 === 5),
      { by: "hour" },
    );
    const text = renderTimeSeriesText(series, { color: false });
    expect(text).not.toContain("\x1b");
    expect(text).not.toContain("\x07");
  });

  it("adds trend line charts to the HTML report, every name escaped", async () => {
    const list = events(30);
    const html = renderHtmlReport(await analyzeEvents(list), { series: await timeSeriesEvents(list, { by: "hour" }) });
    const trends = html.slice(html.indexOf('<section id="trends">'), html.indexOf("</section>", html.indexOf('<section id="trends">')));
    expect(trends).toContain("30 buckets by hour");
    for (const chart of ["trend-decisions", "trend-accuracy", "trend-acceptance", "trend-rates", "trend-latency", "trend-experts"]) expect(trends).toContain(chart);
    expect(trends).toMatch(/<polyline [^>]*points="[\d., ]+"/);
    expect(html).not.toContain("<script>");
    expect(trends).toContain("&lt;script&gt;");
    expect(renderHtmlReport(await analyzeEvents(list))).not.toContain('id="trends"');
  });
});
