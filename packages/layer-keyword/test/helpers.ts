import type { Layer, Verdict } from "@moe-router/core";
import type { KeywordVerdictDetails } from "../src/index.js";

/** Routes synchronously (the keyword layer never returns a promise). */
export function route(layer: Layer, description: string): Verdict & { details: KeywordVerdictDetails } {
  return layer.route({ description }, { eventId: "test" }) as Verdict & { details: KeywordVerdictDetails };
}

/** Calls `build` and returns the thrown error (fails the test if nothing is thrown). */
export function thrown(build: () => unknown): { code?: string; message: string; data?: Record<string, unknown> } {
  try {
    build();
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error("expected an error, none was thrown");
}
