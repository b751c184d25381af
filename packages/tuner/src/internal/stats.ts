/** The q-quantile (0..1) of `values` by linear interpolation; undefined when empty. */
export function quantile(values: readonly number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

/** a / b, or undefined when b is 0. */
export function ratio(a: number, b: number): number | undefined {
  return b === 0 ? undefined : a / b;
}
