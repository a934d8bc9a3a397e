/** Fault injection and the request log, as the real SDK client experiences them. */
import {
  CreateWhatsAppFlowCommand,
  GetWhatsAppFlowCommand,
  ListWhatsAppFlowsCommand,
  PublishWhatsAppFlowCommand,
  SocialMessagingClient,
  UpdateWhatsAppFlowAssetsCommand,
} from "@aws-sdk/client-socialmessaging";
import { ConfiguredRetryStrategy } from "@smithy/core/retry";
import { createHash } from "node:crypto";
import { DEV_WABA_ID, startEmulator, type RunningEmulator } from "./index";
import { FaultQueue } from "./faults";
import { VALID_FLOW_JSON } from "./test-helpers";

const VALID_JSON = VALID_FLOW_JSON;

let emu: RunningEmulator;
const clients: SocialMessagingClient[] = [];
function newClient(retry?: number): SocialMessagingClient {
  const c = new SocialMessagingClient({
    endpoint: emu.url,
    region: "us-east-1",
    credentials: { accessKeyId: "x", secretAccessKey: "y" },
    ...(retry ? { retryStrategy: new ConfiguredRetryStrategy(retry, () => 0) } : { maxAttempts: 1 }),
  });
  clients.push(c);
  return c;
}
let client: SocialMessagingClient;

beforeAll(async () => {
  emu = await startEmulator();
  client = newClient();
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await emu.close();
});
beforeEach(() => emu.reset());

const createInput = (name: string, extra: Record<string, unknown> = {}) =>
  new CreateWhatsAppFlowCommand({ id: DEV_WABA_ID, flowName: name, categories: ["OTHER"], flowJson: Buffer.from(VALID_JSON), ...extra });

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    const err = e as {
      name: string;
      message: string;
      code?: string;
      $metadata?: { httpStatusCode?: number; attempts?: number };
      $fault?: string;
    };
    return {
      name: err.name,
      message: err.message,
      code: err.code,
      status: err.$metadata?.httpStatusCode,
      attempts: err.$metadata?.attempts,
      fault: err.$fault,
    };
  }
  throw new Error("expected the call to fail");
}

describe("request log", () => {
  test("records operation, method, path, query, decoded body with flowJson size/hash, status, errorType", async () => {
    const { flowId } = await client.send(createInput("logged", { publish: false }));
    await client.send(new GetWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId: flowId! }));
    await failure(client.send(new GetWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId: "42" })));
    const log = emu.requests();
    expect(log).toHaveLength(3);
    expect(log[0]).toMatchObject({
      seq: expect.any(Number),
      time: expect.any(String),
      vendor: "aws",
      operation: "CreateWhatsAppFlow",
      method: "POST",
      path: "/v1/whatsapp/flow/create",
      query: {},
      body: {
        id: DEV_WABA_ID,
        flowName: "logged",
        categories: ["OTHER"],
        publish: false,
        flowJson: { bytes: Buffer.byteLength(VALID_JSON), sha256: createHash("sha256").update(VALID_JSON).digest("hex") },
      },
      status: 200,
      attempt: 1,
    });
    expect(log[0].errorType).toBeUndefined();
    expect(JSON.stringify(log[0])).not.toContain("WELCOME");
    expect(log[1]).toMatchObject({
      operation: "GetWhatsAppFlow",
      method: "GET",
      path: "/v1/whatsapp/flow",
      query: { id: DEV_WABA_ID, flowId },
      body: null,
      status: 200,
    });
    expect(log[2]).toMatchObject({ operation: "GetWhatsAppFlow", status: 404, errorType: "ResourceNotFoundException" });
    expect(log[1].seq).toBeGreaterThan(log[0].seq);
    expect(emu.requests({ operation: "GetWhatsAppFlow" })).toHaveLength(2);
    expect(emu.requests({ since: log[1].seq })).toHaveLength(1);
    emu.clearRequests();
    expect(emu.requests()).toEqual([]);
  });
});

describe("faults", () => {
  test("rate-limit: a shared token bucket; past it, 429 with the wait in whole seconds; it lasts until cleared", async () => {
    let now = 0;
    const q = new FaultQueue(() => now);
    q.add({ action: { kind: "rate-limit", perSecond: 2, burst: 3, ms: 5 } });
    const ctx = { vendor: "aws", operation: "GetWhatsAppFlow", action: "get", uploadsJson: false };
    const kinds = () => q.take(ctx)?.kind;
    expect([kinds(), kinds(), kinds(), kinds()]).toEqual(["latency", "latency", "latency", "throttle"]);
    expect(q.take(ctx)).toEqual({ kind: "throttle", retryAfterSeconds: 1 });
    now += 500; // one token back
    expect([kinds(), kinds()]).toEqual(["latency", "throttle"]);
    now += 10_000; // refills to the burst, not beyond
    expect([kinds(), kinds(), kinds(), kinds()]).toEqual(["latency", "latency", "latency", "throttle"]);
    expect(q.pending()).toHaveLength(1);
    q.clear();
    expect(q.take(ctx)).toBeUndefined();

    // On the wire: the dialect's 429 with Retry-After.
    emu.addFault({ operation: "ListWhatsAppFlows", action: { kind: "rate-limit", perSecond: 0.001, burst: 1 } });
    expect((await fetch(`${emu.url}/v1/whatsapp/flow/list?id=${DEV_WABA_ID}`)).status).toBe(200);
    const limited = await fetch(`${emu.url}/v1/whatsapp/flow/list?id=${DEV_WABA_ID}`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("x-amzn-errortype")).toBe("ThrottledRequestException");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    emu.clearFaults();
  });

  test("throttle: 429 ThrottledRequestException with Retry-After; with retries the SDK then succeeds", async () => {
    emu.addFault({ operation: "ListWhatsAppFlows", action: { kind: "throttle", retryAfterSeconds: 0 } });
    const err = await failure(client.send(new ListWhatsAppFlowsCommand({ id: DEV_WABA_ID })));
    expect(err).toMatchObject({ name: "ThrottledRequestException", status: 429 });

    const raw = (() => {
      emu.addFault({ operation: "ListWhatsAppFlows", action: { kind: "throttle", retryAfterSeconds: 7 } });
      return fetch(`${emu.url}/v1/whatsapp/flow/list?id=${DEV_WABA_ID}`);
    })();
    const res = await raw;
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
    expect(res.headers.get("x-amzn-errortype")).toBe("ThrottledRequestException");

    const retrying = newClient(3);
    emu.addFault({ operation: "ListWhatsAppFlows", times: 2, action: { kind: "throttle", retryAfterSeconds: 0 } });
    emu.clearRequests();
    const ok = await retrying.send(new ListWhatsAppFlowsCommand({ id: DEV_WABA_ID }));
    expect(ok.$metadata.attempts).toBe(3);
    const log = emu.requests();
    expect(log.map((e) => e.status)).toEqual([429, 429, 200]);
    expect(log.map((e) => e.attempt)).toEqual([1, 2, 3]);
    expect(new Set(log.map((e) => e.invocationId)).size).toBe(1);
    expect(log[0].fault).toBe("throttle");
    expect(emu.faults()).toEqual([]);
  });

  test("error: answers the given status/class/message; errorType defaults from the status", async () => {
    emu.addFault({
      operation: "PublishWhatsAppFlow",
      action: { kind: "error", status: 403, errorType: "AccessDeniedByMetaException", message: "nope" },
    });
    const err = await failure(client.send(new PublishWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId: "1" })));
    expect(err).toMatchObject({ name: "AccessDeniedByMetaException", message: "nope", status: 403, fault: "client" });

    emu.addFault({ action: { kind: "error", status: 502 } });
    expect(await failure(client.send(new ListWhatsAppFlowsCommand({ id: DEV_WABA_ID })))).toMatchObject({
      name: "DependencyException",
      status: 502,
      fault: "server",
    });

    emu.addFault({ action: { kind: "error", status: 409, errorType: "ConflictException", message: "busy" } });
    expect(await failure(client.send(new ListWhatsAppFlowsCommand({ id: DEV_WABA_ID })))).toMatchObject({
      name: "ConflictException",
      message: "busy",
      status: 409,
    });
  });

  test("error 500 is retried by the SDK (transient) and the second attempt succeeds", async () => {
    const retrying = newClient(3);
    emu.addFault({ operation: "GetWhatsAppFlow", action: { kind: "error", status: 500 } });
    const { flowId } = await client.send(createInput("retry-me"));
    const g = await retrying.send(new GetWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId: flowId! }));
    expect(g.$metadata.attempts).toBe(2);
    expect(emu.requests({ operation: "GetWhatsAppFlow" }).map((e) => e.errorType)).toEqual(["InternalServiceException", undefined]);
  });

  test("apply-then-fail: the flow is created although the client sees 500 InternalServiceException", async () => {
    emu.addFault({ operation: "CreateWhatsAppFlow", action: { kind: "apply-then-fail" } });
    const err = await failure(client.send(createInput("half-done")));
    expect(err).toMatchObject({ name: "InternalServiceException", status: 500 });
    const flows = emu.flows(DEV_WABA_ID);
    expect(flows.map((f) => [f.name, f.status])).toEqual([["half-done", "DRAFT"]]);
    // A blind retry hits the name clash — what a real non-idempotent create would do.
    expect(await failure(client.send(createInput("half-done")))).toMatchObject({
      name: "InvalidParametersException",
      message: "Flow name is not unique",
    });
  });

  test("apply-then-fail with a custom class on publish leaves the flow published", async () => {
    const { flowId } = await client.send(createInput("pub"));
    emu.addFault({ operation: "PublishWhatsAppFlow", action: { kind: "apply-then-fail", status: 502, errorType: "DependencyException" } });
    expect(await failure(client.send(new PublishWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId: flowId! })))).toMatchObject({
      name: "DependencyException",
      status: 502,
    });
    expect(emu.flow(flowId!)?.status).toBe("PUBLISHED");
  });

  test("validation-errors: create and asset upload report injected problems; publish is then refused", async () => {
    const injected = {
      error: "INVALID_PROPERTY_VALUE",
      error_type: "FLOW_JSON_ERROR",
      message: "Meta found a problem",
      line_start: 1,
      line_end: 1,
      column_start: 1,
      column_end: 2,
      pointers: [],
    };
    emu.addFault({ operation: "CreateWhatsAppFlow", action: { kind: "validation-errors", errors: [injected] } });
    const res = await client.send(createInput("meta-says-no", { publish: true }));
    expect(res.validationErrors).toEqual([JSON.stringify(injected)]);
    const g = await client.send(new GetWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId: res.flowId! }));
    expect(g).toMatchObject({ flowStatus: "DRAFT", validationErrors: [JSON.stringify(injected)] });
    expect(await failure(client.send(new PublishWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId: res.flowId! })))).toMatchObject({
      message: "Publishing Flow with validation errors",
    });
    // A clean re-upload clears them.
    const up = await client.send(
      new UpdateWhatsAppFlowAssetsCommand({ id: DEV_WABA_ID, flowId: res.flowId!, flowJson: Buffer.from(VALID_JSON) }),
    );
    expect(up.validationErrors ?? []).toEqual([]);
    await client.send(new PublishWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId: res.flowId! }));

    // On asset upload too (rule without operation: only JSON uploads take it).
    emu.addFault({ action: { kind: "validation-errors", errors: [{ ...injected, severity: "error" }] } });
    await client.send(new ListWhatsAppFlowsCommand({ id: DEV_WABA_ID }));
    const up2 = await client.send(
      new UpdateWhatsAppFlowAssetsCommand({ id: DEV_WABA_ID, flowId: res.flowId!, flowJson: Buffer.from(VALID_JSON) }),
    );
    expect(up2.validationErrors).toEqual([JSON.stringify(injected)]);
  });

  test("drop-connection: the SDK sees a network error; with retries it recovers; nothing was applied", async () => {
    emu.addFault({ operation: "CreateWhatsAppFlow", action: { kind: "drop-connection" } });
    const err = await failure(client.send(createInput("dropped")));
    expect(err.name).not.toMatch(/Exception$/);
    expect(emu.flows()).toEqual([]);
    expect(emu.requests()[0]).toMatchObject({ operation: "CreateWhatsAppFlow", status: 0, fault: "drop-connection" });

    const retrying = newClient(2);
    emu.addFault({ operation: "ListWhatsAppFlows", action: { kind: "drop-connection" } });
    const ok = await retrying.send(new ListWhatsAppFlowsCommand({ id: DEV_WABA_ID }));
    expect(ok.$metadata.attempts).toBe(2);
  });

  test("latency delays the answer", async () => {
    emu.addFault({ operation: "ListWhatsAppFlows", action: { kind: "latency", ms: 300 } });
    const t0 = Date.now();
    await client.send(new ListWhatsAppFlowsCommand({ id: DEV_WABA_ID }));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(emu.requests()[0].fault).toBe("latency");
  });

  test("rules match by flowName (body or addressed flow), are consumed in order, times counts", async () => {
    const { flowId: a } = await client.send(createInput("alpha"));
    const { flowId: b } = await client.send(createInput("beta"));
    emu.addFault([
      { flowName: "beta", times: 2, action: { kind: "error", status: 500, message: "first" } },
      { flowName: "beta", action: { kind: "error", status: 500, message: "second" } },
    ]);
    expect(await client.send(new GetWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId: a! }))).toMatchObject({ flowName: "alpha" });
    const msgs: string[] = [];
    for (let i = 0; i < 3; i++)
      msgs.push((await failure(client.send(new GetWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId: b! })))).message);
    expect(msgs).toEqual(["first", "first", "second"]);
    expect(await client.send(new GetWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId: b! }))).toMatchObject({ flowName: "beta" });

    emu.addFault({ flowName: "gamma", action: { kind: "error", status: 400, errorType: "ValidationException" } });
    expect(emu.faults()).toHaveLength(1);
    expect(await failure(client.send(createInput("gamma")))).toMatchObject({ name: "ValidationException" });
    emu.addFault({ action: { kind: "error", status: 500 } });
    emu.clearFaults();
    await client.send(new ListWhatsAppFlowsCommand({ id: DEV_WABA_ID }));
  });

  test("no-access: every call of the vendor answers its no-access response (looks like not-found), for ever; downloads are untouched", async () => {
    const { request } = await import("undici");
    const { DEFAULT_CREDENTIALS } = await import("./index");
    const created = await client.send(
      new CreateWhatsAppFlowCommand({
        id: DEV_WABA_ID,
        flowName: "na",
        categories: ["OTHER"],
        flowJson: Buffer.from(VALID_JSON),
        publish: true,
      }),
    );
    const dev = emu.wabas[0];
    const http = async (path: string, headers: Record<string, string>) => {
      const r = await request(`${emu.url}${path}`, { headers });
      return { status: r.statusCode, body: (await r.body.json()) as any };
    };
    emu.addFault({ action: { kind: "no-access" } });
    await expect(client.send(new ListWhatsAppFlowsCommand({ id: DEV_WABA_ID }))).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      $metadata: { httpStatusCode: 404 },
    });
    await expect(client.send(new GetWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId: created.flowId! }))).rejects.toMatchObject({
      name: "ResourceNotFoundException",
    });
    const meta = await http(`/v23.0/${created.flowId}`, { authorization: `Bearer ${DEFAULT_CREDENTIALS.meta}` });
    expect(meta).toMatchObject({ status: 400, body: { error: { code: 100, error_subcode: 33, type: "GraphMethodException" } } });
    expect(meta.body.error.message).toMatch(
      new RegExp(`Object with ID '${created.flowId}' does not exist, cannot be loaded due to missing permissions`),
    );
    const d = dev.dialog360;
    expect(
      await http(`/api/v2/partners/${d.partnerId}/waba_accounts/${d.wabaAccountId}/flows`, {
        "x-api-key": DEFAULT_CREDENTIALS["360dialog"],
      }),
    ).toMatchObject({ status: 404, body: { meta: { http_code: 404, success: false, developer_message: "Not found" } } });
    const e = dev.eightByEight;
    expect(
      await http(`/api/v1/accounts/${e.accountId}/channels/${e.channelId}/flows`, {
        authorization: `Bearer ${DEFAULT_CREDENTIALS["8x8"]}`,
      }),
    ).toMatchObject({ status: 404, body: { code: 1300, message: "Object wasn't found or is already expired" } });
    expect(emu.faults()).toHaveLength(1); // still there: it lasts until cleared
    expect(emu.flow(created.flowId!)!.status).toBe("PUBLISHED");
  });

  test("no-access: `vendor` limits it; presigned downloads keep answering", () => {
    const q = new FaultQueue();
    q.add({ vendor: "meta", action: { kind: "no-access" } });
    const ctx = { operation: "GetFlow", action: "get", uploadsJson: false };
    expect(q.take({ ...ctx, vendor: "aws" })).toBeUndefined();
    expect(q.take({ ...ctx, vendor: "meta", action: "download" })).toBeUndefined();
    for (let i = 0; i < 5; i++) expect(q.take({ ...ctx, vendor: "meta" })).toEqual({ kind: "no-access" });
  });

  test("malformed rules are rejected", () => {
    expect(() => emu.addFault({ action: { kind: "explode" } } as never)).toThrow(/action.kind/);
    expect(() => emu.addFault({ times: 0, action: { kind: "drop-connection" } })).toThrow(/times/);
    expect(() => emu.addFault({ action: { kind: "error", status: 200 } })).toThrow(/status/);
  });
});
