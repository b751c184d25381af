import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { jsonlStore, type RoutingEvent } from "../src/index.js";

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const child = join(packageDir, "test/support/append-child.ts");
const root = mkdtempSync(join(tmpdir(), "moe-crash-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function startWriter(args: string[]) {
  return spawn(process.execPath, ["--import", "tsx", "--conditions=moe-router-source", child, ...args], { cwd: packageDir, stdio: ["ignore", "pipe", "pipe"] });
}

function finished(process: ReturnType<typeof startWriter>): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = "";
  process.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => process.on("close", (code, signal) => resolve({ code, signal, stderr })));
}

async function readAll(path: string): Promise<{ events: RoutingEvent[]; tornLines: number }> {
  const store = jsonlStore({ path });
  const events: RoutingEvent[] = [];
  for await (const event of store.read()) events.push(event);
  const { tornLines } = store.stats();
  await store.close();
  return { events, tornLines };
}

describe("jsonl store: crashes and concurrent writers", () => {
  it("keeps every acknowledged event when the writer is SIGKILLed mid-stream", async () => {
    const path = join(root, "kill", "events.jsonl");
    const writer = startWriter(["ack", path]);
    const done = finished(writer);
    const acknowledged: string[] = [];
    let partial = "";
    await new Promise<void>((resolve) => {
      writer.stdout.on("data", (chunk: Buffer) => {
        const lines = (partial + chunk.toString()).split("\n");
        partial = lines.pop()!;
        for (const line of lines) if (line.startsWith("ack ")) acknowledged.push(...line.slice(4).split(" "));
        // Kill while it is busy appending: after a few hundred acknowledged events.
        if (acknowledged.length >= 3_000) resolve();
      });
      writer.on("close", () => resolve());
    });
    writer.kill("SIGKILL");
    const { signal, stderr } = await done;
    expect(signal, stderr).toBe("SIGKILL");
    const { events, tornLines } = await readAll(path);
    const stored = new Set(events.map((e) => e.event_id));
    const missing = acknowledged.filter((id) => !stored.has(id));
    expect(acknowledged.length).toBeGreaterThanOrEqual(3_000);
    expect(missing).toEqual([]);
    // At most the line being written when the process died is torn; it is skipped, not fatal.
    expect(tornLines).toBeLessThanOrEqual(1);
    // A new writer carries on after a crash, and its records are intact.
    const next = jsonlStore({ path, rotate: { maxBytes: 2 * 2 ** 20 } });
    next.append({ ...events[0]!, event_id: "after-crash" });
    await next.close();
    const after = await readAll(path);
    expect(after.events[0]!.event_id).toBe("after-crash");
    expect(after.events.length).toBe(events.length + 1);
  }, 60_000);

  it("4 processes appending 25,000 events each leave 100,000 intact records", async () => {
    const dir = join(root, "concurrent");
    const path = join(dir, "events.jsonl");
    const writers = [1, 2, 3, 4].map(() => startWriter(["bulk", path, "25000"]));
    const results = await Promise.all(writers.map(finished));
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    // Every line of every (size-rotated) file is one complete record.
    let lines = 0;
    let broken = 0;
    for (const file of readdirSync(dir)) {
      for (const line of readFileSync(join(dir, file), "utf8").split("\n")) {
        if (line === "") continue;
        lines++;
        try {
          JSON.parse(line);
        } catch {
          broken++;
        }
      }
    }
    expect({ lines, broken }).toEqual({ lines: 100_000, broken: 0 });
    const { events, tornLines } = await readAll(path);
    expect(tornLines).toBe(0);
    expect(events).toHaveLength(100_000);
    expect(new Set(events.map((e) => e.event_id)).size).toBe(100_000);
    const perWriter = new Map<string, number>();
    for (const event of events) {
      const writer = event.event_id.split("-")[0]!;
      perWriter.set(writer, (perWriter.get(writer) ?? 0) + 1);
    }
    expect([...perWriter.values()]).toEqual([25_000, 25_000, 25_000, 25_000]);
  }, 120_000);

  it("writes buffered records when the host calls process.exit() without closing", async () => {
    const path = join(root, "exit", "events.jsonl");
    const result = await finished(startWriter(["exit", path, "500"]));
    expect(result.code, result.stderr).toBe(0);
    const { events, tornLines } = await readAll(path);
    expect(events).toHaveLength(500);
    expect(tornLines).toBe(0);
  }, 60_000);
});
