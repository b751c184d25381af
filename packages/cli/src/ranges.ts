import type { NumberRange } from "./args.js";

/**
 * Ranges of the numeric options several commands share. Upper bounds are generous but finite:
 * a window of more than a century, or a seed beyond 32 bits, is a typo.
 */
export const RANGES = {
  /** `-w/--window` of analyze, dashboard, report and tune (1,000,000 hours is about 114 years). */
  windowHours: { min: 0, aboveMin: true, max: 1_000_000, unit: "hours", example: "-w 24 for the last day" },
  /** `--seed` of generate, eval and train (the generators use 32-bit state). */
  seed: { min: 0, max: 4_294_967_295, integer: true, example: "--seed 42" },
  /** Shares in [0,1] (`--outcome-share`, `--quality`). */
  share: { min: 0, max: 1, noun: "a share", example: "0.75" },
  /** Shares strictly between 0 and 1 (`--target-precision`, `--confidence`, `--val-share`). */
  openShare: { min: 0, max: 1, aboveMin: true, belowMax: true, noun: "a share", example: "0.9" },
  /** `--workers` of analyze. */
  workers: { min: 1, max: 64, integer: true, unit: "threads", example: "--workers 4" },
} as const satisfies Record<string, NumberRange>;
