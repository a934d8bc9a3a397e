/** FlowAssets hooks against the emulator through the real AWS SDK. */
import * as fs from "node:fs";
import * as path from "node:path";
import { resetClaims } from "../lifecycle/claims";
import { DEV_WABA_ID, PROD_WABA_ID } from "../../emulator";
import { UNKNOWN } from "../model";
import type { FlowAssetsInputs, FlowAssetsOutputs } from "../model";
import { flowJsonSha256 } from "../hash";
import { flowFingerprint } from "../lifecycle/flow-diff";
import { flowHooks } from "./flow";
import { flowAssetsHooks } from "./flow-assets";
import { useEmulator } from "./test-helpers";

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "..", "..", "tests", "e2e", "fixtures", name), "utf8");
const V1 = fixture("signup-v1.json");
const V2 = fixture("signup-v2.json");

const suite = useEmulator();
const { ops } = suite;

async function newFlow(name = "signup"): Promise<string> {
  return (await flowHooks.create({ waba: DEV_WABA_ID, name, categories: ["SIGN_UP"] })).id;
}
const assets = (flowId: string, flowJson = V1, publish = true): FlowAssetsInputs => ({
  waba: DEV_WABA_ID,
  flowId,
  flowName: "signup",
  flowJson,
  sourcePath: "flows/signup.json",
  publish,
});

describe("check", () => {
  it("accepts valid Flow JSON and records its hash for diff", async () => {
    const r = await flowAssetsHooks.check({}, assets("1"));
    expect(r.failures).toEqual([]);
    expect(r.inputs.flowJsonSha256).toBe(flowJsonSha256(V1));
  });
  it("keeps the text out of the inputs it returns (the state), and create takes it back from this deployment", async () => {
    const flowId = await newFlow();
    const r = await flowAssetsHooks.check({}, assets(flowId));
    expect(r.inputs.flowJson).toBeUndefined();
    expect(JSON.stringify(r.inputs).length).toBeLessThan(400);
    const { outs } = await flowAssetsHooks.create(r.inputs);
    expect(suite.emu.flow(flowId)).toMatchObject({ status: "PUBLISHED", flowJson: V1 });
    expect(outs.flowJsonSha256).toBe(flowJsonSha256(V1));
    // The state keeps a compact copy of what was deployed (the rollback source), well under the JSON's size.
    expect(outs.flowJsonCopy!.length).toBeLessThan(V1.length * 0.12 + 768);
    resetClaims(); // a later deployment that did not check this JSON cannot upload it
    await expect(flowAssetsHooks.update(`${flowId}/flow.json`, outs, { ...r.inputs, flowJsonSha256: flowJsonSha256(V2) })).rejects.toThrow(
      /did not pass through this deployment's check/,
    );
  });
  it("fails invalid Flow JSON with the flow, file:line:column and rule, without echoing the JSON", async () => {
    const r = await flowAssetsHooks.check({}, assets("1", fixture("broken.json")));
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0].property).toBe("");
    expect(r.failures[0].reason).toContain('Flow "signup"');
    expect(r.failures[0].reason).toMatch(/flows\/signup\.json:11:11 +error +MISSING_REQUIRED_PROPERTY/);
    expect(r.failures[0].reason).toMatch(/MISSING_FOOTER_ON_TERMINAL_SCREEN/);
    expect(suite.emu.requests()).toHaveLength(0);
  });
  it("reports a syntax error with its position", async () => {
    const r = await flowAssetsHooks.check({}, assets("1", '{\n  "version": "7.3",\n  "screens": [,]\n}'));
    expect(r.failures[0].reason).toMatch(/flows\/signup\.json:3:\d+ +error +INVALID_FLOW_JSON/);
  });
  it("rejects JSON over 10 MB and a non-numeric flow id", async () => {
    const r = await flowAssetsHooks.check({}, { ...assets("abc"), flowJson: " ".repeat(10 * 1024 * 1024 + 1) });
    expect(r.failures.map((f) => f.reason).join("\n")).toMatch(/10 MB/);
    expect(r.failures.map((f) => f.property)).toContain("flowId");
  });
  it("passes values unknown during preview", async () => {
    const r = await flowAssetsHooks.check({}, { ...assets(UNKNOWN), flowJson: UNKNOWN, flowName: UNKNOWN });
    expect(r.failures).toEqual([]);
  });
});

describe("diff", () => {
  const olds = { ...assets("7"), flowJsonSha256: flowJsonSha256(V1), status: "PUBLISHED" } as unknown as FlowAssetsOutputs;
  const news = (extra: Partial<FlowAssetsInputs> = {}) => ({ ...assets("7"), flowJsonSha256: flowJsonSha256(V1), ...extra });
  it("sees no change for the same JSON, even re-indented", async () => {
    const reindented = JSON.stringify(JSON.parse(V1));
    expect(
      (await flowAssetsHooks.diff("7", olds, news({ flowJson: reindented, flowJsonSha256: flowJsonSha256(reindented) }))).changes,
    ).toBe(false);
  });
  it("updates in place on new JSON or a publish flip", async () => {
    expect(await flowAssetsHooks.diff("7", olds, news({ flowJson: V2, flowJsonSha256: flowJsonSha256(V2) }))).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect((await flowAssetsHooks.diff("7", olds, news({ publish: false }))).changes).toBe(true);
  });
  it("updates (not replaces) while the flow id is unknown in preview, replaces on a new WABA", async () => {
    expect(await flowAssetsHooks.diff("7", olds, news({ flowId: UNKNOWN }))).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect((await flowAssetsHooks.diff("7", olds, news({ waba: PROD_WABA_ID, flowId: UNKNOWN }))).replaces).toEqual(["waba"]);
    expect((await flowAssetsHooks.diff("7", olds, news({ flowId: "8" }))).replaces).toEqual(["flowId"]);
  });
  it("treats unknown JSON as a change", async () => {
    expect((await flowAssetsHooks.diff("7", olds, news({ flowJson: UNKNOWN, flowJsonSha256: undefined }))).changes).toBe(true);
  });
  it("repairs a flow re-drafted outside Pulumi when publish is wanted", async () => {
    expect((await flowAssetsHooks.diff("7", { ...olds, status: "DRAFT" }, news())).changes).toBe(true);
  });
  it("says at preview which screens and components changed and what up will do, from the recorded fingerprint", async () => {
    const printed = await stderrOf(() =>
      flowAssetsHooks.diff("7", { ...olds, fingerprint: flowFingerprint(V1) }, news({ flowJson: V2, flowJsonSha256: flowJsonSha256(V2) })),
    );
    expect(printed).toMatch(/flow "signup": Flow JSON changes:\n {2}screens: ~SIGN_UP \(components: ~TextHeading\[0\]/);
    expect(printed).toMatch(/flow 7 is PUBLISHED: the new JSON is uploaded in place and published again right after \(same id\)/);
    // The description needs no call; the check that the published flow is still live (a killed run may
    // have left it re-drafted, ./not-live.ts) is the account's one list.
    expect(suite.emu.requests().map((r) => r.action)).toEqual(["list"]);
  });
  it("says so when state from an older release has no fingerprint", async () => {
    const printed = await stderrOf(() =>
      flowAssetsHooks.diff("7", { ...olds, status: "DRAFT" }, news({ flowJson: V2, flowJsonSha256: flowJsonSha256(V2) })),
    );
    expect(printed).toMatch(/no earlier fingerprint to compare/);
    expect(printed).toMatch(/flow 7 is DRAFT: the new JSON is uploaded \(nothing live is touched\), then the flow is published/);
  });
});

/** What a hook printed to stderr (where Pulumi shows provider progress). */
async function stderrOf(run: () => Promise<unknown>): Promise<string> {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stderr, "write").mockImplementation((c: any) => (chunks.push(String(c)), true));
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return chunks.join("");
}

describe("create", () => {
  it("reads a flow it did not create in this deployment before writing, and not after", async () => {
    const flowId = await newFlow();
    resetClaims(); // the next `pulumi up` runs in a new provider process
    suite.emu.clearRequests();
    const { outs } = await flowAssetsHooks.create(assets(flowId));
    expect(ops()).toEqual(["GetWhatsAppFlow", "ListWhatsAppFlowAssets", "UpdateWhatsAppFlowAssets", "PublishWhatsAppFlow"]);
    expect(outs).toMatchObject({ status: "PUBLISHED", validationErrors: [], jsonVersion: "7.3" });
    expect(suite.emu.flow(flowId)!.status).toBe("PUBLISHED");
  });
  it("uploads the JSON and publishes", async () => {
    const flowId = await newFlow();
    suite.emu.clearRequests();
    const { id, outs } = await flowAssetsHooks.create(assets(flowId));
    expect(id).toBe(`${flowId}/flow.json`);
    // The Flow was created in this deployment: no read before, none after (issue 9: 3 calls with the create).
    expect(ops()).toEqual(["UpdateWhatsAppFlowAssets", "PublishWhatsAppFlow"]);
    expect(suite.emu.flow(flowId)).toMatchObject({ status: "PUBLISHED", validationErrors: [] });
    expect(outs).toMatchObject({ status: "PUBLISHED", flowJsonSha256: flowJsonSha256(V1), validationErrors: [], jsonVersion: "7.3" });
    expect(suite.emu.flow(flowId)!.flowJson).toBe(V1);
  });
  it("leaves a draft when publish is false", async () => {
    const flowId = await newFlow();
    const { outs } = await flowAssetsHooks.create(assets(flowId, V1, false));
    expect(outs.status).toBe("DRAFT");
  });
  it("does not publish when the vendor reports validation errors, and lists them with the file", async () => {
    const flowId = await newFlow();
    suite.emu.addFault({
      operation: "UpdateWhatsAppFlowAssets",
      action: {
        kind: "validation-errors",
        errors: [
          {
            error: "INVALID_PROPERTY_VALUE",
            error_type: "FLOW_JSON_ERROR",
            message: "bad label",
            line_start: 9,
            line_end: 9,
            column_start: 5,
            column_end: 9,
          },
        ],
      },
    });
    suite.emu.clearRequests();
    await expect(flowAssetsHooks.create(assets(flowId))).rejects.toThrow(
      /Flow "signup": the vendor reported validation errors.*\n.*flows\/signup\.json:9:5 +error +INVALID_PROPERTY_VALUE +bad label/,
    );
    expect(ops()).not.toContain("PublishWhatsAppFlow");
    expect(suite.emu.flow(flowId)!.status).toBe("DRAFT");
  });
});

describe("update", () => {
  it("re-publishes a published flow straight after the upload, same id", async () => {
    const flowId = await newFlow();
    const created = await flowAssetsHooks.create(assets(flowId));
    suite.emu.clearRequests();
    const { outs } = await flowAssetsHooks.update(created.id, created.outs, assets(flowId, V2));
    const o = ops();
    expect(o[o.indexOf("UpdateWhatsAppFlowAssets") + 1]).toBe("PublishWhatsAppFlow");
    expect(outs).toMatchObject({ flowId, status: "PUBLISHED", flowJsonSha256: flowJsonSha256(V2) });
    // The upload and the publish, nothing else: the state says what the flow is and holds (issue 18).
    expect(o).toEqual(["UpdateWhatsAppFlowAssets", "PublishWhatsAppFlow"]);
    expect(suite.emu.flow(flowId)).toMatchObject({ status: "PUBLISHED", flowJson: V2 });
  });
  it("reads the flow and plans again when the vendor's answer shows the state is out of date (deprecated outside Pulumi)", async () => {
    const flowId = await newFlow();
    const created = await flowAssetsHooks.create(assets(flowId));
    suite.emu.patchFlow(flowId, { status: "DEPRECATED" });
    suite.emu.clearRequests();
    await expect(flowAssetsHooks.update(created.id, created.outs, assets(flowId, V2))).rejects.toThrow(/DEPRECATED/);
    // The upload planned from the state was refused; the read shows why, and nothing is replaced or revived.
    expect(ops().filter((o) => o === "CreateWhatsAppFlow" || o === "PublishWhatsAppFlow")).toEqual([]);
    expect(suite.emu.flow(flowId)).toMatchObject({ status: "DEPRECATED", flowJson: V1 });
  });
  it("restores the published JSON when the vendor rejects the new one", async () => {
    const flowId = await newFlow();
    const created = await flowAssetsHooks.create(assets(flowId));
    suite.emu.addFault({
      operation: "UpdateWhatsAppFlowAssets",
      action: { kind: "validation-errors", errors: [{ error: "X", message: "no" }] },
    });
    suite.emu.clearRequests();
    await expect(flowAssetsHooks.update(created.id, created.outs, assets(flowId, V2))).rejects.toThrow(
      /previously published version was restored/,
    );
    expect(suite.emu.flow(flowId)).toMatchObject({ status: "PUBLISHED", flowJson: V1 });
    // Restored from the compact copy in state: no download before the upload.
    expect(ops()).not.toContain("ListWhatsAppFlowAssets");
  });
  it("downloads the live JSON to restore when the state has no copy of it (older state, or JSON too large to copy)", async () => {
    const flowId = await newFlow();
    const created = await flowAssetsHooks.create(assets(flowId));
    const { flowJsonCopy, ...olderState } = created.outs;
    expect(flowJsonCopy).toBeDefined();
    suite.emu.addFault({
      operation: "UpdateWhatsAppFlowAssets",
      action: { kind: "validation-errors", errors: [{ error: "X", message: "no" }] },
    });
    suite.emu.clearRequests();
    await expect(flowAssetsHooks.update(created.id, olderState as FlowAssetsOutputs, assets(flowId, V2))).rejects.toThrow(
      /previously published version was restored/,
    );
    expect(ops().slice(0, 3)).toEqual(["ListWhatsAppFlowAssets", "DownloadFlowAsset", "UpdateWhatsAppFlowAssets"]);
    expect(suite.emu.flow(flowId)).toMatchObject({ status: "PUBLISHED", flowJson: V1 });
  });
  it("publishes a draft when publish flips to true, without re-uploading", async () => {
    const flowId = await newFlow();
    const created = await flowAssetsHooks.create(assets(flowId, V1, false));
    suite.emu.clearRequests();
    await flowAssetsHooks.update(created.id, created.outs, assets(flowId, V1, true));
    // A draft in the state that is to be published: planned from the state, no read.
    expect(ops()).toEqual(["PublishWhatsAppFlow"]);
  });
  it("refuses a JSON edit of a THROTTLED flow (as refresh recorded it) and calls nothing that changes it", async () => {
    const flowId = await newFlow();
    const created = await flowAssetsHooks.create(assets(flowId));
    suite.emu.patchFlow(flowId, { status: "THROTTLED" });
    // The state is trusted (issue 18); `pulumi refresh` is what brings a status set by the vendor into it.
    const refreshed = await flowAssetsHooks.read(created.id, created.outs);
    suite.emu.clearRequests();
    await expect(flowAssetsHooks.update(created.id, refreshed.props as FlowAssetsOutputs, assets(flowId, V2))).rejects.toThrow(/THROTTLED/);
    expect(ops().filter((o) => !o.startsWith("Get") && !o.startsWith("List") && o !== "DownloadFlowAsset")).toEqual([]);
  });
});

describe("read and delete", () => {
  it("read reports JSON changed outside Pulumi through its hash, and the status", async () => {
    const flowId = await newFlow();
    const created = await flowAssetsHooks.create(assets(flowId));
    suite.emu.patchFlow(flowId, { flowJson: V2, status: "DRAFT" });
    const r = await flowAssetsHooks.read(created.id, created.outs);
    expect(r.props).toMatchObject({ flowJsonSha256: flowJsonSha256(V2), status: "DRAFT" });
  });
  it("refresh of published flows makes one list call for all of them, and downloads nothing", async () => {
    const outs: FlowAssetsOutputs[] = [];
    for (const name of ["a", "b", "c"]) {
      const flowId = await newFlow(name);
      outs.push((await flowAssetsHooks.create({ ...assets(flowId), flowName: name })).outs);
    }
    resetClaims(); // `pulumi refresh` is a deployment of its own
    suite.emu.clearRequests();
    for (const o of outs) {
      const r = await flowAssetsHooks.read(`${o.flowId}/flow.json`, o);
      expect(r.props).toMatchObject({ status: "PUBLISHED", flowJsonSha256: o.flowJsonSha256, flowJsonCopy: o.flowJsonCopy });
    }
    expect(ops()).toEqual(["ListWhatsAppFlows"]);
  });
  it("read returns an empty id when the flow is gone", async () => {
    const flowId = await newFlow();
    const created = await flowAssetsHooks.create(assets(flowId, V1, false));
    suite.emu.deleteFlow(flowId);
    expect((await flowAssetsHooks.read(created.id, created.outs)).id).toBe("");
  });
  it("delete calls nothing once this deployment reached the account: the Flow resource decides the flow's fate", async () => {
    const flowId = await newFlow();
    const created = await flowAssetsHooks.create(assets(flowId));
    suite.emu.clearRequests();
    await flowAssetsHooks.delete(created.id, created.outs);
    expect(suite.emu.requests()).toHaveLength(0);
    expect(suite.emu.flow(flowId)!.status).toBe("PUBLISHED");
  });
  it("delete with a credential that lost its access fails (the state keeps the assets); with access, one list proves it", async () => {
    const flowId = await newFlow();
    const created = await flowAssetsHooks.create(assets(flowId));
    resetClaims(); // a new deployment: nothing proven yet
    suite.emu.addFault({ action: { kind: "no-access" } });
    await expect(flowAssetsHooks.delete(created.id, created.outs)).rejects.toThrow(
      /its Flow JSON record: .* did not let this credential read account .*so the state keeps it/,
    );
    suite.emu.clearFaults();
    suite.emu.clearRequests();
    await flowAssetsHooks.delete(created.id, created.outs);
    expect(ops()).toEqual(["ListWhatsAppFlows"]);
    expect(suite.emu.flow(flowId)!.status).toBe("PUBLISHED");
  });
});

describe("a Flow created with its Flow JSON (WhatsAppFlow: issue 18)", () => {
  const flowInputs = (flowJson = V1, publish = true) => ({
    waba: DEV_WABA_ID,
    name: "signup",
    categories: ["SIGN_UP"],
    initialAssets: { flowJson, publish, sourcePath: "flows/signup.json" },
  });
  /** Both resources as the engine runs them in one deployment: check, create, check, create. */
  async function deploy(flowJson = V1, publish = true) {
    const f = await flowHooks.check({}, flowInputs(flowJson, publish));
    expect(f.failures).toEqual([]);
    // The state keeps the hash only.
    expect(JSON.stringify(f.inputs)).not.toContain("Get our weekly offers");
    const flow = await flowHooks.create(f.inputs as any);
    const a = await flowAssetsHooks.check({}, { ...assets(flow.id, flowJson, publish), categories: ["SIGN_UP"] });
    expect(a.failures).toEqual([]);
    const created = await flowAssetsHooks.create(a.inputs);
    return { flow, created };
  }

  it("creates and publishes the flow in one call; the FlowAssets makes none", async () => {
    const { flow, created } = await deploy();
    expect(ops()).toEqual(["ListWhatsAppFlows", "CreateWhatsAppFlow"]);
    expect(flow.outs).toMatchObject({ status: "PUBLISHED", jsonVersion: "7.3" });
    expect(created.outs).toMatchObject({ liveFlowId: flow.id, status: "PUBLISHED", flowJsonSha256: flowJsonSha256(V1) });
    expect(suite.emu.flow(flow.id)).toMatchObject({ status: "PUBLISHED", flowJson: V1 });
  });
  it("a FlowAssets created in a later deployment (the engine stopped after the Flow's create) plans from the Flow's state: no call", async () => {
    const f = await flowHooks.check({}, flowInputs());
    const flow = await flowHooks.create(f.inputs as any);
    expect(flow.outs.createdWith).toEqual({ flowJsonSha256: flowJsonSha256(V1), status: "PUBLISHED" });
    resetClaims(); // the next deployment: nothing of the first one's memory is left
    const a = await flowAssetsHooks.check({}, { ...assets(flow.id), categories: ["SIGN_UP"], flowCreatedWith: flow.outs.createdWith });
    suite.emu.clearRequests();
    const created = await flowAssetsHooks.create(a.inputs);
    expect(ops()).toEqual([]);
    expect(created.outs).toMatchObject({ liveFlowId: flow.id, status: "PUBLISHED", flowJsonSha256: flowJsonSha256(V1) });
    // Without that record (older state, or a Flow updated since), the flow is read and its JSON downloaded, as before.
    resetClaims();
    const b = await flowAssetsHooks.check({}, { ...assets(flow.id), categories: ["SIGN_UP"] });
    suite.emu.clearRequests();
    await flowAssetsHooks.create(b.inputs);
    expect(ops()).toEqual(["GetWhatsAppFlow", "ListWhatsAppFlowAssets", "DownloadFlowAsset"]);
    // Other JSON declared since that create: uploaded and published (the old JSON downloaded first, to roll back to).
    resetClaims();
    const c = await flowAssetsHooks.check({}, { ...assets(flow.id, V2), categories: ["SIGN_UP"], flowCreatedWith: flow.outs.createdWith });
    suite.emu.clearRequests();
    const changed = await flowAssetsHooks.create(c.inputs);
    expect(changed.outs).toMatchObject({ status: "PUBLISHED", flowJsonSha256: flowJsonSha256(V2) });
    expect(suite.emu.flow(flow.id)).toMatchObject({ status: "PUBLISHED", flowJson: V2 });
    // Any later operation of the Flow drops the record.
    const updated = await flowHooks.update(flow.id, flow.outs, { ...flowInputs(), categories: ["SIGN_UP", "OTHER"] } as any);
    expect(updated.outs.createdWith).toBeUndefined();
  });
  it("fails the Flow's check with file:line:column when the JSON is invalid, before any call", async () => {
    const r = await flowHooks.check({}, flowInputs('{"version": "7.3", "screens": [}'));
    expect(r.failures[0].reason).toMatch(/Flow "signup": Flow JSON has \d+ error\(s\).*flows\/signup\.json:1:/s);
    expect(ops()).toEqual([]);
  });
  it("vendor validation errors at the create: the flow stays a DRAFT and the FlowAssets fails listing them with no further call", async () => {
    suite.emu.addFault({
      operation: "CreateWhatsAppFlow",
      action: {
        kind: "validation-errors",
        errors: [{ error: "INVALID_PROPERTY_VALUE", message: "Meta says no", line_start: 3, column_start: 5 }],
      },
    });
    const f = await flowHooks.check({}, flowInputs());
    const flow = await flowHooks.create(f.inputs as any);
    expect(flow.outs.status).toBe("DRAFT");
    const a = await flowAssetsHooks.check({}, assets(flow.id));
    suite.emu.clearRequests();
    await expect(flowAssetsHooks.create(a.inputs)).rejects.toThrow(/INVALID_PROPERTY_VALUE.*Meta says no/s);
    expect(ops()).toEqual([]);
    expect(suite.emu.flow(flow.id)!.status).toBe("DRAFT");
    // The next deployment repairs it: read, download, upload again, publish.
    resetClaims();
    const again = await flowAssetsHooks.check({}, assets(flow.id));
    const fixed = await flowAssetsHooks.create(again.inputs);
    expect(fixed.outs.status).toBe("PUBLISHED");
  });
  it("an interrupted create-with-publish is adopted when the flow holds this JSON (one download), refused otherwise", async () => {
    // The vendor applies the create (published) and the answer is lost.
    suite.emu.addFault({ operation: "CreateWhatsAppFlow", action: { kind: "apply-then-fail", status: 500 }, times: 1 });
    const f = await flowHooks.check({}, flowInputs());
    suite.emu.clearRequests();
    const flow = await flowHooks.create(f.inputs as any);
    expect(suite.emu.flows().filter((x) => x.name === "signup")).toHaveLength(1);
    expect(suite.emu.flow(flow.id)!.status).toBe("PUBLISHED");
    // (The AWS SDK sends the failed create again itself: the vendor answers that the name is taken.)
    expect(ops().filter((o) => o !== "CreateWhatsAppFlow")).toEqual(["ListWhatsAppFlows", "ListWhatsAppFlowAssets", "DownloadFlowAsset"]);
    const a = await flowAssetsHooks.check({}, assets(flow.id));
    suite.emu.clearRequests();
    expect((await flowAssetsHooks.create(a.inputs)).outs.status).toBe("PUBLISHED");
    expect(ops()).toEqual([]);
    // Another deployment with other JSON under that name: not ours, reported, not adopted.
    resetClaims();
    const other = await flowHooks.check({}, flowInputs(V2));
    await expect(flowHooks.create(other.inputs as any)).rejects.toThrow(/already exists .* not created by this resource/s);
    expect(suite.emu.flows().filter((x) => x.name === "signup")).toHaveLength(1);
    expect(suite.emu.flow(flow.id)).toMatchObject({ status: "PUBLISHED", flowJson: V1 });
  });
  it("a metadata change of the published flow: the update and the publish; destroy: one call per flow, one list per account", async () => {
    const { flow, created } = await deploy();
    resetClaims();
    suite.emu.clearRequests();
    const updated = await flowHooks.update(flow.id, flow.outs, { ...flowInputs(), categories: ["SIGN_UP", "OTHER"] } as any);
    expect(ops()).toEqual(["UpdateWhatsAppFlow", "PublishWhatsAppFlow"]);
    expect(updated.outs).toMatchObject({ status: "PUBLISHED" });
    expect(suite.emu.flow(flow.id)).toMatchObject({ status: "PUBLISHED", categories: ["SIGN_UP", "OTHER"] });
    resetClaims();
    suite.emu.clearRequests();
    await flowAssetsHooks.delete(created.id, created.outs);
    await flowHooks.delete(flow.id, updated.outs);
    // A new deployment: the FlowAssets' delete proves the credential reaches the account (the list) before
    // the state forgets it; the Flow's delete then deprecates without a read.
    expect(ops()).toEqual(["ListWhatsAppFlows", "DeprecateWhatsAppFlow"]);
    expect(suite.emu.flow(flow.id)!.status).toBe("DEPRECATED");
  });
});

describe("check of an unchanged text (issue 18: no-op preview CPU)", () => {
  it("does not validate again the exact text it checked last time for this account; any other text is validated", async () => {
    const warned = fixture("signup-long-heading.json");
    const flowId = await newFlow();
    const first = await flowAssetsHooks.check({}, assets(flowId, warned));
    expect(first.failures).toEqual([]);
    expect(first.inputs.checkedTextSha256).toMatch(/^[0-9a-f]{64}$/);
    resetClaims(); // the next preview: a new provider process
    let again: Awaited<ReturnType<typeof flowAssetsHooks.check>> | undefined;
    const printed = await stderrOf(async () => (again = await flowAssetsHooks.check(first.inputs, assets(flowId, warned))));
    // The validator did not run (its display-limit warning is not printed again); hash and text are as before.
    expect(printed).not.toContain("MAX_CHARS_EXCEEDED");
    expect(again!.inputs).toEqual(first.inputs);
    const { outs } = await flowAssetsHooks.create(again!.inputs);
    expect(outs.flowJsonSha256).toBe(flowJsonSha256(warned));
    // A changed text is validated (and fails on its errors), even with the old inputs at hand.
    const broken = await flowAssetsHooks.check(first.inputs, assets(flowId, fixture("broken.json")));
    expect(broken.failures).toHaveLength(1);
    const otherAccount = await stderrOf(() => flowAssetsHooks.check(first.inputs, { ...assets(flowId, warned), waba: PROD_WABA_ID }));
    expect(otherAccount).toContain("MAX_CHARS_EXCEEDED");
  });
});
