/**
 * Starts a throwaway PostgreSQL server for tests (stores, the HTTP service): initdb + pg_ctl on a temp
 * directory and a free loopback port, or uses $MOE_PG_URL when it is set.
 *
 * PostgreSQL refuses to run as root, so when the tests run as root the server runs as the
 * `postgres` system user through `runuser -u postgres --` (created by the Debian package
 * `postgresql-15`). Without server binaries the PG suite is skipped locally, and fails
 * when MOE_REQUIRE_PG=1 (set that in CI).
 */
import { execFile, execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A running server (or the external one named by $MOE_PG_URL). */
export interface PostgresServer {
  readonly url: string;
  stop(): Promise<void>;
}

/** Directory holding initdb/pg_ctl, newest version first; undefined when none is installed. */
export function findPostgresBin(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = join(root, version, "bin");
    if (existsSync(join(bin, "initdb")) && existsSync(join(bin, "pg_ctl"))) return bin;
  }
  return undefined;
}

/** Why the PG suite cannot run here, or undefined when it can. Throws under MOE_REQUIRE_PG=1. */
export function postgresUnavailable(): string | undefined {
  if (process.env.MOE_PG_URL) return undefined;
  if (findPostgresBin()) return undefined;
  const message = "PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin (apt-get install -y postgresql-15), and MOE_PG_URL is not set";
  if (process.env.MOE_REQUIRE_PG === "1") throw new Error(`${message}; MOE_REQUIRE_PG=1 makes this a failure.`);
  return message;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** A freshly initialised data directory with its server started, and how to drive it. */
interface LocalServer {
  readonly url: string;
  readonly data: string;
  /** Runs a server binary (as the postgres user when this process is root). */
  command(tool: string, args: string[]): Promise<unknown>;
  /** Starts the server on its port and data directory. */
  start(): Promise<unknown>;
  /** Stops it at once (if running) and removes its directory. */
  stopSync(): void;
}

/** initdb + pg_ctl start on a temp directory and a free loopback port. */
async function startLocal(bin: string, dirPrefix: string): Promise<LocalServer> {
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), dirPrefix));
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dir, uid, gid);
  }
  // As root, run the server binaries as the postgres user.
  const command = (tool: string, args: string[]) => (asRoot ? run("runuser", ["-u", "postgres", "--", join(bin, tool), ...args]) : run(join(bin, tool), args));
  const data = join(dir, "data");
  const port = await freePort();
  await command("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]);
  // Durability settings off: a test server, thrown away afterwards.
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const start = () => command("pg_ctl", ["-D", data, "-o", serverOptions, "-l", join(dir, "server.log"), "-w", "-t", "30", "start"]);
  await start();
  const stopSync = () => {
    try {
      const args = ["-D", data, "-m", "immediate", "-w", "stop"];
      if (asRoot) execFileSync("runuser", ["-u", "postgres", "--", join(bin, "pg_ctl"), ...args], { stdio: "ignore" });
      else execFileSync(join(bin, "pg_ctl"), args, { stdio: "ignore" });
    } catch {
      // Already stopped.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, data, command, start, stopSync };
}

/** Starts a server (about a second); call stop() in afterAll. */
export async function startPostgres(): Promise<PostgresServer> {
  const external = process.env.MOE_PG_URL;
  if (external) return { url: external, stop: async () => undefined };
  const bin = findPostgresBin();
  if (!bin) throw new Error(postgresUnavailable() ?? "PostgreSQL binaries not found");
  const server = await startLocal(bin, "moe-pg-");
  // If the test process dies without afterAll, do not leave a server behind.
  process.once("exit", server.stopSync);
  return {
    url: server.url,
    async stop() {
      process.removeListener("exit", server.stopSync);
      server.stopSync();
    },
  };
}

/** A server this test process owns and may stop, restart, freeze and thaw. */
export interface ControlledPostgres extends PostgresServer {
  /** Stops the server (fast shutdown: connections are cut). */
  halt(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  resume(): Promise<void>;
  /** SIGSTOPs the postmaster (and, with `backends`, every server process): TCP still connects, nothing answers. */
  freeze(backends?: boolean): number[];
  /** SIGCONTs what freeze() stopped. */
  thaw(pids: readonly number[]): void;
}

/** Child processes of `pid`, from /proc. */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) children.push(Number(name));
    } catch {
      // Gone meanwhile.
    }
  }
  return children;
}

/**
 * Starts a server of its own even when MOE_PG_URL is set: the fault tests stop and pause it.
 * Throws when no server binaries are installed (check {@link findPostgresBin} first).
 */
export async function startControlledPostgres(): Promise<ControlledPostgres> {
  const bin = findPostgresBin();
  if (!bin) throw new Error("PostgreSQL binaries not found in /usr/lib/postgresql/*/bin");
  const server = await startLocal(bin, "moe-pg-fault-");
  const { data, command } = server;
  const frozen = new Set<number>();
  const stopSync = () => {
    for (const pid of frozen) {
      try {
        process.kill(pid, "SIGCONT");
      } catch {
        // Gone.
      }
    }
    server.stopSync();
  };
  process.once("exit", stopSync);
  const postmaster = () => Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]);
  return {
    url: server.url,
    async stop() {
      process.removeListener("exit", stopSync);
      stopSync();
    },
    async halt() {
      await command("pg_ctl", ["-D", data, "-m", "fast", "-w", "-t", "30", "stop"]);
    },
    async resume() {
      await server.start();
    },
    freeze(backends = false) {
      const main = postmaster();
      const pids = backends ? [main, ...childrenOf(main)] : [main];
      for (const pid of pids) {
        process.kill(pid, "SIGSTOP");
        frozen.add(pid);
      }
      return pids;
    },
    thaw(pids) {
      for (const pid of pids) {
        try {
          process.kill(pid, "SIGCONT");
        } catch {
          // Gone.
        }
        frozen.delete(pid);
      }
    },
  };
}
