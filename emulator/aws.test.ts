/**
 * The AWS dialect driven by the real `@aws-sdk/client-socialmessaging` client: every operation's happy
 * path, each lifecycle refusal (class + message), validation, pagination, downloads, name uniqueness.
 */
import {
  CreateWhatsAppFlowCommand,
  DeleteWhatsAppFlowCommand,
  DeprecateWhatsAppFlowCommand,
  GetLinkedWhatsAppBusinessAccountCommand,
  GetWhatsAppFlowCommand,
  GetWhatsAppFlowPreviewCommand,
  ListLinkedWhatsAppBusinessAccountsCommand,
  ListWhatsAppFlowAssetsCommand,
  ListWhatsAppFlowsCommand,
  PublishWhatsAppFlowCommand,
  SocialMessagingClient,
  UpdateWhatsAppFlowAssetsCommand,
  UpdateWhatsAppFlowCommand,
  paginateListWhatsAppFlows,
} from "@aws-sdk/client-socialmessaging";
import { DEV_META_WABA_ID, DEV_WABA_ID, PROD_WABA_ID, startEmulator, type RunningEmulator } from "./index";
import { VALID_FLOW } from "./test-helpers";

const VALID_JSON = JSON.stringify(VALID_FLOW, null, 2);
const INVALID_JSON = JSON.stringify({ version: "7.3", screens: [] });

let emu: RunningEmulator;
let client: SocialMessagingClient;

beforeAll(async () => {
  emu = await startEmulator();
  client = new SocialMessagingClient({
    endpoint: emu.url,
    region: "us-east-1",
    credentials: { accessKeyId: "x", secretAccessKey: "y" },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  client.destroy();
  await emu.close();
});
beforeEach(() => emu.reset());

const bytes = (s: string) => new TextEncoder().encode(s);

async function create(name: string, opts: { json?: string; publish?: boolean; waba?: string; categories?: string[] } = {}) {
  return client.send(
    new CreateWhatsAppFlowCommand({
      id: opts.waba ?? DEV_WABA_ID,
      flowName: name,
      categories: (opts.categories ?? ["SIGN_UP"]) as never,
      flowJson: opts.json === undefined ? undefined : bytes(opts.json),
      publish: opts.publish,
    }),
  );
}

async function get(flowId: string, waba = DEV_WABA_ID) {
  return client.send(new GetWhatsAppFlowCommand({ id: waba, flowId }));
}

/** Runs `p` and returns the error the SDK threw (fails if it did not throw). */
async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number; fault?: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number }; $fault?: string };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode, fault: err.$fault };
  }
  throw new Error("expected the call to fail");
}

describe("happy paths of all operations", () => {
  test("create (draft) → get → list → update → assets → publish → deprecate", async () => {
    const created = await create("welcome", { json: VALID_JSON });
    expect(created.flowId).toMatch(/^[0-9]+$/);
    expect(created.validationErrors ?? []).toEqual([]);
    const flowId = created.flowId!;

    const g = await get(flowId);
    expect(g).toMatchObject({
      flowId,
      flowName: "welcome",
      flowStatus: "DRAFT",
      categories: ["SIGN_UP"],
      validationErrors: [],
      jsonVersion: "7.3",
      whatsAppBusinessAccount: { id: DEV_META_WABA_ID, name: "dev" },
      application: { id: expect.any(String), name: expect.any(String) },
      healthStatus: { canSendMessage: "AVAILABLE" },
    });
    expect(g.dataApiVersion).toBeUndefined();
    expect(g.preview?.previewUrl).toMatch(/^https:\/\//);
    expect(g.preview?.expiresAt).toEqual(expect.any(String));

    const list = await client.send(new ListWhatsAppFlowsCommand({ id: DEV_WABA_ID }));
    expect(list.flows).toEqual([{ flowId, flowName: "welcome", flowStatus: "DRAFT", flowCategories: ["SIGN_UP"], validationErrors: [] }]);
    expect(list.nextToken).toBeUndefined();

    await client.send(
      new UpdateWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId, flowName: "welcome-2", categories: ["SURVEY", "SHOPPING"] }),
    );
    expect(await get(flowId)).toMatchObject({ flowName: "welcome-2", categories: ["SURVEY", "SHOPPING"], flowStatus: "DRAFT" });

    const up = await client.send(new UpdateWhatsAppFlowAssetsCommand({ id: DEV_WABA_ID, flowId, flowJson: bytes(VALID_JSON) }));
    expect(up.validationErrors ?? []).toEqual([]);

    await client.send(new PublishWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId }));
    expect((await get(flowId)).flowStatus).toBe("PUBLISHED");

    await client.send(new DeprecateWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId }));
    const dep = await get(flowId);
    expect(dep.flowStatus).toBe("DEPRECATED");
    expect(dep.preview).toBeUndefined();
    expect(dep.healthStatus?.canSendMessage).toBe("BLOCKED");
  });

  test("create with publish:true and valid JSON is PUBLISHED at once", async () => {
    const { flowId } = await create("live", { json: VALID_JSON, publish: true });
    expect((await get(flowId!)).flowStatus).toBe("PUBLISHED");
  });

  test("create with publish:true and invalid JSON stays DRAFT and reports validation errors", async () => {
    const res = await create("broken", { json: INVALID_JSON, publish: true });
    expect(res.flowId).toMatch(/^[0-9]+$/);
    expect(res.validationErrors!.length).toBeGreaterThan(0);
    const problem = JSON.parse(res.validationErrors![0]);
    expect(problem).toEqual(
      expect.objectContaining({ error: expect.any(String), error_type: expect.any(String), message: expect.any(String) }),
    );
    expect(problem).not.toHaveProperty("severity");
    const g = await get(res.flowId!);
    expect(g.flowStatus).toBe("DRAFT");
    expect(g.validationErrors).toEqual(res.validationErrors);
    expect(g.healthStatus?.canSendMessage).toBe("BLOCKED");
  });

  test("non-JSON flowJson is stored and reported, not a crash", async () => {
    const res = await create("garbage", { json: "this is { not json" });
    expect(res.validationErrors!.length).toBeGreaterThan(0);
    const g = await get(res.flowId!);
    expect(g.flowStatus).toBe("DRAFT");
    expect(g.jsonVersion).toBeUndefined();
    const up = await client.send(new UpdateWhatsAppFlowAssetsCommand({ id: DEV_WABA_ID, flowId: res.flowId!, flowJson: bytes("   ") }));
    expect(up.validationErrors!.length).toBeGreaterThan(0);
  });

  test("create without flowJson: DRAFT, no assets, publish refused", async () => {
    const { flowId } = await create("empty");
    expect((await get(flowId!)).jsonVersion).toBeUndefined();
    const assets = await client.send(new ListWhatsAppFlowAssetsCommand({ id: DEV_WABA_ID, flowId: flowId! }));
    expect(assets.flowAssets).toEqual([]);
    const err = await failure(client.send(new PublishWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId: flowId! })));
    expect(err).toMatchObject({ name: "InvalidParametersException", message: "Publishing Flow with validation errors", status: 400 });
  });

  test("dataApiVersion and jsonVersion come from the stored JSON", async () => {
    const json = JSON.stringify({ ...VALID_FLOW, version: "7.2", data_api_version: "3.0", routing_model: { WELCOME: [] } });
    const { flowId } = await create("endpointish", { json });
    expect(await get(flowId!)).toMatchObject({ jsonVersion: "7.2", dataApiVersion: "3.0" });
  });

  test("ListWhatsAppFlowAssets downloadUrl returns the exact uploaded bytes (base64 round trip)", async () => {
    // Non-ASCII, odd whitespace and a trailing newline must survive base64 → store → download unchanged.
    const exact = JSON.stringify({ ...VALID_FLOW, screens: [{ ...VALID_FLOW.screens[0], title: "Olá — ✓ 日本" }] }, null, 3) + "\n";
    const { flowId } = await create("roundtrip", { json: exact });
    const res = await client.send(new ListWhatsAppFlowAssetsCommand({ id: DEV_WABA_ID, flowId: flowId! }));
    expect(res.flowAssets).toHaveLength(1);
    expect(res.flowAssets![0]).toMatchObject({ name: "flow.json", assetType: "FLOW_JSON" });
    const url = res.flowAssets![0].downloadUrl!;
    expect(url.startsWith(emu.url)).toBe(true);
    const dl = await fetch(url);
    expect(dl.status).toBe(200);
    expect(Buffer.from(await dl.arrayBuffer()).equals(Buffer.from(exact, "utf8"))).toBe(true);

    // After a new upload the old URL no longer serves (it pointed at the previous asset).
    await client.send(new UpdateWhatsAppFlowAssetsCommand({ id: DEV_WABA_ID, flowId: flowId!, flowJson: Buffer.from(VALID_JSON) }));
    expect((await fetch(url)).status).toBe(404);
    const again = await client.send(new ListWhatsAppFlowAssetsCommand({ id: DEV_WABA_ID, flowId: flowId! }));
    expect(await (await fetch(again.flowAssets![0].downloadUrl!)).text()).toBe(VALID_JSON);
  });

  test("flowJson given as a string is base64 of its UTF-8 bytes", async () => {
    const { flowId } = await client.send(
      new CreateWhatsAppFlowCommand({
        id: DEV_WABA_ID,
        flowName: "as-string",
        categories: ["OTHER"],
        flowJson: VALID_JSON as unknown as Uint8Array,
      }),
    );
    expect(emu.flow(flowId!)?.flowJson).toBe(VALID_JSON);
  });

  test("GetWhatsAppFlowPreview: stable for 30 days, invalidate=true rotates, Get shows the same preview", async () => {
    const { flowId } = await create("preview", { json: VALID_JSON });
    const a = await client.send(new GetWhatsAppFlowPreviewCommand({ id: DEV_WABA_ID, flowId: flowId! }));
    expect(a.flowId).toBe(flowId);
    expect(a.preview!.previewUrl).toMatch(/^https:\/\/.+/);
    const expires = Date.parse(a.preview!.expiresAt!.replace(/\+0000$/, "Z"));
    expect(expires - Date.now()).toBeGreaterThan(29.9 * 24 * 3600 * 1000);
    expect(expires - Date.now()).toBeLessThanOrEqual(30 * 24 * 3600 * 1000);
    const b = await client.send(new GetWhatsAppFlowPreviewCommand({ id: DEV_WABA_ID, flowId: flowId!, invalidate: false }));
    expect(b.preview).toEqual(a.preview);
    expect((await get(flowId!)).preview).toEqual(a.preview);
    const c = await client.send(new GetWhatsAppFlowPreviewCommand({ id: DEV_WABA_ID, flowId: flowId!, invalidate: true }));
    expect(c.preview!.previewUrl).not.toBe(a.preview!.previewUrl);
    expect((await get(flowId!)).preview).toEqual(c.preview);
  });

  test("DeleteWhatsAppFlow removes a draft", async () => {
    const { flowId } = await create("tmp", { json: VALID_JSON });
    await client.send(new DeleteWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId: flowId! }));
    const err = await failure(get(flowId!));
    expect(err).toMatchObject({ name: "ResourceNotFoundException", message: "Flow with specified ID does not exist", status: 404 });
    expect(emu.flows()).toEqual([]);
  });

  test("clone via cloneFlowId copies the JSON into a new DRAFT flow", async () => {
    const { flowId: src } = await create("original", { json: VALID_JSON, publish: true });
    const { flowId } = await client.send(
      new CreateWhatsAppFlowCommand({ id: DEV_WABA_ID, flowName: "copy", categories: ["OTHER"], cloneFlowId: src }),
    );
    expect(flowId).not.toBe(src);
    expect(await get(flowId!)).toMatchObject({ flowName: "copy", flowStatus: "DRAFT", categories: ["OTHER"], jsonVersion: "7.3" });
    expect(emu.flow(flowId!)?.flowJson).toBe(VALID_JSON);
    // Cloning across WABAs is not supported: the source is unknown in the other account.
    const err = await failure(
      client.send(new CreateWhatsAppFlowCommand({ id: PROD_WABA_ID, flowName: "copy", categories: ["OTHER"], cloneFlowId: src })),
    );
    expect(err).toMatchObject({ name: "ResourceNotFoundException", message: "Flow with specified ID does not exist" });
  });

  test("linked WABA helpers: details (linkDate as Date) and list", async () => {
    const d = await client.send(new GetLinkedWhatsAppBusinessAccountCommand({ id: DEV_WABA_ID }));
    expect(d.account).toMatchObject({ id: DEV_WABA_ID, wabaId: DEV_META_WABA_ID, wabaName: "dev", registrationStatus: "COMPLETE" });
    expect(d.account!.linkDate).toBeInstanceOf(Date);
    expect(d.account!.linkDate!.getTime()).toBe(1_735_689_600_000);
    expect(d.account!.phoneNumbers![0].phoneNumberId).toMatch(/^phone-number-id-[0-9a-f]{32}$/);
    // The WABA ARN is accepted wherever an id is.
    const byArn = await client.send(new ListWhatsAppFlowsCommand({ id: d.account!.arn! }));
    expect(byArn.flows).toEqual([]);
    const l = await client.send(new ListLinkedWhatsAppBusinessAccountsCommand({}));
    expect(l.linkedAccounts!.map((a) => a.id)).toEqual([DEV_WABA_ID, PROD_WABA_ID]);
    expect(l.linkedAccounts!.map((a) => a.wabaName)).toEqual(["dev", "prod"]);
    const err = await failure(client.send(new GetLinkedWhatsAppBusinessAccountCommand({ id: "waba-00000000000000000000000000000000" })));
    expect(err).toMatchObject({ name: "ResourceNotFoundException", status: 404 });
  });

  test("responses carry a request id and a real Date header", async () => {
    const res = await create("headers");
    expect(res.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const raw = await fetch(`${emu.url}/v1/whatsapp/flow/list?id=${DEV_WABA_ID}`);
    expect(Math.abs(Date.parse(raw.headers.get("date")!) - Date.now())).toBeLessThan(5000);
    const err = await failure(get("1", DEV_WABA_ID));
    expect(err.status).toBe(404);
  });
});

describe("lifecycle refusals", () => {
  const publishedFlow = async (name = "pub") => (await create(name, { json: VALID_JSON, publish: true })).flowId!;

  test("publish of a DRAFT with validation errors", async () => {
    const { flowId } = await create("bad", { json: INVALID_JSON });
    const err = await failure(client.send(new PublishWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId: flowId! })));
    expect(err).toMatchObject({
      name: "InvalidParametersException",
      message: "Publishing Flow with validation errors",
      status: 400,
      fault: "client",
    });
    expect((await get(flowId!)).flowStatus).toBe("DRAFT");
  });

  test.each(["PUBLISHED", "THROTTLED", "BLOCKED", "DEPRECATED"] as const)("publish of a %s flow", async (status) => {
    const flowId = await publishedFlow();
    emu.patchFlow(flowId, { status });
    const err = await failure(client.send(new PublishWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId })));
    expect(err).toMatchObject({ name: "InvalidParametersException", message: "Publishing Flow in invalid state", status: 400 });
  });

  test("deprecate of a DRAFT / of a DEPRECATED flow", async () => {
    const { flowId } = await create("draft", { json: VALID_JSON });
    expect(await failure(client.send(new DeprecateWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId: flowId! })))).toMatchObject({
      name: "InvalidParametersException",
      message: "Can't deprecate unpublished flow",
      status: 400,
    });
    const pub = await publishedFlow();
    await client.send(new DeprecateWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId: pub }));
    expect(await failure(client.send(new DeprecateWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId: pub })))).toMatchObject({
      name: "InvalidParametersException",
      message: "Flow is already deprecated",
      status: 400,
    });
  });

  test.each(["THROTTLED", "BLOCKED"] as const)("deprecate of a %s flow is allowed", async (status) => {
    const flowId = await publishedFlow();
    emu.patchFlow(flowId, { status });
    await client.send(new DeprecateWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId }));
    expect((await get(flowId)).flowStatus).toBe("DEPRECATED");
  });

  test.each(["PUBLISHED", "THROTTLED", "BLOCKED", "DEPRECATED"] as const)("delete of a %s flow", async (status) => {
    const flowId = await publishedFlow();
    emu.patchFlow(flowId, { status });
    const err = await failure(client.send(new DeleteWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId })));
    expect(err).toMatchObject({ name: "InvalidParametersException", message: "Can't delete published Flow", status: 400 });
    expect(emu.flow(flowId)?.status).toBe(status);
  });

  test("DEPRECATED is terminal: metadata and asset updates refused, preview refused", async () => {
    const flowId = await publishedFlow();
    await client.send(new DeprecateWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId }));
    expect(await failure(client.send(new UpdateWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId, flowName: "x" })))).toMatchObject({
      name: "InvalidParametersException",
      message: "Flow can't be updated",
    });
    expect(
      await failure(client.send(new UpdateWhatsAppFlowAssetsCommand({ id: DEV_WABA_ID, flowId, flowJson: bytes(VALID_JSON) }))),
    ).toMatchObject({
      name: "InvalidParametersException",
      message: "Flow can't be updated",
    });
    expect(await failure(client.send(new GetWhatsAppFlowPreviewCommand({ id: DEV_WABA_ID, flowId })))).toMatchObject({
      name: "InvalidParametersException",
      message: "Can't generate preview for a deprecated Flow",
    });
    expect((await get(flowId)).flowStatus).toBe("DEPRECATED");
  });

  test("asset update of a PUBLISHED flow reverts it to DRAFT (stored even if invalid)", async () => {
    const flowId = await publishedFlow();
    const up = await client.send(new UpdateWhatsAppFlowAssetsCommand({ id: DEV_WABA_ID, flowId, flowJson: bytes(INVALID_JSON) }));
    expect(up.validationErrors!.length).toBeGreaterThan(0);
    const g = await get(flowId);
    expect(g.flowStatus).toBe("DRAFT");
    expect(g.validationErrors).toEqual(up.validationErrors);
    expect(emu.flow(flowId)?.flowJson).toBe(INVALID_JSON);
  });

  test.each(["PUBLISHED", "THROTTLED", "BLOCKED"] as const)("metadata update of a %s flow reverts it to DRAFT", async (status) => {
    const flowId = await publishedFlow();
    emu.patchFlow(flowId, { status });
    await client.send(new UpdateWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId, categories: ["OTHER"] }));
    expect(await get(flowId)).toMatchObject({ flowStatus: "DRAFT", categories: ["OTHER"], flowName: "pub" });
    await client.send(new PublishWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId }));
    expect((await get(flowId)).flowStatus).toBe("PUBLISHED");
  });

  test("unknown flow or WABA, or a flow of another WABA → ResourceNotFoundException", async () => {
    const { flowId } = await create("mine", { json: VALID_JSON });
    // Each call's rejection is caught as soon as it is made (jest 29 fails a test on a rejection left unhandled for a tick).
    const cases = [
      get("999"),
      get(flowId!, PROD_WABA_ID),
      client.send(new PublishWhatsAppFlowCommand({ id: PROD_WABA_ID, flowId: flowId! })),
      client.send(new DeleteWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId: "12345" })),
      client.send(new ListWhatsAppFlowsCommand({ id: "waba-ffffffffffffffffffffffffffffffff" })),
      create("x", { waba: "waba-ffffffffffffffffffffffffffffffff" }),
    ].map(failure);
    for (const p of cases) {
      expect(await p).toMatchObject({ name: "ResourceNotFoundException", status: 404, fault: "client" });
    }
    expect(await failure(get("999"))).toMatchObject({ message: "Flow with specified ID does not exist" });
  });
});

describe("name uniqueness", () => {
  test("create and rename with a taken name are refused; names are per WABA; deprecated flows keep their name", async () => {
    const { flowId: a } = await create("orders", { json: VALID_JSON, publish: true });
    expect(await failure(create("orders"))).toMatchObject({
      name: "InvalidParametersException",
      message: "Flow name is not unique",
      status: 400,
    });
    await create("orders", { waba: PROD_WABA_ID }); // same name in another WABA is fine

    const { flowId: b } = await create("returns");
    expect(await failure(client.send(new UpdateWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId: b!, flowName: "orders" })))).toMatchObject({
      name: "InvalidParametersException",
      message: "Flow name is not unique",
    });
    // Renaming a flow to its own name is not a clash.
    await client.send(new UpdateWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId: b!, flowName: "returns" }));

    await client.send(new DeprecateWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId: a! }));
    expect(await failure(create("orders"))).toMatchObject({ message: "Flow name is not unique" });
    // Deleting a draft frees its name.
    await client.send(new DeleteWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId: b! }));
    await create("returns");
    // A refused create leaves nothing behind.
    expect(emu.flows(DEV_WABA_ID).map((f) => f.name)).toEqual(["orders", "returns"]);
  });
});

describe("model validation → ValidationException 400", () => {
  const cases: Array<[string, () => Promise<unknown>]> = [
    ["missing flowName", () => client.send(new CreateWhatsAppFlowCommand({ id: DEV_WABA_ID, categories: ["OTHER"] } as never))],
    ["missing categories", () => client.send(new CreateWhatsAppFlowCommand({ id: DEV_WABA_ID, flowName: "n" } as never))],
    ["empty categories", () => client.send(new CreateWhatsAppFlowCommand({ id: DEV_WABA_ID, flowName: "n", categories: [] }))],
    [
      "unknown category",
      () => client.send(new CreateWhatsAppFlowCommand({ id: DEV_WABA_ID, flowName: "n", categories: ["NOPE" as never] })),
    ],
    [
      "10 categories",
      () => client.send(new CreateWhatsAppFlowCommand({ id: DEV_WABA_ID, flowName: "n", categories: Array(10).fill("OTHER") })),
    ],
    [
      "name of 201 chars",
      () => client.send(new CreateWhatsAppFlowCommand({ id: DEV_WABA_ID, flowName: "n".repeat(201), categories: ["OTHER"] })),
    ],
    ["empty name", () => client.send(new CreateWhatsAppFlowCommand({ id: DEV_WABA_ID, flowName: "", categories: ["OTHER"] }))],
    ["id not matching the pattern", () => client.send(new ListWhatsAppFlowsCommand({ id: "123456" }))],
    ["missing id", () => client.send(new ListWhatsAppFlowsCommand({} as never))],
    ["non-numeric flowId", () => client.send(new GetWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId: "abc" }))],
    ["missing flowId", () => client.send(new PublishWhatsAppFlowCommand({ id: DEV_WABA_ID } as never))],
    ["maxResults 0", () => client.send(new ListWhatsAppFlowsCommand({ id: DEV_WABA_ID, maxResults: 0 }))],
    ["maxResults 101", () => client.send(new ListWhatsAppFlowsCommand({ id: DEV_WABA_ID, maxResults: 101 }))],
    [
      "empty flowJson",
      () => client.send(new UpdateWhatsAppFlowAssetsCommand({ id: DEV_WABA_ID, flowId: "1", flowJson: new Uint8Array() })),
    ],
    ["missing flowJson", () => client.send(new UpdateWhatsAppFlowAssetsCommand({ id: DEV_WABA_ID, flowId: "1" } as never))],
    [
      "non-numeric cloneFlowId",
      () => client.send(new CreateWhatsAppFlowCommand({ id: DEV_WABA_ID, flowName: "n", categories: ["OTHER"], cloneFlowId: "x1" })),
    ],
  ];
  test.each(cases)("%s", async (_label, call) => {
    const err = await failure(call());
    expect(err).toMatchObject({ name: "ValidationException", status: 400 });
    expect(err.message).toMatch(/validation error/);
    expect(emu.flows()).toEqual([]);
  });

  test("flowJson over 10,485,760 bytes is refused; exactly the limit is accepted", async () => {
    const { flowId } = await create("big");
    const pad = (n: number) => {
      const head = '{"version":"7.3","screens":[],"x":"';
      return head + "a".repeat(n - head.length - 2) + '"}';
    };
    const over = await failure(
      client.send(new UpdateWhatsAppFlowAssetsCommand({ id: DEV_WABA_ID, flowId: flowId!, flowJson: bytes(pad(10_485_761)) })),
    );
    expect(over).toMatchObject({ name: "ValidationException", status: 400 });
    const atLimit = await client.send(
      new UpdateWhatsAppFlowAssetsCommand({ id: DEV_WABA_ID, flowId: flowId!, flowJson: bytes(pad(10_485_760)) }),
    );
    expect(atLimit.$metadata.httpStatusCode).toBe(200);
    expect(emu.flow(flowId!)?.flowJsonBytes).toBe(10_485_760);
  });
});

describe("pagination", () => {
  test("paginateListWhatsAppFlows walks every flow once, tokens never repeat", async () => {
    for (let i = 0; i < 23; i++) await create(`flow-${String(i).padStart(2, "0")}`);
    await create("other-waba", { waba: PROD_WABA_ID });
    const names: string[] = [];
    const tokens: string[] = [];
    let pages = 0;
    for await (const page of paginateListWhatsAppFlows({ client, pageSize: 5 }, { id: DEV_WABA_ID })) {
      pages++;
      names.push(...page.flows!.map((f) => f.flowName!));
      if (page.nextToken) tokens.push(page.nextToken);
      expect(page.flows!.length).toBeLessThanOrEqual(5);
    }
    expect(pages).toBe(5);
    expect(names).toEqual(Array.from({ length: 23 }, (_, i) => `flow-${String(i).padStart(2, "0")}`));
    expect(new Set(tokens).size).toBe(tokens.length);

    // Listing again hands out fresh tokens, never one seen before.
    const again = await client.send(new ListWhatsAppFlowsCommand({ id: DEV_WABA_ID, maxResults: 5 }));
    expect(tokens).not.toContain(again.nextToken);

    // Default page size is 20.
    const first = await client.send(new ListWhatsAppFlowsCommand({ id: DEV_WABA_ID }));
    expect(first.flows).toHaveLength(20);
    expect(first.nextToken).toBeTruthy();
  });

  test("a token from another WABA or garbage is refused", async () => {
    for (let i = 0; i < 3; i++) await create(`f${i}`);
    const page = await client.send(new ListWhatsAppFlowsCommand({ id: DEV_WABA_ID, maxResults: 1 }));
    expect(await failure(client.send(new ListWhatsAppFlowsCommand({ id: PROD_WABA_ID, nextToken: page.nextToken })))).toMatchObject({
      name: "InvalidParametersException",
      status: 400,
    });
    expect(await failure(client.send(new ListWhatsAppFlowsCommand({ id: DEV_WABA_ID, nextToken: "garbage" })))).toMatchObject({
      name: "InvalidParametersException",
    });
  });

  test("a page stays correct when flows are deleted between pages", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await create(`d${i}`)).flowId!);
    const p1 = await client.send(new ListWhatsAppFlowsCommand({ id: DEV_WABA_ID, maxResults: 2 }));
    await client.send(new DeleteWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId: ids[1] }));
    const p2 = await client.send(new ListWhatsAppFlowsCommand({ id: DEV_WABA_ID, maxResults: 2, nextToken: p1.nextToken }));
    expect(p2.flows!.map((f) => f.flowName)).toEqual(["d2", "d3"]);
    expect(p2.nextToken).toBeUndefined();
  });
});

describe("unknown routes", () => {
  test("an unknown path answers a JSON error the SDK can parse", async () => {
    const res = await fetch(`${emu.url}/v1/whatsapp/nope`);
    expect(res.status).toBe(404);
    expect(res.headers.get("x-amzn-errortype")).toBe("UnknownOperationException");
    expect(await res.json()).toEqual({ message: expect.any(String) });
  });
  test("a malformed JSON body is a SerializationException", async () => {
    const res = await fetch(`${emu.url}/v1/whatsapp/flow/create`, {
      method: "POST",
      body: "{",
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("x-amzn-errortype")).toBe("SerializationException");
  });
});
