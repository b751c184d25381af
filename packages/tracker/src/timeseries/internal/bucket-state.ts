import type { Outcome, RoutingEvent } from "../../records.js";
import { RIGHT, UNKNOWN, judge } from "../../outcome-judgement.js";
import { SparseHistogram } from "./sparse-histogram.js";

/** One layer's counts in one bucket. */
export class LayerState {
  attempts = 0;
  accepted = 0;
  errors = 0;
  judged = 0;
  correct = 0;
  readonly latency = new SparseHistogram();

  merge(other: LayerState): void {
    this.attempts += other.attempts;
    this.accepted += other.accepted;
    this.errors += other.errors;
    this.judged += other.judged;
    this.correct += other.correct;
    this.latency.merge(other.latency);
  }
}

/** Everything one bucket counts; what an event adds mirrors the analyzer's rules. */
export class BucketState {
  decisions = 0;
  withOutcome = 0;
  judged = 0;
  correct = 0;
  clarifications = 0;
  attempts = 0;
  errors = 0;
  readonly latency = new SparseHistogram();
  readonly layers = new Map<string, LayerState>();
  readonly experts = new Map<string, number>();

  /**
   * Adds one decision (already placed in this bucket). `wanted` says which layers get per-layer
   * counts (the layer filter); `seeLayer` is told every layer and its position in layer_attempts.
   */
  add(event: RoutingEvent, wanted: (layer: string) => boolean, seeLayer: (layer: string, position: number) => void): void {
    this.decisions++;
    const selected = event.selected_master;
    this.experts.set(selected, (this.experts.get(selected) ?? 0) + 1);
    if (event.routing_layer === "clarification") this.clarifications++;
    if (typeof event.total_latency_ms === "number") this.latency.add(event.total_latency_ms);
    const outcome: Outcome | undefined = event.outcome ? event.outcome : undefined;
    const verdict = outcome ? judge(selected, outcome) : UNKNOWN;
    if (outcome) {
      this.withOutcome++;
      if (verdict !== UNKNOWN) {
        this.judged++;
        if (verdict === RIGHT) this.correct++;
      }
    }
    const attempts = event.layer_attempts;
    if (!Array.isArray(attempts)) return;
    for (let index = 0; index < attempts.length; index++) {
      const attempt = attempts[index]!;
      const name = attempt?.layer_name;
      if (typeof name !== "string") continue;
      // Shadow attempts ran after the route was decided: not part of live health.
      const live = attempt.shadow !== true;
      if (live) {
        this.attempts++;
        if (attempt.error) this.errors++;
      }
      if (!wanted(name)) continue;
      seeLayer(name, index);
      if (!live) continue;
      let layer = this.layers.get(name);
      if (!layer) this.layers.set(name, (layer = new LayerState()));
      layer.attempts++;
      if (typeof attempt.latency_ms === "number") layer.latency.add(attempt.latency_ms);
      if (attempt.error) layer.errors++;
      if (attempt.success !== true) continue;
      layer.accepted++;
      if (verdict !== UNKNOWN) {
        layer.judged++;
        if (verdict === RIGHT) layer.correct++;
      }
    }
  }

  /** Adds everything `other` counted. */
  merge(other: BucketState): void {
    this.decisions += other.decisions;
    this.withOutcome += other.withOutcome;
    this.judged += other.judged;
    this.correct += other.correct;
    this.clarifications += other.clarifications;
    this.attempts += other.attempts;
    this.errors += other.errors;
    this.latency.merge(other.latency);
    for (const [name, layer] of other.layers) {
      const into = this.layers.get(name);
      if (into) into.merge(layer);
      else this.layers.set(name, layer);
    }
    for (const [expert, count] of other.experts) this.experts.set(expert, (this.experts.get(expert) ?? 0) + count);
  }
}
