/**
 * Location-preserving JSON parser.
 *
 * Produces the same values as `JSON.parse` (last duplicate key wins) and, on the side, a map from every
 * object/array to a flat array of source offsets: `[start, end, ...members]`, where an object member is
 * `keyStart, valueStart` and an array element is `valueStart`. Nothing else is recorded while parsing;
 * key/value ends and line/column numbers are recomputed from the source only when a problem is reported
 * (`SourceLocator`), using a line-start table built once and a binary search.
 */

export type PathSegment = string | number;

export interface Span {
  /** 0-based offsets, end exclusive. */
  start: number;
  end: number;
}

export interface DuplicateKey {
  path: PathSegment[];
  key: string;
  /** Offset of the repeated key's opening quote. */
  offset: number;
}

export interface SyntaxProblem {
  message: string;
  offset: number;
}

export interface ParseOutcome {
  ok: boolean;
  value: unknown;
  syntaxError?: SyntaxProblem;
  duplicates: DuplicateKey[];
  locs: LocIndex;
}

/**
 * Offsets of every object/array, packed in growable Int32Arrays and looked up by the container's start offset
 * (containers are registered in source order, so `starts` is sorted and searched by bisection). At a
 * container's base in `buf` sit `start, end, n, m1, …, mn` (object members: `keyStart, valueStart` pairs;
 * array elements: `valueStart`). No per-node allocation at all.
 */
export class LocIndex {
  private starts = new Int32Array(1024);
  private bases = new Int32Array(1024);
  private count = 0;
  private buf = new Int32Array(4096);
  private len = 0;

  /** Registers a container opening at `start`; returns its slot for `close`. */
  open(start: number): number {
    if (this.count === this.starts.length) {
      this.starts = grow(this.starts, this.count + 1, this.count);
      this.bases = grow(this.bases, this.count + 1, this.count);
    }
    this.starts[this.count] = start;
    this.bases[this.count] = -1;
    return this.count++;
  }

  close(slot: number, end: number, members: number[], from: number): void {
    const n = members.length - from;
    const need = this.len + 3 + n;
    if (need > this.buf.length) this.buf = grow(this.buf, need, this.len);
    const b = this.buf;
    let i = this.len;
    this.bases[slot] = i;
    b[i++] = this.starts[slot];
    b[i++] = end;
    b[i++] = n;
    for (let j = from; j < members.length; j++) b[i++] = members[j];
    this.len = i;
  }

  /** Base of the (closed) container starting exactly at `offset`, or -1. */
  find(offset: number): number {
    let lo = 0;
    let hi = this.count - 1;
    const st = this.starts;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = st[mid];
      if (v === offset) return this.bases[mid];
      if (v < offset) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  end(base: number): number {
    return this.buf[base + 1];
  }

  size(base: number): number {
    return this.buf[base + 2];
  }

  member(base: number, i: number): number {
    return this.buf[base + 3 + i];
  }

  get containers(): number {
    return this.count;
  }
}

function grow(a: Int32Array<ArrayBuffer>, need: number, used: number): Int32Array<ArrayBuffer> {
  let cap = a.length * 2;
  while (cap < need) cap *= 2;
  const next = new Int32Array(cap);
  next.set(a.subarray(0, used));
  return next;
}

const MAX_DEPTH = 512;

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Parses `src`; never throws. With `values: false` only the offsets are recorded (strings are skipped with a
 * native `indexOf`, no object is built, duplicate keys are not looked for): the cheap way to locate problems
 * in text that `JSON.parse` already accepted.
 */
export function parseJsonWithLocations(src: string, opts: { values?: boolean } = {}): ParseOutcome {
  const p = new Parser(src, opts.values !== false);
  try {
    p.skipWs();
    const value = p.parseValue(0);
    p.skipWs();
    if (p.pos < src.length) throw new JsonSyntaxError(`Unexpected ${describe(src, p.pos)} after the JSON value`, p.pos);
    return { ok: true, value, duplicates: p.duplicates, locs: p.locs };
  } catch (e) {
    const offset = e instanceof JsonSyntaxError ? e.offset : Math.min(p.pos, src.length);
    const message = e instanceof JsonSyntaxError ? e.message : `Cannot parse JSON: ${(e as Error)?.message ?? String(e)}`;
    return { ok: false, value: undefined, syntaxError: { message, offset }, duplicates: p.duplicates, locs: p.locs };
  }
}

function describe(src: string, pos: number): string {
  if (pos >= src.length) return "end of input";
  const ch = src[pos];
  return `token ${JSON.stringify(ch)}`;
}

class Parser {
  pos = 0;
  readonly duplicates: DuplicateKey[] = [];

  /** Member offsets of the containers being parsed (a stack; each container copies its slice on close). */
  private readonly scratch: number[] = [];
  private readonly path: PathSegment[] = [];

  constructor(
    private readonly src: string,
    private readonly values = true,
    readonly locs: LocIndex = new LocIndex(),
  ) {}

  skipWs(): void {
    const s = this.src;
    let i = this.pos;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
    this.pos = i;
  }

  parseValue(depth: number): unknown {
    const s = this.src;
    const c = s.charCodeAt(this.pos);
    switch (c) {
      case 123: // {
        return this.parseObject(depth);
      case 91: // [
        return this.parseArray(depth);
      case 34: // "
        return this.values ? this.parseString() : this.skipString();
      case 116: // t
        return this.literal("true", true);
      case 102: // f
        return this.literal("false", false);
      case 110: // n
        return this.literal("null", null);
      default:
        if (c === 45 || (c >= 48 && c <= 57)) return this.parseNumber();
        throw new JsonSyntaxError(`Unexpected ${describe(s, this.pos)}, expected a JSON value`, this.pos);
    }
  }

  private literal(word: string, value: unknown): unknown {
    if (this.src.startsWith(word, this.pos)) {
      this.pos += word.length;
      return value;
    }
    throw new JsonSyntaxError(`Unexpected ${describe(this.src, this.pos)}, expected a JSON value`, this.pos);
  }

  private parseNumber(): number {
    const s = this.src;
    const start = this.pos;
    let i = start;
    if (s.charCodeAt(i) === 45) i++;
    let c = s.charCodeAt(i);
    if (c === 48) i++;
    else if (c >= 49 && c <= 57) {
      do i++;
      while ((c = s.charCodeAt(i)) >= 48 && c <= 57);
    } else throw new JsonSyntaxError("Invalid number: expected a digit", i);
    if (s.charCodeAt(i) === 46) {
      i++;
      c = s.charCodeAt(i);
      if (!(c >= 48 && c <= 57)) throw new JsonSyntaxError("Invalid number: expected a digit after '.'", i);
      do i++;
      while ((c = s.charCodeAt(i)) >= 48 && c <= 57);
    }
    c = s.charCodeAt(i);
    if (c === 101 || c === 69) {
      i++;
      c = s.charCodeAt(i);
      if (c === 43 || c === 45) i++;
      c = s.charCodeAt(i);
      if (!(c >= 48 && c <= 57)) throw new JsonSyntaxError("Invalid number: expected a digit in the exponent", i);
      do i++;
      while ((c = s.charCodeAt(i)) >= 48 && c <= 57);
    }
    this.pos = i;
    return +s.slice(start, i);
  }

  /** Skips a string (already accepted by JSON.parse) without building it. */
  skipString(): string {
    const s = this.src;
    let end = this.pos;
    for (;;) {
      end = s.indexOf('"', end + 1);
      if (end === -1) throw new JsonSyntaxError("Unterminated string", this.pos);
      let bs = 0;
      while (s.charCodeAt(end - 1 - bs) === 92) bs++;
      if ((bs & 1) === 0) break;
    }
    this.pos = end + 1;
    return "";
  }

  parseString(): string {
    const s = this.src;
    const start = this.pos + 1;
    let i = start;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 34) {
        this.pos = i + 1;
        return s.slice(start, i);
      }
      if (c === 92) break;
      if (c < 32 || c !== c) {
        if (c !== c) throw new JsonSyntaxError("Unterminated string", this.pos);
        throw new JsonSyntaxError("Bad control character in string literal", i);
      }
      i++;
    }
    // slow path: escapes
    let out = s.slice(start, i);
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 34) {
        this.pos = i + 1;
        return out;
      }
      if (c !== c) throw new JsonSyntaxError("Unterminated string", this.pos);
      if (c < 32) throw new JsonSyntaxError("Bad control character in string literal", i);
      if (c === 92) {
        const e = s.charCodeAt(i + 1);
        switch (e) {
          case 34:
            out += '"';
            break;
          case 92:
            out += "\\";
            break;
          case 47:
            out += "/";
            break;
          case 98:
            out += "\b";
            break;
          case 102:
            out += "\f";
            break;
          case 110:
            out += "\n";
            break;
          case 114:
            out += "\r";
            break;
          case 116:
            out += "\t";
            break;
          case 117: {
            const hex = s.slice(i + 2, i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new JsonSyntaxError("Bad Unicode escape in string literal", i);
            out += String.fromCharCode(parseInt(hex, 16));
            i += 4;
            break;
          }
          default:
            throw new JsonSyntaxError("Bad escaped character in string literal", i);
        }
        i += 2;
        continue;
      }
      // copy a run of plain characters
      let j = i + 1;
      for (;;) {
        const d = s.charCodeAt(j);
        if (d === 34 || d === 92 || d < 32 || d !== d) break;
        j++;
      }
      out += s.slice(i, j);
      i = j;
    }
  }

  private parseArray(depth: number): unknown[] | null {
    if (depth >= MAX_DEPTH) throw new JsonSyntaxError(`JSON nested deeper than ${MAX_DEPTH} levels`, this.pos);
    const s = this.src;
    const values = this.values;
    const arr: unknown[] | null = values ? [] : null;
    const slot = this.locs.open(this.pos);
    const scratch = this.scratch;
    const mark = scratch.length;
    this.pos++;
    this.skipWs();
    if (s.charCodeAt(this.pos) === 93) {
      this.pos++;
      this.locs.close(slot, this.pos, scratch, mark);
      return arr;
    }
    const path = this.path;
    for (let index = 0; ; index++) {
      this.skipWs();
      scratch.push(this.pos);
      if (values) {
        path.push(index);
        arr!.push(this.parseValue(depth + 1));
        path.pop();
      } else this.parseValue(depth + 1);
      this.skipWs();
      const c = s.charCodeAt(this.pos);
      if (c === 44) {
        const comma = this.pos++;
        this.skipWs();
        if (s.charCodeAt(this.pos) === 93) throw new JsonSyntaxError("Trailing comma in array", comma);
        continue;
      }
      if (c === 93) {
        this.pos++;
        this.locs.close(slot, this.pos, scratch, mark);
        scratch.length = mark;
        return arr;
      }
      throw new JsonSyntaxError(`Unexpected ${describe(s, this.pos)} in array, expected ',' or ']'`, this.pos);
    }
  }

  private parseObject(depth: number): Record<string, unknown> | null {
    if (depth >= MAX_DEPTH) throw new JsonSyntaxError(`JSON nested deeper than ${MAX_DEPTH} levels`, this.pos);
    const s = this.src;
    const values = this.values;
    const obj: Record<string, unknown> | null = values ? {} : null;
    const slot = this.locs.open(this.pos);
    const scratch = this.scratch;
    const mark = scratch.length;
    this.pos++;
    this.skipWs();
    if (s.charCodeAt(this.pos) === 125) {
      this.pos++;
      this.locs.close(slot, this.pos, scratch, mark);
      return obj;
    }
    const path = this.path;
    for (;;) {
      this.skipWs();
      const keyStart = this.pos;
      if (s.charCodeAt(keyStart) !== 34) {
        throw new JsonSyntaxError(`Unexpected ${describe(s, keyStart)}, expected a double-quoted property name`, keyStart);
      }
      const key = values ? this.parseString() : this.skipString();
      this.skipWs();
      if (s.charCodeAt(this.pos) !== 58)
        throw new JsonSyntaxError(`Unexpected ${describe(s, this.pos)}, expected ':' after property name`, this.pos);
      this.pos++;
      this.skipWs();
      scratch.push(keyStart, this.pos);
      if (values) {
        path.push(key);
        const value = this.parseValue(depth + 1);
        path.pop();
        const o = obj!;
        if (o[key] !== undefined && hasOwn.call(o, key)) {
          this.duplicates.push({ path: path.concat(key), key, offset: keyStart });
        }
        if (key === "__proto__") Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
        else o[key] = value;
      } else this.parseValue(depth + 1);
      this.skipWs();
      const c = s.charCodeAt(this.pos);
      if (c === 44) {
        const comma = this.pos++;
        this.skipWs();
        if (s.charCodeAt(this.pos) === 125) throw new JsonSyntaxError("Trailing comma in object", comma);
        continue;
      }
      if (c === 125) {
        this.pos++;
        this.locs.close(slot, this.pos, scratch, mark);
        scratch.length = mark;
        return obj;
      }
      throw new JsonSyntaxError(`Unexpected ${describe(s, this.pos)} in object, expected ',' or '}'`, this.pos);
    }
  }
}

/** Where a source offset sits, 1-based. */
export interface LineColumn {
  line: number;
  column: number;
}

export interface Range {
  line_start: number;
  line_end: number;
  column_start: number;
  column_end: number;
}

/**
 * Turns paths and offsets into line/column ranges, from the source text and its `LocIndex` only (no value tree).
 * The line table is built on first use, so a valid document costs nothing here.
 */
export class SourceLocator {
  private lineStarts: number[] | undefined;

  constructor(
    readonly src: string,
    protected locs: LocIndex | undefined,
  ) {}

  /** Hook for subclasses that build the index lazily. */
  protected index(): LocIndex | undefined {
    return this.locs;
  }

  position(offset: number): LineColumn {
    if (!this.lineStarts) {
      const ls = [0];
      const s = this.src;
      let i = s.indexOf("\n");
      while (i !== -1) {
        ls.push(i + 1);
        i = s.indexOf("\n", i + 1);
      }
      this.lineStarts = ls;
    }
    const ls = this.lineStarts;
    const off = Math.max(0, Math.min(offset, this.src.length));
    let lo = 0;
    let hi = ls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ls[mid] <= off) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: off - ls[lo] + 1 };
  }

  /** Range covering [start, end) with an inclusive end column, Meta style. */
  range(span: Span): Range {
    const a = this.position(span.start);
    const b = this.position(Math.max(span.start, span.end - 1));
    return { line_start: a.line, column_start: a.column, line_end: b.line, column_end: b.column };
  }

  /** End offset (exclusive) of the JSON value starting at `offset`. */
  private valueEnd(idx: LocIndex, offset: number): number {
    const c = this.src.charCodeAt(offset);
    if (c === 123 || c === 91) {
      const base = idx.find(offset);
      if (base >= 0) return idx.end(base);
    }
    return skipPrimitive(this.src, offset);
  }

  /**
   * Walks `path` through the source. Returns the deepest resolved node: its value start and, when it was
   * reached through an object key, the key span.
   */
  private walk(path: readonly PathSegment[]): { valueStart: number; key?: Span; resolved: boolean } | null {
    const idx = this.index();
    if (!idx) return null;
    const s = this.src;
    let valueStart = firstNonWs(s, 0);
    let key: Span | undefined;
    for (const seg of path) {
      const c = s.charCodeAt(valueStart);
      const base = c === 123 || c === 91 ? idx.find(valueStart) : -1;
      if (base < 0) return { valueStart, key, resolved: false };
      const n = idx.size(base);
      if (c === 91) {
        if (typeof seg !== "number" || seg < 0 || seg >= n) return { valueStart, key, resolved: false };
        valueStart = idx.member(base, seg);
        key = undefined;
      } else {
        const want = String(seg);
        let found = -1;
        // the last occurrence wins, like the parsed value
        for (let i = n - 2; i >= 0; i -= 2) {
          if (readString(s, idx.member(base, i))[0] === want) {
            found = i;
            break;
          }
        }
        if (found < 0) return { valueStart, key, resolved: false };
        const keyStart = idx.member(base, found);
        key = { start: keyStart, end: readString(s, keyStart)[1] };
        valueStart = idx.member(base, found + 1);
      }
    }
    return { valueStart, key, resolved: true };
  }

  /**
   * Span of the node at `path`: the quoted key for an object member, the whole value for an array element or
   * the root. An unresolvable tail falls back to the deepest existing node.
   */
  spanOf(path: readonly PathSegment[]): Span {
    const w = this.walk(path);
    if (!w) return { start: 0, end: this.src.length };
    if (w.key) return w.key;
    return { start: w.valueStart, end: this.valueEnd(this.index()!, w.valueStart) };
  }

  /** Span of the value (not the key) at `path`; falls back like `spanOf`. */
  valueSpanOf(path: readonly PathSegment[]): Span {
    const w = this.walk(path);
    if (!w) return { start: 0, end: this.src.length };
    if (!w.resolved && w.key) return w.key;
    return { start: w.valueStart, end: this.valueEnd(this.index()!, w.valueStart) };
  }
}

/** Shared, never-written index for the string reader (so reading a key allocates no index). */
const STRING_ONLY = new LocIndex();

function firstNonWs(s: string, i: number): number {
  for (;;) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9) i++;
    else return i;
  }
}

/** Reads the JSON string whose opening quote is at `offset`; returns [value, end offset exclusive]. */
export function readString(src: string, offset: number): [string, number] {
  const p = new Parser(src, true, STRING_ONLY);
  p.pos = offset;
  try {
    const v = p.parseString();
    return [v, p.pos];
  } catch {
    return ["", offset + 1];
  }
}

/**
 * Source offset of the character at `index` of the decoded value of the JSON string whose opening quote is at
 * `quote` (escapes such as `\"` or `\u00e9` count as one character of the value). Clamped to the string.
 */
export function stringCharOffset(src: string, quote: number, index: number): number {
  let i = quote + 1;
  let n = 0;
  while (i < src.length && n < index) {
    const c = src.charCodeAt(i);
    if (c === 34) return i; // closing quote: index past the end
    i += c === 92 ? (src.charCodeAt(i + 1) === 117 ? 6 : 2) : 1;
    n++;
  }
  return Math.min(i, src.length);
}

function skipPrimitive(src: string, offset: number): number {
  if (src.charCodeAt(offset) === 34) return readString(src, offset)[1];
  let i = offset;
  while (i < src.length) {
    const c = src.charCodeAt(i);
    if (c === 44 || c === 125 || c === 93 || c === 32 || c === 10 || c === 13 || c === 9) break;
    i++;
  }
  return Math.max(i, offset + 1);
}

/** `screens[0].layout.children[2].label`, Meta's pointer style. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** `$root/screens/0/layout/children/2`, the style Meta uses inside messages. */
export function formatRootPath(path: readonly PathSegment[]): string {
  return "$root" + path.map((s) => "/" + String(s)).join("");
}

/**
 * Number of object members in valid JSON text: one ':' outside strings per member. Strings are skipped with
 * native `indexOf`, so this is cheap even before the JIT warms up. Only meaningful when `JSON.parse(src)` succeeded.
 */
export function countJsonMembers(src: string): number {
  let count = 0;
  let pos = 0;
  let colon = src.indexOf(":");
  for (;;) {
    const q = src.indexOf('"', pos);
    const gapEnd = q === -1 ? src.length : q;
    while (colon !== -1 && colon < gapEnd) {
      if (colon >= pos) count++;
      colon = src.indexOf(":", colon + 1);
    }
    if (q === -1) return count;
    // find the closing quote (skip escaped quotes: odd number of backslashes before it)
    let end = q;
    for (;;) {
      end = src.indexOf('"', end + 1);
      if (end === -1) return count;
      let bs = 0;
      while (src.charCodeAt(end - 1 - bs) === 92) bs++;
      if ((bs & 1) === 0) break;
    }
    pos = end + 1;
    if (colon !== -1 && colon < pos) colon = src.indexOf(":", pos);
  }
}

/** Number of own keys of every object in a parsed JSON value; throws beyond the parser's depth limit. */
export function countValueMembers(v: unknown, depth = 0): number {
  if (v === null || typeof v !== "object") return 0;
  if (depth >= MAX_DEPTH) throw new RangeError(`JSON nested deeper than ${MAX_DEPTH} levels`);
  let n = 0;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (x !== null && typeof x === "object") n += countValueMembers(x, depth + 1);
    }
    return n;
  }
  for (const k in v as Record<string, unknown>) {
    n++;
    const x = (v as Record<string, unknown>)[k];
    if (x !== null && typeof x === "object") n += countValueMembers(x, depth + 1);
  }
  return n;
}
