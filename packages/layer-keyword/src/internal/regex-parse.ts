/**
 * A small parser for JavaScript regular expressions, just precise enough to find the
 * structure that matters for backtracking: atoms, groups, alternations, quantifiers,
 * assertions and back-references. It runs only on sources V8 has already compiled,
 * so it can be lenient about syntax errors. Atoms keep their raw text; the safety
 * check compiles each atom on its own to learn which characters it accepts.
 */

/** One parsed piece of a pattern. */
export type RegexNode =
  | { readonly kind: "char"; readonly raw: string }
  | { readonly kind: "seq"; readonly items: readonly RegexNode[] }
  | { readonly kind: "alt"; readonly options: readonly RegexNode[] }
  | { readonly kind: "group"; readonly body: RegexNode; readonly lookaround: boolean }
  | { readonly kind: "quant"; readonly body: RegexNode; readonly min: number; readonly max: number }
  | { readonly kind: "assert"; readonly raw: string }
  | { readonly kind: "backref" };

const QUANTIFIER_BRACES = /\{(\d+)(?:(,)(\d*))?\}/y;
const HEX2 = /[0-9a-fA-F]{2}/y;

class Parser {
  private pos = 0;

  constructor(
    private readonly source: string,
    private readonly unicode: boolean,
  ) {}

  parse(): RegexNode {
    // V8 has compiled the source, so there is no unbalanced ")" to stop at the top level.
    return this.alternation();
  }

  private alternation(): RegexNode {
    const options = [this.sequence()];
    while (this.source[this.pos] === "|") {
      this.pos++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0]! : { kind: "alt", options };
  }

  private sequence(): RegexNode {
    const items: RegexNode[] = [];
    while (this.pos < this.source.length && this.source[this.pos] !== "|" && this.source[this.pos] !== ")") {
      let atom = this.atom();
      let quantifier = this.quantifier();
      while (quantifier) {
        atom = { kind: "quant", body: atom, min: quantifier.min, max: quantifier.max };
        quantifier = this.quantifier();
      }
      items.push(atom);
    }
    return items.length === 1 ? items[0]! : { kind: "seq", items };
  }

  private quantifier(): { min: number; max: number } | undefined {
    const char = this.source[this.pos];
    let result: { min: number; max: number } | undefined;
    if (char === "*") result = { min: 0, max: Infinity };
    else if (char === "+") result = { min: 1, max: Infinity };
    else if (char === "?") result = { min: 0, max: 1 };
    if (result) {
      this.pos++;
    } else if (char === "{") {
      QUANTIFIER_BRACES.lastIndex = this.pos;
      const match = QUANTIFIER_BRACES.exec(this.source);
      if (!match) return undefined; // Annex B: a literal "{"
      const min = Number(match[1]);
      const max = match[2] === undefined ? min : match[3] === "" ? Infinity : Number(match[3]);
      result = { min, max };
      this.pos += match[0].length;
    } else {
      return undefined;
    }
    if (this.source[this.pos] === "?") this.pos++; // lazy: backtracks all the same
    return result;
  }

  private atom(): RegexNode {
    const char = this.source[this.pos]!;
    if (char === "(") return this.group();
    if (char === "[") return this.charClass();
    if (char === "\\") return this.escape();
    if (char === "^" || char === "$") {
      this.pos++;
      return { kind: "assert", raw: char };
    }
    if (char === ".") {
      this.pos++;
      return { kind: "char", raw: "." };
    }
    if (char === "{" || char === "}" || char === "]") {
      this.pos++;
      return { kind: "char", raw: `\\${char}` };
    }
    const codePoint = this.unicode ? this.source.codePointAt(this.pos)! : this.source.charCodeAt(this.pos);
    const literal = this.unicode ? String.fromCodePoint(codePoint) : this.source[this.pos]!;
    this.pos += literal.length;
    return { kind: "char", raw: literal };
  }

  private group(): RegexNode {
    this.pos++;
    let lookaround = false;
    const rest = this.source.slice(this.pos, this.pos + 3);
    if (rest.startsWith("?:")) this.pos += 2;
    else if (rest.startsWith("?=") || rest.startsWith("?!")) {
      this.pos += 2;
      lookaround = true;
    } else if (rest === "?<=" || rest === "?<!") {
      this.pos += 3;
      lookaround = true;
    } else if (rest.startsWith("?<")) {
      const close = this.source.indexOf(">", this.pos);
      this.pos = close < 0 ? this.source.length : close + 1;
    }
    const body = this.alternation();
    if (this.source[this.pos] === ")") this.pos++;
    return { kind: "group", body, lookaround };
  }

  private charClass(): RegexNode {
    const start = this.pos;
    let index = this.pos + 1;
    if (this.source[index] === "^") index++;
    while (index < this.source.length && this.source[index] !== "]") index += this.source[index] === "\\" ? 2 : 1;
    this.pos = Math.min(index + 1, this.source.length);
    return { kind: "char", raw: this.source.slice(start, this.pos) };
  }

  private escape(): RegexNode {
    const start = this.pos;
    const next = this.source[this.pos + 1] ?? "";
    this.pos += 2;
    if (next === "b" || next === "B") return { kind: "assert", raw: `\\${next}` };
    if (next >= "1" && next <= "9") {
      while (/[0-9]/.test(this.source[this.pos] ?? "")) this.pos++;
      return { kind: "backref" };
    }
    if (next === "k" && this.source[this.pos] === "<") {
      const close = this.source.indexOf(">", this.pos);
      this.pos = close < 0 ? this.source.length : close + 1;
      return { kind: "backref" };
    }
    if (next === "x") {
      HEX2.lastIndex = this.pos;
      if (HEX2.test(this.source)) this.pos += 2;
    } else if (next === "u") {
      if (this.source[this.pos] === "{" && this.unicode) this.skipPast("}");
      else this.pos += Math.min(4, /^[0-9a-fA-F]{0,4}/.exec(this.source.slice(this.pos))![0].length);
    } else if ((next === "p" || next === "P") && this.unicode && this.source[this.pos] === "{") {
      this.skipPast("}");
    } else if (next === "c" && /[a-zA-Z]/.test(this.source[this.pos] ?? "")) {
      this.pos++;
    }
    return { kind: "char", raw: this.source.slice(start, this.pos) };
  }

  private skipPast(char: string): void {
    const close = this.source.indexOf(char, this.pos);
    this.pos = close < 0 ? this.source.length : close + 1;
  }
}

/** Parses a pattern source (already accepted by `new RegExp`) into a tree. */
export function parseRegex(source: string, unicode: boolean): RegexNode {
  return new Parser(source, unicode).parse();
}
