import { isIP } from "node:net";
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { createServer } from "./server.js";
import type { RunningServer, StartServerOptions } from "./types.js";

/** Default address: loopback only. */
export const DEFAULT_HOST = "127.0.0.1";
/** Default port. */
export const DEFAULT_PORT = 8700;

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (bare === "localhost" || bare === "::1") return true;
  if (isIP(bare) === 4) return bare.startsWith("127.");
  if (bare.startsWith("::ffff:")) return bare.slice(7).startsWith("127.");
  return false;
}

const START_KEYS = ["host", "port", "handleSignals", "shutdownTimeoutMs", "closeRouter"] as const;

/**
 * Starts the service: {@link createServer}, then listen. Refuses a non-loopback address
 * unless a token is set. With `handleSignals`, SIGTERM/SIGINT stop it gracefully (stop
 * accepting, finish requests in flight, flush, close the router, exit 0) and SIGHUP reloads
 * the router's config.
 *
 * @example
 * const server = await startServer({ router, port: 8700 });
 * console.log(server.url); // http://127.0.0.1:8700
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_HOST;
  const port = options.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `The port must be an integer in [0, 65535]; got ${String(port)}.`);
  if (!isLoopback(host) && options.token === undefined) {
    throw new MoeRouterError(
      ErrorCode.INVALID_CONFIG,
      `Refusing to listen on ${host} without a token: anyone who can reach it could route tasks and write outcomes. Set a token (--token-file FILE or MOE_ROUTER_TOKEN), or bind 127.0.0.1.`,
    );
  }
  const serverOptions = { ...options };
  for (const key of START_KEYS) delete (serverOptions as Record<string, unknown>)[key];
  const service = await createServer(serverOptions);
  const { app } = service;
  try {
    await app.listen({ host, port });
  } catch (error) {
    await service.close().catch(() => undefined);
    const reason = (error as NodeJS.ErrnoException)?.code === "EADDRINUSE" ? `port ${port} is in use; pick another with --port` : ((error as Error)?.message ?? String(error));
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `Could not listen on ${host}:${port}: ${reason}.`, { cause: error });
  }
  const address = app.server.address();
  const boundPort = typeof address === "object" && address ? address.port : port;
  const urlHost = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  const detach: Array<() => void> = [];
  const close = () =>
    (closing ??= (async () => {
      for (const undo of detach) undo();
      const timeoutMs = options.shutdownTimeoutMs ?? 10_000;
      let timer: NodeJS.Timeout | undefined;
      const stopped = service.close();
      await Promise.race([
        stopped,
        new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            app.log.warn(`requests still in flight after ${timeoutMs} ms; closing their connections`);
            app.server.closeAllConnections();
            resolve();
          }, timeoutMs);
          timer.unref();
        }),
      ]);
      clearTimeout(timer);
      if (options.closeRouter) await options.router.close();
    })());

  if (options.handleSignals) {
    const stop = (signal: NodeJS.Signals) => {
      app.log.info({ signal }, "stopping: finishing requests in flight, then flushing");
      close().then(
        () => process.exit(0),
        (error: unknown) => {
          app.log.error({ err: error }, "stopping failed");
          process.exit(1);
        },
      );
    };
    const reload = () => {
      if (!options.router.reload) {
        app.log.warn("SIGHUP: this router cannot reload its config");
        return;
      }
      options.router.reload().then(
        () => app.log.info("SIGHUP: config reloaded"),
        (error: unknown) => app.log.error({ code: (error as { code?: string }).code ?? ErrorCode.INVALID_CONFIG, err: error }, "SIGHUP: the new config is invalid; the running one stays in force"),
      );
    };
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      process.on(signal, stop);
      detach.push(() => process.off(signal, stop));
    }
    process.on("SIGHUP", reload);
    detach.push(() => process.off("SIGHUP", reload));
  }
  return { app, url: `http://${urlHost}:${boundPort}`, host, port: boundPort, close };
}
