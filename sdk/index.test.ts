/**
 * The package's public API is what sdk/index.ts exports: this list is the contract with programs
 * (README, examples, the e2e programs and the pack test import from it). A name added or removed here
 * is a deliberate API change; the vendor registry (with `createBackend`) and the validator's internal
 * tables stay private.
 */
import * as fs from "fs";
import * as path from "path";
import * as sdk from "./index";

describe("sdk/index.ts exports", () => {
  it("exports exactly the documented runtime values", () => {
    expect(Object.keys(sdk).sort()).toEqual(
      [
        "DATA_API_VERSIONS",
        "FLOW_CATEGORIES",
        "FLOW_JSON_VERSIONS",
        "Flow",
        "FlowAssets",
        "LATEST_FLOW_JSON_VERSION",
        "MAX_FLOW_JSON_BYTES",
        "MessageTemplate",
        "PromotionGate",
        "WhatsAppFlow",
        "accounts",
        "defineFlow",
        "flowJsonVersionInfo",
        "flowOutputs",
        "formatProblemLine",
        "normaliseVendorErrors",
        "structuralErrors",
        "templateOutputs",
        "validateFlowJson",
      ].sort(),
    );
  });

  it("does not export the vendor registry", () => {
    expect(sdk).not.toHaveProperty("VENDORS");
    expect(sdk).not.toHaveProperty("parseAccountRef");
  });
});

describe("layering", () => {
  const root = path.resolve(__dirname, "..", "provider");
  const files = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? files(p) : p.endsWith(".ts") && !p.endsWith(".test.ts") ? [p] : [];
    });

  it("the provider never imports sdk/ (the provider process must not load @pulumi/pulumi through it)", () => {
    const offenders = files(root).filter((f) => {
      const text = fs.readFileSync(f, "utf8");
      return /(?:from\s+|require\(|import\()\s*["'](?:\.\.\/)+sdk(?:\/|["'])/.test(text);
    });
    expect(offenders.map((f) => path.relative(root, f))).toEqual([]);
  });

  it("provider/model.ts imports nothing from lifecycle/", () => {
    expect(fs.readFileSync(path.join(root, "model.ts"), "utf8")).not.toMatch(/["']\.\/lifecycle\//);
  });
});
