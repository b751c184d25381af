import { ErrorCode, MoeRouterError, type LabelledExample, type Layer, type LayerContext, type RoutingTask, type Verdict } from "@moe-router/core";
import { defineLayer, fallbackExpertOption, isThenable, type FilledOptions, type LayerOptionSchema } from "@moe-router/core/kit";
import { fitStacker, fuse, logColumns, type StackerParameters, type StackRow } from "./stacker.js";

/** Options of {@link fusionLayer}. */
export interface FusionLayerOptions {
  /** The layers whose probability vectors are fused (at least one). Not closed by the fusion layer unless `ownMembers`. */
  readonly members: readonly Layer[];
  /** Layer name. Default "fusion". */
  readonly name?: string;
  /** Expert answered, with confidence 0, before `fit()`. Default "coordinator-master". */
  readonly fallbackExpert?: string;
  /**
   * `fit()` first fits the members (their own `fit()`, else `learn()` then `calibrate()`):
   * set it when the members are not in the cascade themselves ("fusion alone"). Default false.
   */
  readonly fitMembers?: boolean;
  /** `close()` closes the members too. Default: the value of `fitMembers`. */
  readonly ownMembers?: boolean;
  /** Fitted parameters to start from (e.g. saved from an earlier `fit()`). */
  readonly parameters?: StackerParameters;
  /** Verdicts remembered per route for the members in the cascade (by event id). Default 64. */
  readonly memory?: number;
}

/** What `fit()` measured on the validation rows. */
export interface FusionFitReport {
  readonly members: readonly string[];
  readonly weights: readonly number[];
  readonly rows: number;
  /** Validation NLL of the plain product of the members' probabilities, and of the fitted stacker. */
  readonly nllBefore: number;
  readonly nllAfter: number;
  /** Accuracy of the fused verdict on the validation rows. */
  readonly accuracy: number;
}

/** The fusion layer. */
export interface FusionLayer extends Layer {
  /**
   * The members wrapped to remember their verdict for the route in progress: put these in the
   * cascade before the fusion layer ("fusion as the last layer"), so it reuses the verdicts
   * of the layers that ran instead of running them again.
   */
  readonly members: readonly Layer[];
  /** Fits the stacker on `options.validation` (required): routes those rows through the members. */
  fit(examples: readonly LabelledExample[], options?: { readonly validation?: readonly LabelledExample[] }): Promise<FusionFitReport>;
  /** The fitted parameters (undefined before `fit()`), to save and pass back as `parameters`. */
  parameters(): StackerParameters | undefined;
}

/** A verdict that names no expert with any confidence (a member failed or was not fitted). */
function usable(verdict: Verdict | undefined): Verdict | undefined {
  return verdict && typeof verdict.expert === "string" && Number.isFinite(verdict.confidence) ? verdict : undefined;
}

/** A member's distribution: its `probabilities`, or its top answer alone. */
function distribution(verdict: Verdict | undefined): Readonly<Record<string, number>> | undefined {
  if (!verdict) return undefined;
  if (verdict.probabilities && Object.keys(verdict.probabilities).length > 0) return verdict.probabilities;
  return verdict.confidence > 0 ? { [verdict.expert]: verdict.confidence } : undefined;
}

/**
 * A layer that combines the probability vectors of other layers into one calibrated verdict
 * with a log-linear stacker (one weight per layer, one bias per expert) fitted on validation
 * rows. Use it last in the cascade with `members` (the wrapped layers) before it, so the hard
 * cases that fall through every layer get the evidence of all of them; or alone, with
 * `fitMembers: true`, so it runs the members itself.
 *
 * @throws MoeRouterError INVALID_CONFIG for bad options.
 * @example
 * const fusion = fusionLayer({ members: [semantic, rag, neural] });
 * const cascade = createCascade({ layers: [...fusion.members.map((layer, i) => ({ layer, threshold: t[i] })), { layer: fusion, threshold: 0.6 }] });
 * await fusion.fit(train, { validation });
 */
export function fusionLayer(options: FusionLayerOptions): FusionLayer {
  if (!options || typeof options !== "object" || !Array.isArray(options.members) || options.members.length === 0) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, "fusionLayer needs { members: [layer, ...] }: the layers whose probabilities it combines.");
  }
  return definition.factory(options);
}

const OPTIONS = {
  // Layer objects: checked in buildFusion (each a { name, route }, distinct names).
  members: { type: "array", required: true, factoryOnly: true },
  name: { type: "string", default: "fusion", example: "fusion" },
  fallbackExpert: fallbackExpertOption,
  fitMembers: { type: "boolean", default: false },
  ownMembers: { type: "boolean" },
  parameters: { type: "object", factoryOnly: true },
  memory: { type: "number", integer: true, min: 1, default: 64, description: "verdicts remembered per route" },
} as const satisfies LayerOptionSchema<FusionLayerOptions>;

const definition = defineLayer<FusionLayerOptions>()({ name: "fusion", options: OPTIONS, build: buildFusion });

function buildFusion(options: FilledOptions<FusionLayerOptions, typeof OPTIONS>): FusionLayer {
  const raw = options.members;
  raw.forEach((member, i) => {
    if (!member || typeof member.route !== "function" || typeof member.name !== "string")
      throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `fusionLayer member ${i} is not a layer ({ name, route }).`);
  });
  const names = raw.map((m) => m.name);
  if (new Set(names).size !== names.length) throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `fusionLayer members need distinct names; got ${names.join(", ")}.`);
  const { name, fallbackExpert, fitMembers, memory: memorySize } = options;
  if (names.includes(name)) throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `The fusion layer's "name" must be a non-empty string other than its members' names; got ${JSON.stringify(name)}.`);
  const ownMembers = options.ownMembers ?? fitMembers;
  let parameters = options.parameters;
  if (parameters && (parameters.members.length !== names.length || parameters.members.some((m, i) => m !== names[i]))) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `The fusion parameters were fitted for members ${parameters.members.join(", ")}, not ${names.join(", ")}; fit again.`);
  }
  let closed = false;

  // Verdicts of the wrapped members by event id, oldest dropped first.
  const seen = new Map<string, Map<string, Verdict>>();
  const remember = (eventId: string, member: string, verdict: Verdict) => {
    let entry = seen.get(eventId);
    if (!entry) {
      entry = new Map();
      seen.set(eventId, entry);
      while (seen.size > memorySize) seen.delete(seen.keys().next().value!);
    }
    entry.set(member, verdict);
  };
  const wrapped: Layer[] = raw.map(
    (member) =>
      new Proxy(member, {
        get(target, property) {
          if (property === "route") {
            return (task: RoutingTask, context: LayerContext) => {
              const result = target.route(task, context);
              if (isThenable<Verdict>(result)) {
                return Promise.resolve(result).then((verdict) => {
                  remember(context.eventId, target.name, verdict);
                  return verdict;
                });
              }
              remember(context.eventId, target.name, result);
              return result;
            };
          }
          const value = Reflect.get(target, property, target) as unknown;
          return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        },
      }),
  );

  /** The members' verdicts for a task: remembered ones, the others run now (a member that throws gives none). */
  const collect = (task: RoutingTask, context: LayerContext): (Verdict | undefined)[] | Promise<(Verdict | undefined)[]> => {
    const remembered = seen.get(context.eventId);
    seen.delete(context.eventId);
    const results: (Verdict | undefined | PromiseLike<Verdict | undefined>)[] = raw.map((member) => {
      const known = remembered?.get(member.name);
      if (known) return usable(known);
      try {
        const result = member.route(task, context);
        return isThenable<Verdict>(result) ? Promise.resolve(result).then(usable, () => undefined) : usable(result);
      } catch {
        return undefined;
      }
    });
    return results.some((r) => isThenable(r)) ? Promise.all(results) : (results as (Verdict | undefined)[]);
  };

  const verdictFrom = (verdicts: readonly (Verdict | undefined)[]): Verdict => {
    if (!parameters) return { expert: fallbackExpert, confidence: 0, details: { reason: "not fitted: call fit() with validation rows" } };
    const { experts, weights, bias } = parameters;
    const columns = verdicts.map((v) => {
      const out = new Float64Array(experts.length);
      logColumns(distribution(v), experts, out);
      return out;
    });
    const fused = fuse(columns, weights, bias, new Float64Array(experts.length));
    let best = 0;
    for (let c = 1; c < fused.length; c++) if (fused[c]! > fused[best]!) best = c;
    const probabilities: Record<string, number> = {};
    experts.forEach((expert, c) => (probabilities[expert] = fused[c]!));
    return {
      expert: experts[best]!,
      confidence: fused[best]!,
      probabilities,
      details: { members: names.filter((_, i) => verdicts[i] !== undefined), weights: Object.fromEntries(names.map((n, i) => [n, weights[i]!])) },
    };
  };

  const anyAsync = raw.some((m) => m.capabilities?.async === true);
  const layer: FusionLayer = {
    name,
    members: wrapped,
    capabilities: { learn: false, fit: true, deterministic: raw.every((m) => m.capabilities?.deterministic === true), async: anyAsync, persistence: false },
    route(task, context) {
      if (closed) throw new MoeRouterError(ErrorCode.CLOSED, `Layer "${name}" was closed; create a new one to route.`);
      const verdicts = collect(task, context);
      return isThenable<(Verdict | undefined)[]>(verdicts) ? Promise.resolve(verdicts).then(verdictFrom) : verdictFrom(verdicts);
    },
    async fit(examples, fitOptions = {}) {
      if (closed) throw new MoeRouterError(ErrorCode.CLOSED, `Layer "${name}" was closed; create a new one to fit.`);
      const validation = fitOptions.validation ?? [];
      if (validation.length === 0)
        throw new MoeRouterError(ErrorCode.INSUFFICIENT_DATA, "The fusion layer fits its weights on held-out rows: call fit(train, { validation }) with validation examples.");
      if (fitMembers) {
        for (const member of raw) {
          await member.ready?.();
          if (typeof member.fit === "function") await member.fit(examples, { validation });
          else if (typeof member.learn === "function") {
            await member.learn(examples);
            if (typeof member.calibrate === "function") await member.calibrate(validation).catch(() => undefined);
          }
        }
      }
      const rows: StackRow[] = [];
      const experts = new Set<string>();
      for (const [i, example] of validation.entries()) {
        const context = { eventId: `fusion-fit-${i}` };
        const verdicts = await collect({ id: context.eventId, description: example.text }, context);
        const probabilities = verdicts.map(distribution);
        for (const p of probabilities) if (p) for (const expert of Object.keys(p)) experts.add(expert);
        experts.add(example.expert);
        rows.push({ probabilities, truth: example.expert });
      }
      for (const example of examples) experts.add(example.expert);
      const fitted = fitStacker(names, [...experts].sort(), rows);
      parameters = fitted.parameters;
      let right = 0;
      rows.forEach((row, i) => {
        const verdict = verdictFrom(row.probabilities.map((p) => (p ? { expert: "", confidence: 1, probabilities: p } : undefined)));
        if (verdict.expert === validation[i]!.expert) right++;
      });
      return { members: names, weights: fitted.parameters.weights, rows: rows.length, nllBefore: fitted.nllBefore, nllAfter: fitted.nllAfter, accuracy: right / rows.length };
    },
    parameters: () => parameters,
    async close() {
      if (closed) return;
      closed = true;
      seen.clear();
      if (ownMembers) for (const member of raw) await member.close?.();
    },
  };
  return layer;
}
