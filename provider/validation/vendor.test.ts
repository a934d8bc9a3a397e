import { formatProblemLine, normaliseVendorErrors } from "./index";

const meta = {
  error: "INVALID_PROPERTY",
  error_type: "JSON_SCHEMA_ERROR",
  message: 'The property "initial-text" cannot be specified at "$root/screens/0/layout/children/2/children/0".',
  line_start: 46,
  line_end: 46,
  column_start: 17,
  column_end: 30,
  pointers: [{ line_start: 46, line_end: 46, column_start: 17, column_end: 30, path: "screens[0].layout.children[2].children[0]" }],
};

describe("normaliseVendorErrors", () => {
  it("keeps Meta snake_case objects", () => {
    expect(normaliseVendorErrors([meta])).toEqual([{ ...meta, severity: "error" }]);
  });

  it("reads 360dialog objects without pointers", () => {
    const { pointers: _p, ...noPointers } = meta;
    expect(normaliseVendorErrors([noPointers])[0]).toEqual({ ...noPointers, pointers: [], severity: "error" });
  });

  it("reads 8x8 camelCase objects and camelCase pointers", () => {
    const camel = {
      error: "INVALID_PROPERTY",
      errorType: "JSON_SCHEMA_ERROR",
      message: "m",
      lineStart: 3,
      lineEnd: 4,
      columnStart: 5,
      columnEnd: 6,
      pointers: [{ path: "screens[0].id", lineStart: 3, lineEnd: 3, columnStart: 5, columnEnd: 9 }],
    };
    expect(normaliseVendorErrors([camel])).toEqual([
      {
        error: "INVALID_PROPERTY",
        error_type: "JSON_SCHEMA_ERROR",
        message: "m",
        line_start: 3,
        line_end: 4,
        column_start: 5,
        column_end: 6,
        pointers: [{ path: "screens[0].id", line_start: 3, line_end: 3, column_start: 5, column_end: 9 }],
        severity: "error",
      },
    ]);
  });

  it("parses AWS strings holding JSON (our emulator)", () => {
    expect(normaliseVendorErrors([JSON.stringify(meta)])).toEqual([{ ...meta, severity: "error" }]);
  });

  it("turns AWS plain text into FLOW_JSON_ERROR with zero positions", () => {
    expect(normaliseVendorErrors(["Flow JSON is invalid: screen FIRST_1 id"])).toEqual([
      {
        error: "FLOW_JSON_ERROR",
        error_type: "FLOW_JSON_ERROR",
        message: "Flow JSON is invalid: screen FIRST_1 id",
        line_start: 0,
        line_end: 0,
        column_start: 0,
        column_end: 0,
        pointers: [],
        severity: "error",
      },
    ]);
    expect(normaliseVendorErrors(["{not json"])[0].message).toBe("{not json");
  });

  it("unwraps {validation_errors: [...]} wrappers", () => {
    expect(normaliseVendorErrors([{ validation_errors: [meta, meta] }])).toHaveLength(2);
  });

  it("is total: junk in, problems or nothing out, never a throw", () => {
    const cyclic: any = { message: 1 };
    cyclic.self = cyclic;
    const weird: unknown[] = [
      null,
      undefined,
      42,
      true,
      [],
      [["x"]],
      cyclic,
      { pointers: "nope", line_start: "7" },
      Symbol("s") as unknown,
      () => 1,
    ];
    const out = normaliseVendorErrors(weird);
    expect(Array.isArray(out)).toBe(true);
    for (const p of out) {
      expect(typeof p.error).toBe("string");
      expect(typeof p.message).toBe("string");
      expect(Number.isFinite(p.line_start)).toBe(true);
    }
    expect(out.find((p) => p.line_start === 7)).toBeDefined();
    expect(normaliseVendorErrors(undefined as unknown as unknown[])).toEqual([]);
  });
});

describe("formatProblemLine", () => {
  it("prints file:line:column when the position is known, and the file alone when it is not", () => {
    const [positioned] = normaliseVendorErrors([{ error: "INVALID_PROPERTY_VALUE", message: "bad", line_start: 4, column_start: 9 }]);
    const [plainText] = normaliseVendorErrors(["Meta rejected the flow"]);
    expect(formatProblemLine("flows/a.json", positioned)).toBe("flows/a.json:4:9  error  INVALID_PROPERTY_VALUE  bad");
    expect(formatProblemLine("flows/a.json", plainText)).toBe("flows/a.json  error  FLOW_JSON_ERROR  Meta rejected the flow");
  });
});
