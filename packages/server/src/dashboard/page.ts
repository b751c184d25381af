/**
 * The dashboard's HTML shell and its security headers. The shell holds no data: the script
 * (served from this origin, no CDN) fetches `/dashboard/data` and builds every element with
 * `textContent` and SVG attributes, so data is never parsed as markup.
 */

/**
 * Content-Security-Policy of every dashboard response: only this origin's script and style
 * files, no inline script or style, no plugins, no framing, no form posts, no other hosts.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** Headers sent with the page, its assets and its data. */
export const DASHBOARD_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": DASHBOARD_CSP,
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
};

/** The page; `refreshMs` is a number checked by the plugin, never user text. */
export function dashboardPage(refreshMs: number): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>moe-router dashboard</title>
<link rel="icon" href="/dashboard/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/dashboard/app.css">
<script src="/dashboard/app.js" defer></script>
</head>
<body data-refresh-ms="${Math.trunc(refreshMs)}" data-updates="0">
<header>
  <h1>moe-router</h1>
  <p id="status" class="status">connecting…</p>
</header>
<main>
  <section id="alerts" class="alerts" hidden><h2>Firing alerts</h2><ul id="alert-list"></ul></section>
  <section class="kpis" id="kpis">
    <div class="kpi"><span class="label">decisions</span><span class="value" id="kpi-decisions">–</span></div>
    <div class="kpi"><span class="label">accuracy (from outcomes)</span><span class="value" id="kpi-accuracy">–</span></div>
    <div class="kpi"><span class="label">clarification rate</span><span class="value" id="kpi-clarification">–</span></div>
    <div class="kpi"><span class="label">p95 latency</span><span class="value" id="kpi-latency">–</span></div>
    <div class="kpi"><span class="label">with outcome</span><span class="value" id="kpi-outcomes">–</span></div>
  </section>
  <section>
    <h2>Layers <span class="window" id="window"></span></h2>
    <table id="layers">
      <thead><tr><th>layer</th><th>attempts</th><th>accepted</th><th>coverage</th><th>accuracy</th><th>judged</th><th>calibration (ECE)</th><th>mean confidence</th><th>errors</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th></tr></thead>
      <tbody></tbody>
    </table>
  </section>
  <section>
    <h2>Per hour</h2>
    <div class="charts" id="charts-hourly"></div>
    <h2>Per minute, last hour</h2>
    <div class="charts" id="charts-minutely"></div>
  </section>
  <section class="split">
    <div><h2>Experts</h2><table id="experts"><thead><tr><th>expert</th><th>decisions</th><th>share</th></tr></thead><tbody></tbody></table></div>
    <div><h2>Clarifications by reason</h2><table id="reasons"><thead><tr><th>reason</th><th>count</th></tr></thead><tbody></tbody></table></div>
  </section>
  <section>
    <h2>Recent decisions</h2>
    <table id="recent"><thead><tr><th>time</th><th>task</th><th>expert</th><th>layer</th><th>confidence</th><th>outcome</th></tr></thead><tbody></tbody></table>
  </section>
</main>
</body>
</html>
`;
}
