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

  get wantsRouteStart(): boolean { return this.routeStart.length > 0; }
  get wantsLayerStart(): boolean { return this.layerStart.length > 0; }
  get wantsLayerVerdict(): boolean { return this.layerVerdict.length > 0; }

  onRouteStart(event: RouteStartEvent): void {
    for (const o of this.routeStart) this.guard(() => o.onRouteStart!(event));
  }
  onLayerStart(event: LayerStartEvent): void {
    for (const o of this.layerStart) this.guard(() => o.onLayerStart!(event));
  }
  onLayerVerdict(event: LayerVerdictEvent): void {
    for (const o of this.layerVerdict) this.guard(() => o.onLayerVerdict!(event));
  }
  onDecision(decision: Decision): void {
    for (const o of this.decision) this.guard(() => o.onDecision!(decision));
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
