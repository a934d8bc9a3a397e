/**
 * A flow's replacement never strands the template that sends it (issue 19 item 3), through the hooks and
 * each vendor's real client against the emulator: the replacement keeps the old flow published while a
 * template sends it; the template hook repoints its template (edit, or `<name>_v2`) and only then
 * deprecates the old flow; the flow's next operation retries; preview names the template and refuses an
 * edit Meta's budget cannot pay. Orders and counts come from the emulator's request log.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ACCOUNT_REFS, DEV_WABA_ID } from "../../emulator";
import { resetClaims } from "../lifecycle/claims";
import type { FlowAssetsInputs } from "../model";
import { accountOf, type VendorName } from "../vendors/registry";
import { UNKNOWN } from "../model";
import { retirementOf } from "../templates/retirements";
import { flowHooks } from "./flow";
import { flowAssetsHooks } from "./flow-assets";
import { messageTemplateHooks as templates } from "./message-template";
import { useEmulator } from "./test-helpers";
import { templatesSending } from "./template-connection";

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "..", "..", "tests", "e2e", "fixtures", name), "utf8");
const V1 = fixture("signup-v1.json");
const V2 = fixture("signup-v2.json");
const ctx = useEmulator();

let stderr: string[] = [];
beforeEach(() => {
  stderr = [];
  jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
});
afterEach(() => jest.restoreAllMocks());

const templateInputs = (waba: string, flowId: string, over: Record<string, unknown> = {}): any => ({
  waba,
  name: "signup_invite",
  language: "en_US",
  category: "MARKETING",
  components: [
    { type: "BODY", text: "Join our newsletter, {{1}}", example: { bodyText: [["Ana"]] } },
    { type: "BUTTONS", buttons: [{ type: "FLOW", text: "Sign up", flowId, flowAction: "navigate" }] },
  ],
  ...over,
});

/** A published flow, its assets and an APPROVED template sending it, as a first `up` leaves them. */
async function deployed(vendor: VendorName) {
  const waba = ACCOUNT_REFS.dev[vendor];
  const flow = await flowHooks.create({ waba, name: `retire-${vendor}`, categories: ["SIGN_UP"] });
  const assetsIn = (json: string): FlowAssetsInputs => ({
    waba,
    flowId: flow.id,
    flowName: `retire-${vendor}`,
    flowJson: json,
    publish: true,
    categories: ["SIGN_UP"],
  });
  const assets = await flowAssetsHooks.create(assetsIn(V1));
  const template = await templates.create(templateInputs(waba, flow.id, { waitForApproval: true }));
  expect(template.outs.status).toBe("APPROVED");
  return { waba, flowId: flow.id, flow, assetsIn, assets, template };
}

const seqOf = (pred: (r: { action: string; operation: string; path: string; body?: unknown; query?: unknown }) => boolean) =>
  ctx.emu.requests().find((r) => pred(r as any))?.seq ?? -1;
const templatesOfDev = () => ctx.emu.templates().filter((t) => t.wabaId === DEV_WABA_ID);

describe.each(["360dialog", "8x8"] as VendorName[])("%s (replaces every change of a published flow)", (vendor) => {
  test("the old flow stays published until the template is replaced by _v2 pointing at the successor; then it is deprecated", async () => {
    const { waba, flowId, assetsIn, assets, template } = await deployed(vendor);
    ctx.emu.clearRequests();
    resetClaims(); // a later `up`

    // Preview: the FlowAssets diff plans the replacement; the template diff (run after it) names the template.
    const checked = await flowAssetsHooks.check(assets.outs as any, assetsIn(V2) as any);
    await flowAssetsHooks.diff(assets.id, assets.outs, checked.inputs as FlowAssetsInputs);
    const tdiff = await templates.diff(template.id, template.outs, templateInputs(waba, UNKNOWN));
    expect(tdiff.changes).toBe(true);
    expect(stderr.join("")).toMatch(
      new RegExp(
        `template "signup_invite": template \\S+ "signup_invite" is replaced by "signup_invite_v2" pointing at the successor of flow ${flowId}`,
      ),
    );
    expect(ctx.emu.requests()).toEqual([]);

    const up = await flowAssetsHooks.update(assets.id, assets.outs, checked.inputs as FlowAssetsInputs);
    const successor = up.outs.liveFlowId!;
    expect(successor).not.toBe(flowId);
    expect(up.outs.retiringFlowIds).toEqual([flowId]);
    expect(ctx.emu.flow(flowId)!.status).toBe("PUBLISHED");
    expect(ctx.emu.flow(successor)!.status).toBe("PUBLISHED");
    expect(retirementOf(accountOf(waba).canonical, flowId)).toMatchObject({ successorId: successor });
    expect(stderr.join("")).toMatch(
      new RegExp(`flow ${flowId} stays published until templates signup_invite \\(en_US\\) that send it are repointed`),
    );

    const repointed = await templates.update(
      template.id,
      template.outs,
      templateInputs(waba, successor, { waitForApproval: true, supersededFlowIds: up.outs.retiringFlowIds }),
    );
    expect(repointed.outs).toMatchObject({ liveName: "signup_invite_v2", flowIds: [successor], retiredFlowIds: [flowId] });
    expect(repointed.outs.retiringFlowIds).toBeUndefined();
    expect(ctx.emu.flow(flowId)!.status).toBe("DEPRECATED");
    expect(templatesOfDev().map((t) => [t.name, t.flowIds])).toEqual([["signup_invite_v2", [successor]]]);

    // Order: successor published < template _v2 created < old template deleted < old flow deprecated.
    // 360dialog publishes the successor by a call of its own; 8x8 creates it with `publish` in one call.
    const published = vendor === "8x8" ? seqOf((r) => r.action === "create") : seqOf((r) => r.action === "publish");
    const created = seqOf((r) => r.action === "CreateTemplate");
    const deleted = seqOf((r) => r.action === "DeleteTemplate");
    const deprecated = seqOf((r) => r.action === "deprecate");
    expect(published).toBeGreaterThan(0);
    expect(created).toBeGreaterThan(published);
    expect(deleted).toBeGreaterThan(created);
    expect(deprecated).toBeGreaterThan(deleted);

    // The flow's next operation finds the predecessor DEPRECATED and forgets it (the shared flow list).
    ctx.emu.clearRequests();
    resetClaims();
    const next = await flowAssetsHooks.update(assets.id, up.outs, { ...(checked.inputs as FlowAssetsInputs), flowJson: V2 });
    expect(next.outs.retiringFlowIds).toBeUndefined();
    expect(ctx.emu.requests().map((r) => r.action)).toEqual(["list"]);
  });

  test("an unlinked template (no supersededFlowIds) retires the flow in the same deployment from the registry", async () => {
    const { waba, flowId, assetsIn, assets, template } = await deployed(vendor);
    resetClaims();
    const checked = await flowAssetsHooks.check(assets.outs as any, assetsIn(V2) as any);
    const up = await flowAssetsHooks.update(assets.id, assets.outs, checked.inputs as FlowAssetsInputs);
    expect(retirementOf(accountOf(waba).canonical, flowId)).toMatchObject({ successorId: up.outs.liveFlowId });
    await templates.update(template.id, template.outs, templateInputs(waba, up.outs.liveFlowId!));
    expect(ctx.emu.flow(flowId)!.status).toBe("DEPRECATED");
  });
});

test("a failed deletion of the replaced template keeps the flow published (state records the retry), and the next up finishes", async () => {
  const { waba, flowId, assetsIn, assets, template } = await deployed("360dialog");
  resetClaims();
  const checked = await flowAssetsHooks.check(assets.outs as any, assetsIn(V2) as any);
  const up = await flowAssetsHooks.update(assets.id, assets.outs, checked.inputs as FlowAssetsInputs);
  const successor = up.outs.liveFlowId!;
  // The old template's deletion fails: the state records the _v2 and the pending retirement; the old flow stays live.
  ctx.emu.addFault({ operation: "DeleteTemplate", action: { kind: "error", status: 500 }, times: 4 });
  const news = templateInputs(waba, successor, { supersededFlowIds: up.outs.retiringFlowIds });
  const failed = await templates.update(template.id, template.outs, news).catch((e) => e);
  expect(failed.properties).toMatchObject({ liveName: "signup_invite_v2", retiringFlowIds: [flowId] });
  expect(ctx.emu.flow(flowId)!.status).toBe("PUBLISHED");
  // No template points at a deprecated flow at this moment.
  for (const t of templatesOfDev()) for (const f of t.flowIds) expect(ctx.emu.flow(f)!.status).toBe("PUBLISHED");

  // The next `up` (a new process): the diff asks for an update, which deletes the old template and retires the flow.
  ctx.emu.clearFaults();
  resetClaims();
  const diff = await templates.diff(template.id, failed.properties, news);
  expect(diff.changes).toBe(true);
  const done = await templates.update(template.id, failed.properties, news);
  expect(done.outs).toMatchObject({ retiredFlowIds: [flowId] });
  expect(done.outs.retiringFlowIds).toBeUndefined();
  expect(ctx.emu.flow(flowId)!.status).toBe("DEPRECATED");
  expect(templatesOfDev().map((t) => t.name)).toEqual(["signup_invite_v2"]);
  // And the template diff then says no change, although supersededFlowIds still names the old flow.
  expect((await templates.diff(template.id, done.outs, news)).changes).toBe(false);
});

test("meta (legacy flow): the template is edited in place to the successor, then the flow is deprecated; preview refuses the next repoint once Meta's edits are spent", async () => {
  const { waba, flowId, assetsIn, assets, template } = await deployed("meta");
  ctx.emu.patchFlow(flowId, { legacy: true } as any);
  resetClaims();
  const checked = await flowAssetsHooks.check(assets.outs as any, assetsIn(V2) as any);
  const up = await flowAssetsHooks.update(assets.id, assets.outs, checked.inputs as FlowAssetsInputs);
  expect(up.outs).toMatchObject({ editsRefused: true, retiringFlowIds: [flowId] });
  const successor = up.outs.liveFlowId!;
  ctx.emu.clearRequests();
  const repointed = await templates.update(
    template.id,
    template.outs,
    templateInputs(waba, successor, { supersededFlowIds: up.outs.retiringFlowIds }),
  );
  expect(repointed.outs).toMatchObject({ templateId: template.outs.templateId, liveName: "signup_invite", retiredFlowIds: [flowId] });
  expect(repointed.outs.approvedEdits).toHaveLength(1);
  expect(ctx.emu.requests().map((r) => r.action)).toEqual(["GetTemplate", "UpdateTemplate", "ListTemplates", "deprecate"]);
  expect(ctx.emu.flow(flowId)!.status).toBe("DEPRECATED");

  // A second JSON change the same day: a replacement again (the refusal is remembered), whose repoint needs an edit.
  resetClaims();
  ctx.emu.clearRequests();
  const approved = { ...repointed.outs, status: "APPROVED" };
  const back = await flowAssetsHooks.check(up.outs as any, assetsIn(V1) as any);
  await flowAssetsHooks.diff(assets.id, up.outs, back.inputs as FlowAssetsInputs);
  await expect(templates.diff(template.id, approved, templateInputs(waba, UNKNOWN))).rejects.toThrow(
    new RegExp(
      `would leave template \\S+ "signup_invite" pointing at deprecated flow ${successor}: .*0 left today.*next edit possible at \\d{4}-\\d\\d-\\d\\dT`,
    ),
  );
  expect(ctx.emu.requests()).toEqual([]);
});

test("a Flow metadata change on 360dialog (a replacement made by the Flow resource) keeps the flow for its template too, and the Flow's next update retries", async () => {
  const { waba, flowId, flow, template } = await deployed("360dialog");
  resetClaims();
  const news = { waba, name: "retire-360dialog", categories: ["SURVEY" as const] };
  const up = await flowHooks.update(flow.id, flow.outs, news);
  const successor = up.outs.flowId;
  expect(successor).not.toBe(flowId);
  expect(up.outs.retiringFlowIds).toEqual([flowId]);
  expect(ctx.emu.flow(flowId)!.status).toBe("PUBLISHED");

  // The template is not updated in this `up` (say it failed): the next `up` of the Flow alone still keeps the flow.
  resetClaims();
  const again = await flowHooks.update(flow.id, up.outs, news);
  expect(again.outs.retiringFlowIds).toEqual([flowId]);
  expect(ctx.emu.flow(flowId)!.status).toBe("PUBLISHED");
  expect(stderr.join("")).toMatch(new RegExp(`flow ${flowId} stays published: templates signup_invite \\(en_US\\) still send it`));

  // Once the template is repointed (it retires the flow), the Flow's next update forgets it.
  await templates.update(template.id, template.outs, templateInputs(waba, successor, { supersededFlowIds: [flowId] }));
  expect(ctx.emu.flow(flowId)!.status).toBe("DEPRECATED");
  resetClaims();
  const last = await flowHooks.update(flow.id, again.outs, news);
  expect(last.outs.retiringFlowIds).toBeUndefined();
});

test("destroy: the flow's delete retires a kept predecessor, even one a template outside the stack still sends (naming it)", async () => {
  const { flowId, assetsIn, assets } = await deployed("8x8");
  resetClaims();
  const checked = await flowAssetsHooks.check(assets.outs as any, assetsIn(V2) as any);
  const up = await flowAssetsHooks.update(assets.id, assets.outs, checked.inputs as FlowAssetsInputs);
  expect(up.outs.retiringFlowIds).toEqual([flowId]);
  // A template outside the stack still sends it: the destroy retires every generation anyway, and says so.
  resetClaims();
  await flowAssetsHooks.delete(assets.id, up.outs);
  expect(ctx.emu.flow(flowId)!.status).toBe("DEPRECATED");
  expect(stderr.join("")).toMatch(new RegExp(`deprecating flow ${flowId} although templates signup_invite \\(en_US\\) still send it`));
});

test("a predecessor kept for a template is never taken for the live flow: a later Flow update follows the newest published generation", async () => {
  // FlowAssets replaced X by Y = "retire-360dialog (v2)" (JSON change) and kept X for a template we do not repoint
  // (as one outside the stack would). The Flow resource still records X.
  const { waba, flowId, flow, assetsIn, assets } = await deployed("360dialog");
  resetClaims();
  const checked = await flowAssetsHooks.check(assets.outs as any, assetsIn(V2) as any);
  const up = await flowAssetsHooks.update(assets.id, assets.outs, checked.inputs as FlowAssetsInputs);
  const successor = up.outs.liveFlowId!;
  expect(up.outs.retiringFlowIds).toEqual([flowId]);
  expect(ctx.emu.flow(flowId)!.status).toBe("PUBLISHED");

  // A refresh (a new process) shows Y as the Flow's live flow, X still to retire, from the list it takes anyway.
  resetClaims();
  ctx.emu.clearRequests();
  const refreshed = await flowHooks.read(flow.id, flow.outs);
  expect(refreshed.props).toMatchObject({ flowId: successor, liveName: "retire-360dialog (v2)", retiringFlowIds: [flowId] });
  expect(ctx.emu.requests().map((r) => r.action)).toEqual(["list", "get", "get"]);

  // A later `up` (a new process) changes the Flow's categories: 360dialog replaces the live flow, which is Y, not X.
  resetClaims();
  ctx.emu.clearRequests();
  const news = { waba, name: "retire-360dialog", categories: ["SURVEY" as const] };
  const changed = await flowHooks.update(flow.id, flow.outs, news);
  const third = changed.outs.flowId;
  expect(ctx.emu.flow(third)).toMatchObject({ name: "retire-360dialog (v3)", status: "PUBLISHED", categories: ["SURVEY"] });
  expect(ctx.emu.flow(third)!.flowJson).toBe(ctx.emu.flow(successor)!.flowJson);
  expect(ctx.emu.flow(third)!.flowJson).not.toBe(ctx.emu.flow(flowId)!.flowJson);
  // X stays for its template; Y, which no template sends, is retired; no other flow of the family exists.
  expect(ctx.emu.flow(flowId)!.status).toBe("PUBLISHED");
  expect(ctx.emu.flow(successor)!.status).toBe("DEPRECATED");
  const family = ctx.emu
    .flows(DEV_WABA_ID)
    .filter((f) => f.name.startsWith("retire-360dialog"))
    .map((f) => [f.name, f.status])
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  expect(family).toEqual([
    ["retire-360dialog", "PUBLISHED"],
    ["retire-360dialog (v2)", "DEPRECATED"],
    ["retire-360dialog (v3)", "PUBLISHED"],
  ]);
  // No call more than the replacement needs: the flow list it reads anyway tells that Y is the newest.
  // X is recorded for the Flow's next operation to retire; the log says what happened.
  expect(changed.outs.retiringFlowIds).toEqual([flowId]);
  expect(stderr.join("")).toMatch(new RegExp(`flow ${flowId} was replaced by flow ${successor} "retire-360dialog \\(v2\\)"`));
  // The list shows Y newer than X, so the update does not plan from its state (./live.ts listedLive) and reads
  // as before: X, then the followed flow Y (the list is the one already taken); then the replacement's own
  // calls (clone create, publish, the template list, deprecate), and X's retirement asks the template list already taken.
  expect(ctx.emu.requests().map((r) => r.action)).toEqual(["list", "get", "get", "create", "publish", "ListTemplates", "deprecate"]);
});

test("preview of a Flow change behind a kept predecessor names the templates sending the live flow, not the kept one", async () => {
  const { waba, flowId, flow, assetsIn, assets, template } = await deployed("360dialog");
  // A second template (as one outside the stack) keeps X; the stack's template is repointed to Y.
  const outside = await templates.create(templateInputs(waba, flowId, { name: "outside_invite" }));
  expect(outside.outs.flowIds).toEqual([flowId]);
  resetClaims();
  const checked = await flowAssetsHooks.check(assets.outs as any, assetsIn(V2) as any);
  const up = await flowAssetsHooks.update(assets.id, assets.outs, checked.inputs as FlowAssetsInputs);
  const successor = up.outs.liveFlowId!;
  const repointed = await templates.update(
    template.id,
    template.outs,
    templateInputs(waba, successor, { supersededFlowIds: up.outs.retiringFlowIds }),
  );
  expect(repointed.outs.flowIds).toEqual([successor]);
  expect(ctx.emu.flow(flowId)!.status).toBe("PUBLISHED");

  // The next preview: the Flow's categories change (its state records X); the assets and the template do not change.
  resetClaims();
  ctx.emu.clearRequests();
  stderr = [];
  await flowHooks.diff(flow.id, flow.outs, { waba, name: "retire-360dialog", categories: ["SURVEY"] });
  await flowAssetsHooks.diff(assets.id, up.outs, checked.inputs as FlowAssetsInputs);
  await templates.diff(template.id, { ...repointed.outs, status: "APPROVED" }, templateInputs(waba, UNKNOWN));
  expect(stderr.join("")).toMatch(new RegExp(`template "signup_invite": .*successor of flow ${successor} \\("retire-360dialog"\\)`));
  expect(ctx.emu.requests()).toEqual([]);
});

test("aws (a template list without components): the templates this process read or wrote are not read again; one it has not seen is", async () => {
  const waba = ACCOUNT_REFS.dev.aws;
  const flow = await flowHooks.create({ waba, name: "memo-aws", categories: ["SIGN_UP"] });
  await flowAssetsHooks.create({ waba, flowId: flow.id, flowName: "memo-aws", flowJson: V1, publish: true, categories: ["SIGN_UP"] });
  const a = await templates.create(templateInputs(waba, flow.id, { name: "memo_a" }));
  resetClaims(); // another deployment created B: this process has not seen A
  await templates.create(templateInputs(waba, flow.id, { name: "memo_b" }));
  ctx.emu.clearRequests();
  expect((await templatesSending(waba, flow.id)).sort()).toEqual(["memo_a (en_US)", "memo_b (en_US)"]);
  // The list, and a read of A only (B was written by this process, with the components it holds).
  expect(ctx.emu.requests().map((r) => r.action)).toEqual(["ListTemplates", "GetTemplate"]);
  expect(JSON.stringify(ctx.emu.requests()[1])).toContain(a.outs.templateId);
  // A write of ours drops the list; the next look lists again and reads nothing it knows.
  ctx.emu.clearRequests();
  await templates.update(
    a.id,
    a.outs,
    templateInputs(waba, flow.id, {
      name: "memo_a",
      components: [
        { type: "BODY", text: "Join us, {{1}}", example: { bodyText: [["Ana"]] } },
        { type: "BUTTONS", buttons: [{ type: "FLOW", text: "Sign up", flowId: flow.id, flowAction: "navigate" }] },
      ],
    }),
  );
  ctx.emu.clearRequests();
  expect((await templatesSending(waba, flow.id)).sort()).toEqual(["memo_a (en_US)", "memo_b (en_US)"]);
  expect(ctx.emu.requests().map((r) => r.action)).toEqual(["ListTemplates"]);
});
