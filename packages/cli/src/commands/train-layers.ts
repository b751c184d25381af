/**
 * `moe-router train` for the learnable layers other than the neural head: every layer of the
 * config whose instance can fit itself is built from its package and handed the labelled
 * examples, through the layer's own API (no layer is special-cased here):
 * - `fit(examples)` (the semantic layer: learns most of them as exemplars and calibrates on a
 *   held-out share, persisted with its vectors);
 * - `learn(train)` then `calibrate(held out)` (the RAG layer: stores the tasks and fits its
 *   Platt scaler, persisted in its calibration file).
 */
import { ErrorCode, isMoeRouterError, MoeRouterError, seededRandom, type CalibrationReport, type Embedder, type LabelledExample, type Layer } from "@moe-router/core";
import { importLayerModule, type LayerEntry, type ModuleBase, type RouterConfig } from "@moe-router/router";

/** What a layer's fit or calibrate reported: core's one report type. */
type FitReport = CalibrationReport;

interface Fittable extends Layer {
  fit(examples: readonly LabelledExample[], options?: { seed?: number }): Promise<FitReport>;
}

interface Calibratable extends Layer {
  learn(examples: readonly LabelledExample[]): Promise<void>;
  calibrate(validation: readonly LabelledExample[]): Promise<FitReport>;
}

/** One layer's result, as printed and in `--json`. */
export interface LayerFitResult {
  readonly layer: string;
  readonly package: string;
  /** How the layer was fitted: its own fit(), or learn() + calibrate(). */
  readonly method: "fit" | "learn+calibrate";
  /** Examples the layer learned (exemplars, stored tasks). */
  readonly learned: number;
  /** Held-out examples the calibration was fitted on (0: not calibrated). */
  readonly heldOut: number;
  readonly calibrated: boolean;
  readonly accuracy?: number;
  readonly eceBefore?: number;
  readonly eceAfter?: number;
  /** Why calibration was skipped, when it was. */
  readonly note?: string;
}

/** A config layer entry and the names `--layer` may call it by. */
export interface NamedEntry {
  readonly entry: LayerEntry;
  /** `options.name`, else the package's kind ("semantic" for @moe-router/layer-semantic). */
  readonly name: string;
  readonly kind: string;
}

/** The kind of a layer package: "@moe-router/layer-rag" -> "rag"; a path or other name as it is. */
export function layerKind(specifier: string): string {
  const match = /(?:^|\/)layer-([\w-]+)$/.exec(specifier);
  return match ? match[1]! : specifier;
}

/** The config's enabled layers with their names. */
export function namedEntries(config: RouterConfig): NamedEntry[] {
  return config.layers
    .filter((entry) => entry.enabled !== false)
    .map((entry) => {
      const kind = layerKind(entry.package);
      const name = typeof entry.options?.name === "string" && entry.options.name ? entry.options.name : kind;
      return { entry, name, kind };
    });
}

function isFittable(layer: Layer): layer is Fittable {
  return typeof (layer as Partial<Fittable>).fit === "function";
}

function isCalibratable(layer: Layer): layer is Calibratable {
  return typeof (layer as Partial<Calibratable>).calibrate === "function" && typeof layer.learn === "function";
}

/** Tells whether a built layer can be trained by this command. */
export function isTrainable(layer: Layer): boolean {
  return isFittable(layer) || isCalibratable(layer);
}

/**
 * Holds out `share` of each label's examples (rounded, never a label's last one), seeded:
 * the layer learns the rest and is calibrated on what it has not seen.
 */
export function holdOut(examples: readonly LabelledExample[], share: number, seed: number): { train: LabelledExample[]; validation: LabelledExample[] } {
  const next = seededRandom(seed);
  const byLabel = new Map<string, LabelledExample[]>();
  for (const example of examples) (byLabel.get(example.expert) ?? byLabel.set(example.expert, []).get(example.expert)!).push(example);
  const train: LabelledExample[] = [];
  const validation: LabelledExample[] = [];
  for (const group of byLabel.values()) {
    const shuffled = [...group];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const held = Math.min(group.length - 1, Math.round(group.length * share));
    validation.push(...shuffled.slice(0, held));
    train.push(...shuffled.slice(held));
  }
  return { train, validation };
}

/** Calibration that cannot be fitted (too few or too uniform held-out examples) is reported, not fatal. */
function skipped(error: unknown): string {
  if (isMoeRouterError(error, ErrorCode.INSUFFICIENT_DATA)) return (error as Error).message;
  throw error;
}

async function fitOne(layer: Layer, named: NamedEntry, examples: readonly LabelledExample[], seed: number): Promise<LayerFitResult> {
  const base = { layer: named.name, package: named.entry.package };
  if (isFittable(layer)) {
    try {
      const report = await layer.fit(examples, { seed });
      return {
        ...base,
        method: "fit",
        learned: examples.length - report.examples,
        heldOut: report.examples,
        calibrated: true,
        accuracy: report.accuracy,
        eceBefore: report.eceBefore,
        eceAfter: report.eceAfter,
      };
    } catch (error) {
      return { ...base, method: "fit", learned: examples.length, heldOut: 0, calibrated: false, note: skipped(error) };
    }
  }
  const layerWithCalibration = layer as Calibratable;
  const { train, validation } = holdOut(examples, 0.1, seed);
  await layerWithCalibration.learn(train);
  try {
    const report = await layerWithCalibration.calibrate(validation);
    return { ...base, method: "learn+calibrate", learned: train.length, heldOut: report.examples, calibrated: true, accuracy: report.accuracy, eceBefore: report.eceBefore, eceAfter: report.eceAfter };
  } catch (error) {
    return { ...base, method: "learn+calibrate", learned: train.length, heldOut: 0, calibrated: false, note: skipped(error) };
  }
}

/**
 * Builds each chosen layer from its package (with the shared embedder, the data directory and
 * the declared experts), fits it on `examples`, and closes it so its state is on disk. A
 * layer that cannot be fitted (keyword rules) is skipped, or an error when `required`.
 */
export async function fitLayers(
  config: RouterConfig,
  chosen: readonly NamedEntry[],
  examples: readonly LabelledExample[],
  environment: { readonly base: ModuleBase; readonly dataDir: string; readonly embedder: Embedder; readonly seed: number; readonly required: boolean },
): Promise<LayerFitResult[]> {
  const results: LayerFitResult[] = [];
  for (const named of chosen) {
    const module = await importLayerModule(named.entry.package, environment.base);
    const layer = await module.createLayer(named.entry.options ?? {}, {
      dataDir: environment.dataDir,
      configDir: environment.base.configDir,
      embedder: environment.embedder,
      ...(config.experts ? { experts: config.experts } : {}),
    });
    try {
      if (!isTrainable(layer)) {
        // By default only the layers that can be fitted are; one named with --layer must be.
        if (!environment.required) continue;
        throw new MoeRouterError(
          ErrorCode.INVALID_CONFIG,
          `The layer "${named.name}" (${named.entry.package}) has neither fit() nor learn() + calibrate(), so \`moe-router train\` cannot fit it; leave it out of --layer.`,
        );
      }
      results.push(await fitOne(layer, named, examples, environment.seed));
    } finally {
      await layer.close?.();
    }
  }
  return results;
}

const fixed = (value: number | undefined) => (value === undefined ? "n/a" : value.toFixed(3));

/** One line per fitted layer. */
export function describeFit(result: LayerFitResult): string {
  const learned = result.method === "fit" ? `learned ${result.learned} examples as exemplars` : `stored ${result.learned} tasks`;
  const calibration = result.calibrated
    ? `calibrated on ${result.heldOut} held out: accuracy ${fixed(result.accuracy)}, ECE ${fixed(result.eceBefore)} -> ${fixed(result.eceAfter)}`
    : `not calibrated (${result.note ?? "no held-out examples"})`;
  return `${result.layer} (${result.package}): ${learned}, ${calibration}; saved for the next start.`;
}
