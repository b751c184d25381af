import { ErrorCode, MoeRouterError } from "@moe-router/core";
import type { AlertNotification, WebhookOptions } from "../types.js";

/** Largest number of notifications waiting for delivery; beyond it new ones are dropped and counted. */
const MAX_QUEUE = 100;
const MAX_BACKOFF_MS = 30_000;

/** Checks webhook options; throws INVALID_CONFIG naming the field. */
export function checkWebhook(options: WebhookOptions): void {
  const known = ["url", "headers", "attempts", "backoffMs", "timeoutMs"];
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new MoeRouterError(ErrorCode.UNKNOWN_OPTION, `Unknown webhook option "${key}". Known options: ${known.join(", ")}.`);
  }
  let url: URL | undefined;
  try {
    url = new URL(options.url);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `webhook.url must be an http(s) URL such as "https://hooks.example.com/moe-router"; got ${JSON.stringify(options.url)}.`);
  }
  for (const key of ["attempts", "backoffMs", "timeoutMs"] as const) {
    const value = options[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= (key === "backoffMs" ? 0 : 1))) {
      throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `webhook.${key} must be a whole number${key === "backoffMs" ? " >= 0" : " >= 1"}; got ${String(value)}.`);
    }
  }
}

/**
 * Delivers notifications to one webhook in order (a "resolved" never overtakes its "firing"),
 * each retried with exponential backoff; never throws, reports failures to `onFailure`.
 */
export class WebhookQueue {
  private readonly queue: AlertNotification[] = [];
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly wakers = new Set<() => void>();
  sent = 0;
  failed = 0;

  constructor(
    private readonly options: WebhookOptions,
    private readonly onFailure: (error: MoeRouterError) => void,
  ) {}

  /** Queues a notification and starts delivering; returns at once. */
  push(notification: AlertNotification): void {
    if (this.stopped) return;
    if (this.queue.length >= MAX_QUEUE) {
      this.failed++;
      this.onFailure(
        new MoeRouterError(
          ErrorCode.NOTIFY_FAILED,
          `The webhook queue for ${this.options.url} is full (${MAX_QUEUE} waiting): the notification for "${notification.rule.name}" was dropped. Check that the receiver is up.`,
        ),
      );
      return;
    }
    this.queue.push(notification);
    this.running ??= this.drain().finally(() => (this.running = undefined));
  }

  /** Resolves when everything queued was delivered or given up. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops retrying (pending notifications are given up at their next wait) and waits for the current request. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const wake of this.wakers) wake();
    await this.idle();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const notification = this.queue.shift()!;
      await this.deliver(notification);
    }
  }

  private async deliver(notification: AlertNotification): Promise<void> {
    const attempts = this.options.attempts ?? 5;
    let delay = this.options.backoffMs ?? 500;
    let lastError = "";
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const response = await fetch(this.options.url, {
          method: "POST",
          headers: { "content-type": "application/json", "user-agent": "moe-router-alerts", ...this.options.headers },
          body: JSON.stringify(notification),
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
        });
        // Drain the body so the connection can be reused.
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) {
          this.sent++;
          return;
        }
        lastError = `HTTP ${response.status}`;
        // A client error other than throttling will not improve with retries.
        if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) break;
      } catch (error) {
        lastError = (error as Error).message;
      }
      if (attempt === attempts || this.stopped) break;
      await this.wait(delay);
      delay = Math.min(MAX_BACKOFF_MS, delay * 2);
    }
    this.failed++;
    this.onFailure(
      new MoeRouterError(
        ErrorCode.NOTIFY_FAILED,
        `The webhook ${this.options.url} did not accept the "${notification.status}" notification for "${notification.rule.name}" (${lastError}). Check the URL and that the receiver answers 2xx.`,
      ),
    );
  }

  /** Sleeps `ms` (unref'd: it never keeps the process alive), or until stop(). */
  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref?.();
      this.wakers.add(done);
    });
  }
}
