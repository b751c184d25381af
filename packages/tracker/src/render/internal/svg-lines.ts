import { escapeHtml, PALETTE } from "./svg.js";

/** One line of a {@link lineChart}. */
export interface LineSeries {
  readonly name: string;
  /** One value per x position; null leaves a gap. */
  readonly values: readonly (number | null)[];
}

/** Options of {@link lineChart}. */
export interface LineChartOptions {
  readonly title: string;
  readonly series: readonly LineSeries[];
  /** Labels of the first and last x positions (bucket times). */
  readonly startLabel: string;
  readonly endLabel: string;
  /** Top of the y axis (default: the largest value). */
  readonly max?: number;
  /** Formats a y value for the axis and tooltips. */
  readonly format: (value: number) => string;
  readonly className?: string;
}

/**
 * A line chart over time buckets: one polyline per series (broken where a bucket has no data;
 * a lone point is drawn as a dot), y from 0, a legend, and a tooltip per point.
 */
export function lineChart(options: LineChartOptions): string {
  const width = 560,
    height = 190,
    left = 54,
    right = 12,
    top = 28,
    bottom = 24;
  const plotWidth = width - left - right,
    plotHeight = height - top - bottom;
  const points = Math.max(1, ...options.series.map((s) => s.values.length));
  const known = options.series.flatMap((s) => s.values).filter((v): v is number => v !== null && Number.isFinite(v));
  const max = options.max ?? Math.max(1e-12, ...known);
  const x = (i: number) => left + (points === 1 ? plotWidth / 2 : (i / (points - 1)) * plotWidth);
  const y = (v: number) => top + (1 - Math.min(1, Math.max(0, v / max))) * plotHeight;
  const title = escapeHtml(options.title);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart trend ${options.className ?? ""}" role="img" aria-label="${title}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}"><title>${title}</title>`,
  ];
  parts.push(`<rect x="${left}" y="${top}" width="${plotWidth}" height="${plotHeight}" class="frame"/>`);
  for (const tick of [0, 0.5, 1]) {
    parts.push(`<text x="${left - 4}" y="${(y(tick * max) + 4).toFixed(1)}" text-anchor="end" class="axis">${escapeHtml(options.format(tick * max))}</text>`);
  }
  parts.push(`<text x="${left}" y="${height - 6}" class="axis">${escapeHtml(options.startLabel)}</text>`);
  parts.push(`<text x="${width - right}" y="${height - 6}" text-anchor="end" class="axis">${escapeHtml(options.endLabel)}</text>`);
  // The legend shares the chart's width: narrower entries, shorter names, as series multiply.
  const spacing = Math.min(120, (width - left) / Math.max(1, options.series.length));
  const chars = Math.max(4, Math.floor((spacing - 20) / 6.2));
  options.series.forEach((series, index) => {
    const color = PALETTE[index % PALETTE.length];
    const name = series.name.length > chars ? `${series.name.slice(0, chars - 1)}…` : series.name;
    const at = left + index * spacing;
    parts.push(
      `<rect x="${at.toFixed(1)}" y="6" width="10" height="10" fill="${color}"/><text x="${(at + 14).toFixed(1)}" y="15" class="legend"><title>${escapeHtml(series.name)}</title>${escapeHtml(name)}</text>`,
    );
    let run: string[] = [];
    const flush = () => {
      if (run.length > 1) parts.push(`<polyline fill="none" stroke="${color}" stroke-width="1.6" points="${run.join(" ")}"/>`);
      else if (run.length === 1) {
        const [cx, cy] = run[0]!.split(",");
        parts.push(`<circle cx="${cx}" cy="${cy}" r="2" fill="${color}"/>`);
      }
      run = [];
    };
    series.values.forEach((value, i) => {
      if (value === null || !Number.isFinite(value)) return flush();
      run.push(`${x(i).toFixed(1)},${y(value).toFixed(1)}`);
    });
    flush();
  });
  parts.push("</svg>");
  return parts.join("");
}
