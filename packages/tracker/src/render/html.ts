import type { AnalysisReport } from "../analysis/types.js";
import { calibrationHtml, clarificationHtml, correctionsHtml, experimentsHtml, expertsHtml, latencyHtml, layersHtml, summaryCards } from "./internal/html-sections.js";
import { escapeHtml } from "./internal/svg.js";
import { trendsHtml } from "./internal/trends-html.js";
import type { TimeSeries } from "../timeseries/types.js";

/** Options of {@link renderHtmlReport}. */
export interface HtmlReportOptions {
  /** Page title. Default "moe-router routing report". */
  readonly title?: string;
  /** A time series of the same window: adds a "Trends" section of line charts. */
  readonly series?: TimeSeries;
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}
header{background:#1b1f24;color:#fff;padding:18px 28px}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;color:#c9d1d9}
main{padding:8px 28px 40px;max-width:1200px}section{background:#fff;border-radius:8px;padding:14px 20px;margin:16px 0;box-shadow:0 1px 2px #0002}
h2{font-size:17px;margin:4px 0 12px}h3{font-size:15px;margin:16px 0 8px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin-top:16px}.card{background:#fff;border-radius:8px;padding:12px 16px;min-width:150px;box-shadow:0 1px 2px #0002}
.card-label{color:#57606a;font-size:12px;text-transform:uppercase;letter-spacing:.04em}.card-value{font-size:24px;font-weight:600}.card-note{color:#57606a;font-size:12px}
table{border-collapse:collapse;margin:10px 0;font-variant-numeric:tabular-nums}th,td{padding:4px 10px;border-bottom:1px solid #e5e7eb;text-align:right}th:first-child,td:first-child{text-align:left}
th{background:#f3f4f6;font-weight:600}.figures{display:flex;flex-wrap:wrap;gap:16px}figure{margin:0}figcaption{font-size:12px;color:#57606a;text-align:center}
.chart text{font-size:12px;fill:#1b1f24}.chart .axis{font-size:10px;fill:#57606a}.chart .value.light{fill:#fff}.chart .frame{fill:none;stroke:#d0d7de}
.chart .diagonal{stroke:#57606a;stroke-dasharray:4 3}.chart .legend{font-size:11px}.note,.empty{color:#57606a}.tests{margin:6px 0}
`;

/**
 * A self-contained static HTML report: inline CSS and inline SVG charts (per-layer accuracy and
 * coverage, reliability diagrams, latency percentiles, expert distribution, corrections heatmap,
 * A/B comparison). No script, no network: a Content-Security-Policy forbids both, and every piece
 * of recorded text is escaped, so task descriptions or expert names cannot inject markup.
 */
export function renderHtmlReport(report: AnalysisReport, options: HtmlReportOptions = {}): string {
  const title = options.title ?? "moe-router routing report";
  const window = report.window.hours === null ? "all events" : `last ${report.window.hours} hours`;
  const subtitle =
    `Generated ${report.generatedAt} · ${window}${report.layerFilter ? ` · layer ${report.layerFilter}` : ""}` +
    (report.firstEventAt ? ` · events ${report.firstEventAt} → ${report.lastEventAt}` : " · no events");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><p>${escapeHtml(subtitle)}</p></header>
<main>
${summaryCards(report)}
${options.series ? trendsHtml(options.series) : ""}
${layersHtml(report.layers)}
${calibrationHtml(report.layers)}
${latencyHtml(report)}
${expertsHtml(report)}
${correctionsHtml(report)}
${clarificationHtml(report)}
${experimentsHtml(report)}
</main>
</body>
</html>
`;
}
