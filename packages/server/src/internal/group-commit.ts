/**
 * Group commit: many requests wait for one flush. A request that arrives while a flush is
 * running joins the next one, which starts as soon as the running one ends and covers every
 * request that joined it. So at high concurrency there is about one store write per flush
 * time, not one per request, and each request still waits only for a flush that started
 * after its record was appended.
 */
export class GroupCommit {
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  private flushes = 0;
  private commits = 0;

  /**
   * @param flush makes everything appended so far durable
   * @param timeoutMs a flush not settled by then rejects its waiters with `onTimeout()`'s error
   *   (the flush itself goes on; the next commit waits for it to end before starting another)
   */
  constructor(
    private readonly flush: () => Promise<void>,
    private readonly timeoutMs?: number,
    private readonly onTimeout?: () => Error,
  ) {}

  /** Resolves once everything appended before the call is durable; rejects with the flush's error. */
  commit(): Promise<void> {
    this.commits++;
    if (this.next) return this.next;
    if (!this.running) return this.start();
    const after = this.running.then(
      () => undefined,
      () => undefined,
    );
    const next = after.then(() => {
      this.next = undefined;
      return this.start();
    });
    this.next = next;
    return next;
  }

  /** Flushes started and commits asked for, since creation. */
  stats(): { readonly flushes: number; readonly commits: number } {
    return { flushes: this.flushes, commits: this.commits };
  }

  private start(): Promise<void> {
    this.flushes++;
    let flushing: Promise<void>;
    try {
      flushing = this.flush();
    } catch (error) {
      flushing = Promise.reject(error);
    }
    const running = flushing.finally(() => {
      if (this.running === running) this.running = undefined;
    });
    this.running = running;
    if (this.timeoutMs === undefined) return running;
    // One timer per flush, shared by every request waiting on it.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.onTimeout?.() ?? new Error(`flush did not finish within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    return Promise.race([running, timeout]).finally(() => clearTimeout(timer));
  }
}
