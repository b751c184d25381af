/**
 * Where the router reports what is not an error of the call in hand: a store that failed to
 * open, a corrupt thresholds file, modules loaded (verbose). Each call gets one complete line
 * without its newline, already formatted (`warning [MOE_...]: ...`, `error [MOE_...]: ...`).
 */
export interface RouterLogger {
  /** Problems the operator should see (the router keeps working). */
  warn(line: string): void;
  /** Verbose facts: modules loaded, where each threshold comes from. */
  info?(line: string): void;
}

/** A logger that drops everything. */
export const silentLogger: RouterLogger = { warn() {} };

/** The process's stderr, one line per call. */
export function stderrLogger(verbose = false): RouterLogger {
  return {
    warn: (line) => void process.stderr.write(`${line}\n`),
    ...(verbose ? { info: (line: string) => void process.stderr.write(`${line}\n`) } : {}),
  };
}
