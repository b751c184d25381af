import type { FastifyBaseLogger } from "fastify";

type Level = "fatal" | "error" | "warn" | "info" | "debug" | "trace";
type Bindings = Record<string, unknown>;
type ChildOptions = Parameters<FastifyBaseLogger["child"]>[1];

/**
 * fastify gives every request its own child logger (bound to the request id). Creating a
 * pino child serialises its bindings: a few per cent of a request's CPU, for a logger that
 * with request logging off is almost never written to. This one has the same methods and
 * creates the real child on the first line that would be written, so a line logged for a
 * request still carries its `reqId`.
 */
class LazyChildLogger {
  #child: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildOptions,
  ) {}

  get level(): string {
    return (this.#child ?? this.parent).level;
  }

  set level(level: string) {
    this.real().level = level;
  }

  fatal(...args: unknown[]): void {
    this.write("fatal", args);
  }
  error(...args: unknown[]): void {
    this.write("error", args);
  }
  warn(...args: unknown[]): void {
    this.write("warn", args);
  }
  info(...args: unknown[]): void {
    this.write("info", args);
  }
  debug(...args: unknown[]): void {
    this.write("debug", args);
  }
  trace(...args: unknown[]): void {
    this.write("trace", args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildOptions): FastifyBaseLogger {
    return this.real().child(bindings, options);
  }

  isLevelEnabled(level: string): boolean {
    const logger = (this.#child ?? this.parent) as FastifyBaseLogger & { isLevelEnabled?: (level: string) => boolean };
    return typeof logger.isLevelEnabled === "function" ? logger.isLevelEnabled(level) : true;
  }

  private real(): FastifyBaseLogger {
    return (this.#child ??= this.parent.child(this.bindings, this.options));
  }

  private write(level: Level, args: unknown[]): void {
    // Same level as the parent (no level in the options): a line the parent would drop needs no child.
    if (this.#child === undefined && !this.isLevelEnabled(level)) return;
    // tsc (the build) needs this assertion to spread `args`; the lint's program resolves pino's
    // overloads differently and calls it unnecessary.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    (this.real()[level] as (...args: unknown[]) => void)(...args);
  }
}

/**
 * A fastify `childLoggerFactory` that defers creating each request's child logger until it
 * writes a line. Options that change the child (its own level or serialisers) get a real
 * child at once.
 */
export function lazyChildLoggerFactory(logger: FastifyBaseLogger, bindings: Bindings, options: ChildOptions): FastifyBaseLogger {
  const changesChild = options !== undefined && Object.keys(options).length > 0;
  return changesChild ? logger.child(bindings, options) : new LazyChildLogger(logger, bindings, options);
}
