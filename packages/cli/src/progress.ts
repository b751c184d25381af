/** Carriage return + erase line: how the bar redraws in place on a terminal. */
export const PROGRESS_REDRAW = "\r\x1b[2K";

/** A progress bar on stderr that redraws in place on a terminal and prints milestones otherwise. */
export interface ProgressBar {
  update(done: number, note?: string): void;
  finish(note?: string): void;
}

/** Creates a progress bar for `total` steps, labelled `label`. */
export function progressBar(label: string, total: number, write: (text: string) => void, isTTY: boolean): ProgressBar {
  const width = 28;
  let lastPercent = -1;
  const started = Date.now();
  const render = (done: number, note = "") => {
    const ratio = total > 0 ? Math.min(1, done / total) : 1;
    const percent = Math.floor(ratio * 100);
    if (!isTTY && percent < 100 && percent - lastPercent < 10) return;
    if (isTTY && percent === lastPercent && !note) return;
    lastPercent = percent;
    const filled = Math.round(ratio * width);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const line = `${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(percent).padStart(3)}% ${done}/${total} ${seconds}s${note ? ` ${note}` : ""}`;
    write(isTTY ? `${PROGRESS_REDRAW}${line}` : `${line}\n`);
  };
  return {
    update: render,
    finish(note) {
      lastPercent = -1;
      render(total, note);
      if (isTTY) write("\n");
    },
  };
}
