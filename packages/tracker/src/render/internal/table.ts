import { visibleLength } from "./ansi.js";

/** Column alignment. */
export type Align = "left" | "right";

/**
 * Lays out rows as a fixed-width text table; the header is underlined with a rule.
 * Cells may contain ANSI escapes (widths ignore them).
 */
export function table(header: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[] = []): string {
  const widths = header.map((cell, column) => Math.max(visibleLength(cell), ...rows.map((row) => visibleLength(row[column] ?? ""))));
  const line = (row: readonly string[]) =>
    row
      .map((cell, column) => {
        const room = " ".repeat(Math.max(0, widths[column]! - visibleLength(cell)));
        return (align[column] ?? (column === 0 ? "left" : "right")) === "left" ? cell + room : room + cell;
      })
      .join("  ")
      .trimEnd();
  const rule = widths.map((width) => "─".repeat(width)).join("  ");
  return [line(header), rule, ...rows.map(line)].join("\n");
}
