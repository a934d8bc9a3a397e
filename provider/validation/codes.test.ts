/** The problem-code table: Meta's error_type and our category as users see them, and the README's list of codes. */
import { readFileSync } from "fs";
import * as path from "path";
import { PROBLEM_CODES, categoryOf, errorTypeOf, type ProblemCode } from "./codes";
import { validateFlowJson } from "./index";
import { baseFlow, run } from "./test-helpers";

describe("problem codes", () => {
  it("error_type: JSON_SCHEMA_ERROR for shape codes, FLOW_JSON_ERROR for the rest and for codes we do not know", () => {
    expect(errorTypeOf("MISSING_REQUIRED_PROPERTY")).toBe("JSON_SCHEMA_ERROR");
    expect(errorTypeOf("INVALID_ROUTING_MODEL")).toBe("FLOW_JSON_ERROR");
    expect(errorTypeOf("SOME_VENDOR_CODE")).toBe("FLOW_JSON_ERROR");
    expect(errorTypeOf("toString")).toBe("FLOW_JSON_ERROR");
  });

  it("category: fixed for syntax and version codes, else advice for warnings, schema or semantic by error_type", () => {
    expect(categoryOf("INVALID_FLOW_JSON", "error")).toBe("syntax");
    expect(categoryOf("UNAVAILABLE_FLOW_JSON_VERSION", "warning")).toBe("version");
    expect(categoryOf("NO_SUPPORTED_DATA_API_VERSION", "error")).toBe("version");
    expect(categoryOf("INVALID_SCREEN_DATA", "warning")).toBe("advice");
    expect(categoryOf("INVALID_PROPERTY", "error")).toBe("schema");
    expect(categoryOf("DUPLICATE_SCREEN_IDS", "error")).toBe("semantic");
  });

  it("a reported problem carries the table's error_type and category", () => {
    const d = baseFlow();
    d.version = "3.0";
    d.screens[0].id = "FIRST";
    d.screens[1].id = "FIRST";
    const { errors } = run(d).result;
    const dup = errors.find((e) => e.error === "DUPLICATE_SCREEN_IDS");
    expect(dup).toMatchObject({ error_type: "FLOW_JSON_ERROR", category: "semantic" });
    const frozen = errors.find((e) => e.error === "UNSUPPORTED_FLOW_JSON_VERSION");
    expect(frozen).toMatchObject({ error_type: "FLOW_JSON_ERROR", category: "version" });
    const key = validateFlowJson('{"version": "7.3", "screens": [], "colour": 1}').errors.find((e) => e.error === "INVALID_PROPERTY_KEY");
    expect(key).toMatchObject({ error_type: "JSON_SCHEMA_ERROR", category: "schema" });
  });

  it("README.md lists every code", () => {
    const readme = readFileSync(path.join(__dirname, "README.md"), "utf8");
    const missing = (Object.keys(PROBLEM_CODES) as ProblemCode[]).filter((c) => !readme.includes("`" + c + "`"));
    expect(missing).toEqual([]);
  });
});
