/** Rounds every number to 10 significant digits: sums added in another order (merged parts, SQL) differ in the last bits. */
export function rounded(report: unknown): unknown {
  const round = (value: unknown): unknown =>
    typeof value === "number"
      ? Number(value.toPrecision(10))
      : Array.isArray(value)
        ? value.map(round)
        : value && typeof value === "object"
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, round(v)]))
          : value;
  return round(report);
}
