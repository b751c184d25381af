/** Renders rows as a left-aligned text table with a header rule. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** 0.9123 -> "91.2%"; undefined -> "-". */
export function percent(value: number | undefined, digits = 1): string {
  return value === undefined ? "-" : `${(value * 100).toFixed(digits)}%`;
}

/** Fixed decimals, or "-" when undefined. */
export function fixed(value: number | undefined, digits = 3): string {
  return value === undefined ? "-" : value.toFixed(digits);
}
