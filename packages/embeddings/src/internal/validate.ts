/**
 * Option checks shared by the factory, `fromState` and `createEmbedder`, so each mistake
 * gets one coded error with the same fix-it message wherever it comes from.
 */
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import type { IdfTable, NgramRange } from "../types.js";

/** Largest n-gram length accepted; longer ones are almost never repeated, so they only add noise. */
const MAX_NGRAM = 8;
/** Largest vector length accepted (4 MiB per vector already). */
const MAX_DIMENSION = 1 << 20;

export { checkKnownKeys } from "@moe-router/core/kit";

/** Returns a valid dimension or throws INVALID_CONFIG. */
export function checkDimension(value: unknown, where: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_DIMENSION) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `${where}: "dimension" must be an integer from 1 to ${MAX_DIMENSION} (got ${String(value)}); 1024 is a good default.`, {
      data: { option: "dimension", value },
    });
  }
  return value;
}

/** Returns a valid n-gram range (or false) or throws INVALID_CONFIG. */
export function checkRange(value: unknown, option: string, where: string): NgramRange | false {
  if (value === false) return false;
  if (!Array.isArray(value) || value.length !== 2 || !value.every((n) => Number.isInteger(n) && n >= 1 && n <= MAX_NGRAM) || (value[0] as number) > (value[1] as number)) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `${where}: "${option}" must be [min, max] with 1 <= min <= max <= ${MAX_NGRAM} (e.g. [1, 2]), or false (got ${JSON.stringify(value)}).`, {
      data: { option, value },
    });
  }
  return [value[0] as number, value[1] as number];
}

/** Returns a valid seed or throws INVALID_CONFIG. */
export function checkSeed(value: unknown, where: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `${where}: "seed" must be an integer from 0 to 4294967295 (got ${String(value)}).`, { data: { option: "seed", value } });
  }
  return value;
}

/** Returns a copied, valid IDF table or throws `code` (INVALID_CONFIG for options, CORRUPT_FILE for state). */
export function checkIdfTable(value: unknown, where: string, code: string = ErrorCode.INVALID_CONFIG): IdfTable {
  const fail = (why: string): never => {
    throw new MoeRouterError(
      code,
      `${where}: "idf" ${why}. Expected { documents: <count>, frequencies: { word: <documents containing it> } }, ` + `as written by exportState(); or leave it out and call fitIdf(corpus).`,
      { data: { option: "idf" } },
    );
  };
  if (value === null || typeof value !== "object") return fail("is not an object");
  const { documents, frequencies } = value as { documents?: unknown; frequencies?: unknown };
  if (typeof documents !== "number" || !Number.isInteger(documents) || documents < 0) {
    return fail('needs a non-negative integer "documents"');
  }
  if (frequencies === null || typeof frequencies !== "object" || Array.isArray(frequencies)) {
    return fail('needs a "frequencies" object');
  }
  const copy: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const [word, count] of Object.entries(frequencies)) {
    if (typeof count !== "number" || !Number.isFinite(count) || count < 0 || count > documents) {
      return fail(`has a bad frequency for "${word}" (${String(count)}; must be 0..documents)`);
    }
    copy[word] = count;
  }
  return { documents, frequencies: copy };
}
