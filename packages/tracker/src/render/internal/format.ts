/** Number formatting shared by the terminal and HTML renderers. */

/** A share as a percentage ("91.2%"), or "-" when unknown. */
export function percent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? "-" : `${(value * 100).toFixed(digits)}%`;
}

/** Milliseconds with sensible precision ("0.042", "3.1", "1,250"), or "-". */
export function milliseconds(value: number | null | undefined): string {
  if (value === null || value === undefined) return "-";
  if (value < 1) return value.toFixed(3);
  if (value < 100) return value.toFixed(1);
  return Math.round(value).toLocaleString("en-US");
}

/** An integer with thousands separators. */
export function count(value: number): string {
  return value.toLocaleString("en-US");
}

/** A plain decimal ("0.031"), or "-". */
export function decimal(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined ? "-" : value.toFixed(digits);
}

/** A p-value ("< 0.001" below a thousandth). */
export function pValue(value: number): string {
  return value < 0.001 ? "< 0.001" : value.toFixed(3);
}

/** "+3.1 pts" style difference of two shares. */
export function points(difference: number): string {
  const sign = difference > 0 ? "+" : difference < 0 ? "-" : "±";
  return `${sign}${Math.abs(difference * 100).toFixed(1)} pts`;
}
