import type { ProportionTest } from "../types.js";

/**
 * Complementary error function, Numerical Recipes' Chebyshev fit (fractional error < 1.2e-7
 * everywhere), which is ample for p-values.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Standard normal CDF. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/**
 * Two-sided two-proportion z-test with the pooled standard error: is the candidate's rate
 * different from the control's? Null when either group is empty. When both rates are 0 or 1
 * there is no variance and no evidence of a difference (z = 0, p = 1).
 */
export function twoProportionTest(successesControl: number, totalControl: number, successesCandidate: number, totalCandidate: number, alpha: number): ProportionTest | null {
  if (totalControl === 0 || totalCandidate === 0) return null;
  const pControl = successesControl / totalControl;
  const pCandidate = successesCandidate / totalCandidate;
  const pooled = (successesControl + successesCandidate) / (totalControl + totalCandidate);
  const standardError = Math.sqrt(pooled * (1 - pooled) * (1 / totalControl + 1 / totalCandidate));
  const difference = pCandidate - pControl;
  if (standardError === 0) return { difference, z: 0, pValue: 1, significant: false };
  const z = difference / standardError;
  const pValue = Math.min(1, 2 * (1 - normalCdf(Math.abs(z))));
  return { difference, z, pValue, significant: pValue < alpha };
}
