import { ErrorCode, MoeRouterError, isMoeRouterError } from "@moe-router/core";

/** Default time budget for one layer or embedder to start (`createLayer` / `createEmbedder`). */
export const DEFAULT_STARTUP_TIMEOUT_MS = 30_000;

/**
 * Runs a module's factory within a time budget. A factory that throws a plain error gets a coded
 * MOE_LAYER_START_FAILED naming the package (a coded error keeps its code, the package is
 * prefixed to its message); one that does not settle within `budgetMs` gets
 * the same code saying so (the timer keeps the process alive until then, so a factory that
 * never settles cannot make the process exit 0 silently). `onLate` receives a value that
 * settles after the budget, so it can be closed.
 */
export async function startWithin<T>(what: string, specifier: string, budgetMs: number, start: () => Promise<T> | T, onLate?: (value: T) => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const started = (async () => start())();
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(
        new MoeRouterError(
          ErrorCode.LAYER_START_FAILED,
          `${what} "${specifier}" did not start within ${budgetMs} ms (its factory never settled). Check the package, or raise "startupTimeoutMs" in the config.`,
          { data: { package: specifier, budgetMs } },
        ),
      );
    }, budgetMs);
  });
  started.then(
    (value) => {
      if (timedOut) onLate?.(value);
    },
    () => {},
  );
  try {
    return await Promise.race([started, timeout]);
  } catch (error) {
    if (timedOut || isMoeRouterError(error, ErrorCode.LAYER_START_FAILED)) throw error;
    // A coded error is the module's own message to the user (e.g. "run moe-router index first"): keep its code.
    if (isMoeRouterError(error)) throw new MoeRouterError(error.code, `${what} "${specifier}": ${error.message}`, { cause: error, data: { ...error.data, package: specifier } });
    const reason = (error as Error)?.message ?? String(error);
    throw new MoeRouterError(ErrorCode.LAYER_START_FAILED, `${what} "${specifier}" failed to start: ${reason}. Fix the module or its options in the config.`, {
      cause: error,
      data: { package: specifier },
    });
  } finally {
    clearTimeout(timer);
  }
}
