/**
 * Proof that the Meta dialect speaks real Graph: a Graph API client from npm that this project did not
 * write, `@kapso/whatsapp-cloud-api` (0.3.0, fetch-based, with a Flows resource), drives create,
 * upload (multipart), publish, get, list (cursor paging), preview and deprecate against the emulator
 * with only its base URL replaced.
 *
 * The package is a pinned devDependency: a missing install fails this suite rather than skipping it.
 */
import { DEFAULT_CREDENTIALS, DEV_META_WABA_ID, startEmulator, type RunningEmulator } from "./index";

const kapso: {
  WhatsAppClient: new (config: { accessToken?: string; baseUrl?: string; graphVersion?: string }) => any;
} = require("@kapso/whatsapp-cloud-api");
const suite = describe;

/** The client authors Flow JSON in camelCase and converts it to the wire's kebab-case itself. */
const AUTHORED_FLOW = {
  version: "7.3",
  screens: [
    {
      id: "WELCOME",
      title: "Welcome",
      terminal: true,
      success: true,
      data: {},
      layout: {
        type: "SingleColumnLayout",
        children: [
          { type: "TextHeading", text: "Hello" },
          { type: "Footer", label: "Done", onClickAction: { name: "complete", payload: {} } },
        ],
      },
    },
  ],
};

suite("@kapso/whatsapp-cloud-api against the Meta dialect", () => {
  let emu: RunningEmulator;
  let client: any;
  beforeAll(async () => {
    emu = await startEmulator();
    client = new kapso!.WhatsAppClient({ accessToken: DEFAULT_CREDENTIALS.meta, baseUrl: emu.url, graphVersion: "v23.0" });
  });
  afterAll(() => emu.close());

  test("create, upload, publish, get, list, preview, deprecate", async () => {
    const created = await client.flows.create({
      wabaId: DEV_META_WABA_ID,
      name: "kapso-signup",
      categories: ["SIGN_UP"],
      flowJson: AUTHORED_FLOW,
    });
    expect(created).toMatchObject({ id: expect.stringMatching(/^\d+$/), success: true });
    expect(created.validationErrors ?? []).toEqual([]); // the client drops an empty list
    const id: string = created.id;
    const stored = JSON.parse(emu.flow(id)!.flowJson!);
    expect(stored.screens[0].layout.children[1]["on-click-action"]).toEqual({ name: "complete", payload: {} });

    const up = await client.flows.updateAsset({ flowId: id, json: { ...AUTHORED_FLOW, version: "7.2" } });
    expect(up.success).toBe(true);
    expect(up.validationErrors ?? []).toEqual([]);
    expect(emu.flow(id)).toMatchObject({ status: "DRAFT", jsonVersion: "7.2" });
    expect(emu.requests({ operation: "UploadFlowAsset" })[0]).toMatchObject({
      status: 200,
      body: { name: "flow.json", asset_type: "FLOW_JSON", file: { filename: "flow.json" } },
    });

    expect(await client.flows.publish({ flowId: id })).toEqual({ success: true });
    const got = await client.flows.get({ flowId: id, fields: "id,name,status,categories,validation_errors,json_version,health_status" });
    // `flows.get` hands back Graph's body as sent (snake_case).
    expect(got).toMatchObject({
      id,
      name: "kapso-signup",
      status: "PUBLISHED",
      categories: ["SIGN_UP"],
      validation_errors: [],
      json_version: "7.2",
      health_status: { can_send_message: "AVAILABLE" },
    });

    await client.flows.create({
      wabaId: DEV_META_WABA_ID,
      name: "kapso-second",
      categories: ["OTHER"],
      flowJson: AUTHORED_FLOW,
      publish: true,
    });
    const page1 = await client.flows.list({ wabaId: DEV_META_WABA_ID, limit: 1 });
    expect(page1.data).toEqual([expect.objectContaining({ id, name: "kapso-signup", status: "PUBLISHED" })]);
    expect(page1.paging.next).toEqual(expect.any(String));
    const page2 = await client.flows.list({ wabaId: DEV_META_WABA_ID, limit: 1, after: page1.paging.cursors.after });
    expect(page2.data).toEqual([expect.objectContaining({ name: "kapso-second", status: "PUBLISHED" })]);
    expect(page2.paging.next).toBeUndefined();

    const preview = await client.flows.preview({ flowId: id });
    expect(preview.preview.previewUrl).toContain(`/flows/${id}/preview/`);
    const interactive = await client.flows.preview({ flowId: id, interactive: true });
    expect(interactive.preview.previewUrl).toBe(preview.preview.previewUrl);
    expect(interactive.preview.expiresAt).toMatch(/\+0000$/);

    expect(await client.flows.deprecate({ flowId: id })).toEqual({ success: true });
    expect(emu.flow(id)?.status).toBe("DEPRECATED");
    expect(new Set(emu.requests().map((e) => e.vendor))).toEqual(new Set(["meta"]));
    expect(emu.requests().every((e) => e.status === 200)).toBe(true);
  });

  test("Graph errors reach the client as its GraphApiError with Meta's code", async () => {
    await expect(
      client.flows.create({ wabaId: DEV_META_WABA_ID, name: "kapso-signup", categories: ["OTHER"], flowJson: AUTHORED_FLOW }),
    ).rejects.toMatchObject({
      code: 100,
      httpStatus: 400,
      // Graph's short message; the condition is in error_user_title (the client keeps the raw error).
      message: "Invalid parameter",
    });
    const bad = new kapso!.WhatsAppClient({ accessToken: "wrong", baseUrl: emu.url, graphVersion: "v23.0" });
    await expect(bad.flows.list({ wabaId: DEV_META_WABA_ID })).rejects.toMatchObject({ code: 190, httpStatus: 401 });
  });

  test("templates: create with a FLOW button (camelCase authored, snake_case on the wire), list, delete", async () => {
    const flow = await client.flows.create({
      wabaId: DEV_META_WABA_ID,
      name: "kapso-template-flow",
      categories: ["SIGN_UP"],
      flowJson: AUTHORED_FLOW,
      publish: true,
    });
    emu.clearRequests();
    const created = await client.templates.create({
      businessAccountId: DEV_META_WABA_ID,
      name: "kapso_invite",
      language: "en_US",
      category: "MARKETING",
      components: [
        { type: "BODY", text: "Join us, {{1}}", example: { bodyText: [["Ana"]] } },
        {
          type: "BUTTONS",
          buttons: [{ type: "FLOW", text: "Sign up", flowId: flow.id, navigateScreen: "WELCOME", flowAction: "navigate" }],
        },
      ],
    });
    expect(created).toMatchObject({ id: expect.stringMatching(/^\d+$/), status: "PENDING", category: "MARKETING" });
    expect(emu.server.templates.view(created.id)).toMatchObject({
      flowIds: [flow.id],
      components: [
        { type: "BODY", example: { body_text: [["Ana"]] } },
        { type: "BUTTONS", buttons: [{ type: "FLOW", flow_id: flow.id, navigate_screen: "WELCOME", flow_action: "navigate" }] },
      ],
    });
    const listed = await client.templates.list({ businessAccountId: DEV_META_WABA_ID, name: "kapso_invite" });
    expect(listed.data).toEqual([expect.objectContaining({ id: created.id, name: "kapso_invite", status: "APPROVED" })]);
    await expect(
      client.templates.create({
        businessAccountId: DEV_META_WABA_ID,
        name: "kapso_invite",
        language: "en_US",
        category: "MARKETING",
        components: [{ type: "BODY", text: "Again" }],
      }),
    ).rejects.toMatchObject({ code: 100, httpStatus: 400 });
    expect(await client.templates.delete({ businessAccountId: DEV_META_WABA_ID, name: "kapso_invite" })).toMatchObject({ success: true });
    expect(emu.server.templates.all()).toEqual([]);
    expect(emu.requests().map((e) => e.action)).toEqual(["CreateTemplate", "ListTemplates", "CreateTemplate", "DeleteTemplate"]);
  });
});
