import { describe, expect, it } from "vitest";
import { createAnalyzer, renderHtmlReport } from "../src/index.js";
import { escapeHtml } from "../src/render/internal/svg.js";
import { HOSTILE_EXPERT, HOSTILE_LAYER, hostileReport } from "./analysis-fixtures.js";

describe("renderHtmlReport", () => {
  const html = renderHtmlReport(hostileReport(), { title: "Report <of> routing" });

  it("is one self-contained page: inline SVG charts, no script, no external resource", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain("Content-Security-Policy");
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link|<img|@import|url\(/i);
    const urls = html.match(/https?:\/\/[^"'\s)]+/g) ?? [];
    expect(new Set(urls)).toEqual(new Set(["http://www.w3.org/2000/svg"]));
  });

  it("draws every chart with a title", () => {
    const titles = [...html.matchAll(/<svg[^>]*aria-label="([^"]*)"/g)].map((m) => m[1]);
    expect(titles).toEqual(
      expect.arrayContaining([
        "Per-layer accuracy and coverage",
        "Reliability diagram: keyword (accepted)",
        "Reliability diagram: neural (shadow)",
        "Latency percentiles (ms, log scale)",
        "Expert distribution",
        "Corrections matrix (rows: routed, columns: corrected to)",
        "A/B comparison: semantic-0.6",
      ]),
    );
    expect(html.match(/<rect class="bar"/g)!.length).toBeGreaterThan(20);
    expect(html).toContain('class="cell"');
  });

  it("escapes every recorded name", () => {
    expect(html).not.toContain(HOSTILE_EXPERT);
    expect(html).not.toContain(HOSTILE_LAYER);
    expect(html).not.toContain("<b>odd</b>");
    expect(html).toContain(escapeHtml(HOSTILE_EXPERT));
    expect(html).toContain(escapeHtml(HOSTILE_LAYER));
    expect(html).toContain("<title>Report &lt;of&gt; routing</title>");
    expect(html).toContain("A/B comparison: x&amp;y");
  });

  it("renders an empty report with hints instead of charts", () => {
    const empty = renderHtmlReport(createAnalyzer().result());
    expect(empty).toContain("No layer attempts in this window.");
    expect(empty).toContain("No corrections recorded.");
    expect(empty).not.toContain("<svg");
  });
});
