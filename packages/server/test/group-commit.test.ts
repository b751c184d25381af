import { describe, expect, it } from "vitest";
import { GroupCommit } from "../src/internal/group-commit.js";

function deferredFlush() {
  const pending: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  const flush = () => new Promise<void>((resolve, reject) => void pending.push({ resolve, reject }));
  return { pending, flush };
}

describe("GroupCommit", () => {
  it("requests that arrive during a flush share the next one", async () => {
    const { pending, flush } = deferredFlush();
    const group = new GroupCommit(flush);
    const done: number[] = [];
    const first = group.commit().then(() => done.push(0));
    const waiting = [1, 2, 3, 4].map((i) => group.commit().then(() => done.push(i)));
    expect(pending).toHaveLength(1);
    pending[0]!.resolve();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    // The four waiters did not ride on the flush that started before them: a second one runs for all of them.
    expect(done).toEqual([0]);
    expect(pending).toHaveLength(2);
    pending[1]!.resolve();
    await Promise.all(waiting);
    expect(done).toEqual([0, 1, 2, 3, 4]);
    expect(group.stats()).toEqual({ flushes: 2, commits: 5 });
  });

  it("a failed flush rejects its waiters only; the next commit flushes again", async () => {
    const { pending, flush } = deferredFlush();
    const group = new GroupCommit(flush);
    const failing = group.commit();
    pending[0]!.reject(new Error("disk full"));
    await expect(failing).rejects.toThrow("disk full");
    const next = group.commit();
    expect(pending).toHaveLength(2);
    pending[1]!.resolve();
    await expect(next).resolves.toBeUndefined();
  });

  it("a flush that throws synchronously becomes a rejection", async () => {
    const group = new GroupCommit(() => {
      throw new Error("sync");
    });
    await expect(group.commit()).rejects.toThrow("sync");
  });
});

describe("GroupCommit timeout", () => {
  it("rejects the waiters of a flush that does not settle in time, with one shared timer", async () => {
    const { pending, flush } = deferredFlush();
    const group = new GroupCommit(flush, 50, () => new Error("store too slow"));
    const a = group.commit();
    const b = group.commit();
    await expect(a).rejects.toThrow("store too slow");
    // b waits for the next flush, which only starts once the hung one ends.
    pending[0]!.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(pending).toHaveLength(2);
    pending[1]!.resolve();
    await expect(b).resolves.toBeUndefined();
  });
});
