/** The most recent N correctness flags of one layer, in a ring. */
export class AccuracyWindow {
  private readonly flags: Uint8Array;
  private next = 0;
  private filled = 0;
  private correct = 0;

  constructor(readonly capacity: number) {
    this.flags = new Uint8Array(capacity);
  }

  get size(): number {
    return this.filled;
  }

  add(correct: boolean): void {
    if (this.filled === this.capacity) this.correct -= this.flags[this.next]!;
    else this.filled++;
    this.flags[this.next] = correct ? 1 : 0;
    this.correct += correct ? 1 : 0;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Share correct in the window (0 when empty). */
  accuracy(): number {
    return this.filled === 0 ? 0 : this.correct / this.filled;
  }
}

/** One {@link AccuracyWindow} per layer name. */
export class AccuracyWindows {
  private readonly windows = new Map<string, AccuracyWindow>();

  constructor(private readonly capacity: number) {}

  add(layer: string, correct: boolean): void {
    let window = this.windows.get(layer);
    if (!window) this.windows.set(layer, (window = new AccuracyWindow(this.capacity)));
    window.add(correct);
  }

  entries(): IterableIterator<[string, AccuracyWindow]> {
    return this.windows.entries();
  }
}
