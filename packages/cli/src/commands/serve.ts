import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { loadRouterConfig, openRouter, type RouterLogger } from "@moe-router/router";
import { numberOption } from "../args.js";
import { parseDeclared, usageOf } from "../declare.js";
import { DECLARATIONS } from "./declarations.js";
import type { CliIO, Command } from "../io.js";
import { serviceAlertMonitor, serviceObservers } from "../monitoring.js";

const usage = usageOf(DECLARATIONS.serve);

/** Reads the service token: --token-file first, then $MOE_ROUTER_TOKEN; never echoes it. */
async function readToken(file: string | undefined, io: CliIO): Promise<string | undefined> {
  if (file !== undefined) {
    let text: string;
    try {
      text = await readFile(resolve(io.cwd, file), "utf8");
    } catch (error) {
      throw new MoeRouterError(
        ErrorCode.NOT_FOUND,
        `Cannot read the token file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Give a readable file holding only the token.`,
        { cause: error },
      );
    }
    const token = text.trim();
    if (!token) throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `The token file ${file} is empty; write a token of at least 16 characters into it (e.g. \`openssl rand -hex 32 > ${file}\`).`);
    return token;
  }
  const fromEnv = io.env.MOE_ROUTER_TOKEN?.trim();
  return fromEnv ? fromEnv : undefined;
}

/**
 * A router logger whose lines go to stderr until the service's own (pino) log is up, and to
 * that log afterwards, with the line's MOE code as a field.
 */
function forwardingLogger(io: CliIO): RouterLogger & { attach(log: { warn(o: object, m: string): void; info(o: object, m: string): void }): void } {
  let sink: { warn(o: object, m: string): void; info(o: object, m: string): void } | undefined;
  const codeOf = (line: string) => /\[(MOE_[A-Z_]+)\]/.exec(line)?.[1];
  return {
    warn(line) {
      if (sink) sink.warn(codeOf(line) ? { code: codeOf(line) } : {}, line);
      else io.stderr(`${line}\n`);
    },
    info(line) {
      if (sink) sink.info(codeOf(line) ? { code: codeOf(line) } : {}, line);
      else io.stderr(`${line}\n`);
    },
    attach(log) {
      sink = log;
    },
  };
}

/**
 * `moe-router serve`: the router as a long-running HTTP service (see @moe-router/server).
 * Runs until SIGTERM/SIGINT (graceful: finish requests, flush, exit 0); SIGHUP reloads the
 * config; the tuned thresholds file is polled and applied without restart.
 */
const serve: Command = {
  summary: DECLARATIONS.serve.summary,
  usage,
  async run(argv, io) {
    const { values } = parseDeclared(DECLARATIONS.serve, argv);
    const port = numberOption(values.port, "--port", { min: 0, max: 65535, integer: true, example: "--port 8080" });
    const bodyLimit = numberOption(values["body-limit"], "--body-limit", { min: 1, max: 1_073_741_824, integer: true, unit: "bytes", example: "--body-limit 65536" });
    const intervalMs =
      numberOption(values["thresholds-interval"], "--thresholds-interval", { min: 50, max: 86_400_000, integer: true, unit: "milliseconds", example: "--thresholds-interval 1000" }) ?? 1000;
    const levels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
    const logLevel = values["log-level"] ?? "info";
    if (!levels.includes(logLevel)) throw new MoeRouterError(ErrorCode.INVALID_ARGUMENT, `--log-level must be one of ${levels.join(", ")}; got "${logLevel}".`);
    const token = await readToken(values["token-file"], io);
    // Checked before the layers start, so a refused bind costs nothing.
    const { startServer, isLoopback } = await import("@moe-router/server");
    const host = values.host ?? "127.0.0.1";
    if (!isLoopback(host) && token === undefined) {
      throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `Refusing to listen on ${host} without a token. Pass --token-file FILE or set MOE_ROUTER_TOKEN, or bind 127.0.0.1.`);
    }
    const logger = forwardingLogger(io);
    // Read first for what is decided at start: the OpenTelemetry observer (config `otel`).
    const { config } = await loadRouterConfig(values.config, io.cwd);
    const observers = serviceObservers(config);
    const router = await openRouter({
      ...(values.config !== undefined ? { config: values.config } : {}),
      cwd: io.cwd,
      ...(values.store !== undefined ? { store: values.store } : {}),
      logger,
      watchThresholds: { intervalMs },
      ...(observers.length ? { observers } : {}),
    });
    let monitor;
    try {
      monitor = serviceAlertMonitor(router, io.cwd, {
        warn: (fields, message) => logger.warn(`${message} ${JSON.stringify(fields)}`),
        info: (fields, message) => logger.info?.(`${message} ${JSON.stringify(fields)}`),
      });
    } catch (error) {
      await router.close();
      throw error;
    }
    let server;
    try {
      server = await startServer({
        router,
        ...(monitor ? { alerts: monitor } : {}),
        host,
        ...(port !== undefined ? { port } : {}),
        ...(token !== undefined ? { token } : {}),
        ...(bodyLimit !== undefined ? { bodyLimit } : {}),
        logLevel,
        logRequests: values["log-requests"] === true,
        handleSignals: true,
        closeRouter: true,
      });
    } catch (error) {
      await monitor?.close();
      await router.close();
      throw error;
    }
    logger.attach(server.app.log);
    if (monitor) {
      monitor.start();
      server.app.server.once("close", () => void monitor.close());
      server.app.log.info({ rules: router.config.alerts?.length ?? 0 }, "alerts: monitoring");
    }
    server.app.log.info({ url: server.url, config: router.configSource, store: router.storeSpec ?? "off", auth: token !== undefined }, "moe-router serve: listening");
    io.stderr(
      `moe-router serve: listening on ${server.url} (config: ${router.configSource}; store: ${router.storeSpec ?? "tracking off"}; auth: ${token !== undefined ? "bearer token" : "none, loopback only"})\n`,
    );
    // Runs until a signal stops it (startServer's handler exits the process).
    await new Promise<void>((resolveClosed) => server.app.server.once("close", () => resolveClosed()));
    return 0;
  },
};

export default serve;
