/**
 * Message templates in every dialect (Meta Graph, AWS through the real SDK, 360dialog Partner API,
 * 8x8), the simulated review, Meta's edit limits, the 30-day name block, FLOW buttons bound to
 * published flows, the admin API, the request log / faults, and persistence.
 */
import {
  CreateWhatsAppMessageTemplateCommand,
  DeleteWhatsAppMessageTemplateCommand,
  GetWhatsAppMessageTemplateCommand,
  ListWhatsAppMessageTemplatesCommand,
  SocialMessagingClient,
  UpdateWhatsAppMessageTemplateCommand,
} from "@aws-sdk/client-socialmessaging";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runEmulatorCli } from "./cli";
import {
  DEFAULT_CREDENTIALS,
  DEV_META_WABA_ID,
  DEV_WABA_ID,
  PROD_WABA_ID,
  emulatorAdmin,
  startEmulator,
  type RunningEmulator,
} from "./index";
import { VALID_FLOW_JSON } from "./test-helpers";

const DAY = 24 * 3600 * 1000;
const T0 = Date.parse("2026-03-01T00:00:00Z");
const GRAPH = "/v23.0";
const auth = { authorization: `Bearer ${DEFAULT_CREDENTIALS.meta}` };

/** A started emulator with a hand-moved clock and a published flow in "dev". */
async function setup(opts: { templateReviewMs?: number | null; stateFile?: string } = {}) {
  const clock = { now: T0 };
  const emu = await startEmulator({ now: () => clock.now, ...opts });
  const flow = emu.server.store.createFlow(
    DEV_WABA_ID,
    { name: "signup", categories: ["SIGN_UP"], json: Buffer.from(VALID_FLOW_JSON), publish: true },
    "meta",
  );
  expect(flow.status).toBe("PUBLISHED");
  return { emu, clock, flowId: flow.id };
}

const components = (flowId: string, body = "Join our newsletter, {{1}}") => [
  { type: "BODY", text: body, example: { body_text: [["Ana"]] } },
  { type: "BUTTONS", buttons: [{ type: "FLOW", text: "Sign up", flow_id: flowId, navigate_screen: "WELCOME", flow_action: "navigate" }] },
];

async function graph(emu: RunningEmulator, method: string, path: string, body?: unknown) {
  const res = await fetch(`${emu.url}${GRAPH}${path}`, {
    method,
    headers: { ...auth, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function admin(emu: RunningEmulator, method: string, path: string, body?: unknown) {
  const res = await fetch(`${emu.url}/_emulator${path}`, {
    method,
    headers: body !== undefined ? { "content-type": "application/json" } : undefined,
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe("Meta Graph dialect", () => {
  let emu: RunningEmulator;
  let clock: { now: number };
  let flowId: string;
  beforeEach(async () => ({ emu, clock, flowId } = await setup()));
  afterEach(() => emu.close());

  test("create answers {id, status: PENDING, category}; review approves; get, list, fields, filters", async () => {
    const created = await graph(emu, "POST", `/${DEV_META_WABA_ID}/message_templates`, {
      name: "signup_invite",
      language: "en_US",
      category: "MARKETING",
      components: components(flowId),
    });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ id: expect.stringMatching(/^\d{16}$/), status: "PENDING", category: "MARKETING" });
    const id = created.body.id as string;

    const got = await graph(emu, "GET", `/${id}`);
    expect(got.body).toMatchObject({ id, name: "signup_invite", language: "en_US", status: "APPROVED", category: "MARKETING" });
    expect(got.body.components[1].buttons[0]).toMatchObject({ type: "FLOW", flow_id: flowId });

    const some = await graph(emu, "GET", `/${id}?fields=status,quality_score{score},rejected_reason`);
    expect(some.body).toEqual({ id, status: "APPROVED", quality_score: { score: "UNKNOWN" }, rejected_reason: "NONE" });

    await graph(emu, "POST", `/${DEV_META_WABA_ID}/message_templates`, {
      name: "signup_invite",
      language: "pt_BR",
      category: "MARKETING",
      components: components(flowId, "Assine, {{1}}"),
    });
    const listed = await graph(emu, "GET", `/${DEV_META_WABA_ID}/message_templates?limit=1&summary=total_count`);
    expect(listed.body.data).toHaveLength(1);
    expect(listed.body.summary).toEqual({ total_count: 2 });
    expect(listed.body.paging.next).toContain("after=");
    const filtered = await graph(emu, "GET", `/${DEV_META_WABA_ID}/message_templates?language=pt_BR&fields=name,language`);
    expect(filtered.body.data).toEqual([{ name: "signup_invite", language: "pt_BR", id: expect.any(String) }]);

    expect(emu.requests({ vendor: "meta" }).map((r) => [r.operation, r.action, r.status])).toEqual([
      ["CreateMessageTemplate", "CreateTemplate", 200],
      ["GetMessageTemplate", "GetTemplate", 200],
      ["GetMessageTemplate", "GetTemplate", 200],
      ["CreateMessageTemplate", "CreateTemplate", 200],
      ["ListMessageTemplates", "ListTemplates", 200],
      ["ListMessageTemplates", "ListTemplates", 200],
    ]);
  });

  test("a FLOW button must point at a PUBLISHED flow of the same account", async () => {
    const draft = emu.server.store.createFlow(DEV_WABA_ID, { name: "draft", categories: ["OTHER"] }, "meta");
    const other = emu.server.store.createFlow(
      PROD_WABA_ID,
      { name: "prod-flow", categories: ["OTHER"], json: Buffer.from(VALID_FLOW_JSON), publish: true },
      "meta",
    );
    for (const id of [draft.id, other.id, "999"]) {
      const r = await graph(emu, "POST", `/${DEV_META_WABA_ID}/message_templates`, {
        name: "x",
        language: "en",
        category: "UTILITY",
        components: components(id),
      });
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ code: 100, type: "OAuthException" });
      expect(r.body.error.message).toContain(`Flow ${id} must be a published flow`);
    }
    expect(emu.server.templates.all()).toEqual([]);
  });

  test("name + language exists (2388024); body, button and name limits (100)", async () => {
    const body = { name: "dup", language: "en", category: "UTILITY", components: components(flowId) };
    expect((await graph(emu, "POST", `/${DEV_META_WABA_ID}/message_templates`, body)).status).toBe(200);
    const again = await graph(emu, "POST", `/${DEV_META_WABA_ID}/message_templates`, body);
    expect(again.body.error).toMatchObject({ code: 100, error_subcode: 2388024 });
    const cases: [Record<string, unknown>, string][] = [
      [{ ...body, name: "Bad-Name" }, "Param name"],
      [{ ...body, name: "ok", category: "PROMO" }, "Param category"],
      [{ ...body, name: "ok", components: components(flowId, "x".repeat(1025)) }, "at most 1024"],
      [
        {
          ...body,
          name: "ok",
          components: [
            { type: "BODY", text: "hi" },
            { type: "BUTTONS", buttons: [{ type: "FLOW", text: "x".repeat(26), flow_id: flowId }] },
          ],
        },
        "at most 25",
      ],
      [{ ...body, name: "ok", components: [{ type: "HEADER", format: "TEXT", text: "h" }] }, "BODY"],
    ];
    for (const [b, text] of cases) {
      const r = await graph(emu, "POST", `/${DEV_META_WABA_ID}/message_templates`, b);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe(100);
      expect(r.body.error.message).toContain(text);
    }
  });

  test("edit rules: PENDING refused, APPROVED 1 per 24 h and 10 per 30 days, category locked, REJECTED/PAUSED unlimited", async () => {
    emu.server.templates.reviewMs = null; // manual review for this test
    const { body } = await graph(emu, "POST", `/${DEV_META_WABA_ID}/message_templates`, {
      name: "edits",
      language: "en",
      category: "UTILITY",
      components: components(flowId),
    });
    const id = body.id as string;
    const edit = (text: string, extra: object = {}) => graph(emu, "POST", `/${id}`, { components: components(flowId, text), ...extra });

    const pending = await edit("v1");
    expect(pending.status).toBe(400);
    expect(pending.body.error.message).toContain("PENDING");

    await admin(emu, "POST", `/templates/${id}/approve`);
    const cat = await graph(emu, "POST", `/${id}`, { category: "MARKETING" });
    expect(cat.body.error.message).toContain("category of an approved");

    expect((await edit("v1")).body).toEqual({ success: true });
    expect((await graph(emu, "GET", `/${id}?fields=status`)).body.status).toBe("PENDING");
    await admin(emu, "POST", `/templates/${id}/approve`);
    const second = await edit("v2");
    expect(second.status).toBe(400);
    expect(second.body.error.message).toContain("once in 24 hours");

    // REJECTED and PAUSED: unlimited, not counted; category may change when REJECTED.
    await admin(emu, "POST", `/templates/${id}/reject`, { reason: "INVALID_FORMAT" });
    expect((await graph(emu, "GET", `/${id}?fields=status,rejected_reason`)).body).toMatchObject({
      status: "REJECTED",
      rejected_reason: "INVALID_FORMAT",
    });
    expect((await edit("r1", { category: "MARKETING" })).status).toBe(200);
    await admin(emu, "POST", `/templates/${id}/pause`);
    expect((await edit("p1")).status).toBe(200);

    // Nine more approved edits, one a day: the 10th in 30 days is the last allowed.
    for (let i = 2; i <= 10; i++) {
      clock.now += DAY + 1000;
      await admin(emu, "POST", `/templates/${id}/approve`);
      expect((await edit(`a${i}`)).status).toBe(200);
    }
    clock.now += DAY + 1000;
    await admin(emu, "POST", `/templates/${id}/approve`);
    const view = (await admin(emu, "GET", `/templates/${id}`)).body;
    expect(view.editsLeft).toEqual({ day: 1, month: 0 });
    const eleventh = await edit("a11");
    expect(eleventh.body.error.message).toContain("10 times in 30 days");
    expect(view.edits.filter((e: { fromStatus: string }) => e.fromStatus === "APPROVED")).toHaveLength(10);
  });

  test("delete by name deletes every language; name + hsm_id one; an APPROVED name is blocked 30 days (2388023)", async () => {
    const mk = (language: string) =>
      graph(emu, "POST", `/${DEV_META_WABA_ID}/message_templates`, {
        name: "bye",
        language,
        category: "UTILITY",
        components: components(flowId),
      });
    const en = (await mk("en")).body.id;
    const es = (await mk("es")).body.id;
    await mk("fr");
    expect((await graph(emu, "DELETE", `/${DEV_META_WABA_ID}/message_templates?name=bye&hsm_id=${en}`)).body).toEqual({ success: true });
    expect(emu.server.templates.all().map((t) => t.language)).toEqual(["es", "fr"]);
    const blocked = await mk("en");
    expect(blocked.body.error).toMatchObject({ code: 100, error_subcode: 2388023 });
    expect(blocked.body.error.message).toContain("Try again in 4 weeks");
    expect((await graph(emu, "DELETE", `/${DEV_META_WABA_ID}/message_templates?name=bye`)).body).toEqual({ success: true });
    expect(emu.server.templates.all()).toEqual([]);
    expect((await graph(emu, "GET", `/${es}`)).body.error).toMatchObject({ code: 100, error_subcode: 33 });
    clock.now += 30 * DAY + 1;
    expect((await mk("en")).status).toBe(200);
  });

  test("DISABLED templates cannot be deleted; a never-approved name is not blocked", async () => {
    emu.server.templates.reviewMs = null;
    const id = (
      await graph(emu, "POST", `/${DEV_META_WABA_ID}/message_templates`, {
        name: "dis",
        language: "en",
        category: "UTILITY",
        components: components(flowId),
      })
    ).body.id;
    await admin(emu, "POST", `/templates/${id}/disable`);
    const r = await graph(emu, "DELETE", `/${DEV_META_WABA_ID}/message_templates?name=dis`);
    expect(r.body.error.message).toContain("DISABLED");
    await admin(emu, "POST", `/templates/${id}/reject`, { reason: "SCAM" });
    expect((await graph(emu, "DELETE", `/${DEV_META_WABA_ID}/message_templates?name=dis`)).status).toBe(200);
    expect(
      (
        await graph(emu, "POST", `/${DEV_META_WABA_ID}/message_templates`, {
          name: "dis",
          language: "en",
          category: "UTILITY",
          components: components(flowId),
        })
      ).status,
    ).toBe(200);
  });

  test("template calls take faults and appear in the request log under neutral actions", async () => {
    emu.addFault({ operation: "CreateTemplate", action: { kind: "error", status: 500 } });
    const r = await graph(emu, "POST", `/${DEV_META_WABA_ID}/message_templates`, {
      name: "f",
      language: "en",
      category: "UTILITY",
      components: components(flowId),
    });
    expect(r.status).toBe(500);
    expect(emu.server.templates.all()).toEqual([]);
    emu.addFault({ operation: "CreateTemplate", action: { kind: "apply-then-fail" } });
    expect(
      (
        await graph(emu, "POST", `/${DEV_META_WABA_ID}/message_templates`, {
          name: "f",
          language: "en",
          category: "UTILITY",
          components: components(flowId),
        })
      ).status,
    ).toBe(500);
    expect(emu.server.templates.all().map((t) => t.name)).toEqual(["f"]);
    expect(emu.requests({ operation: "CreateTemplate" }).map((e) => [e.fault, e.status])).toEqual([
      ["error", 500],
      ["apply-then-fail", 500],
    ]);
  });

  test("Graph conventions hold for templates: method=delete, form bodies, an expired version", async () => {
    await graph(emu, "POST", `/${DEV_META_WABA_ID}/message_templates`, {
      name: "conv",
      language: "en",
      category: "UTILITY",
      components: components(flowId),
    });
    const form = new URLSearchParams({ name: "conv", language: "es", category: "UTILITY", components: JSON.stringify(components(flowId)) });
    const viaForm = await fetch(`${emu.url}${GRAPH}/${DEV_META_WABA_ID}/message_templates`, {
      method: "POST",
      headers: auth,
      body: form.toString(),
    });
    expect(viaForm.status).toBe(200);
    const del = await fetch(`${emu.url}${GRAPH}/${DEV_META_WABA_ID}/message_templates?method=delete&name=conv`, {
      method: "POST",
      headers: auth,
    });
    expect(await del.json()).toEqual({ success: true });
    expect(emu.server.templates.all()).toEqual([]);
    expect(emu.requests({ vendor: "meta" }).map((e) => e.operation)).toEqual([
      "CreateMessageTemplate",
      "CreateMessageTemplate",
      "DeleteMessageTemplate",
    ]);
    const old = await fetch(`${emu.url}/v2.0/${DEV_META_WABA_ID}/message_templates`, { headers: auth });
    expect(((await old.json()) as any).error.code).toBe(2635);
  });

  test("401 without a token", async () => {
    const res = await fetch(`${emu.url}${GRAPH}/${DEV_META_WABA_ID}/message_templates`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as any).error.code).toBe(190);
  });
});

describe("AWS dialect through @aws-sdk/client-socialmessaging", () => {
  let emu: RunningEmulator;
  let flowId: string;
  let client: SocialMessagingClient;
  beforeEach(async () => {
    ({ emu, flowId } = await setup());
    client = new SocialMessagingClient({
      endpoint: emu.url,
      region: "us-east-1",
      credentials: { accessKeyId: "x", secretAccessKey: "y" },
      maxAttempts: 1,
    });
  });
  afterEach(async () => {
    client.destroy();
    await emu.close();
  });

  test("create (base64 templateDefinition), get by id and by name+language, list, update, delete", async () => {
    const def = {
      name: "aws_invite",
      language: "en_US",
      category: "MARKETING",
      allow_category_change: false,
      components: components(flowId),
    };
    const created = await client.send(
      new CreateWhatsAppMessageTemplateCommand({ id: DEV_WABA_ID, templateDefinition: Buffer.from(JSON.stringify(def)) }),
    );
    expect(created).toMatchObject({ metaTemplateId: expect.stringMatching(/^\d+$/), templateStatus: "PENDING", category: "MARKETING" });
    const id = created.metaTemplateId!;

    const byId = await client.send(new GetWhatsAppMessageTemplateCommand({ id: DEV_WABA_ID, metaTemplateId: id }));
    expect(JSON.parse(byId.template!)).toMatchObject({ id, name: "aws_invite", status: "APPROVED", components: components(flowId) });
    const byName = await client.send(
      new GetWhatsAppMessageTemplateCommand({ id: DEV_WABA_ID, templateName: "aws_invite", templateLanguageCode: "en_US" }),
    );
    expect(JSON.parse(byName.template!).id).toBe(id);

    const list = await client.send(new ListWhatsAppMessageTemplatesCommand({ id: DEV_WABA_ID }));
    expect(list.templates).toEqual([
      {
        templateName: "aws_invite",
        metaTemplateId: id,
        templateStatus: "APPROVED",
        templateQualityScore: "UNKNOWN",
        templateLanguage: "en_US",
        templateCategory: "MARKETING",
      },
    ]);

    await client.send(
      new UpdateWhatsAppMessageTemplateCommand({
        id: DEV_WABA_ID,
        metaTemplateId: id,
        templateComponents: Buffer.from(JSON.stringify(components(flowId, "Hello again, {{1}}"))),
      }),
    );
    // Reviewed again (the default 0 ms review approves it on the next read); the edit is on record.
    expect(emu.server.templates.view(id)).toMatchObject({
      status: "APPROVED",
      edits: [{ fromStatus: "APPROVED", fields: ["components"] }],
    });
    const again = await client
      .send(
        new UpdateWhatsAppMessageTemplateCommand({
          id: DEV_WABA_ID,
          metaTemplateId: id,
          templateComponents: Buffer.from(JSON.stringify(components(flowId, "x"))),
        }),
      )
      .catch((e) => e);
    // Approved again by the 0 ms review, but the one edit of the day is spent.
    expect(again.name).toBe("InvalidParametersException");
    expect(again.message).toContain("once in 24 hours");

    await client.send(new DeleteWhatsAppMessageTemplateCommand({ id: DEV_WABA_ID, templateName: "aws_invite", metaTemplateId: id }));
    const gone = await client.send(new GetWhatsAppMessageTemplateCommand({ id: DEV_WABA_ID, metaTemplateId: id })).catch((e) => e);
    expect(gone.name).toBe("ResourceNotFoundException");

    const logged = emu.requests({ vendor: "aws" });
    expect(logged.map((e) => e.operation)).toEqual([
      "CreateWhatsAppMessageTemplate",
      "GetWhatsAppMessageTemplate",
      "GetWhatsAppMessageTemplate",
      "ListWhatsAppMessageTemplates",
      "UpdateWhatsAppMessageTemplate",
      "UpdateWhatsAppMessageTemplate",
      "DeleteWhatsAppMessageTemplate",
      "GetWhatsAppMessageTemplate",
    ]);
    expect((logged[0].body as any).templateDefinition).toMatchObject({ name: "aws_invite" });
  });

  test("model constraints: missing id, oversized templateDefinition, unknown WABA, deleteAllTemplates", async () => {
    const big = await client
      .send(new CreateWhatsAppMessageTemplateCommand({ id: DEV_WABA_ID, templateDefinition: Buffer.alloc(6001, 32) }))
      .catch((e) => e);
    expect(big.name).toBe("ValidationException");
    const unknown = await client
      .send(new ListWhatsAppMessageTemplatesCommand({ id: "waba-00000000000000000000000000000000" }))
      .catch((e) => e);
    expect(unknown.name).toBe("ResourceNotFoundException");
    for (const language of ["en", "es"]) {
      await client.send(
        new CreateWhatsAppMessageTemplateCommand({
          id: DEV_WABA_ID,
          templateDefinition: Buffer.from(JSON.stringify({ name: "multi", language, category: "UTILITY", components: components(flowId) })),
        }),
      );
    }
    await client.send(new DeleteWhatsAppMessageTemplateCommand({ id: DEV_WABA_ID, templateName: "multi", deleteAllLanguages: true }));
    expect(emu.server.templates.all()).toEqual([]);
    expect(emu.requests({ operation: "DeleteWhatsAppMessageTemplate" })[0].query).toMatchObject({ deleteAllTemplates: "true" });
  });
});

describe("360dialog Partner API dialect", () => {
  let emu: RunningEmulator;
  let flowId: string;
  let base: string;
  const headers = { "x-api-key": DEFAULT_CREDENTIALS["360dialog"], "content-type": "application/json" };
  beforeEach(async () => {
    ({ emu, flowId } = await setup());
    const [, ref] = emu.accountRef("360dialog", "dev").split(":");
    const [partner, waba] = ref.split("/");
    base = `${emu.url}/api/v2/partners/${partner}/waba_accounts/${waba}/waba_templates`;
  });
  afterEach(() => emu.close());

  test("create (201), list with filters (lower-case status, external_id), edit (PATCH), delete by name", async () => {
    const res = await fetch(base, {
      method: "POST",
      headers,
      body: JSON.stringify({ name: "d360_invite", language: "en", category: "MARKETING", components: components(flowId) }),
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as any;
    expect(created).toMatchObject({
      name: "d360_invite",
      status: "pending",
      external_id: expect.stringMatching(/^\d+$/),
      id: expect.any(String),
    });
    expect(created.id).not.toBe(created.external_id);

    const list = (await (
      await fetch(`${base}?filters=${encodeURIComponent(JSON.stringify({ "business_templates.name": "d360_invite" }))}`, { headers })
    ).json()) as any;
    expect(list).toMatchObject({ count: 1, total: 1, offset: 0 });
    expect(list.waba_templates[0]).toMatchObject({ status: "approved", external_id: created.external_id });

    const patched = await fetch(`${base}/${created.id}`, {
      method: "PATCH",
      headers,
      body: JSON.stringify({ components: components(flowId, "Edited {{1}}") }),
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toEqual({ success: true });
    expect(emu.server.templates.view(created.external_id)?.components[0]).toMatchObject({ text: "Edited {{1}}" });

    const unknownField = await fetch(base, {
      method: "POST",
      headers,
      body: JSON.stringify({ name: "x", language: "en", category: "UTILITY", components: [], flow: 1 }),
    });
    expect(unknownField.status).toBe(400);
    expect(((await unknownField.json()) as any).meta.details.json.flow).toEqual(["Unknown field."]);

    const del = await fetch(`${base}/d360_invite`, { method: "DELETE", headers });
    expect(del.status).toBe(200);
    expect(((await del.json()) as any).meta.success).toBe(true);
    expect(emu.server.templates.all()).toEqual([]);

    const reuse = await fetch(base, {
      method: "POST",
      headers,
      body: JSON.stringify({ name: "d360_invite", language: "en", category: "MARKETING", components: components(flowId) }),
    });
    expect(reuse.status).toBe(400);
    expect(((await reuse.json()) as any).meta.details).toMatchObject({ code: 100, error_subcode: 2388023 });
    expect(emu.requests({ vendor: "360dialog" }).map((e) => e.action)).toEqual([
      "CreateTemplate",
      "ListTemplates",
      "UpdateTemplate",
      "CreateTemplate",
      "DeleteTemplate",
      "CreateTemplate",
    ]);
  });

  test("401 without the Partner key", async () => {
    expect((await fetch(base)).status).toBe(401);
  });
});

describe("8x8 dialect", () => {
  let emu: RunningEmulator;
  let flowId: string;
  let base: string;
  const headers = { authorization: `Bearer ${DEFAULT_CREDENTIALS["8x8"]}`, "content-type": "application/json" };
  beforeEach(async () => {
    ({ emu, flowId } = await setup());
    const [account, channel] = emu.accountRef("8x8", "dev").slice(4).split("/");
    base = `${emu.url}/api/v1/accounts/${account}/channels/${channel}/templates`;
  });
  afterEach(() => emu.close());

  const body8x8 = (flow: string, text = "Share Info") => ({
    name: "x8_invite",
    language: "en_US",
    category: "MARKETING",
    components: [
      { type: "BODY", text: "Hi {{1}}", examples: ["Ana"] },
      { type: "BUTTONS", buttons: [{ type: "FLOW", text, flowId: flow, flowAction: "navigate", navigateScreen: "WELCOME" }] },
    ],
  });

  test("create answers 200 {} without an id; list in camelCase; no edit; delete by name; 409 3060 on early reuse", async () => {
    const res = await fetch(base, { method: "POST", headers, body: JSON.stringify(body8x8(flowId)) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    const stored = emu.server.templates.all()[0];
    expect(stored.flowIds).toEqual([flowId]);
    expect(emu.server.templates.view(stored.templateId)!.components).toEqual([
      { type: "BODY", text: "Hi {{1}}", example: { body_text: [["Ana"]] } },
      {
        type: "BUTTONS",
        buttons: [{ type: "FLOW", text: "Share Info", flow_id: flowId, flow_action: "navigate", navigate_screen: "WELCOME" }],
      },
    ]);

    const list = (await (await fetch(base, { headers })).json()) as any;
    expect(list.templates).toHaveLength(1);
    const t = list.templates[0];
    expect(t).toMatchObject({
      templateName: "x8_invite",
      language: "en_US",
      status: "APPROVED",
      statusName: "Approved",
      category: "MARKETING",
    });
    expect(t.components).toEqual(body8x8(flowId).components);
    expect(JSON.stringify(t)).not.toContain(stored.templateId);

    const put = await fetch(`${base}/x8_invite`, { method: "PUT", headers, body: JSON.stringify(body8x8(flowId)) });
    expect(put.status).toBe(404);

    expect((await fetch(`${base}/x8_invite`, { method: "DELETE", headers })).status).toBe(200);
    const reuse = await fetch(base, { method: "POST", headers, body: JSON.stringify(body8x8(flowId)) });
    expect(reuse.status).toBe(409);
    expect(await reuse.json()).toMatchObject({
      code: 3060,
      message: expect.stringContaining("Try again in 4 weeks"),
      errorId: expect.any(String),
    });
  });

  test("8x8 limits: button text at most 20, one FLOW button, flowId required, published flow", async () => {
    const long = await fetch(base, { method: "POST", headers, body: JSON.stringify(body8x8(flowId, "x".repeat(21))) });
    expect(long.status).toBe(400);
    expect(((await long.json()) as any).code).toBe(1000);
    const two = body8x8(flowId);
    (two.components[1].buttons as object[]).push({ type: "FLOW", text: "Again", flowId });
    expect((await fetch(base, { method: "POST", headers, body: JSON.stringify(two) })).status).toBe(400);
    const draft = emu.server.store.createFlow(DEV_WABA_ID, { name: "d", categories: ["OTHER"] }, "8x8");
    const unpublished = await fetch(base, { method: "POST", headers, body: JSON.stringify(body8x8(draft.id)) });
    expect(unpublished.status).toBe(400);
    expect(((await unpublished.json()) as any).message).toContain("must be a published flow");
    expect(emu.server.templates.all()).toEqual([]);
  });
});

describe("admin API, review delay, persistence", () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), "wf-templates-"))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("review delay: PENDING until the delay passes; GET /_emulator/templates lists the summary", async () => {
    const { emu, clock, flowId } = await setup({ templateReviewMs: 60_000 });
    try {
      const id = (
        await graph(emu, "POST", `/${DEV_META_WABA_ID}/message_templates`, {
          name: "slow",
          language: "en",
          category: "UTILITY",
          components: components(flowId),
        })
      ).body.id;
      clock.now += 59_000;
      expect((await admin(emu, "GET", "/templates")).body).toEqual([
        { templateId: id, wabaId: DEV_WABA_ID, name: "slow", language: "en", status: "PENDING", category: "UTILITY", flowIds: [flowId] },
      ]);
      clock.now += 1_000;
      expect((await admin(emu, "GET", `/templates?wabaId=${DEV_META_WABA_ID}`)).body[0].status).toBe("APPROVED");
      expect((await admin(emu, "GET", `/templates?wabaId=${PROD_WABA_ID}`)).body).toEqual([]);
      expect((await admin(emu, "PUT", "/templates/review", { reviewMs: null })).body).toEqual({ reviewMs: null });
      expect((await admin(emu, "POST", `/templates/${id}`, { qualityScore: "RED" })).body.qualityScore).toBe("RED");
      expect((await admin(emu, "POST", "/templates/123/approve")).status).toBe(404);
      expect((await admin(emu, "POST", `/templates/${id}`, { status: "NOPE" })).status).toBe(400);
    } finally {
      await emu.close();
    }
  });

  test("RunningEmulator and emulatorAdmin expose templates; Meta's flow_name resolves to the flow's id", async () => {
    const { emu, flowId } = await setup({ templateReviewMs: null });
    try {
      const byName = [
        { type: "BODY", text: "Hi" },
        { type: "BUTTONS", buttons: [{ type: "FLOW", text: "Go", flow_name: "signup" }] },
      ];
      const id = (
        await graph(emu, "POST", `/${DEV_META_WABA_ID}/message_templates`, {
          name: "by_name",
          language: "en",
          category: "UTILITY",
          components: byName,
        })
      ).body.id as string;
      expect(emu.templates()).toEqual([expect.objectContaining({ templateId: id, status: "PENDING", flowIds: [flowId] })]);
      // Meta keeps the flow's id, not its name.
      expect((await graph(emu, "GET", `/${id}?fields=components`)).body.components[1].buttons[0]).toEqual({
        type: "FLOW",
        text: "Go",
        flow_id: flowId,
      });
      const http = emulatorAdmin(emu.url);
      expect(await http.templates(DEV_WABA_ID)).toEqual(emu.templates());
      expect((await http.patchTemplate(id, { status: "REJECTED", rejectedReason: "PROMOTIONAL" })).rejectedReason).toBe("PROMOTIONAL");
      expect(emu.template(id)).toMatchObject({ status: "REJECTED", editsLeft: null });
      expect(emu.patchTemplate(id, { status: "APPROVED" }).editsLeft).toEqual({ day: 1, month: 10 });
      expect(await http.template("1")).toBeUndefined();
    } finally {
      await emu.close();
    }
  });

  test("templates and blocked names survive a restart with --state; reset forgets them", async () => {
    const stateFile = join(dir, "state.json");
    const first = await setup({ stateFile });
    const id = (
      await graph(first.emu, "POST", `/${DEV_META_WABA_ID}/message_templates`, {
        name: "kept",
        language: "en",
        category: "UTILITY",
        components: components(first.flowId),
      })
    ).body.id;
    await graph(first.emu, "GET", `/${id}`);
    await graph(first.emu, "POST", `/${DEV_META_WABA_ID}/message_templates`, {
      name: "gone",
      language: "en",
      category: "UTILITY",
      components: components(first.flowId),
    });
    await graph(first.emu, "GET", `/${DEV_META_WABA_ID}/message_templates`);
    await graph(first.emu, "DELETE", `/${DEV_META_WABA_ID}/message_templates?name=gone`);
    await first.emu.close();

    const second = await startEmulator({ stateFile, now: () => T0 });
    try {
      expect(second.server.templates.all().map((t) => [t.templateId, t.name, t.status])).toEqual([[id, "kept", "APPROVED"]]);
      expect(second.server.templates.blockedNames().map((b) => b.name)).toEqual(["gone"]);
      second.reset();
      expect(second.server.templates.all()).toEqual([]);
      expect(second.server.templates.blockedNames()).toEqual([]);
    } finally {
      await second.close();
    }
  });

  test("CLI --template-review manual keeps templates PENDING until an admin approves; a bad value exits 2", async () => {
    let printed = "";
    let stop!: () => void;
    const stopSignal = new Promise<void>((r) => (stop = r));
    const done = runEmulatorCli(["--port=0", "--template-review", "manual"], { out: (s) => (printed += s), stopSignal });
    for (let i = 0; i < 100 && !/admin:/.test(printed); i++) await new Promise((r) => setTimeout(r, 20));
    const url = /listening on (http:\/\/\S+)/.exec(printed)![1];
    try {
      const flowRes = await fetch(`${url}${GRAPH}/${DEV_META_WABA_ID}/flows`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ name: "cli-flow", categories: ["OTHER"], flow_json: VALID_FLOW_JSON, publish: true }),
      });
      const flowId = ((await flowRes.json()) as any).id as string;
      const created = await fetch(`${url}${GRAPH}/${DEV_META_WABA_ID}/message_templates`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ name: "cli_tpl", language: "en", category: "UTILITY", components: components(flowId) }),
      });
      const id = ((await created.json()) as any).id as string;
      const read = async () => ((await (await fetch(`${url}${GRAPH}/${id}?fields=status`, { headers: auth })).json()) as any).status;
      expect(await read()).toBe("PENDING");
      expect((await fetch(`${url}/_emulator/templates/${id}/approve`, { method: "POST" })).status).toBe(200);
      expect(await read()).toBe("APPROVED");
    } finally {
      stop();
      await done;
    }
    expect(await runEmulatorCli(["--template-review", "soon"], { err: () => undefined })).toBe(2);
  });
});
