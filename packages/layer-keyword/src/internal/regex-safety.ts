/**
 * Static checks that keep user-supplied patterns from hanging the process
 * (catastrophic backtracking, "ReDoS"). JavaScript regexes cannot be interrupted,
 * so dangerous shapes are refused when the layer is built:
 *
 * 1. a repeated group that contains another quantifier: star height > 1, "(a+)+";
 * 2. a repeated group whose alternatives can start with the same character or be
 *    empty: "(x|x)*", "(a|ab)+", "(a|)*";
 * 3. back-references ("\1", "\k<name>");
 * 4. polynomial blow-up: overlapping repetitions in a row ("\d+\d+", ".*a.*b.*c"),
 *    estimated as the product of their ranges on the capped input (the implicit scan
 *    over start positions counts as one repetition unless the pattern starts with "^"),
 *    refused above {@link STEP_BUDGET}.
 *
 * Which characters an atom accepts is learned by compiling the atom alone and testing it
 * on a fixed set of probe characters, so classes, escapes and case-folding need no
 * hand-written semantics.
 */
import { parseRegex, type RegexNode } from "./regex-parse.js";

/** Worst-case backtracking steps accepted for one pattern on a capped input. */
export const STEP_BUDGET = 20_000_000;

const PROBES: readonly string[] = (() => {
  const probes: string[] = [];
  for (let codePoint = 0; codePoint <= 0x17f; codePoint++) probes.push(String.fromCodePoint(codePoint));
  // A few characters of other blocks: spaces, separators, Greek, Cyrillic, Hebrew, Arabic, Indic, CJK, emoji.
  for (const codePoint of [0xa0, 0x200b, 0x2028, 0x2029, 0x3000, 0xfeff, 0x391, 0x3b1, 0x410, 0x430, 0x5d0, 0x627, 0x915, 0x3042, 0x4e00, 0xac00, 0x1d400, 0x1f680]) {
    probes.push(String.fromCodePoint(codePoint));
  }
  return probes;
})();

type CharSet = Uint8Array;
const ALL: CharSet = new Uint8Array(PROBES.length).fill(1);
const NONE: CharSet = new Uint8Array(PROBES.length);

function overlaps(a: CharSet, b: CharSet): boolean {
  for (let i = 0; i < a.length; i++) if (a[i]! & b[i]!) return true;
  return false;
}

function union(a: CharSet, b: CharSet): CharSet {
  const result = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) result[i] = a[i]! | b[i]!;
  return result;
}

interface Chain {
  cost: number;
  set: CharSet;
}

const ADVICE_NESTED = 'Rewrite it with a single quantifier ("(a+)+" -> "a+", "(\\w+\\s?)+" -> "[\\w\\s]+"), or use keywords/phrases instead of a pattern.';
const ADVICE_ALTERNATION = 'Make the alternatives start with different characters ("(ab|ac)+" -> "(a[bc])+"), use a character class ("(a|b)+" -> "[ab]+"), or drop the empty alternative.';

class SafetyAnalyser {
  private readonly atomSets = new Map<string, CharSet>();

  constructor(
    private readonly flags: string,
    private readonly multiline: boolean,
    private readonly inputCap: number,
  ) {}

  /** Returns what is unsafe and how to fix it, or undefined when the pattern is accepted. */
  check(root: RegexNode): string | undefined {
    const structural = this.structure(root, false);
    if (structural) return structural;
    // With the m flag "^" matches after every line break, so it no longer pins the start.
    const anchored = !this.multiline;
    const branches = root.kind === "alt" ? root.options : [root];
    let worst = 0;
    for (const branch of branches) {
      const items = this.flatten(branch);
      const scan = !(anchored && items[0]?.kind === "assert" && items[0].raw === "^");
      worst = Math.max(worst, this.sequenceCost(items, scan));
    }
    if (worst > STEP_BUDGET) {
      return (
        `it can take about ${worst.toExponential(1)} backtracking steps on ${this.inputCap} characters (budget ${STEP_BUDGET.toExponential(0)}), ` +
        'because repetitions that can match the same characters follow each other ("\\d+\\d+", ".*a.*b.*c"). ' +
        'Anchor the pattern with "^", bound the repetitions (".{0,40}"), split it into several patterns, or lower maxPatternInputLength.'
      );
    }
    return undefined;
  }

  private atomSet(raw: string): CharSet {
    let set = this.atomSets.get(raw);
    if (set) return set;
    try {
      const regex = new RegExp(`^(?:${raw})$`, this.flags);
      set = new Uint8Array(PROBES.length);
      for (let i = 0; i < PROBES.length; i++) set[i] = regex.test(PROBES[i]!) ? 1 : 0;
    } catch {
      set = ALL; // an atom we cannot isolate is assumed to match anything (the cautious side)
    }
    this.atomSets.set(raw, set);
    return set;
  }

  /** Characters that can start a match of `node`, and whether it can match empty. */
  private first(node: RegexNode): { set: CharSet; nullable: boolean } {
    switch (node.kind) {
      case "char":
        return { set: this.atomSet(node.raw), nullable: false };
      case "assert":
        return { set: NONE, nullable: true };
      case "backref":
        return { set: ALL, nullable: true };
      case "group":
        return node.lookaround ? { set: NONE, nullable: true } : this.first(node.body);
      case "quant": {
        const inner = this.first(node.body);
        return { set: inner.set, nullable: node.min === 0 || inner.nullable };
      }
      case "seq": {
        let set = NONE;
        for (const item of node.items) {
          const part = this.first(item);
          set = union(set, part.set);
          if (!part.nullable) return { set, nullable: false };
        }
        return { set, nullable: true };
      }
      case "alt": {
        let set = NONE;
        let nullable = false;
        for (const option of node.options) {
          const part = this.first(option);
          set = union(set, part.set);
          nullable ||= part.nullable;
        }
        return { set, nullable };
      }
    }
  }

  /** Every character `node` can consume anywhere. */
  private consumable(node: RegexNode): CharSet {
    switch (node.kind) {
      case "char":
        return this.atomSet(node.raw);
      case "assert":
        return NONE;
      case "backref":
        return ALL;
      case "group":
        return node.lookaround ? NONE : this.consumable(node.body);
      case "quant":
        return this.consumable(node.body);
      case "seq":
        return node.items.reduce((set, item) => union(set, this.consumable(item)), NONE);
      case "alt":
        return node.options.reduce((set, option) => union(set, this.consumable(option)), NONE);
    }
  }

  private static hasQuantifier(node: RegexNode): boolean {
    switch (node.kind) {
      case "quant":
        return true;
      case "group":
        return SafetyAnalyser.hasQuantifier(node.body);
      case "seq":
        return node.items.some((item) => SafetyAnalyser.hasQuantifier(item));
      case "alt":
        return node.options.some((option) => SafetyAnalyser.hasQuantifier(option));
      default:
        return false;
    }
  }

  /** Rules 1-3: the exponential shapes. */
  private structure(node: RegexNode, repeated: boolean): string | undefined {
    switch (node.kind) {
      case "backref":
        return "it uses a back-reference (\\1, \\k<name>), which can make matching take exponential time. Rewrite it without back-references, or use keywords/phrases.";
      case "quant": {
        const repeats = node.max > 1;
        if (repeats && SafetyAnalyser.hasQuantifier(node.body)) {
          return `it repeats a group that itself contains a quantifier (nested quantifiers, the "(a+)+" shape), which can backtrack exponentially. ${ADVICE_NESTED}`;
        }
        return this.structure(node.body, repeated || repeats);
      }
      case "alt": {
        if (repeated) {
          const starts = node.options.map((option) => this.first(option));
          const empty = starts.some((start) => start.nullable);
          const clash = starts.some((a, i) => starts.some((b, j) => j > i && overlaps(a.set, b.set)));
          if (empty || clash) {
            return `it repeats an alternation whose alternatives can match the same text (the "(x|x)*" shape), which can backtrack exponentially. ${ADVICE_ALTERNATION}`;
          }
        }
        for (const option of node.options) {
          const problem = this.structure(option, repeated);
          if (problem) return problem;
        }
        return undefined;
      }
      case "group":
        return this.structure(node.body, repeated);
      case "seq":
        for (const item of node.items) {
          const problem = this.structure(item, repeated);
          if (problem) return problem;
        }
        return undefined;
      default:
        return undefined;
    }
  }

  /** Plain groups around a sequence add nothing: splice their items in. */
  private flatten(node: RegexNode): RegexNode[] {
    if (node.kind === "seq") return node.items.flatMap((item) => this.flatten(item));
    if (node.kind === "group" && !node.lookaround && node.body.kind !== "alt") return this.flatten(node.body);
    return [node];
  }

  /**
   * Rule 4: walks a sequence keeping the chains of overlapping repetitions alive at
   * this point; a chain's cost is the product of its repetitions' ranges.
   */
  private sequenceCost(items: readonly RegexNode[], scan: boolean): number {
    let chains: Chain[] = scan ? [{ cost: this.inputCap, set: ALL }] : [];
    let worst = scan ? this.inputCap : 1;
    for (const item of items) {
      if (item.kind === "assert") continue;
      // Structures inside (alternatives, lookarounds, optional groups) are costed on
      // their own, as if reachable from any position: the cautious side.
      const inner = item.kind === "quant" ? item.body : item;
      if (inner.kind !== "char") {
        const parts = inner.kind === "alt" ? inner.options : inner.kind === "group" && inner.body.kind === "alt" ? inner.body.options : [inner.kind === "group" ? inner.body : inner];
        for (const part of parts) worst = Math.max(worst, this.sequenceCost(this.flatten(part), true));
      }
      if (item.kind === "group" && item.lookaround) continue;
      const set = this.consumable(item);
      const nullable = this.first(item).nullable;
      const range = item.kind === "quant" ? Math.min(item.max, this.inputCap) - item.min + 1 : 1;
      const next: Chain[] = [];
      for (const chain of chains) {
        if (overlaps(set, chain.set)) next.push({ cost: chain.cost * Math.max(range, 1), set: range > 1 ? set : chain.set });
        else if (nullable) next.push(chain);
      }
      if (range > 1) next.push({ cost: range, set });
      chains = next;
      for (const chain of chains) worst = Math.max(worst, chain.cost);
      if (worst > STEP_BUDGET) return worst;
    }
    return worst;
  }
}

/**
 * Checks a compiled pattern for catastrophic-backtracking shapes. Returns a sentence
 * saying what is unsafe and how to rewrite it, or undefined when it is accepted.
 */
export function findUnsafePattern(regex: RegExp, inputCap: number): string | undefined {
  const flags = [...regex.flags].filter((flag) => "isu".includes(flag)).join("");
  const analyser = new SafetyAnalyser(flags, regex.multiline, inputCap);
  return analyser.check(parseRegex(regex.source, regex.unicode));
}
