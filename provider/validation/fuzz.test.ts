import fc from "fast-check";
import { validateFlowJson } from "./index";
import { baseFlow } from "./test-helpers";

// property tests run thousands of validations; give them room on a loaded 2-core machine
jest.setTimeout(60_000);

const check = (src: string) => {
  const r = validateFlowJson(src);
  expect(Array.isArray(r.errors)).toBe(true);
  expect(Array.isArray(r.warnings)).toBe(true);
  for (const p of [...r.errors, ...r.warnings]) {
    expect(typeof p.error).toBe("string");
    expect(p.error).not.toBe("INTERNAL_VALIDATOR_ERROR");
    expect(Number.isInteger(p.line_start) && p.line_start >= 0).toBe(true);
    expect(Number.isInteger(p.column_start) && p.column_start >= 0).toBe(true);
  }
  return r;
};

describe("validateFlowJson never throws", () => {
  it("on arbitrary strings (and reports an error for them)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (s) => {
        const r = check(s);
        expect(r.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it("on arbitrary JSON values", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => {
        check(JSON.stringify(v, null, 1) ?? "null");
      }),
      { numRuns: 500 },
    );
  });

  it("on flows with random subtrees replaced by arbitrary JSON", () => {
    const paths: (string | number)[][] = [];
    const collect = (v: unknown, p: (string | number)[]) => {
      paths.push(p);
      if (Array.isArray(v)) v.forEach((x, i) => collect(x, p.concat(i)));
      else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) collect(x, p.concat(k));
    };
    collect(baseFlow(), []);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(paths.length - 1), fc.jsonValue({ maxDepth: 3 })), { minLength: 1, maxLength: 4 }), (edits) => {
        const doc: any = baseFlow();
        for (const [i, value] of edits) {
          const p = paths[i];
          if (p.length === 0) continue;
          let parent = doc;
          for (const seg of p.slice(0, -1)) parent = parent?.[seg];
          if (parent && typeof parent === "object") parent[p[p.length - 1]] = value;
        }
        const src = JSON.stringify(doc, null, 2);
        const lazy = check(src);
        // the offsets-only locator (lazy) and the full location-preserving parse (eager) agree exactly
        expect(validateFlowJson(src, { positions: "eager" })).toEqual(lazy);
      }),
      { numRuns: 500 },
    );
  });

  it("on truncated and corrupted flow text (INVALID_FLOW_JSON whenever JSON.parse rejects it)", () => {
    const src = JSON.stringify(baseFlow(), null, 2);
    fc.assert(
      fc.property(fc.nat(src.length - 1), fc.string({ maxLength: 3 }), (cut, junk) => {
        const text = src.slice(0, cut) + junk;
        const r = check(text);
        let parses = true;
        try {
          JSON.parse(text);
        } catch {
          parses = false;
        }
        // cutting the final "}" and appending "}" rebuilds a valid document: only unparseable text must fail
        if (!parses) expect(r.errors.map((e) => e.error)).toContain("INVALID_FLOW_JSON");
        else expect(text.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it("on very deep nesting (an error, not a stack overflow)", () => {
    for (const depth of [600, 5000, 100000]) {
      const doc = baseFlow();
      const src = JSON.stringify(doc).replace('"__example__":"Ann"', `"__example__":${"[".repeat(depth)}${"]".repeat(depth)}`);
      const r = check(src);
      expect(r.errors.map((e) => e.error)).toContain("INVALID_FLOW_JSON");
    }
    expect(check("[".repeat(200000)).errors[0].error).toBe("INVALID_FLOW_JSON");
  });

  it("finds duplicate keys behind the native fast path, also with ':' and escaped quotes inside strings", () => {
    const src = String.raw`{"version": "7.3", "a\\": ":", "b\"": "x:\\", "c": "\\\"q:", "version": "7.3", "screens": []}`;
    expect(Object.keys(JSON.parse(src))).toEqual(["version", "a\\", 'b"', "c", "screens"]);
    const r = check(src);
    expect(r.warnings.map((w) => [w.error, w.pointers[0].path])).toEqual([["DUPLICATE_JSON_KEY", "version"]]);
  });

  it("on a pathological flow with 20 000 chained screens (MAX_SCREENS_NUMBER, no stack overflow)", () => {
    const doc = baseFlow();
    const tpl = JSON.stringify(doc.screens[0]);
    doc.screens = Array.from({ length: 20000 }, (_, i) => {
      const s = JSON.parse(tpl);
      s.id = "S" + i.toString(26).replace(/\d/g, (d) => "ABCDEFGHIJ"[Number(d)]);
      return s;
    });
    for (let i = 0; i < doc.screens.length - 1; i++) doc.screens[i].layout.children[2]["on-click-action"].next.name = doc.screens[i + 1].id;
    const r = validateFlowJson(JSON.stringify(doc));
    const codes = new Set(r.errors.map((e) => e.error));
    expect(codes.has("MAX_SCREENS_NUMBER")).toBe(true);
    expect(codes.has("INTERNAL_VALIDATOR_ERROR")).toBe(false);
  });

  it("on non-string input passed from JavaScript", () => {
    for (const v of [undefined, null, 42, {}, []]) expect(() => validateFlowJson(v as unknown as string)).not.toThrow();
  });
});

describe("fastAccept never accepts what zod rejects", () => {
  const { fastAccept } = require("./fastpath") as typeof import("./fastpath");
  const { COMPONENTS, ScreenSchema, DocumentSchema, ActionSchema, componentSchema } = require("./schemas") as typeof import("./schemas");
  const schemas = [
    ...Object.values(COMPONENTS),
    ScreenSchema,
    DocumentSchema,
    ActionSchema,
    componentSchema("CheckboxGroup", 301)!,
    componentSchema("TextInput", 601)!,
  ];
  const samples: unknown[] = [];
  const collect = (v: unknown) => {
    samples.push(v);
    if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === "object") Object.values(v).forEach(collect);
  };
  collect(baseFlow());

  it("on mutated real nodes and arbitrary JSON", () => {
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc
        .tuple(fc.constantFrom(...samples), fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }))
        .map(([s, k, v]) => (s && typeof s === "object" && !Array.isArray(s) ? { ...(s as object), [k]: v } : s)),
      fc.constantFrom(...samples),
    );
    fc.assert(
      fc.property(fc.constantFrom(...schemas), value, (schema, v) => {
        if (fastAccept(schema)(v)) expect(schema.safeParse(v).success).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it("accepts the valid components of the base flow (the fast path is actually taken)", () => {
    const flow = baseFlow();
    for (const c of [...flow.screens[0].layout.children, ...flow.screens[1].layout.children]) {
      expect(fastAccept(componentSchema(c.type, 703)!)(c)).toBe(true);
    }
  });
});

describe("expressions never throw", () => {
  const pieces = [
    "${data.name}",
    "${form.email}",
    "'a'",
    "'",
    "\\`",
    "`",
    "(",
    ")",
    "1",
    "true",
    "null",
    "==",
    "!=",
    "<",
    ">=",
    "&&",
    "||",
    "!",
    "+",
    "-",
    "*",
    "/",
    "%",
    "?",
    ":",
    " ",
    "${",
    "}",
    "=",
    "&",
    "x",
  ];
  it("on random expressions in a text, a boolean property and an If condition", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 30 }), (parts) => {
        const e = parts.join("");
        const doc = baseFlow();
        const kids = doc.screens[0].layout.children;
        kids[0].text = "`" + e + " ${data.name}`";
        kids[1].visible = "`${form.email} " + e + "`";
        kids.splice(2, 0, { type: "If", condition: "${form.email} " + e, then: [{ type: "TextBody", text: e + "${data.name}" }] });
        check(JSON.stringify(doc, null, 2));
      }),
      { numRuns: 400 },
    );
  });

  it("on very long and deeply nested expressions", () => {
    const doc = baseFlow();
    const kids = doc.screens[0].layout.children;
    kids[0].text = "`" + "(".repeat(5000) + "${data.name}" + ")".repeat(5000) + "`";
    kids[1].visible = "`" + Array.from({ length: 20000 }, () => "${form.email} == 'a'").join(" && ") + "`";
    kids.splice(2, 0, {
      type: "If",
      condition: "!".repeat(5000) + "${form.email}" + " ? 1 :".repeat(3000) + " 2",
      then: [{ type: "TextBody", text: "t" }],
    });
    const r = check(JSON.stringify(doc));
    expect(r.errors.length).toBeGreaterThan(0);
  });
});
