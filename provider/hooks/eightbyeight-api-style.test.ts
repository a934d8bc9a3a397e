/**
 * 8x8 through the WhatsApp Flows guide's path (`8x8ApiStyle = config`) against the emulator: a flow is
 * created, published, replaced on a JSON change (new flow live first) and deleted, every call under
 * `/config/v1/channels/whatsapp/{channelId}/flows`, and the guide's answers (201 create, Get with the
 * `flowJson` string, 204 delete) are read right.
 */
import { ACCOUNT_REFS, DEFAULT_WABAS, startEmulator, type RunningEmulator } from "../../emulator";
import { flowJsonSha256 } from "../hash";
import { resetClaims } from "../lifecycle/claims";
import { setSettings } from "../settings";
import { flowHooks } from "./flow";
import { flowAssetsHooks } from "./flow-assets";
import { emulatorSettings } from "./test-helpers";
import { VALID_FLOW_JSON } from "../../emulator/test-helpers";

const json = (text: string) => VALID_FLOW_JSON.replace('"Hello"', JSON.stringify(text));
const V1 = json("Hello");
const V2 = json("Hello again");

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator();
  setSettings({ ...emulatorSettings(emu.url), "8x8ApiStyle": "config" });
});
afterAll(async () => {
  await emu.close();
  setSettings({});
});

test("the lifecycle on the guide's path: create, publish, replace on a JSON change, refresh, delete", async () => {
  const waba = ACCOUNT_REFS.dev["8x8"];
  const flow = await flowHooks.create({ waba, name: "guide", categories: ["SIGN_UP"] });
  const inputs = { waba, flowId: flow.id, flowName: "guide", flowJson: V1, sourcePath: "flows/guide.json", publish: true };
  const assets = await flowAssetsHooks.create({ ...inputs, flowJsonSha256: flowJsonSha256(V1) });
  expect(assets.outs).toMatchObject({ status: "PUBLISHED", liveFlowId: flow.id });
  resetClaims();
  const { outs } = await flowAssetsHooks.update(assets.id, assets.outs, { ...inputs, flowJson: V2, flowJsonSha256: flowJsonSha256(V2) });
  expect(outs).toMatchObject({ status: "PUBLISHED", liveName: "guide (v2)", generation: 2 });
  expect(emu.flow(outs.liveFlowId!)).toMatchObject({ status: "PUBLISHED", flowJson: V2 });
  expect(emu.flow(flow.id)!.status).toBe("DEPRECATED");
  // Refresh after an edit outside Pulumi reads the JSON from Get's flowJson string.
  emu.patchFlow(outs.liveFlowId!, { flowJson: V1, status: "DRAFT" });
  resetClaims();
  const read = await flowAssetsHooks.read(assets.id, outs);
  expect(read.props).toMatchObject({ flowJsonSha256: flowJsonSha256(V1), status: "DRAFT" });

  const draft = await flowHooks.create({ waba, name: "scratch", categories: ["OTHER"] });
  await flowHooks.delete(draft.id, draft.outs);
  expect(emu.flow(draft.id)).toBeUndefined();

  const channel = DEFAULT_WABAS[0].eightByEight.channelId;
  // Flow calls only: the replacement's one look at the account's templates (which send the old flow?) uses 8x8's
  // one documented template path (docs/templates.md), whatever the flows' style.
  const all = emu.requests({ vendor: "8x8" });
  const calls = all.filter((c) => c.action !== "ListTemplates");
  expect(all.filter((c) => c.action === "ListTemplates")).toHaveLength(1);
  expect(calls.length).toBeGreaterThan(5);
  for (const c of calls) expect(c.path.startsWith(`/config/v1/channels/whatsapp/${channel}/flows`)).toBe(true);
  expect(calls.map((c) => [c.operation, c.status])).toContainEqual(["CreateFlow", 201]);
  expect(calls.map((c) => [c.operation, c.status])).toContainEqual(["DeleteFlow", 204]);
});
