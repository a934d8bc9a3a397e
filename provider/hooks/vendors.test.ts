/**
 * The same lifecycle through every vendor, hook by hook, against the emulator's dialects over real
 * HTTP (the AWS SDK for AWS; undici for the others): what differs is only the account reference.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ACCOUNT_REFS } from "../../emulator";
import { flowJsonSha256 } from "../hash";
import { resetClaims } from "../lifecycle/claims";
import type { FlowAssetsInputs } from "../model";
import { flowHooks } from "./flow";
import { flowAssetsHooks } from "./flow-assets";
import { useEmulator } from "./test-helpers";

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "..", "..", "tests", "e2e", "fixtures", name), "utf8");
const V1 = fixture("signup-v1.json");
const V2 = fixture("signup-v2.json");

const suite = useEmulator();
const VENDORS = ["aws", "meta", "360dialog", "8x8"] as const;
/** Vendors that edit a published flow in place (their registry capability says "redraft"). */
const IN_PLACE = new Set<string>(["aws", "meta"]);

async function deployed(waba: string, name = "signup") {
  const flow = await flowHooks.create({ waba, name, categories: ["SIGN_UP"] });
  const inputs: FlowAssetsInputs = { waba, flowId: flow.id, flowName: name, flowJson: V1, sourcePath: "flows/signup.json", publish: true };
  const assets = await flowAssetsHooks.create({ ...inputs, flowJsonSha256: flowJsonSha256(V1) });
  return { flow, inputs, assets };
}

describe.each(VENDORS)("%s", (vendor) => {
  const waba = ACCOUNT_REFS.dev[vendor];
  const flowsNamed = (prefix: string) => suite.emu.flows().filter((f) => f.name === prefix || f.name.startsWith(`${prefix} (v`));

  it("creates and publishes a flow", async () => {
    const { flow, assets } = await deployed(waba);
    expect(flow.outs.vendor).toBe(vendor);
    expect(assets.outs).toMatchObject({ status: "PUBLISHED", liveFlowId: flow.id, liveName: "signup", generation: 1 });
    expect(suite.emu.flow(flow.id)).toMatchObject({ status: "PUBLISHED" });
  });

  it("changes the JSON of a published flow: in place where the vendor edits, replaced (new live first) where it refuses", async () => {
    const { flow, inputs, assets } = await deployed(waba);
    resetClaims();
    suite.emu.clearRequests();
    const { outs } = await flowAssetsHooks.update(assets.id, assets.outs, { ...inputs, flowJson: V2, flowJsonSha256: flowJsonSha256(V2) });
    expect(outs.status).toBe("PUBLISHED");
    const actions = suite.emu.requests().map((r) => r.action);
    if (IN_PLACE.has(vendor)) {
      expect(outs.liveFlowId).toBe(flow.id);
      expect(actions.indexOf("publish")).toBe(actions.indexOf("upload") + 1);
    } else {
      expect(outs.liveFlowId).not.toBe(flow.id);
      expect(outs).toMatchObject({ liveName: "signup (v2)", generation: 2 });
      expect(suite.emu.flow(flow.id)!.status).toBe("DEPRECATED");
      expect(actions.lastIndexOf("deprecate")).toBeGreaterThan(actions.lastIndexOf(vendor === "8x8" ? "create" : "publish"));
    }
    expect(suite.emu.flow(outs.liveFlowId!)!.flowJson).toContain("Get our daily offers");
    expect(flowsNamed("signup").filter((f) => f.status === "PUBLISHED")).toHaveLength(1);

    // The Flow resource follows the replacement on refresh, and removal retires the live flow.
    const read = await flowHooks.read(flow.id, flow.outs);
    expect(read.props).toMatchObject({ flowId: outs.liveFlowId, name: "signup", liveName: outs.liveName });
    await flowHooks.delete(flow.id, read.props as any);
    expect(suite.emu.flow(outs.liveFlowId!)!.status).toBe("DEPRECATED");
  });

  it("changes the categories of a published flow", async () => {
    const { flow } = await deployed(waba);
    resetClaims();
    const { outs } = await flowHooks.update(
      flow.id,
      { ...flow.outs, status: "PUBLISHED" },
      { waba, name: "signup", categories: ["SIGN_UP", "SURVEY"] },
    );
    const live = suite.emu.flow(outs.flowId)!;
    expect(live.status).toBe("PUBLISHED");
    expect(live.categories.sort()).toEqual(["SIGN_UP", "SURVEY"]);
    if (IN_PLACE.has(vendor)) expect(outs.flowId).toBe(flow.id);
    else {
      expect(outs).toMatchObject({ liveName: "signup (v2)", generation: 2 });
      expect(live.flowJson).toBe(V1);
      expect(suite.emu.flow(flow.id)!.status).toBe("DEPRECATED");
    }
  });

  it("deletes a draft and deprecates a published flow", async () => {
    const draft = await flowHooks.create({ waba, name: "draft", categories: ["OTHER"] });
    await flowHooks.delete(draft.id, draft.outs);
    expect(suite.emu.flow(draft.id)).toBeUndefined();
    const { flow } = await deployed(waba);
    await flowHooks.delete(flow.id, flow.outs);
    expect(suite.emu.flow(flow.id)!.status).toBe("DEPRECATED");
  });

  it("a legacy flow that refuses the in-place edit is replaced, and the next change goes straight to replacement", async () => {
    if (!IN_PLACE.has(vendor)) return; // refusing vendors always replace (above)
    const { flow, inputs, assets } = await deployed(waba);
    suite.emu.patchFlow(flow.id, { legacy: true } as any);
    resetClaims();
    const first = await flowAssetsHooks.update(assets.id, assets.outs, { ...inputs, flowJson: V2, flowJsonSha256: flowJsonSha256(V2) });
    expect(first.outs).toMatchObject({ status: "PUBLISHED", liveName: "signup (v2)", generation: 2, editsRefused: true });
    expect(suite.emu.flow(flow.id)!.status).toBe("DEPRECATED");
    // Recorded: the next change does not try the in-place edit again.
    const printed: string[] = [];
    const spy = jest.spyOn(process.stderr, "write").mockImplementation((c: any) => (printed.push(String(c)), true));
    await flowAssetsHooks.diff(assets.id, first.outs, { ...inputs, flowJson: V1, flowJsonSha256: flowJsonSha256(V1) });
    spy.mockRestore();
    expect(printed.join("")).toMatch(/will not edit published flow/);
  });

  it("refuses SHOPPING where the vendor does not take it, at check", async () => {
    const r = await flowHooks.check({}, { waba, name: "x", categories: ["SHOPPING"] });
    if (vendor === "aws") expect(r.failures).toEqual([]);
    else expect(r.failures[0]).toMatchObject({ property: "categories", reason: expect.stringMatching(/does not accept SHOPPING/) });
  });
});

const ENDPOINT_JSON = fs.readFileSync(path.join(__dirname, "..", "..", "examples", "endpoint", "flows", "appointment.json"), "utf8");
const ENDPOINT = "https://api.example.com/whatsapp/flows";

describe.each(["meta", "360dialog", "8x8"] as const)("endpoint flows on %s", (vendor) => {
  const waba = ACCOUNT_REFS.dev[vendor];
  const appId = vendor === "meta" || vendor === "8x8" ? { applicationId: "900000000000042" } : {};
  const assetsOf = (flowId: string, extra: Partial<FlowAssetsInputs> = {}): FlowAssetsInputs => ({
    waba,
    flowId,
    flowName: "booking",
    flowJson: ENDPOINT_JSON,
    sourcePath: "flows/appointment.json",
    publish: true,
    endpointUri: ENDPOINT,
    flowJsonSha256: flowJsonSha256(ENDPOINT_JSON),
    ...extra,
  });

  it("creates an endpoint flow with its endpoint and publishes it", async () => {
    const flow = await flowHooks.create({ waba, name: "booking", categories: ["APPOINTMENT_BOOKING"], endpointUri: ENDPOINT, ...appId });
    expect(suite.emu.flow(flow.id)).toMatchObject({
      endpointUri: ENDPOINT,
      ...(vendor === "360dialog" ? {} : { applicationId: appId.applicationId }),
    });
    const assets = await flowAssetsHooks.create(assetsOf(flow.id));
    expect(assets.outs.status).toBe("PUBLISHED");
    expect(flow.outs.endpointUri).toBe(ENDPOINT);
  });

  it("changes the endpoint of a published flow: ends with the new endpoint live", async () => {
    const flow = await flowHooks.create({ waba, name: "booking", categories: ["APPOINTMENT_BOOKING"], endpointUri: ENDPOINT, ...appId });
    await flowAssetsHooks.create(assetsOf(flow.id));
    resetClaims();
    const next = "https://api.example.com/v2/flows";
    const olds = { ...flow.outs, status: "PUBLISHED" as const };
    expect(
      (await flowHooks.diff(flow.id, olds, { waba, name: "booking", categories: ["APPOINTMENT_BOOKING"], endpointUri: next, ...appId }))
        .changes,
    ).toBe(true);
    const { outs } = await flowHooks.update(flow.id, olds, {
      waba,
      name: "booking",
      categories: ["APPOINTMENT_BOOKING"],
      endpointUri: next,
      ...appId,
    });
    const live = suite.emu.flow(outs.flowId)!;
    expect(live).toMatchObject({ status: "PUBLISHED", endpointUri: next });
    if (vendor === "meta") expect(outs.flowId).toBe(flow.id);
    else expect(suite.emu.flow(flow.id)!.status).toBe("DEPRECATED");
  });

  it("the vendor refuses to publish an endpoint flow without an endpoint (what preview catches first)", async () => {
    const flow = await flowHooks.create({ waba, name: "booking", categories: ["APPOINTMENT_BOOKING"] });
    const check = await flowAssetsHooks.check({}, { ...assetsOf(flow.id), endpointUri: null });
    expect(check.failures[0]).toMatchObject({
      property: "endpointUri",
      reason: expect.stringMatching(/exchanges data with an endpoint \(data_api_version 3\.0\).*set `endpointUri`/),
    });
    await expect(flowAssetsHooks.create({ ...assetsOf(flow.id), endpointUri: undefined })).rejects.toThrow(/endpoint_uri/);
    expect(suite.emu.flow(flow.id)!.status).toBe("DRAFT");
  });
});

describe("endpoint rules at preview (no vendor call)", () => {
  it("refuses an endpoint URI where the vendor has no endpoint flows, an http URI, and one on Flow JSON older than 3.0", async () => {
    suite.emu.clearRequests();
    const aws = await flowHooks.check({}, { waba: ACCOUNT_REFS.dev.aws, name: "x", categories: ["OTHER"], endpointUri: ENDPOINT });
    expect(aws.failures[0]).toMatchObject({
      property: "endpointUri",
      reason: expect.stringMatching(/AWS End User Messaging Social does not support endpoint/),
    });
    const http = await flowHooks.check(
      {},
      { waba: ACCOUNT_REFS.dev.meta, name: "x", categories: ["OTHER"], endpointUri: "http://api.example.com" },
    );
    expect(http.failures[0]).toMatchObject({ property: "endpointUri", reason: expect.stringMatching(/must be an https URL/) });
    const old = JSON.stringify({ ...JSON.parse(V1), version: "2.1" });
    const tooOld = await flowAssetsHooks.check(
      {},
      { waba: ACCOUNT_REFS.dev.meta, flowId: "1", flowName: "x", flowJson: old, publish: true, endpointUri: ENDPOINT },
    );
    // Every version before 3.0 is frozen, so the validator already refuses it; the endpoint rule backs that up.
    expect(tooOld.failures.map((f) => f.reason).join()).toMatch(/2\.1/);
    expect(suite.emu.requests()).toHaveLength(0);
  });
});
