/**
 * Runs the real `moe-router serve` (the CLI's bin, from source through tsx) as a child
 * process for tests that signal or kill it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("../../../..", import.meta.url));
const bin = fileURLToPath(new URL("../../../cli/src/bin.ts", import.meta.url));
// Absolute, so the child can run in a temporary directory outside the workspace.
const tsx = pathToFileURL(createRequire(join(root, "package.json")).resolve("tsx")).href;
const NODE_ARGS = ["--import", tsx, "--conditions=moe-router-source"];

/** A running `moe-router serve`. */
export interface ServeProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or signal) when it ends. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `moe-router serve --port 0 ...args` in `cwd`; resolves once it listens. */
export async function startServe(args: readonly string[], options: { cwd: string; env?: Record<string, string> }): Promise<ServeProcess> {
  const child = spawn(process.execPath, [...NODE_ARGS, bin, "serve", "--port", "0", ...args], {
    cwd: options.cwd,
    env: { ...process.env, MOE_ROUTER_TOKEN: "", NODE_OPTIONS: "", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout.on("data", (chunk: Buffer) => void (text += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => void (text += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`moe-router serve did not start within 60 s:\n${text}`)), 60_000);
    const check = () => {
      const match = /listening on (http:\/\/\S+)/.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stderr.on("data", check);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`moe-router serve exited with ${code} before listening:\n${text}`));
    });
  });
  return { child, url, output: () => text, exited };
}

/** Runs `moe-router <args>` to completion (for tune, route ...); resolves with its exit code and output. */
export function runCli(args: readonly string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...NODE_ARGS, bin, ...args], { cwd, env: { ...process.env, NODE_OPTIONS: "" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => void (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => void (stderr += c.toString()));
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}
