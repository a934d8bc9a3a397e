/**
 * Real-world Flow JSON written by others (fixtures/conformance/valid: Meta's WhatsApp-Flows-Tools and pywa, MIT;
 * sources and licences in fixtures/conformance/README.md): no error other than the frozen-version one.
 */
import { readdirSync, readFileSync } from "fs";
import * as path from "path";
import { FLOW_JSON_VERSIONS, validateFlowJson } from "./index";
import { versionNumber } from "./versions";
import { baseFlow } from "./test-helpers";

const dir = path.join(__dirname, "fixtures/conformance/valid");
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort();
/** Clean flows kept beside the tests (see fixtures/valid/README.md for their source and licence). */
const localDir = path.join(__dirname, "fixtures/valid");
const localFiles = readdirSync(localDir)
  .filter((f) => f.endsWith(".json"))
  .sort();

describe("local clean flows (fixtures/valid)", () => {
  it.each(localFiles)("%s has no error and no warning", (file) => {
    const result = validateFlowJson(readFileSync(path.join(localDir, file), "utf8"));
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
  });
});

describe("every version in the table", () => {
  // A small flow using only base components is valid on every version; frozen ones add only the version error.
  it.each(FLOW_JSON_VERSIONS.map((v) => [v.version, v.status] as const))("%s (%s)", (version, status) => {
    const flow = baseFlow();
    flow.version = version;
    if (versionNumber(version) < versionNumber("4.0")) {
      // before 4.0 inputs must sit in a Form
      const kids = flow.screens[0].layout.children.splice(1, 2);
      flow.screens[0].layout.children.push({ type: "Form", name: "form", children: kids });
    }
    const r = validateFlowJson(JSON.stringify(flow, null, 2));
    const expected = status === "frozen" ? ["UNSUPPORTED_FLOW_JSON_VERSION"] : [];
    expect(r.errors.map((e) => e.error)).toEqual(expected);
    expect(r.warnings.map((w) => w.error)).toEqual(status === "early" ? ["UNAVAILABLE_FLOW_JSON_VERSION"] : []);
  });
});

describe("conformance corpus (fixtures/conformance/valid)", () => {
  it("holds the real-world flows", () => expect(files.length).toBeGreaterThanOrEqual(6));
  it.each(files)("%s has no error other than the frozen version", (file) => {
    const src = readFileSync(path.join(dir, file), "utf8");
    const result = validateFlowJson(src);
    const structural = result.errors.filter((e) => e.error !== "UNSUPPORTED_FLOW_JSON_VERSION");
    expect(structural).toEqual([]);
    const version = JSON.parse(src).version as string;
    const frozen = FLOW_JSON_VERSIONS.some((v) => v.version === version && v.status === "frozen");
    expect(result.errors.map((e) => e.error)).toEqual(frozen ? ["UNSUPPORTED_FLOW_JSON_VERSION"] : []);
    for (const e of result.errors) expect(e.category).toBe("version");
  });
});
