import { closeHttpDispatchers } from "./http";
import { classifyGraphError, DEFAULT_GRAPH_VERSION, MetaBackend, readGraphUsage } from "./meta";
import { closedPort, echoSecret, errorAnswers, expectNoSecret, parseMultipart, rejection, startServer, TestServer } from "./test-helpers";
import { BackendError } from "./types";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await closeHttpDispatchers();
  await server.close();
});

const TOKEN = "EAAG-meta-canary-Vb6nQ3sL0p";
const WABA = "102290129340398";
const backend = (over: Partial<{ maxAttempts: number; baseUrl: string; graphVersion: string }> = {}) =>
  new MetaBackend(
    { wabaId: WABA },
    { baseUrl: server.url, credential: TOKEN, maxAttempts: 3, retryBaseDelayMs: 1, graphVersion: "v23.0", ...over },
  );
const graphError = (status: number, code: number, message: string, extra: object = {}) => ({
  status,
  body: { error: { message, type: "OAuthException", code, fbtrace_id: "AbCdEf123", ...extra } },
});

describe("Meta Graph requests", () => {
  it("pins v23.0 by default and rejects a malformed version", () => {
    expect(DEFAULT_GRAPH_VERSION).toBe("v23.0");
    expect(() => backend({ graphVersion: "23" })).toThrow(/invalid Graph API version "23"/);
  });

  it("creates under the WABA with name, categories, flow_json, publish, clone_flow_id; Bearer token, never access_token", async () => {
    server.on(() => ({
      status: 200,
      body: {
        id: "9001",
        success: true,
        validation_errors: [
          {
            error: "E",
            error_type: "FLOW_JSON_ERROR",
            message: "m",
            line_start: 1,
            line_end: 1,
            column_start: 1,
            column_end: 2,
            pointers: [{ path: "screens[0]", line_start: 1, line_end: 1, column_start: 1, column_end: 2 }],
          },
        ],
      },
    }));
    const out = await backend().createFlow({
      name: "signup",
      categories: ["SIGN_UP"],
      flowJson: '{"version":"7.3"}',
      publish: true,
      cloneFlowId: "42",
    });
    const r = server.requests[0];
    expect([r.method, r.path]).toEqual(["POST", `/v23.0/${WABA}/flows`]);
    expect(r.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(r.url).not.toMatch(/access_token/);
    expect(r.json).toEqual({ name: "signup", categories: ["SIGN_UP"], flow_json: '{"version":"7.3"}', publish: true, clone_flow_id: "42" });
    expect(out.id).toBe("9001");
    expect(out.validationErrors[0]).toMatchObject({ error: "E", pointers: [{ path: "screens[0]" }] });
  });

  it("never retries a create, even on a transient code", async () => {
    server.on(() => graphError(500, 2, "Service temporarily unavailable"));
    const e = await rejection(backend().createFlow({ name: "x", categories: ["OTHER"] }));
    expect(e.kind).toBe("TRANSIENT");
    expect(server.requests).toHaveLength(1);
  });

  it("gets a flow with the fields it needs, health and endpoint included", async () => {
    server.on(() => ({
      status: 200,
      body: {
        id: "9001",
        name: "signup",
        status: "PUBLISHED",
        categories: ["SIGN_UP"],
        validation_errors: [],
        json_version: "7.3",
        preview: {
          preview_url: "https://business.facebook.com/wa/manage/flows/9001/preview/?token=t",
          expires_at: "2026-02-01T00:00:00+0000",
        },
        health_status: { can_send_message: "LIMITED", entities: [{ entity_type: "FLOW", id: "9001", can_send_message: "LIMITED" }] },
        endpoint_uri: "https://e.example/flow",
      },
    }));
    expect(await backend().getFlow("9001")).toEqual({
      id: "9001",
      name: "signup",
      status: "PUBLISHED",
      categories: ["SIGN_UP"],
      validationErrors: [],
      jsonVersion: "7.3",
      previewUrl: "https://business.facebook.com/wa/manage/flows/9001/preview/?token=t",
      previewExpiresAt: "2026-02-01T00:00:00+0000",
      healthStatus: "LIMITED",
      endpointUri: "https://e.example/flow",
      applicationId: null,
    });
    expect(server.requests[0].path).toBe("/v23.0/9001");
    expect(server.requests[0].query.get("fields")).toBe(
      "id,name,status,categories,validation_errors,json_version,preview,health_status,endpoint_uri,application",
    );
  });

  it("reads code 100 'does not exist' (subcode 33) on a flow as gone", async () => {
    server.on(() =>
      graphError(
        400,
        100,
        "Unsupported get request. Object with ID '9001' does not exist, cannot be loaded due to missing permissions, or does not support this operation",
        { error_subcode: 33 },
      ),
    );
    expect(await backend().getFlow("9001")).toBeUndefined();
    expect(server.requests).toHaveLength(1);
  });

  it("an unknown WABA is an error naming it, never an empty list", async () => {
    server.on(() => graphError(400, 100, `Unsupported get request. Object with ID '${WABA}' does not exist`, { error_subcode: 33 }));
    const e = await rejection(backend().listFlows());
    expect(e.kind).toBe("OTHER");
    expect(e.message).toMatch(new RegExp(`^meta list of flows of WABA ${WABA} failed: .*is the WABA id right`));
  });

  it("lists every page through the after cursor, stopping when paging.next is absent", async () => {
    const pages: Record<string, object> = {
      "": {
        data: [{ id: "1", name: "a", status: "DRAFT", categories: ["OTHER"] }],
        paging: { cursors: { before: "b0", after: "c1" }, next: "https://graph.facebook.com/v23.0/x?after=c1" },
      },
      c1: {
        data: [{ id: "2", name: "b", status: "PUBLISHED", categories: [] }],
        paging: { cursors: { before: "c1", after: "c2" }, next: "https://graph.facebook.com/v23.0/x?after=c2" },
      },
      c2: { data: [{ id: "3", name: "c", status: "DEPRECATED" }], paging: { cursors: { before: "c2", after: "c3" } } },
    };
    server.on((r) => ({ status: 200, body: pages[r.query.get("after") ?? ""] }));
    expect((await backend().listFlows()).map((f) => f.id)).toEqual(["1", "2", "3"]);
    expect(server.requests.map((r) => r.query.get("after"))).toEqual([null, "c1", "c2"]);
    for (const r of server.requests) {
      expect(r.path).toBe(`/v23.0/${WABA}/flows`);
      expect(r.query.get("fields")).toBe("id,name,status,categories");
      expect(r.query.get("limit")).toBe("100");
    }
  });

  it("fails on a repeated cursor instead of looping", async () => {
    server.on(() => ({ status: 200, body: { data: [], paging: { cursors: { after: "same" }, next: "https://x" } } }));
    const e = await rejection(backend().listFlows());
    expect(e.message).toMatch(/repeated the paging cursor/);
    expect(server.requests).toHaveLength(2);
  });

  it("updates metadata with POST /{flow id}", async () => {
    server.on(() => ({ status: 200, body: { success: true } }));
    await backend().updateMetadata("9001", { categories: ["SURVEY"], current: { name: "n", categories: ["OTHER"] } });
    expect([server.requests[0].method, server.requests[0].path, server.requests[0].json]).toEqual([
      "POST",
      "/v23.0/9001",
      { categories: ["SURVEY"] },
    ]);
  });

  it("uploads the asset as multipart (file, name=flow.json, asset_type=FLOW_JSON)", async () => {
    server.on(() => ({ status: 200, body: { success: true, validation_errors: [] } }));
    expect(await backend().uploadFlowJson("9001", '{"version":"7.3"}')).toEqual({ validationErrors: [] });
    const r = server.requests[0];
    expect([r.method, r.path]).toEqual(["POST", "/v23.0/9001/assets"]);
    const form = await parseMultipart(r);
    const file = form.get("file") as File;
    expect([file.name, file.type, await file.text(), form.get("name"), form.get("asset_type")]).toEqual([
      "flow.json",
      "application/json",
      '{"version":"7.3"}',
      "flow.json",
      "FLOW_JSON",
    ]);
  });

  it("139001 'Error while processing Flow JSON': retries the identical upload once, then fails", async () => {
    const processing = graphError(400, 139001, "Error while processing Flow JSON");
    server.on((_r, i) => (i === 0 ? processing : { status: 200, body: { success: true } }));
    await backend().uploadFlowJson("9001", '{"a":1}');
    expect(server.requests).toHaveLength(2);
    const files = await Promise.all(server.requests.map(async (r) => ((await parseMultipart(r)).get("file") as File).text()));
    expect(files).toEqual(['{"a":1}', '{"a":1}']); // the identical upload
    server.on(() => processing);
    const e = await rejection(backend().uploadFlowJson("9001", '{"a":1}'));
    expect(e.kind).toBe("OTHER");
    expect(e.vendorCode).toBe("139001");
    expect(server.requests).toHaveLength(2);
  });

  it("downloads through the assets list's download_url", async () => {
    const raw = '{"version":"7.3"}';
    server.on((r) =>
      r.path === "/v23.0/9001/assets"
        ? {
            status: 200,
            body: { data: [{ name: "flow.json", asset_type: "FLOW_JSON", download_url: `${server.url}/cdn/9001?oe=1` }], paging: {} },
          }
        : { status: 200, body: raw, headers: { "content-type": "application/json" } },
    );
    expect(await backend().downloadFlowJson("9001")).toBe(raw);
    // A link on the API's own origin gets the token (download.test.ts: never another origin).
    expect(server.requests[1].headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("publishes, deprecates, deletes and previews at Graph's paths", async () => {
    server.on((r) =>
      r.query.get("fields")?.startsWith("preview")
        ? { status: 200, body: { id: "9001", preview: { preview_url: "https://p", expires_at: "2026-03-01T00:00:00+0000" } } }
        : { status: 200, body: { success: true } },
    );
    const b = backend();
    await b.publish("9001");
    await b.deprecate("9001");
    await b.deleteFlow("9001");
    expect(await b.getPreview("9001", true)).toEqual({ url: "https://p", expiresAt: "2026-03-01T00:00:00+0000" });
    await b.getPreview("9001");
    expect(server.requests.map((r) => `${r.method} ${r.path} ${r.query.toString()}`)).toEqual([
      "POST /v23.0/9001/publish ",
      "POST /v23.0/9001/deprecate ",
      "DELETE /v23.0/9001 ",
      `GET /v23.0/9001 ${new URLSearchParams({ fields: "preview.invalidate(true)" })}`,
      `GET /v23.0/9001 ${new URLSearchParams({ fields: "preview.invalidate(false)" })}`,
    ]);
  });
});

describe("Meta Graph errors", () => {
  it("name taken (code 100, told by Meta's documented description), Meta's user-facing text first, fbtrace_id kept", async () => {
    server.on(() =>
      graphError(400, 100, "Invalid parameter", {
        error_subcode: 4016019,
        error_user_title: "Flow name not unique",
        error_user_msg: "Flow name is not unique",
      }),
    );
    const e = await rejection(backend().createFlow({ name: "dup", categories: ["OTHER"] }));
    expect(e).toBeInstanceOf(BackendError);
    expect(e.kind).toBe("NAME_TAKEN");
    expect(e.vendorCode).toBe("100");
    expect(e.message).toBe(
      `meta create of flow "dup" in WABA ${WABA} failed: Flow name not unique: Flow name is not unique [Invalid parameter] (code 100/4016019, fbtrace_id AbCdEf123) (HTTP 400)`,
    );
  });

  it.each([
    [139002, "Publishing Flow in invalid state", "publish", "INVALID_STATE"],
    [139002, "Publishing Flow with validation errors", "publish", "VALIDATION"],
    [139003, "Flow is already deprecated", "deprecate", "ALREADY_DEPRECATED"],
    [139003, "Can't deprecate unpublished flow", "deprecate", "INVALID_STATE"],
    [139004, "Can't delete published Flow", "delete", "INVALID_STATE"],
    [139001, "Flow can't be updated", "upload", "EDIT_REFUSED"],
    [139000, "Blocked by integrity", "publish", "OTHER"],
  ] as const)("%s with the condition only in error_user_title (%s): %s → %s", async (code, title, op, kind) => {
    server.on(() =>
      graphError(400, code, `(#${code}) Short message`, { is_transient: false, error_user_title: title, error_user_msg: "What to do." }),
    );
    const b = backend();
    const call =
      op === "publish"
        ? b.publish("9001")
        : op === "deprecate"
          ? b.deprecate("9001")
          : op === "delete"
            ? b.deleteFlow("9001")
            : b.uploadFlowJson("9001", "{}");
    const e = await rejection(call);
    expect(e.kind).toBe(kind);
    expect(e.message).toContain(`${title}: What to do.`);
  });

  it("wording that is not Meta's documented description decides nothing: a 139002 of ours is OTHER, not INVALID_STATE", async () => {
    server.on(() => graphError(400, 139002, "the flow is in an invalid state", { error_user_title: "Flow not publishable" }));
    expect((await rejection(backend().publish("9001"))).kind).toBe("OTHER");
  });

  it("100/33 (does not exist or missing permissions): NOT_FOUND for a flow, never for the WABA's own list", async () => {
    const unavailable = () =>
      graphError(
        400,
        100,
        "Unsupported get request. Object with ID '9001' does not exist, cannot be loaded due to missing permissions, or does not support this operation.",
        {
          type: "GraphMethodException",
          error_subcode: 33,
        },
      );
    server.on(unavailable);
    expect(await backend().getFlow("9001")).toBeUndefined();
    const e = await rejection(backend().listFlows());
    expect(e.kind).toBe("OTHER");
    expect(e.message).toContain("is the WABA id right");
  });

  it("is_transient: true makes an otherwise unlisted code TRANSIENT", () => {
    expect(classifyGraphError("publish", 400, { error: { code: 123456, message: "x", is_transient: true } }).kind).toBe("TRANSIENT");
  });

  it("legacy published flow: 139001 'Flow can't be updated' → EDIT_REFUSED, not retried", async () => {
    server.on(() => graphError(400, 139001, "Flow can't be updated"));
    expect((await rejection(backend().uploadFlowJson("9001", "{}"))).kind).toBe("EDIT_REFUSED");
    expect((await rejection(backend().updateMetadata("9001", { name: "n", current: { name: "o", categories: [] } }))).kind).toBe(
      "EDIT_REFUSED",
    );
    expect(server.requests).toHaveLength(2);
  });

  it.each([
    ["publish", 139002, "Publishing Flow in invalid state", "INVALID_STATE"],
    ["publish", 139002, "Publishing Flow with validation errors", "VALIDATION"],
    ["publish", 139002, "Missing Flows Signed Public Key", "OTHER"],
    ["deprecate", 139003, "Flow is already deprecated", "ALREADY_DEPRECATED"],
    ["deprecate", 139003, "Can't deprecate unpublished flow", "INVALID_STATE"],
    ["delete", 139004, "Can't delete published Flow", "INVALID_STATE"],
    ["publish", 139000, "Blocked by integrity", "OTHER"],
    ["publish", 139006, "Metrics threshold not reached", "OTHER"],
    ["publish", 100, "Invalid Flow JSON version", "VALIDATION"],
    ["publish", 100, "Only one clone source can be set", "OTHER"],
    ["publish", 190, "Error validating access token", "ACCESS_DENIED"],
    ["publish", 10, "Permission denied", "ACCESS_DENIED"],
    ["publish", 200, "Requires whatsapp_business_management permission", "ACCESS_DENIED"],
    ["publish", 299, "Permission", "ACCESS_DENIED"],
  ] as const)("%s answered %s %s → %s, one request", async (op, code, message, kind) => {
    server.on(() => graphError(code === 190 ? 401 : 400, code, message));
    const b = backend() as any;
    const e = await rejection(b[op === "delete" ? "deleteFlow" : op]("9001"));
    expect(e.kind).toBe(kind);
    expect(e.vendorCode).toBe(String(code));
    expect(server.requests).toHaveLength(1);
  });

  it("throughput code 130429 sent with HTTP 400 is retried, then THROTTLED", async () => {
    server.on((_r, i) => (i === 0 ? graphError(400, 130429, "Rate limit hit") : { status: 200, body: { success: true } }));
    await backend().publish("9001");
    expect(server.requests).toHaveLength(2);
    server.on(() => graphError(400, 130429, "Rate limit hit"));
    const e = await rejection(backend().getFlow("9001"));
    expect(e.kind).toBe("THROTTLED");
    expect(server.requests).toHaveLength(3);
  });

  it.each([80007, 4])(
    "hourly budget code %s (HTTP 400) is BUDGET_EXHAUSTED after one request: never retried into the hour",
    async (code) => {
      server.on(() => ({
        ...graphError(400, code, "Rate limit hit"),
        headers: {
          "x-business-use-case-usage": JSON.stringify({
            [WABA]: [
              {
                type: "whatsapp_business_management",
                call_count: 100,
                total_cputime: 3,
                total_time: 4,
                estimated_time_to_regain_access: 34,
              },
            ],
          }),
        },
      }));
      const b = backend();
      const readings: any[] = [];
      b.onBudgetReading = (r) => readings.push(r);
      const e = await rejection(b.getFlow("9001"));
      expect(e.kind).toBe("BUDGET_EXHAUSTED");
      expect(server.requests).toHaveLength(1);
      expect(readings).toEqual([
        expect.objectContaining({
          exhausted: true,
          usedPercent: 100,
          regainSeconds: 34 * 60,
          budget: code === 4 ? expect.stringMatching(/of the app/) : `Meta's hourly API budget for WABA ${WABA}`,
        }),
      ]);
    },
  );

  it("reads the usage headers of every answer: the highest of call_count, total_cputime and total_time, app or WABA", () => {
    const buc = (o: object) => JSON.stringify({ [WABA]: [{ type: "whatsapp_business_management", ...o }] });
    expect(
      readGraphUsage(
        { "x-business-use-case-usage": buc({ call_count: 12, total_cputime: 40, total_time: 7, estimated_time_to_regain_access: 0 }) },
        WABA,
      ),
    ).toEqual({ percent: 40, regainSeconds: undefined, app: false });
    expect(
      readGraphUsage(
        {
          "x-business-use-case-usage": buc({ call_count: 12, total_cputime: 1, total_time: 1 }),
          "x-app-usage": JSON.stringify({ call_count: 85, total_cputime: 2, total_time: 3 }),
        },
        WABA,
      ),
    ).toEqual({ percent: 85, regainSeconds: undefined, app: true });
    expect(readGraphUsage({ "x-app-usage": "not json" }, WABA)).toEqual({ percent: undefined, regainSeconds: undefined, app: false });
  });

  it("HTTP 429 honours Retry-After", async () => {
    server.on((_r, i) =>
      i === 0
        ? { ...graphError(429, 4, "Application request limit reached"), headers: { "retry-after": "1" } }
        : { status: 200, body: { data: [], paging: {} } },
    );
    const t0 = Date.now();
    expect(await backend().listFlows()).toEqual([]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
  });

  it("transient codes 1 / 2 / 131000 are retried, then TRANSIENT", async () => {
    for (const code of [1, 2, 131000]) {
      server.on(() => graphError(code === 2 ? 503 : 400, code, "Something went wrong"));
      const e = await rejection(backend().deprecate("9001"));
      expect(e.kind).toBe("TRANSIENT");
      expect(server.requests).toHaveLength(3);
    }
  });

  it("classifies by status when there is no Graph envelope", () => {
    expect(classifyGraphError("get", 404, "").kind).toBe("NOT_FOUND");
    expect(classifyGraphError("list", 404, "").kind).toBe("OTHER");
    expect(classifyGraphError("get", 502, "<html>").kind).toBe("TRANSIENT");
    expect(classifyGraphError("get", 403, undefined).kind).toBe("ACCESS_DENIED");
  });
});

describe("Meta canary token", () => {
  it("never shows the token in any thrown error or URL, whatever the answer", async () => {
    const ops: ((b: MetaBackend) => Promise<unknown>)[] = [
      (b) => b.createFlow({ name: "n", categories: ["OTHER"], flowJson: "{}", publish: true }),
      (b) => b.getFlow("9001"),
      (b) => b.listFlows(),
      (b) => b.updateMetadata("9001", { name: "n", current: { name: "o", categories: [] } }),
      (b) => b.uploadFlowJson("9001", "{}"),
      (b) => b.downloadFlowJson("9001"),
      (b) => b.publish("9001"),
      (b) => b.deprecate("9001"),
      (b) => b.deleteFlow("9001"),
      (b) => b.getPreview("9001", true),
    ];
    const bodies = [
      (s: string) => ({
        error: { message: `Invalid OAuth access token - Cannot parse access token ${s}`, type: "OAuthException", code: 190, fbtrace_id: s },
      }),
      (s: string) => ({ error: { message: `Error while processing Flow JSON ${s}`, code: 139001, error_user_msg: s, fbtrace_id: "t" } }),
      (s: string) => ({ error: { message: `limit ${s}`, code: 80007, error_data: { token: s } } }),
    ];
    let thrown = 0;
    let redacted = 0;
    for (const body of bodies) {
      for (const answer of errorAnswers(body)) {
        server.on((r) => echoSecret(answer, String(r.headers.authorization).replace(/^Bearer /, "")));
        for (const op of ops) {
          try {
            await op(backend({ maxAttempts: 2 }));
          } catch (e) {
            thrown++;
            if (String((e as Error).message).includes("[REDACTED]")) redacted++;
            expectNoSecret(e, TOKEN);
          }
        }
        for (const r of server.requests) {
          expect(r.url).not.toContain(TOKEN);
          expect(r.url).not.toMatch(/access_token/);
        }
      }
    }
    const port = await closedPort();
    expectNoSecret(await rejection(backend({ baseUrl: `http://127.0.0.1:${port}`, maxAttempts: 1 }).listFlows()), TOKEN);
    expect(thrown).toBeGreaterThan(300);
    expect(redacted).toBeGreaterThan(0);
  });
});
