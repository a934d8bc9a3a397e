/**
 * Shape rules: each node's zod schema (`../schemas.ts`, through the accept-only fast path) and the mapping of zod
 * issues to Meta's codes (`INVALID_PROPERTY`, `MISSING_REQUIRED_PROPERTY`, `INVALID_ENUM_VALUE`, …).
 */
import type { z } from "zod";
import { fastAccept } from "../fastpath";
import { formatRootPath } from "../parser";
import { COMPONENTS, type ComponentType } from "../schemas";
import { get, isObj, typeName, type Path, type RuleContext } from "./context";

/** Runs a zod schema on `value` (at `path`) and reports its issues in Meta's vocabulary. */
export function zod(ctx: RuleContext, schema: z.ZodType, value: unknown, path: Path, kind: "document" | "screen" | "component"): boolean {
  if (fastAccept(schema)(value)) return true;
  const res = schema.safeParse(value);
  if (res.success) return true;
  for (const issue of res.error.issues) zodIssue(ctx, issue, value, path, kind);
  return false;
}

/** A zod issue (zod's own type); its `path` is relative to the value the schema ran on. */
type ZodIssue = z.core.$ZodIssue;

function zodIssue(ctx: RuleContext, issue: ZodIssue, root: unknown, base: Path, kind: string): void {
  const rel: Path = (issue.path ?? []).map((p) => (typeof p === "number" ? p : String(p)));
  const path = base.concat(rel);
  const actual = get(root, rel);
  const where = formatRootPath(path);
  switch (issue.code) {
    case "unrecognized_keys":
      for (const key of issue.keys) {
        const code = kind === "component" && rel.length === 0 ? "INVALID_PROPERTY" : "INVALID_PROPERTY_KEY";
        ctx.r.add(code, `The property "${key}" cannot be specified at "${where}"${sinceHint(ctx, root, rel, key)}`, path.concat(key));
      }
      return;
    case "invalid_type":
      if (actual === undefined)
        ctx.r.add(
          "MISSING_REQUIRED_PROPERTY",
          `Missing required property "${String(rel[rel.length - 1] ?? "")}" at "${formatRootPath(path.slice(0, -1))}"`,
          path,
        );
      else ctx.r.add("INVALID_PROPERTY_TYPE", `Expected ${issue.expected} at "${where}", found ${typeName(actual)}`, path);
      return;
    case "invalid_union": {
      if (actual === undefined) {
        ctx.r.add(
          "MISSING_REQUIRED_PROPERTY",
          `Missing required property "${String(rel[rel.length - 1] ?? "")}" at "${formatRootPath(path.slice(0, -1))}"`,
          path,
        );
        return;
      }
      const branches: ZodIssue[][] = issue.errors ?? [];
      const matched = branches.find((b) => b.length > 0 && !b.some(isTypeMismatch));
      if (matched) {
        for (const sub of matched)
          zodIssue(
            ctx,
            { ...sub, path: (rel as PropertyKey[]).concat(sub.path ?? []) },
            root,
            base,
            kind === "component" ? "component-nested" : kind,
          );
        return;
      }
      const expected = branches
        .map((b) => b.find((i) => i.code === "invalid_type")?.expected ?? (b.some(isTypeMismatch) ? "a ${…} binding" : undefined))
        .filter(Boolean);
      ctx.r.add(
        "INVALID_PROPERTY_TYPE",
        `Expected ${expected.join(" or ") || "another type"} at "${where}", found ${typeName(actual)}`,
        path,
      );
      return;
    }
    case "invalid_value":
      ctx.r.add(
        "INVALID_ENUM_VALUE",
        `Invalid value ${JSON.stringify(actual)} at "${where}": expected one of ${(issue.values ?? []).map((x) => JSON.stringify(x)).join(", ")}`,
        path,
        { value: true },
      );
      return;
    case "too_small":
      if (issue.origin === "array") ctx.r.add("MIN_ITEMS_REQUIRED", `At least ${issue.minimum} item(s) required at "${where}"`, path);
      else if (issue.origin === "string")
        ctx.r.add("MIN_CHARS_REQUIRED", `At least ${issue.minimum} character(s) required at "${where}"`, path);
      else ctx.r.add("MINIMUM_VALUE_REQUIRED", `Value at "${where}" must be at least ${issue.minimum}`, path);
      return;
    case "too_big":
      if (issue.origin === "array") ctx.r.add("MAX_ITEMS_REQUIRED", `At most ${issue.maximum} item(s) allowed at "${where}"`, path);
      else ctx.r.add("MAXIMUM_VALUE_REQUIRED", `Value at "${where}" must be at most ${issue.maximum}`, path);
      return;
    case "invalid_format":
      ctx.r.add("PATTERN_MISMATCH", `Value ${JSON.stringify(actual)} at "${where}" does not match the expected format`, path, {
        value: true,
      });
      return;
    default:
      ctx.r.add("INVALID_PROPERTY_VALUE", `${issue.message ?? "Invalid value"} at "${where}"`, path);
  }
}

/** " (available from version X)" when an unknown component property exists in a later version. */
function sinceHint(ctx: RuleContext, root: unknown, rel: Path, key: string): string {
  if (rel.length !== 0 || !isObj(root) || typeof root.type !== "string") return "";
  const t = root.type as ComponentType;
  // Own keys only: a "type" such as "constructor" or "toString" must not reach Object.prototype.
  if (!Object.prototype.hasOwnProperty.call(COMPONENTS, t)) return "";
  const full = (COMPONENTS as Readonly<Record<string, { shape: object } | undefined>>)[t];
  if (!full || !Object.prototype.hasOwnProperty.call(full.shape, key)) return "";
  return ` in Flow JSON version ${ctx.versionText}`;
}

/** A zod issue saying "wrong kind of value here" (so this union branch was not the one meant). */
function isTypeMismatch(i: ZodIssue): boolean {
  if ((i.path ?? []).length !== 0) return false;
  if (i.code === "invalid_type") return true;
  if (i.code === "invalid_format" && i.format === "template_literal") return true;
  if (i.code === "invalid_union") return (i.errors ?? []).every((b) => b.some(isTypeMismatch));
  return false;
}
