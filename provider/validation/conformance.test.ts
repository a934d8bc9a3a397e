/**
 * Real-world Flow JSON written by others (../shared/conformance/flows/valid): no error other than the
 * frozen-version one. Resolved as <repo>/../shared/conformance/flows/valid.
 */
import { existsSync, readdirSync, readFileSync } from "fs";
import * as path from "path";
import { validateFlowJson } from "./index";

const dir = path.resolve(__dirname, "../../../shared/conformance/flows/valid");
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json")).sort() : [];

if (files.length === 0) {
  it(`conformance corpus not found at ${dir}: nothing to check`, () => {
    console.warn(`conformance corpus not found at ${dir}`);
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual(expect.any(Array));
  });
} else {
  describe(`conformance corpus (${dir})`, () => {
    it.each(files)("%s has no error other than the frozen version", (file) => {
      const src = readFileSync(path.join(dir, file), "utf8");
      const result = validateFlowJson(src);
      const structural = result.errors.filter((e) => e.error !== "UNSUPPORTED_FLOW_JSON_VERSION");
      expect(structural).toEqual([]);
      const version = JSON.parse(src).version as string;
      const frozen = ["2.1", "3.0", "3.1", "4.0", "5.0"].includes(version);
      expect(result.errors.map((e) => e.error)).toEqual(frozen ? ["UNSUPPORTED_FLOW_JSON_VERSION"] : []);
      for (const e of result.errors) expect(e.category).toBe("version");
    });
  });
}
