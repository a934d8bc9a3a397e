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
  locs: LocTable;
}

/**
 * Offsets of every object/array, packed in one growable Int32Array: at `index.get(container)` sit
 * `start, end, n, m1, …, mn` (object members: `keyStart, valueStart` pairs; array elements: `valueStart`).
 * No per-node allocation besides the Map entry.
 */
export class LocTable {
  private buf = new Int32Array(4096);
  private len = 0;
  private readonly index = new Map<object, number>();

  add(container: object, start: number, end: number, members: number[], from: number): void {
    const n = members.length - from;
    let need = this.len + 3 + n;
    if (need > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < need) cap *= 2;
      const next = new Int32Array(cap);
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    const b = this.buf;
    let i = this.len;
    this.index.set(container, i);
    b[i++] = start;
    b[i++] = end;
    b[i++] = n;
    for (let j = from; j < members.length; j++) b[i++] = members[j];
    this.len = need = i;
  }

  /** `[start, end, ...members]` of a container (allocated on demand, for reporting). */
  get(container: object): number[] | undefined {
    const base = this.index.get(container);
    if (base === undefined) return undefined;
    const b = this.buf;
    const n = b[base + 2];
    const out = [b[base], b[base + 1]];
    for (let j = 0; j < n; j++) out.push(b[base + 3 + j]);
    return out;
  }

  get size(): number {
    return this.index.size;
  }
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

/** Parses `src`; never throws. */
export function parseJsonWithLocations(src: string): ParseOutcome {
  const p = new Parser(src);
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
  readonly locs = new LocTable();
  /** Member offsets of the containers being parsed (a stack; each container copies its slice on close). */
  private readonly scratch: number[] = [];
  private readonly path: PathSegment[] = [];

  constructor(private readonly src: string) {}

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
        return this.parseString();
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
          case 34: out += '"'; break;
          case 92: out += "\\"; break;
          case 47: out += "/"; break;
          case 98: out += "\b"; break;
          case 102: out += "\f"; break;
          case 110: out += "\n"; break;
          case 114: out += "\r"; break;
          case 116: out += "\t"; break;
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

  private parseArray(depth: number): unknown[] {
    if (depth >= MAX_DEPTH) throw new JsonSyntaxError(`JSON nested deeper than ${MAX_DEPTH} levels`, this.pos);
    const s = this.src;
    const arr: unknown[] = [];
    const start = this.pos;
    const scratch = this.scratch;
    const mark = scratch.length;
    this.pos++;
    this.skipWs();
    if (s.charCodeAt(this.pos) === 93) {
      this.pos++;
      this.locs.add(arr, start, this.pos, scratch, mark);
      return arr;
    }
    const path = this.path;
    for (let index = 0; ; index++) {
      this.skipWs();
      scratch.push(this.pos);
      path.push(index);
      arr.push(this.parseValue(depth + 1));
      path.pop();
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
        this.locs.add(arr, start, this.pos, scratch, mark);
        scratch.length = mark;
        return arr;
      }
      throw new JsonSyntaxError(`Unexpected ${describe(s, this.pos)} in array, expected ',' or ']'`, this.pos);
    }
  }

  private parseObject(depth: number): Record<string, unknown> {
    if (depth >= MAX_DEPTH) throw new JsonSyntaxError(`JSON nested deeper than ${MAX_DEPTH} levels`, this.pos);
    const s = this.src;
    const obj: Record<string, unknown> = {};
    const start = this.pos;
    const scratch = this.scratch;
    const mark = scratch.length;
    this.pos++;
    this.skipWs();
    if (s.charCodeAt(this.pos) === 125) {
      this.pos++;
      this.locs.add(obj, start, this.pos, scratch, mark);
      return obj;
    }
    const path = this.path;
    for (;;) {
      this.skipWs();
      const keyStart = this.pos;
      if (s.charCodeAt(keyStart) !== 34) {
        throw new JsonSyntaxError(`Unexpected ${describe(s, keyStart)}, expected a double-quoted property name`, keyStart);
      }
      const key = this.parseString();
      this.skipWs();
      if (s.charCodeAt(this.pos) !== 58) throw new JsonSyntaxError(`Unexpected ${describe(s, this.pos)}, expected ':' after property name`, this.pos);
      this.pos++;
      this.skipWs();
      scratch.push(keyStart, this.pos);
      path.push(key);
      const value = this.parseValue(depth + 1);
      path.pop();
      if (obj[key] !== undefined && hasOwn.call(obj, key)) {
        this.duplicates.push({ path: path.concat(key), key, offset: keyStart });
      }
      if (key === "__proto__") Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
      else obj[key] = value;
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
        this.locs.add(obj, start, this.pos, scratch, mark);
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
 * Turns paths and offsets into line/column ranges. The line table is built on first use, so a valid
 * document costs nothing here.
 */
export class SourceLocator {
  private lineStarts: number[] | undefined;

  constructor(
    readonly src: string,
    readonly root: unknown,
    readonly locs: LocTable,
  ) {}

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
  private valueEnd(value: unknown, offset: number): number {
    if (value !== null && typeof value === "object") {
      const loc = this.locs.get(value as object);
      if (loc) return loc[1];
    }
    return skipPrimitive(this.src, offset);
  }

  /**
   * Span of the node at `path`: the quoted key for an object member, the whole value for an array element
   * or the root. An unresolvable tail falls back to the deepest existing node.
   */
  spanOf(path: readonly PathSegment[]): Span {
    let cur: unknown = this.root;
    let loc = cur !== null && typeof cur === "object" ? this.locs.get(cur as object) : undefined;
    let span: Span = loc ? { start: loc[0], end: loc[1] } : { start: 0, end: this.src.length };
    for (const seg of path) {
      if (!loc || cur === null || typeof cur !== "object") break;
      if (Array.isArray(cur)) {
        if (typeof seg !== "number" || seg < 0 || seg >= cur.length) break;
        const start = loc[2 + seg];
        if (start === undefined) break;
        cur = cur[seg];
        span = { start, end: this.valueEnd(cur, start) };
      } else {
        const key = String(seg);
        let found = -1;
        // last occurrence wins, like the parsed value
        for (let i = loc.length - 2; i >= 2; i -= 2) {
          const [k] = readString(this.src, loc[i]);
          if (k === key) {
            found = i;
            break;
          }
        }
        if (found < 0) break;
        const keyStart = loc[found];
        const [, keyEnd] = readString(this.src, keyStart);
        cur = (cur as Record<string, unknown>)[key];
        span = { start: keyStart, end: keyEnd };
      }
      loc = cur !== null && typeof cur === "object" ? this.locs.get(cur as object) : undefined;
    }
    return span;
  }

  /** Span of the value (not the key) at `path`. */
  valueSpanOf(path: readonly PathSegment[]): Span {
    let cur: unknown = this.root;
    for (const seg of path) {
      if (cur === null || typeof cur !== "object") return this.spanOf(path);
      cur = (cur as any)[seg];
    }
    if (cur !== null && typeof cur === "object") {
      const loc = this.locs.get(cur as object);
      if (loc) return { start: loc[0], end: loc[1] };
    }
    if (path.length === 0) return { start: 0, end: this.src.length };
    const parentPath = path.slice(0, -1);
    let parent: unknown = this.root;
    for (const seg of parentPath) parent = (parent as any)?.[seg];
    const ploc = parent !== null && typeof parent === "object" ? this.locs.get(parent as object) : undefined;
    const last = path[path.length - 1];
    if (ploc && Array.isArray(parent) && typeof last === "number" && ploc[2 + last] !== undefined) {
      const st = ploc[2 + last];
      return { start: st, end: this.valueEnd(cur, st) };
    }
    if (ploc && !Array.isArray(parent)) {
      for (let i = ploc.length - 2; i >= 2; i -= 2) {
        if (readString(this.src, ploc[i])[0] === String(last)) {
          const st = ploc[i + 1];
          return { start: st, end: this.valueEnd(cur, st) };
        }
      }
    }
    return this.spanOf(path);
  }
}

/** Reads the JSON string whose opening quote is at `offset`; returns [value, end offset exclusive]. */
export function readString(src: string, offset: number): [string, number] {
  const p = new Parser(src);
  p.pos = offset;
  try {
    const v = p.parseString();
    return [v, p.pos];
  } catch {
    return ["", offset + 1];
  }
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
