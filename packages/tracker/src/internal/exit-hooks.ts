/** Something holding buffered records that must reach the disk before the process ends. */
export interface ExitFlushable {
  /** Asynchronous flush, used when the event loop empties (`beforeExit`). */
  flush(): Promise<void>;
  /** Synchronous last-chance write, used on `exit` (e.g. after process.exit()). */
  flushSync(): void;
  /** Records not yet handed to a write (what a beforeExit flush would start writing). */
  readonly buffered: number;
}

const open = new Set<ExitFlushable>();
let installed = false;

function onBeforeExit(): void {
  // Only schedule work when there is some, or beforeExit would fire forever.
  for (const item of open) if (item.buffered > 0) void item.flush().catch(() => undefined);
}

function onExit(): void {
  for (const item of open) {
    try {
      item.flushSync();
    } catch {
      // Exiting: nothing left to report to.
    }
  }
}

/**
 * Registers a writer so buffered records are written even when the host forgets close().
 * One pair of process listeners serves every open store (no MaxListeners warnings).
 * Returns the function that unregisters it.
 */
export function flushOnExit(item: ExitFlushable): () => void {
  if (!installed) {
    installed = true;
    process.on("beforeExit", onBeforeExit);
    process.on("exit", onExit);
  }
  open.add(item);
  return () => open.delete(item);
}
