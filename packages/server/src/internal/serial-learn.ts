/**
 * The one path into `router.learn()` for the whole service: online learning from the
 * service's own corrections (the learning queue) and the shared corrections of other
 * instances (the fleet plugin) both go through it, one run at a time. Two runs at once would
 * both read the per-layer learned state, both apply the same correction and race on writing
 * that state back.
 */
export type SerialLearn = (since: Date | undefined) => Promise<unknown>;

/** Wraps `learn` so that calls run one after another, in call order; a failed run does not stop later ones. */
export function serialLearn(learn: SerialLearn): SerialLearn {
  let tail: Promise<unknown> = Promise.resolve();
  return (since) => {
    const run = tail.then(() => learn(since));
    tail = run.catch(() => undefined);
    return run;
  };
}
