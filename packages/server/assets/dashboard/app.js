// moe-router live dashboard (served by @moe-router/server at /dashboard/app.js).
// Polls /dashboard/data and renders with textContent and SVG attributes only: no value from
// the data is ever parsed as markup, so a task description like "<img onerror=...>" is text.
"use strict";
(() => {
  const SVG = "http://www.w3.org/2000/svg";
  const DATA_URL = "/dashboard/data";
  const refreshMs = Math.max(250, Number(document.body.dataset.refreshMs) || 2000);
  const byId = (id) => document.getElementById(id);

  const percent = (value) => (value === null || value === undefined ? "–" : `${(value * 100).toFixed(1)}%`);
  const ms = (value) => (value === null || value === undefined ? "–" : value < 10 ? value.toFixed(2) : value.toFixed(0));
  const number = (value) => (value === null || value === undefined ? "–" : Number(value).toLocaleString("en-US"));
  const decimal = (value) => (value === null || value === undefined ? "–" : value.toFixed(3));

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function svg(tag, attributes) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
    return node;
  }

  function fillTable(id, rows) {
    const body = byId(id).tBodies[0];
    const fresh = document.createElement("tbody");
    for (const cells of rows) {
      const row = document.createElement("tr");
      for (const cell of cells) row.append(element("td", cell.text ?? cell, cell.className));
      fresh.append(row);
    }
    body.replaceWith(fresh);
  }

  const METRICS = [
    { key: "decisions", title: "decisions", format: number, max: (points) => Math.max(1, ...points.map((p) => p.decisions)) },
    { key: "clarificationRate", title: "clarification rate", format: percent, max: () => 1 },
    { key: "accuracy", title: "accuracy from outcomes", format: percent, max: () => 1 },
    { key: "p95LatencyMs", title: "p95 latency (ms)", format: ms, max: (points) => Math.max(0.001, ...points.map((p) => p.p95LatencyMs ?? 0)) },
  ];

  function timeLabel(iso, perMinute) {
    const date = new Date(iso);
    const hh = String(date.getUTCHours()).padStart(2, "0");
    const mm = String(date.getUTCMinutes()).padStart(2, "0");
    return perMinute ? `${hh}:${mm}` : `${date.toISOString().slice(5, 10)} ${hh}:00`;
  }

  function chart(metric, points, scope) {
    const width = 360;
    const height = 110;
    const top = 18;
    const bottom = 16;
    const box = element("figure", undefined, "chart");
    box.dataset.chart = `${metric.key}-${scope}`;
    const last = points.length ? points[points.length - 1][metric.key] : null;
    box.append(element("figcaption", `${metric.title}: ${metric.format(last)} (latest)`));
    const plot = svg("svg", { viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: "none", role: "img" });
    const title = svg("title", {});
    title.textContent = `${metric.title} per ${scope === "minute" ? "minute" : "hour"}`;
    plot.append(title);
    const max = metric.max(points);
    const step = width / Math.max(1, points.length);
    plot.append(svg("line", { x1: 0, y1: height - bottom, x2: width, y2: height - bottom, class: "axis" }));
    points.forEach((point, i) => {
      const value = point[metric.key];
      if (value === null || value === undefined) return;
      const h = Math.max(value > 0 ? 1 : 0, ((height - top - bottom) * value) / max);
      const bar = svg("rect", { x: (i * step + 0.5).toFixed(2), y: (height - bottom - h).toFixed(2), width: Math.max(1, step - 1).toFixed(2), height: h.toFixed(2), class: "bar" });
      const tip = svg("title", {});
      tip.textContent = `${timeLabel(point.start, scope === "minute")}: ${metric.format(value)} (${point.decisions} decisions${metric.key === "accuracy" ? `, ${point.judged} judged` : ""})`;
      bar.append(tip);
      plot.append(bar);
    });
    const maxLabel = svg("text", { x: 2, y: 12, class: "tick" });
    maxLabel.textContent = metric.format(max);
    plot.append(maxLabel);
    if (points.length) {
      const first = svg("text", { x: 2, y: height - 3, class: "tick" });
      first.textContent = timeLabel(points[0].start, scope === "minute");
      const end = svg("text", { x: width - 2, y: height - 3, class: "tick end" });
      end.textContent = timeLabel(points[points.length - 1].start, scope === "minute");
      plot.append(first, end);
    }
    box.append(plot);
    return box;
  }

  function renderCharts(id, points, scope) {
    const holder = byId(id);
    holder.replaceChildren(...METRICS.map((metric) => chart(metric, points, scope)));
  }

  function render(data) {
    byId("kpi-decisions").textContent = number(data.totals.decisions);
    byId("kpi-accuracy").textContent = `${percent(data.totals.accuracy)} of ${number(data.totals.judged)}`;
    byId("kpi-clarification").textContent = percent(data.totals.clarificationRate);
    byId("kpi-latency").textContent = `${ms(data.totals.p95LatencyMs)} ms`;
    byId("kpi-outcomes").textContent = number(data.totals.withOutcome);
    byId("window").textContent = `(last ${data.windowHours} h)`;

    fillTable(
      "layers",
      data.layers.map((l) => [
        l.layer,
        number(l.attempts),
        number(l.accepted),
        percent(l.coverage),
        percent(l.accuracy),
        number(l.judged),
        l.ece === null ? "–" : `${decimal(l.ece)} (n=${l.calibrationSamples})`,
        decimal(l.meanConfidence),
        number(l.errors),
        ms(l.latency.p50),
        ms(l.latency.p95),
        ms(l.latency.p99),
      ]),
    );
    renderCharts("charts-hourly", data.hourly, "hour");
    renderCharts("charts-minutely", data.minutely, "minute");
    fillTable(
      "experts",
      data.experts.map((e) => [e.expert, number(e.count), percent(e.share)]),
    );
    fillTable(
      "reasons",
      Object.entries(data.clarificationReasons).map(([reason, count]) => [reason, number(count)]),
    );
    fillTable(
      "recent",
      data.recent.map((d) => [
        new Date(d.timestamp).toISOString().replace("T", " ").slice(0, 19),
        { text: d.description, className: "task" },
        d.expert,
        d.layer,
        decimal(d.confidence),
        d.correct === null ? "–" : d.correct ? "right" : "wrong",
      ]),
    );

    const alerts = byId("alerts");
    const list = byId("alert-list");
    const firing = Array.isArray(data.alerts) ? data.alerts : [];
    alerts.hidden = firing.length === 0;
    list.replaceChildren(...firing.map((a) => element("li", `${a.name}: ${a.message}${a.since ? ` (since ${a.since})` : ""}`)));

    const updates = Number(document.body.dataset.updates || 0) + 1;
    document.body.dataset.updates = String(updates);
    document.body.dataset.generatedAt = data.generatedAt;
    document.body.dataset.decisions = String(data.totals.decisions);
    const status = byId("status");
    status.textContent = `live · updated ${data.generatedAt.replace("T", " ").slice(0, 19)} UTC`;
    status.className = "status live";
  }

  async function poll() {
    try {
      const response = await fetch(DATA_URL, { cache: "no-store", credentials: "same-origin", headers: { accept: "application/json" } });
      if (!response.ok) {
        let message = `HTTP ${response.status}`;
        try {
          const body = await response.json();
          if (body && body.error) message = `${body.error.code}: ${body.error.message}`;
        } catch {
          // Not JSON: keep the status line.
        }
        throw new Error(message);
      }
      render(await response.json());
    } catch (error) {
      const status = byId("status");
      status.textContent = `not updating: ${error && error.message ? error.message : String(error)} (retrying)`;
      status.className = "status stale";
    } finally {
      setTimeout(poll, refreshMs);
    }
  }

  poll();
})();
