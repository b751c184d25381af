import type { CascadeObserver, Decision, LayerStartEvent, LayerVerdictEvent, RouteStartEvent } from "../types.js";

/** Fans hook calls out to observers; an observer that throws is counted, never fatal. */
export class ObserverHub {
  errors = 0;
  lastError: unknown = undefined;
  private readonly routeStart: CascadeObserver[];
  private readonly layerStart: CascadeObserver[];
  private readonly layerVerdict: CascadeObserver[];
  private readonly decision: CascadeObserver[];

  constructor(observers: readonly CascadeObserver[]) {
    this.routeStart = observers.filter((o) => typeof o.onRouteStart === "function");
    this.layerStart = observers.filter((o) => typeof o.onLayerStart === "function");
    this.layerVerdict = observers.filter((o) => typeof o.onLayerVerdict === "function");
    this.decision = observers.filter((o) => typeof o.onDecision === "function");
  }

  get wantsRouteStart(): boolean {
    return this.routeStart.length > 0;
  }
  get wantsLayerStart(): boolean {
    return this.layerStart.length > 0;
  }
  get wantsLayerVerdict(): boolean {
    return this.layerVerdict.length > 0;
  }

  onRouteStart(event: RouteStartEvent): void {
    for (const o of this.routeStart) this.guard(() => o.onRouteStart!(event));
  }
  onLayerStart(event: LayerStartEvent): void {
    for (const o of this.layerStart) this.guard(() => o.onLayerStart!(event));
  }
  onLayerVerdict(event: LayerVerdictEvent): void {
    for (const o of this.layerVerdict) this.guard(() => o.onLayerVerdict!(event));
  }
  /**
   * Tells every observer; returns what async `route()` must wait for before resolving: the
   * promise an observer returned (backpressure), or all of them when several did.
   */
  onDecision(decision: Decision): PromiseLike<void> | undefined {
    let wait: PromiseLike<void> | undefined;
    let waits: PromiseLike<void>[] | undefined;
    for (const o of this.decision) {
      let result: unknown;
      try {
        // Declared void; a promise returned anyway is backpressure (see CascadeObserver).
        result = o.onDecision!(decision);
      } catch (error) {
        this.errors++;
        this.lastError = error;
        continue;
      }
      if (result === undefined || result === null || typeof (result as PromiseLike<void>).then !== "function") continue;
      if (wait === undefined) wait = result as PromiseLike<void>;
      else (waits ??= [wait]).push(result as PromiseLike<void>);
    }
    return waits ? Promise.all(waits).then(() => undefined) : wait;
  }

  private guard(call: () => void): void {
    try {
      call();
    } catch (error) {
      this.errors++;
      this.lastError = error;
    }
  }
}
