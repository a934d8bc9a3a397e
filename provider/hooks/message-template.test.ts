/**
 * The MessageTemplate hooks on every vendor, through each vendor's real client (the AWS SDK; undici for
 * Meta, 360dialog and 8x8) against the emulator's template dialects: calls made come from its request log.
 */
import { ACCOUNT_REFS, DEV_WABA_ID } from "../../emulator";
import { VALID_FLOW_JSON } from "../../emulator/test-helpers";
import { VENDORS, type VendorName } from "../vendors/registry";
import { messageTemplateHooks as hooks } from "./message-template";
import { useEmulator } from "./test-helpers";

const ctx = useEmulator();
const VENDOR_LIST: VendorName[] = ["meta", "aws", "360dialog", "8x8"];

function publishedFlow(): string {
  const store = ctx.emu.server.store;
  const f = store.createFlow(
    DEV_WABA_ID,
    { name: `f-${Math.random().toString(36).slice(2, 8)}`, categories: ["SIGN_UP"], json: Buffer.from(VALID_FLOW_JSON), publish: true },
    "meta",
  );
  expect(f.status).toBe("PUBLISHED");
  return f.id;
}

const inputs = (vendor: VendorName, flowId: string, over: Record<string, unknown> = {}): any => ({
  waba: ACCOUNT_REFS.dev[vendor],
  name: "signup_invite",
  language: "en_US",
  category: "MARKETING",
  components: [
    { type: "BODY", text: "Join our newsletter, {{1}}", example: { bodyText: [["Ana"]] } },
    { type: "BUTTONS", buttons: [{ type: "FLOW", text: "Sign up", flowId, flowAction: "navigate" }] },
  ],
  ...over,
});
const actions = () => ctx.emu.requests().map((r) => r.action);
const isTemplateWrite = (a: string) => ["CreateTemplate", "UpdateTemplate", "DeleteTemplate"].includes(a);
const templatesOfDev = () => ctx.emu.templates().filter((t) => t.wabaId === DEV_WABA_ID);

describe.each(VENDOR_LIST)("%s", (vendor) => {
  const caps = VENDORS[vendor].templates;

  test("check makes no call; create reports PENDING and goes on; waitForApproval waits for APPROVED; delete removes exactly it", async () => {
    const flowId = publishedFlow();
    ctx.emu.clearRequests();
    const checked = await hooks.check({}, inputs(vendor, flowId, { flowJson: VALID_FLOW_JSON }));
    expect(checked.failures).toEqual([]);
    expect(actions()).toEqual([]);
    // The flow's JSON served the checks; it is not kept in state.
    expect(checked.inputs).not.toHaveProperty("flowJson");

    const created = await hooks.create(checked.inputs as any);
    expect(created.outs).toMatchObject({ status: "PENDING", flowIds: [flowId], liveName: "signup_invite", generation: 1, vendor });
    expect(actions()).toEqual(["CreateTemplate"]);
    const [t] = templatesOfDev();
    expect(t).toMatchObject({ name: "signup_invite", language: "en_US", flowIds: [flowId] });
    if (caps.createAnswersId) expect(created.outs.templateId).toBe(t.templateId);

    // A second template of the same name in another language (not this resource's).
    const waited = await hooks.create(inputs(vendor, flowId, { name: "second_one", waitForApproval: true }) as any);
    expect(waited.outs.status).toBe("APPROVED");

    ctx.emu.clearRequests();
    await hooks.delete(created.id, created.outs);
    expect(templatesOfDev().map((x) => x.name)).toEqual(["second_one"]);
    const del = ctx.emu.requests().filter((r) => r.action === "DeleteTemplate");
    expect(del).toHaveLength(1);
    // By id where the vendor can (Meta hsm_id, AWS metaTemplateId), by name only where it cannot.
    if (caps.deleteBy === "id") expect(del[0].path + JSON.stringify(del[0].query ?? {})).toContain(t.templateId);
  });

  test("a content change: edited in place where the vendor edits (Meta's budget in state), else <name>_v2 created first and the old one deleted", async () => {
    const flowId = publishedFlow();
    const first = await hooks.create(inputs(vendor, flowId, { waitForApproval: true }) as any);
    expect(first.outs.status).toBe("APPROVED");
    const changed = inputs(vendor, flowId, {
      waitForApproval: true,
      components: [{ type: "BODY", text: "Hello {{1}}, join us", example: { bodyText: [["Ana"]] } }, inputs(vendor, flowId).components[1]],
    });
    const diff = await hooks.diff(first.id, first.outs as any, changed as any);
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    ctx.emu.clearRequests();
    const updated = await hooks.update(first.id, first.outs as any, changed as any);
    if (caps.edit) {
      expect(actions()).toEqual(["GetTemplate", "UpdateTemplate", "GetTemplate"]);
      expect(updated.outs).toMatchObject({ templateId: first.outs.templateId, liveName: "signup_invite", status: "APPROVED" });
      expect(updated.outs.approvedEdits).toHaveLength(1);
      // The budget is spent: the next edit is refused by diff (preview), before any call.
      ctx.emu.clearRequests();
      const again = inputs(vendor, flowId, { components: [{ type: "BODY", text: "Third text {{1}}", example: { bodyText: [["Ana"]] } }] });
      await expect(hooks.diff(first.id, updated.outs as any, again as any)).rejects.toThrow(
        /Meta allows 1 edit per 24 hours and 10 per 30 days: 0 left today, 9 left in 30 days .*The next edit is possible after/,
      );
      expect(actions()).toEqual([]);
    } else {
      expect(updated.outs).toMatchObject({ liveName: "signup_invite_v2", generation: 2, status: "APPROVED" });
      expect(templatesOfDev().map((t) => t.name)).toEqual(["signup_invite_v2"]);
      const order = actions().filter((a) => a === "CreateTemplate" || a === "DeleteTemplate");
      expect(order).toEqual(["CreateTemplate", "DeleteTemplate"]);
    }
  });

  test("a create whose answer was lost is adopted by name + language when its content is ours, never created twice", async () => {
    const flowId = publishedFlow();
    ctx.emu.addFault({ operation: "CreateTemplate", times: 1, action: { kind: "apply-then-fail", status: 500 } });
    const created = await hooks.create(inputs(vendor, flowId) as any);
    expect(templatesOfDev()).toHaveLength(1);
    expect(created.outs.templateId).toBe(caps.createAnswersId ? templatesOfDev()[0].templateId : "signup_invite/en_US");
    // Someone else's template of that name and language is not taken.
    await expect(hooks.create(inputs(vendor, flowId, { category: "UTILITY" }) as any)).rejects.toThrow(
      /already exists .* with other content/,
    );
    expect(templatesOfDev()).toHaveLength(1);
  });

  test("adoptTemplateId takes the existing template over with one read and no write; another content or an unknown id is refused with no write", async () => {
    const flowId = publishedFlow();
    const theirs = await hooks.create(inputs(vendor, flowId, { waitForApproval: true }) as any);
    const id = theirs.outs.templateId;
    ctx.emu.clearRequests();
    const adopted = await hooks.create(inputs(vendor, flowId, { adoptTemplateId: id }) as any);
    expect(adopted).toMatchObject({
      id,
      outs: { templateId: id, status: "APPROVED", liveName: "signup_invite", flowIds: [flowId], adoptTemplateId: id },
    });
    expect(actions().filter(isTemplateWrite)).toEqual([]);
    expect(actions()).toHaveLength(1);
    // The state it writes is the declared template: the next diff is empty.
    expect((await hooks.diff(id, adopted.outs as any, inputs(vendor, flowId, { adoptTemplateId: id }) as any)).changes).toBe(false);

    ctx.emu.clearRequests();
    await expect(
      hooks.create(
        inputs(vendor, flowId, {
          adoptTemplateId: id,
          components: [{ type: "BODY", text: "Other {{1}}", example: { bodyText: [["Ana"]] } }],
        }) as any,
      ),
    ).rejects.toThrow(/adoptTemplateId\) in \S+ is not the declared template: its components differ .*Nothing was changed/);
    await expect(hooks.create(inputs(vendor, flowId, { adoptTemplateId: id, name: "other_name" }) as any)).rejects.toThrow(
      /is not the declared template|does not exist/,
    );
    if (vendor !== "8x8")
      await expect(hooks.create(inputs(vendor, flowId, { adoptTemplateId: "2999999999999999" }) as any)).rejects.toThrow(
        /template 2999999999999999 \(adoptTemplateId\) in \S+ does not exist/,
      );
    expect(actions().filter(isTemplateWrite)).toEqual([]);
    expect(templatesOfDev()).toHaveLength(1);
  });

  test("refresh shows the vendor's status, and drops the template only when the vendor shows it gone", async () => {
    const flowId = publishedFlow();
    const created = await hooks.create(inputs(vendor, flowId) as any);
    const id = templatesOfDev()[0].templateId;
    ctx.emu.patchTemplate(id, { status: "PAUSED" });
    const read = await hooks.read(created.id, created.outs);
    expect(read).toMatchObject({ id: created.id, props: { status: "PAUSED", templateId: created.outs.templateId } });
    // Content unchanged: no drift shown (a diff would spend an edit).
    expect((await hooks.diff(created.id, read.props as any, inputs(vendor, flowId) as any)).changes).toBe(false);
    ctx.emu.server.templates.deleteById(DEV_WABA_ID, id);
    // A credential that cannot read the account gets the same not-found: the template is kept then.
    ctx.emu.addFault({ operation: "ListTemplates", action: { kind: "error", status: 403, code: 200, message: "no access" } });
    // (Meta, AWS: their not-found is confirmed by the account's list; 360dialog, 8x8: their read is that list.)
    await expect(hooks.read(created.id, created.outs)).rejects.toMatchObject({ kind: "ACCESS_DENIED" });
    ctx.emu.clearFaults();
    expect(await hooks.read(created.id, created.outs)).toEqual({ id: "", props: {} });
  });

  test("a rejection fails up with the vendor's reason; the template stays in state", async () => {
    const flowId = publishedFlow();
    ctx.emu.server.templates.reviewMs = null;
    try {
      const pending = hooks.create(inputs(vendor, flowId, { waitForApproval: true, approvalTimeoutSeconds: 30 }) as any);
      await new Promise((r) => setTimeout(r, 300));
      ctx.emu.patchTemplate(templatesOfDev()[0].templateId, { status: "REJECTED", rejectedReason: "INVALID_FORMAT" });
      const err: any = await pending.catch((e) => e);
      // 8x8's template list carries no rejection reason (docs/templates.md): the status alone is reported there.
      const reason = vendor === "8x8" ? null : "INVALID_FORMAT";
      expect(err.message).toMatch(new RegExp(`was REJECTED by the review: ${reason ?? "the vendor reports no reason"}`));
      expect(err.properties).toMatchObject({ status: "REJECTED", rejectedReason: reason });
    } finally {
      ctx.emu.server.templates.reviewMs = 0;
    }
  });
});

test("8x8 and 360dialog delete by name: a deletion that would take another language is refused, nothing deleted", async () => {
  for (const vendor of ["8x8", "360dialog"] as const) {
    ctx.emu.reset();
    const flowId = publishedFlow();
    const en = await hooks.create(inputs(vendor, flowId) as any);
    await hooks.create(inputs(vendor, flowId, { language: "pt_BR" }) as any);
    await expect(hooks.delete(en.id, en.outs)).rejects.toThrow(/deletes templates by name, every language at once: .*pt_BR/);
    expect(templatesOfDev()).toHaveLength(2);
  }
});

test("a replacement whose old template could not be deleted keeps it in state, and the next up deletes it", async () => {
  const flowId = publishedFlow();
  const first = await hooks.create(inputs("8x8", flowId) as any);
  const changed = inputs("8x8", flowId, { components: [{ type: "BODY", text: "Changed {{1}}", example: { bodyText: [["Ana"]] } }] });
  // Every attempt of the deletion fails (8x8's internal error 2000 is retried by the transport).
  ctx.emu.addFault({ operation: "DeleteTemplate", times: 4, action: { kind: "error", status: 500, code: 2000, message: "internal" } });
  const err: any = await hooks.update(first.id, first.outs as any, changed as any).catch((e) => e);
  expect(err.message).toMatch(/replaced by template signup_invite_v2\/en_US, but deleting the old template signup_invite\/en_US failed/);
  expect(err.properties).toMatchObject({ liveName: "signup_invite_v2", retired: [{ name: "signup_invite", language: "en_US" }] });
  expect(
    templatesOfDev()
      .map((t) => t.name)
      .sort(),
  ).toEqual(["signup_invite", "signup_invite_v2"]);
  ctx.emu.clearFaults();
  expect((await hooks.diff(first.id, err.properties, changed as any)).changes).toBe(true);
  const again = await hooks.update(first.id, err.properties, changed as any);
  expect(again.outs).not.toHaveProperty("retired");
  expect(templatesOfDev().map((t) => t.name)).toEqual(["signup_invite_v2"]);
});

// Vendors that edit templates (the others replace them: covered above).
describe.each(VENDOR_LIST.filter((v) => VENDORS[v].templates.edit))("%s edits", (vendor) => {
  test("an edit whose answer was lost is not sent again: the next up finds the declared content and counts the edit", async () => {
    const flowId = publishedFlow();
    const first = await hooks.create(inputs(vendor, flowId, { waitForApproval: true }) as any);
    const changed = inputs(vendor, flowId, { components: [{ type: "BODY", text: "Changed {{1}}", example: { bodyText: [["Ana"]] } }] });
    ctx.emu.addFault({ operation: "UpdateTemplate", times: 1, action: { kind: "apply-then-fail", status: 500 } });
    await expect(hooks.update(first.id, first.outs as any, changed as any)).rejects.toThrow();
    ctx.emu.clearRequests();
    const again = await hooks.update(first.id, first.outs as any, changed as any);
    expect(actions()).toEqual(["GetTemplate"]);
    expect(again.outs.approvedEdits).toHaveLength(1);
    expect(ctx.emu.template(first.outs.templateId)!.edits).toHaveLength(1);
  });
});
