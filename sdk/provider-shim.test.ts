/**
 * The provider as Pulumi stores it: serialized into text (`__provider`), loaded back the way the
 * dynamic-provider host does (require-from-string), and driven. Requires `npm run build` (dist/) and the
 * node_modules/whatsapp-flows link that `npm install` creates, like a user's installed package.
 */
import * as pulumi from "@pulumi/pulumi";
import { DEV_WABA_ID, RunningEmulator, startEmulator } from "../emulator";
import { VALID_FLOW_JSON } from "../emulator/test-helpers";
import { providerShim, RUNTIME_MODULE, type ShimKind } from "./provider-shim";

const requireFromString = require("require-from-string");

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());

async function roundTrip(kind: ShimKind): Promise<{ text: string; provider: pulumi.dynamic.ResourceProvider }> {
  const provider = providerShim(kind);
  const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: false });
  const text = serialized.text;
  return { text, provider: requireFromString(text).handler() };
}

test("the serialized provider is small, self-contained text that points at the stable runtime entry", async () => {
  const { text } = await roundTrip("Flow");
  expect(text).toContain(RUNTIME_MODULE);
  expect(text.length).toBeLessThan(4000);
  // No absolute paths of this checkout, no credentials.
  expect(text).not.toContain(process.cwd());
  expect(text).not.toMatch(/secretAccessKey|AWS_SECRET|Bearer/);
});

test("a provider loaded back from its text drives the whole lifecycle", async () => {
  const { provider: flow } = await roundTrip("Flow");
  const { provider: assets } = await roundTrip("FlowAssets");
  // Stack config, as the dynamic-provider host passes it to `configure` (the loaded code lives outside
  // jest's sandbox, so configuration must travel this way, as it does in a real deployment).
  const stackConfig: Record<string, string> = { "whatsapp-flows:awsEndpoint": emu.url, "whatsapp-flows:awsRegion": "us-east-1" };
  await flow.configure!({ config: { get: (k: string) => stackConfig[k], require: (k: string) => stackConfig[k] } } as any);

  const checked = await flow.check!({}, { waba: DEV_WABA_ID, name: "serialized", categories: ["OTHER"] });
  expect(checked.failures).toEqual([]);
  const created = await flow.create(checked.inputs);
  expect(emu.flow(created.id)!.status).toBe("DRAFT");

  const a = await assets.check!(
    {},
    { waba: DEV_WABA_ID, flowId: created.id, flowName: "serialized", flowJson: VALID_FLOW_JSON, publish: true },
  );
  expect(a.failures).toEqual([]);
  const up = await assets.create(a.inputs);
  expect(up.outs.status).toBe("PUBLISHED");
  expect((await flow.diff!(created.id, created.outs, checked.inputs)).changes).toBe(false);

  await flow.delete!(created.id, created.outs);
  expect(emu.flow(created.id)!.status).toBe("DEPRECATED");
});

test("the MessageTemplate provider loaded back from its text runs the template hooks", async () => {
  const { text, provider } = await roundTrip("MessageTemplate");
  expect(text).toContain(RUNTIME_MODULE);
  expect(text.length).toBeLessThan(4000);
  const checked = await provider.check!(
    {},
    { waba: `meta:100000000000001`, name: "Bad-Name", language: "en_US", category: "MARKETING", components: [] },
  );
  expect(checked.failures!.map((f) => f.property)).toEqual(["name", "components"]);
});
