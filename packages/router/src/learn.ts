import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ErrorCode, MoeRouterError, writeFileAtomic, type LabelledExample, type Layer } from "@moe-router/core";
import type { Tracker } from "@moe-router/tracker";

/** File in the data directory that remembers which corrections each layer has learned. */
export const LEARNED_STATE_FILE = "learned-outcomes.json";

/** Options of {@link Router.learn}. */
export interface LearnOptions {
  /** Only decisions routed at or after this time (default: the whole log). */
  readonly since?: Date;
}

/** What one learn run applied. */
export interface LearnReport {
  /** Corrected outcomes found in the store (in the window). */
  readonly corrections: number;
  /** Corrected outcomes of generated sample decisions (`synthetic: true`) left out: sample data never teaches a layer. */
  readonly syntheticSkipped?: number;
  /** Per learnable layer: corrections applied now, and the ones it had learned before. */
  readonly layers: readonly { readonly layer: string; readonly applied: number; readonly alreadyLearned: number; readonly error?: { readonly code: string; readonly message: string } }[];
  /** Where the learned state is kept. */
  readonly statePath: string;
}

/** Per layer: event id -> outcome timestamp learned (a later re-correction is learned again). */
interface LearnedState {
  version: 1;
  layers: Record<string, Record<string, string>>;
}

async function readState(path: string): Promise<LearnedState> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { version: 1, layers: {} };
    throw new MoeRouterError(ErrorCode.STORE_FAILED, `Cannot read ${path}: ${(error as Error).message}.`, { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MoeRouterError(ErrorCode.CORRUPT_FILE, `${path} is not valid JSON (${(error as Error).message}); delete it to learn every correction again.`, { cause: error });
  }
  const state = value as LearnedState;
  if (!state || state.version !== 1 || typeof state.layers !== "object" || state.layers === null) {
    throw new MoeRouterError(ErrorCode.CORRUPT_FILE, `${path} is not a learned-outcomes file of version 1; delete it to learn every correction again.`);
  }
  return state;
}

/** What {@link learnFromOutcomes} works on. */
export interface LearnContext {
  readonly layers: readonly Layer[];
  readonly tracker: Tracker;
  readonly dataDir: string;
  readonly storeSpec: string;
}

/**
 * Applies every corrected outcome in the store (`user_corrected_to`) that a learnable layer
 * has not learned yet, and remembers per layer which it learned (event id and outcome time,
 * in `<dataDir>/learned-outcomes.json`), so a second run applies nothing. The layers persist
 * what they learn themselves (semantic vectors, RAG index, neural head).
 */
export async function learnFromOutcomes(context: LearnContext, options: LearnOptions = {}): Promise<LearnReport> {
  const statePath = join(context.dataDir, LEARNED_STATE_FILE);
  const state = await readState(statePath);
  const corrections: { eventId: string; at: string; example: LabelledExample }[] = [];
  let syntheticSkipped = 0;
  for await (const event of context.tracker.read(options.since ? { since: options.since } : {})) {
    // Generated sample data (moe-router generate) never teaches a layer.
    const to = event.outcome?.user_corrected_to;
    if (typeof to !== "string" || !to || typeof event.task_description !== "string" || !event.task_description.trim()) continue;
    if (event.synthetic === true) {
      syntheticSkipped++;
      continue;
    }
    corrections.push({ eventId: event.event_id, at: event.outcome_timestamp ?? "", example: { text: event.task_description, expert: to, source: "outcome" } });
  }
  // Oldest first, so a layer that keeps the latest label for a text keeps the newest correction.
  corrections.reverse();
  const layers: LearnReport["layers"][number][] = [];
  let dirty = false;
  for (const layer of context.layers) {
    if (typeof layer.learn !== "function") continue;
    const learned = (state.layers[layer.name] ??= {});
    const fresh = corrections.filter((c) => learned[c.eventId] !== c.at);
    if (fresh.length === 0) {
      layers.push({ layer: layer.name, applied: 0, alreadyLearned: corrections.length });
      continue;
    }
    try {
      await layer.learn(fresh.map((c) => c.example));
      for (const c of fresh) learned[c.eventId] = c.at;
      dirty = true;
      layers.push({ layer: layer.name, applied: fresh.length, alreadyLearned: corrections.length - fresh.length });
    } catch (error) {
      const coded = error instanceof MoeRouterError ? error : undefined;
      layers.push({
        layer: layer.name,
        applied: 0,
        alreadyLearned: corrections.length - fresh.length,
        error: { code: coded?.code ?? ErrorCode.LAYER_FAILED, message: (error as Error)?.message ?? String(error) },
      });
    }
  }
  if (dirty) await writeFileAtomic(statePath, `${JSON.stringify(state)}\n`);
  return { corrections: corrections.length, syntheticSkipped, layers, statePath };
}
