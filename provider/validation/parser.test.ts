import { formatPath, formatRootPath, parseJsonWithLocations, SourceLocator } from "./parser";

const samples = [
  '{"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9\\"q"], "b": {"c": {}}, "d": []}',
  "  [ ]  ",
  '"just a string"',
  "0",
  '{"__proto__": {"polluted": true}, "k": "\\ud83d\\ude00"}',
];

describe("parseJsonWithLocations", () => {
  it.each(samples)("gives the same value as JSON.parse: %s", (src) => {
    const r = parseJsonWithLocations(src);
    expect(r.ok).toBe(true);
    expect(r.value).toEqual(JSON.parse(src));
  });

  it("does not pollute prototypes through __proto__ keys", () => {
    const r = parseJsonWithLocations('{"__proto__": {"polluted": true}}');
    expect(({} as any).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(r.value)).toBe(Object.prototype);
    expect(Object.keys(r.value as object)).toEqual(["__proto__"]);
  });

  it.each([
    ['{"a": 1,}', 7, "Trailing comma"],
    ["[1 2]", 3, "expected ',' or ']'"],
    ['{"a" 1}', 5, "expected ':'"],
    ["{a: 1}", 1, "double-quoted property name"],
    ["01", 1, "after the JSON value"],
    ["-", 1, "expected a digit"],
    ['"a\tb"', 2, "control character"],
    ["", 0, "expected a JSON value"],
    ["[1] x", 4, "after the JSON value"],
    ['"\\x"', 1, "Bad escaped character"],
  ])("reports %j at offset %d", (src, offset, text) => {
    const r = parseJsonWithLocations(src);
    expect(r.ok).toBe(false);
    expect(r.syntaxError!.offset).toBe(offset);
    expect(r.syntaxError!.message).toContain(text);
    expect(() => JSON.parse(src)).toThrow();
  });

  it("caps nesting depth instead of overflowing the stack", () => {
    const r = parseJsonWithLocations("[".repeat(100000));
    expect(r.ok).toBe(false);
    expect(r.syntaxError!.message).toMatch(/nested deeper/);
  });

  it("records duplicate keys with their path and offset; the last value wins", () => {
    const src = '{"s": [{"id": 1, "id": 2}]}';
    const r = parseJsonWithLocations(src);
    expect(r.value).toEqual({ s: [{ id: 2 }] });
    expect(r.duplicates).toEqual([{ path: ["s", 0, "id"], key: "id", offset: src.lastIndexOf('"id"') }]);
  });
});

describe("SourceLocator", () => {
  const src = '{\n  "screens": [\n    {"id": "A", "layout": {"children": [1, "two"]}}\n  ]\n}';
  const parsed = parseJsonWithLocations(src);
  const loc = new SourceLocator(src, parsed.locs);
  const offsetsOnly = new SourceLocator(src, parseJsonWithLocations(src, { values: false }).locs);

  it("points at the quoted key of an object member (inclusive end)", () => {
    expect(loc.range(loc.spanOf(["screens", 0, "id"]))).toEqual({ line_start: 3, column_start: 6, line_end: 3, column_end: 9 });
  });

  it("points at the whole value of an array element", () => {
    expect(loc.range(loc.spanOf(["screens", 0]))).toEqual({ line_start: 3, column_start: 5, line_end: 3, column_end: 51 });
    expect(loc.range(loc.spanOf(["screens", 0, "layout", "children", 1]))).toEqual({
      line_start: 3,
      column_start: 44,
      line_end: 3,
      column_end: 48,
    });
  });

  it("points at a value with valueSpanOf", () => {
    expect(loc.range(loc.valueSpanOf(["screens", 0, "id"]))).toEqual({ line_start: 3, column_start: 12, line_end: 3, column_end: 14 });
  });

  it("falls back to the deepest existing node for a missing path", () => {
    expect(loc.range(loc.spanOf(["screens", 0, "title"]))).toEqual(loc.range(loc.spanOf(["screens", 0])));
    expect(loc.range(loc.spanOf(["nope"]))).toEqual({ line_start: 1, column_start: 1, line_end: 5, column_end: 1 });
  });

  it("gives the same spans from an offsets-only scan", () => {
    for (const p of [["screens", 0, "id"], ["screens", 0], ["screens", 0, "layout", "children", 1], ["nope"], []] as (
      string | number
    )[][]) {
      expect(offsetsOnly.spanOf(p)).toEqual(loc.spanOf(p));
      expect(offsetsOnly.valueSpanOf(p)).toEqual(loc.valueSpanOf(p));
    }
  });

  it("maps offsets to 1-based lines and columns", () => {
    expect(loc.position(0)).toEqual({ line: 1, column: 1 });
    expect(loc.position(src.indexOf('"screens"'))).toEqual({ line: 2, column: 3 });
    expect(loc.position(src.length)).toEqual({ line: 5, column: 2 });
  });
});

describe("path formatting", () => {
  it("formats Meta's two path styles", () => {
    expect(formatPath(["screens", 0, "layout", "children", 2, "on-click-action"])).toBe("screens[0].layout.children[2].on-click-action");
    expect(formatPath(["cases", "1st"])).toBe('cases["1st"]');
    expect(formatRootPath(["screens", 0, "layout"])).toBe("$root/screens/0/layout");
  });
});

describe("duplicate-key proof used by the native fast path", () => {
  const { countJsonMembers, countValueMembers } = require("./parser") as typeof import("./parser");
  const fc = require("fast-check") as typeof import("fast-check");

  it("counts one member per key for any JSON text without duplicates", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), fc.constantFrom(0, 1, 2, "\t"), (v, indent) => {
        const src = JSON.stringify(v, null, indent as number | string);
        expect(countJsonMembers(src)).toBe(countValueMembers(JSON.parse(src)));
      }),
      { numRuns: 1000 },
    );
  });

  it("sees the extra member of a duplicate key", () => {
    const src = '{"a": 1, "b": {"c": ":", "c": "\\":"}}';
    expect(countJsonMembers(src)).toBe(4);
    expect(countValueMembers(JSON.parse(src))).toBe(3);
  });
});
