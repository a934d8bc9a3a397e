/** The program's preview/update flag: taken out of FlowAssets' inputs by check, kept for the deployment. */
import * as fs from "node:fs";
import * as path from "node:path";
import { DEV_WABA_ID } from "../../emulator";
import { resetClaims } from "../lifecycle/claims";
import { DRY_RUN_INPUT } from "../model";
import { isDryRunDeployment, takeDryRunFlag } from "./deployment-mode";
import { flowAssetsHooks } from "./flow-assets";

beforeEach(() => resetClaims());

const V1 = fs.readFileSync(path.join(__dirname, "..", "..", "tests", "e2e", "fixtures", "signup-v1.json"), "utf8");
const raw = (extra: object) => ({
  waba: DEV_WABA_ID,
  flowId: "1000000000000001",
  flowName: "signup",
  flowJson: V1,
  publish: true,
  ...extra,
});

test("unknown until a check carries the flag; the last one carried stands (one value per program run)", () => {
  expect(isDryRunDeployment()).toBeUndefined();
  expect(takeDryRunFlag({ a: 1 })).toEqual({ a: 1 });
  expect(isDryRunDeployment()).toBeUndefined();
  expect(takeDryRunFlag({ a: 1, [DRY_RUN_INPUT]: true })).toEqual({ a: 1 });
  expect(isDryRunDeployment()).toBe(true);
  expect(takeDryRunFlag({ [DRY_RUN_INPUT]: false })).toEqual({});
  expect(isDryRunDeployment()).toBe(false);
  // Not a boolean (e.g. an unknown value): taken out, but says nothing.
  expect(takeDryRunFlag({ [DRY_RUN_INPUT]: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" })).toEqual({});
  expect(isDryRunDeployment()).toBe(false);
  expect(takeDryRunFlag(undefined)).toBeUndefined();
});

test("a new deployment (provider process) starts unknown", () => {
  takeDryRunFlag({ [DRY_RUN_INPUT]: false });
  resetClaims();
  expect(isDryRunDeployment()).toBeUndefined();
});

test("FlowAssets' check answers without the flag on every path: valid, invalid JSON, bad inputs, oversized JSON", async () => {
  const cases = [
    raw({}),
    raw({ flowJson: '{"version": "7.2", "screens": [' }),
    raw({ publish: "yes" }),
    raw({ flowJson: `{"version":"7.2","x":"${"a".repeat(10 * 1024 * 1024)}"}` }),
  ];
  const failures: number[] = [];
  for (const [i, news] of cases.entries()) {
    const checked = await flowAssetsHooks.check(undefined, { ...news, [DRY_RUN_INPUT]: i % 2 === 0 });
    expect(checked.inputs).not.toHaveProperty(DRY_RUN_INPUT);
    failures.push(checked.failures.length);
    expect(isDryRunDeployment()).toBe(i % 2 === 0);
  }
  // The first is valid; the others fail (so every return path of check was taken).
  expect(failures[0]).toBe(0);
  expect(failures.slice(1).every((n) => n > 0)).toBe(true);
});
