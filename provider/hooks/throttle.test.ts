/**
 * Deploying many flows at once under a vendor's rate limit (issue 9): the emulator admits a fixed rate
 * (token bucket) and answers the rest 429 with Retry-After, on every vendor. With the provider's default
 * attempts, every flow ends PUBLISHED with no duplicate, and the process-wide backoff keeps the number of
 * throttled answers small against the number of calls.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ACCOUNT_REFS } from "../../emulator";
import { setSettings } from "../settings";
import { flowHooks } from "./flow";
import { flowAssetsHooks } from "./flow-assets";
import { emulatorSettings, useEmulator } from "./test-helpers";

const V1 = fs.readFileSync(path.join(__dirname, "..", "..", "tests", "e2e", "fixtures", "signup-v1.json"), "utf8");
const suite = useEmulator();
const N = 30;
const RATE = 40; // calls per second, burst 40

describe.each(["aws", "meta", "360dialog", "8x8"] as const)("%s", (vendor) => {
  beforeEach(() => {
    // The user's defaults (4 attempts per call), not the hook tests' 2.
    const { maxAttempts: _tests, ...defaults } = emulatorSettings(suite.emu.url);
    setSettings(defaults);
  });
  afterAll(() => setSettings(emulatorSettings(suite.emu.url)));

  it(`an up of ${N} flows at once under a ${RATE}/s rate limit publishes every one, with throttled answers well below the calls`, async () => {
    const waba = ACCOUNT_REFS.dev[vendor];
    suite.emu.addFault({ vendor, action: { kind: "rate-limit", perSecond: RATE } });
    await Promise.all(
      Array.from({ length: N }, async (_, i) => {
        const name = `rate-${i}`;
        const flow = await flowHooks.create((await flowHooks.check({}, { waba, name, categories: ["SIGN_UP"] })).inputs);
        const checked = await flowAssetsHooks.check({}, { waba, flowId: flow.id, flowName: name, flowJson: V1, publish: true });
        return flowAssetsHooks.create(checked.inputs);
      }),
    );
    const flows = suite.emu.flows();
    expect(flows).toHaveLength(N);
    expect(flows.every((f) => f.status === "PUBLISHED")).toBe(true);
    const log = suite.emu.requests();
    const throttled = log.filter((r) => r.status >= 400).length;
    const calls = log.length - throttled;
    // 3 calls per flow (create, upload, publish) and one list of the account.
    expect(calls).toBeLessThanOrEqual(3 * N + 2);
    // All N start at the same instant here (Pulumi's --parallel spreads them): the requests in flight when
    // the bucket runs dry are throttled once each, then the process-wide pause holds the rest back, so
    // throttled answers stay well below the calls instead of multiplying with retries.
    expect(throttled).toBeLessThanOrEqual(calls / 2);
  }, 60_000);
});
