/**
 * Tiny inline-SVG chart builders for the static HTML report: no library, no network, every
 * text escaped. Each chart carries a <title> and an aria-label so it is accessible and testable.
 */
import { terminalSafe } from "@moe-router/core";

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML/SVG content and attribute values. */
export function escapeHtml(text: unknown): string {
  // Control characters from data are shown as visible escapes too (a parse error in HTML, and
  // live escape sequences for whoever prints the file on a terminal).
  return terminalSafe(String(text)).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Longest label drawn in a chart; longer ones are cut with an ellipsis (full text in the tooltip). */
const MAX_LABEL = 28;

/** `label` cut to {@link MAX_LABEL} characters, then escaped, wrapped with a tooltip when cut. */
function labelText(label: string): string {
  if (label.length <= MAX_LABEL) return escapeHtml(label);
  return `<title>${escapeHtml(label)}</title>${escapeHtml(`${label.slice(0, MAX_LABEL - 1)}…`)}`;
}

/** Series colours (colour-blind-safe Okabe–Ito palette). */
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"];

function svgOpen(width: number, height: number, title: string, className: string): string {
  const t = escapeHtml(title);
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart ${className}" role="img" aria-label="${t}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}"><title>${t}</title>`;
}

/** One series of a bar chart. */
export interface BarSeries {
  readonly name: string;
  /** One value per category; null draws nothing. */
  readonly values: readonly (number | null)[];
  /** Label shown at the bar's end. */
  readonly labels: readonly string[];
}

/** Options of {@link horizontalBars}. */
export interface HorizontalBarsOptions {
  readonly title: string;
  readonly categories: readonly string[];
  readonly series: readonly BarSeries[];
  /** Largest value on the axis (default: the largest value, or 1). */
  readonly max?: number;
  /** Logarithmic axis (for latencies spanning orders of magnitude). */
  readonly log?: boolean;
  readonly className?: string;
}

/** A horizontal grouped bar chart: one group per category, one bar per series, with a legend. */
export function horizontalBars(options: HorizontalBarsOptions): string {
  const { categories, series } = options;
  const labelWidth = 12 + 7 * Math.min(MAX_LABEL, Math.max(4, ...categories.map((c) => c.length)));
  const plotWidth = 420,
    valueRoom = 90,
    barHeight = 14,
    gap = 3,
    groupGap = 12,
    legendHeight = series.length > 1 ? 24 : 4;
  const groupHeight = series.length * (barHeight + gap) + groupGap;
  const width = labelWidth + plotWidth + valueRoom;
  const height = legendHeight + Math.max(1, categories.length) * groupHeight + 8;
  const values = series.flatMap((s) => s.values).filter((v): v is number => v !== null && v > 0);
  const max = options.max ?? Math.max(1e-12, ...values);
  const min = options.log ? Math.max(1e-6, Math.min(...values, max) / 2) : 0;
  const scale = (v: number) => {
    if (options.log) return v <= min ? 0 : (Math.log(v / min) / Math.log(max / min || 10)) * plotWidth;
    return (Math.max(0, v) / max) * plotWidth;
  };
  const parts = [svgOpen(width, height, options.title, options.className ?? "bars")];
  if (series.length > 1) {
    series.forEach((s, i) => {
      const x = labelWidth + i * 140;
      parts.push(`<rect x="${x}" y="4" width="12" height="12" fill="${PALETTE[i % PALETTE.length]}"/><text x="${x + 16}" y="14" class="legend">${escapeHtml(s.name)}</text>`);
    });
  }
  categories.forEach((category, c) => {
    const top = legendHeight + c * groupHeight;
    parts.push(`<text x="${labelWidth - 8}" y="${top + (series.length * (barHeight + gap)) / 2 + 4}" text-anchor="end" class="label">${labelText(category)}</text>`);
    series.forEach((s, i) => {
      const value = s.values[c];
      if (value === null || value === undefined) return;
      const y = top + i * (barHeight + gap);
      const w = Math.max(1, scale(value));
      parts.push(
        `<rect class="bar" x="${labelWidth}" y="${y}" width="${w.toFixed(1)}" height="${barHeight}" fill="${PALETTE[i % PALETTE.length]}"><title>${escapeHtml(`${category} · ${s.name}: ${s.labels[c] ?? value}`)}</title></rect>`,
      );
      parts.push(`<text x="${(labelWidth + w + 4).toFixed(1)}" y="${y + barHeight - 3}" class="value">${escapeHtml(s.labels[c] ?? String(value))}</text>`);
    });
  });
  parts.push("</svg>");
  return parts.join("");
}

/** One reliability bin for {@link reliabilityDiagram}. */
export interface ReliabilityPoint {
  readonly lower: number;
  readonly upper: number;
  readonly accuracy: number | null;
  readonly meanConfidence: number | null;
  readonly count: number;
}

/** A reliability diagram: accuracy per confidence bin as bars, the diagonal of perfect calibration. */
export function reliabilityDiagram(title: string, bins: readonly ReliabilityPoint[]): string {
  const size = 220,
    pad = 30;
  const x = (v: number) => pad + v * size;
  const y = (v: number) => pad / 2 + (1 - v) * size;
  const parts = [svgOpen(size + pad + 10, size + pad + 10, title, "reliability")];
  parts.push(`<rect x="${x(0)}" y="${y(1)}" width="${size}" height="${size}" class="frame"/>`);
  for (const bin of bins) {
    if (!bin.count || bin.accuracy === null) continue;
    const left = x(bin.lower) + 1,
      w = (bin.upper - bin.lower) * size - 2;
    parts.push(
      `<rect class="bar" x="${left.toFixed(1)}" y="${y(bin.accuracy).toFixed(1)}" width="${w.toFixed(1)}" height="${(bin.accuracy * size).toFixed(1)}" fill="${PALETTE[0]}"><title>${escapeHtml(`confidence ${bin.lower.toFixed(1)}–${bin.upper.toFixed(1)}: accuracy ${(bin.accuracy * 100).toFixed(1)}%, mean confidence ${bin.meanConfidence?.toFixed(3)}, n=${bin.count}`)}</title></rect>`,
    );
    if (bin.meanConfidence !== null) parts.push(`<circle cx="${x(bin.meanConfidence).toFixed(1)}" cy="${y(bin.meanConfidence).toFixed(1)}" r="3" fill="${PALETTE[3]}"/>`);
  }
  parts.push(`<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" class="diagonal"/>`);
  for (const tick of [0, 0.5, 1]) {
    parts.push(`<text x="${x(tick)}" y="${y(0) + 14}" text-anchor="middle" class="axis">${tick}</text>`);
    parts.push(`<text x="${x(0) - 4}" y="${y(tick) + 4}" text-anchor="end" class="axis">${tick}</text>`);
  }
  parts.push("</svg>");
  return parts.join("");
}

/** A heatmap of counts: rows × columns, darker = more. */
export function heatmap(title: string, rows: readonly string[], columns: readonly string[], value: (row: string, column: string) => number): string {
  const cell = 46,
    labelWidth = 12 + 7 * Math.min(MAX_LABEL, Math.max(4, ...rows.map((r) => r.length))),
    headerHeight = 150;
  const width = labelWidth + columns.length * cell + 150,
    height = headerHeight + rows.length * cell + 10;
  let max = 0;
  for (const r of rows) for (const c of columns) max = Math.max(max, value(r, c));
  const parts = [svgOpen(width, height, title, "heatmap")];
  columns.forEach((c, j) => {
    const cx = labelWidth + j * cell + cell / 2;
    parts.push(`<text transform="translate(${cx},${headerHeight - 6}) rotate(-45)" class="label">${labelText(c)}</text>`);
  });
  rows.forEach((r, i) => {
    const top = headerHeight + i * cell;
    parts.push(`<text x="${labelWidth - 6}" y="${top + cell / 2 + 4}" text-anchor="end" class="label">${labelText(r)}</text>`);
    columns.forEach((c, j) => {
      const n = value(r, c);
      const intensity = max ? n / max : 0;
      parts.push(
        `<rect class="cell" x="${labelWidth + j * cell}" y="${top}" width="${cell - 2}" height="${cell - 2}" fill="rgba(213,94,0,${(0.06 + 0.94 * intensity).toFixed(3)})"><title>${escapeHtml(`${r} → ${c}: ${n}`)}</title></rect>`,
      );
      if (n) parts.push(`<text x="${labelWidth + j * cell + cell / 2 - 1}" y="${top + cell / 2 + 4}" text-anchor="middle" class="${intensity > 0.55 ? "value light" : "value"}">${n}</text>`);
    });
  });
  parts.push("</svg>");
  return parts.join("");
}
