import { describe, expect, it } from "vitest";
import { CLEAR_SCREEN, createAnalyzer, renderAnalysisText, renderDashboard } from "../src/index.js";
import { stripAnsi } from "../src/render/internal/ansi.js";
import { table } from "../src/render/internal/table.js";
import { bar } from "../src/render/internal/ansi.js";
import { sampleEvents } from "./analysis-fixtures.js";

function sampleReport() {
  const analyzer = createAnalyzer({ now: Date.parse("2024-05-02T00:00:00Z") });
  for (const event of sampleEvents(600)) analyzer.add(event);
  return analyzer.result();
}

describe("renderAnalysisText", () => {
  const report = sampleReport();

  it("prints every section with the report's figures", () => {
    const text = renderAnalysisText(report);
    for (const heading of ["Layers", "Latency", "Calibration", "Expert distribution", "Corrections", "Clarification", "A/B experiments"]) {
      expect(text).toContain(heading);
    }
    expect(text).toContain(`Decisions   ${report.overall.decisions}`);
    const keyword = report.layers.find((l) => l.layer === "keyword")!;
    expect(text).toMatch(new RegExp(`keyword\\s+${keyword.attempts}\\s+${keyword.accepted}\\s+${(keyword.acceptanceRate! * 100).toFixed(1)}%`));
    expect(text).toContain(`ECE ${keyword.calibration.ece!.toFixed(3)}`);
    expect(text).toContain("semantic-0.6");
    expect(text).toMatch(/accuracy: [+-]\d+\.\d pts · z -?\d+\.\d\d · p/);
    expect(text).not.toContain("\x1b[");
  });

  it("colours only when asked, and the colour adds no visible characters", () => {
    const coloured = renderAnalysisText(report, { color: true });
    expect(coloured).toContain("\x1b[1m");
    expect(stripAnsi(coloured)).toBe(renderAnalysisText(report));
  });

  it("says what to do when there is no data", () => {
    const text = renderAnalysisText(createAnalyzer().result());
    expect(text).toContain("No layer attempts in this window.");
    expect(text).toContain("record outcomes to see calibration");
    expect(text).toContain("No A/B experiment");
  });
});

describe("renderDashboard", () => {
  it("renders a frame with accuracy bars and status, and exposes the in-place redraw sequence", () => {
    const frame = renderDashboard(sampleReport(), { status: "refreshing every 2 s" });
    expect(frame.split("\n")[0]).toContain("moe-router dashboard");
    expect(frame).toContain("refreshing every 2 s");
    expect(frame).toMatch(/█/);
    expect(CLEAR_SCREEN).toBe("\x1b[H\x1b[J");
  });
});

describe("text helpers", () => {
  it("aligns table columns whatever the escapes in cells", () => {
    const lines = table(
      ["a", "count"],
      [
        ["\x1b[36mx\x1b[39m", "5"],
        ["longer", "12345"],
      ],
    )
      .split("\n")
      .map(stripAnsi);
    expect(lines[0]).toBe("a       count");
    expect(lines[2]).toBe("x           5");
    expect(lines[3]).toBe("longer  12345");
  });

  it("draws bars in eighths and clamps", () => {
    expect(bar(0.5, 4)).toBe("██  ");
    expect(bar(1 / 16, 2)).toBe("▏ ");
    expect(bar(2, 3)).toBe("███");
    expect(bar(null, 3)).toBe("   ");
  });
});
