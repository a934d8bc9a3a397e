/**
 * Accept-only fast path derived from the zod schemas: `fastAccept(schema)(value)` returns true only when zod
 * would accept `value`; on false (or for any schema construct it does not understand) the caller runs zod,
 * which stays the source of truth for the verdict and for the issues. zod copies every object it parses;
 * skipping it for the valid majority of nodes cuts allocation (and peak memory) roughly in half.
 * A property test (fuzz.test.ts) checks `fastAccept(s)(v) ⇒ s.safeParse(v).success`.
 */
import type { z } from "zod";

type Check = (v: unknown) => boolean;
const NEVER: Check = () => false;
const cache = new WeakMap<object, Check>();

/** The parts of zod 4's internal definitions (`schema._zod.def`) this compiler reads; any other construct compiles to NEVER. */
interface ZodInternals {
  _zod?: { def?: ZodDef; pattern?: RegExp };
}
interface ZodDef {
  type?: string;
  checks?: { _zod?: { def?: CheckDef } }[];
  values?: unknown[];
  entries?: Record<string, unknown>;
  innerType?: ZodInternals;
  options?: ZodInternals[];
  element?: ZodInternals;
  keyType?: ZodInternals;
  valueType?: ZodInternals;
  catchall?: ZodInternals;
  shape?: Record<string, ZodInternals>;
}
interface CheckDef {
  check?: string;
  format?: string;
  inclusive?: boolean;
  value?: number;
  minimum?: number;
  maximum?: number;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

export function fastAccept(schema: z.ZodType): Check {
  let fn = cache.get(schema);
  if (!fn) {
    fn = compile(schema as ZodInternals);
    cache.set(schema, fn);
  }
  return fn;
}

function compile(schema: ZodInternals | undefined): Check {
  const zod = schema?._zod;
  const def = zod?.def;
  if (!def) return NEVER;
  const checks: CheckDef[] = (def.checks ?? []).map((c) => c?._zod?.def ?? {});
  switch (def.type) {
    case "string":
      return checks.length === 0 ? (v) => typeof v === "string" : NEVER;
    case "boolean":
      return checks.length === 0 ? (v) => typeof v === "boolean" : NEVER;
    case "unknown":
    case "any":
      return () => true;
    case "number": {
      const preds: Check[] = [(v) => typeof v === "number" && Number.isFinite(v)];
      for (const c of checks) {
        if (c.check === "number_format" && (c.format === "safeint" || c.format === "int32")) preds.push((v) => Number.isSafeInteger(v));
        else if (c.check === "greater_than") {
          const bound = Number(c.value);
          preds.push(c.inclusive ? (v) => (v as number) >= bound : (v) => (v as number) > bound);
        } else if (c.check === "less_than") {
          const bound = Number(c.value);
          preds.push(c.inclusive ? (v) => (v as number) <= bound : (v) => (v as number) < bound);
        } else return NEVER;
      }
      return (v) => preds.every((p) => p(v));
    }
    case "literal": {
      const values: unknown[] = def.values ?? [];
      return (v) => values.includes(v);
    }
    case "enum": {
      const values = new Set(Object.values(def.entries ?? {}));
      return (v) => values.has(v);
    }
    case "template_literal": {
      const re: RegExp | undefined = zod.pattern;
      return re ? (v) => typeof v === "string" && re.test(v) : NEVER;
    }
    case "optional": {
      const inner = compile(def.innerType);
      return (v) => v === undefined || inner(v);
    }
    case "union": {
      const options: Check[] = (def.options ?? []).map(compile);
      return (v) => {
        for (const o of options) if (o(v)) return true;
        return false;
      };
    }
    case "array": {
      const el = compile(def.element);
      let min = 0;
      let max = Infinity;
      for (const c of checks) {
        if (c.check === "min_length") min = Number(c.minimum);
        else if (c.check === "max_length") max = Number(c.maximum);
        else return NEVER;
      }
      return (v) => {
        if (!Array.isArray(v) || v.length < min || v.length > max) return false;
        for (let i = 0; i < v.length; i++) if (!el(v[i])) return false;
        return true;
      };
    }
    case "record": {
      const keyDef = def.keyType?._zod?.def;
      if (keyDef?.type !== "string" || (keyDef.checks ?? []).length) return NEVER;
      const val = compile(def.valueType);
      return (v) => {
        if (!isPlainObject(v)) return false;
        for (const k in v) if (!val(v[k])) return false;
        return true;
      };
    }
    case "object": {
      if (checks.length) return NEVER;
      const strict = def.catchall?._zod?.def?.type === "never";
      if (def.catchall && !strict) return NEVER;
      const shape: Record<string, ZodInternals> = def.shape ?? {};
      const keys = Object.keys(shape);
      const props: Check[] = keys.map((k) => compile(shape[k]));
      const known = new Set(keys);
      return (v) => {
        if (!isPlainObject(v)) return false;
        for (let i = 0; i < keys.length; i++) if (!props[i](v[keys[i]])) return false;
        if (strict) for (const k in v) if (!known.has(k)) return false;
        return true;
      };
    }
    default:
      return NEVER;
  }
}
