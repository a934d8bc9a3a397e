import { classifyDialog360Error, Dialog360Backend } from "./dialog360";
import { closeHttpDispatchers } from "./http";
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

const KEY = "d360-canary-Zq8vR2xK9w";
const P = "/api/v2/partners/pa%2F1/waba_accounts/wa1";
const backend = (over: Partial<{ maxAttempts: number; baseUrl: string; credential: string }> = {}) =>
  new Dialog360Backend(
    { partnerId: "pa/1", wabaAccountId: "wa1" },
    { baseUrl: server.url, credential: KEY, maxAttempts: 3, retryBaseDelayMs: 1, ...over },
  );
const metaError = (status: number, developer_message: string, extra: object = {}) => ({
  status,
  body: { meta: { developer_message, http_code: status, success: false, ...extra } },
});

describe("360dialog requests", () => {
  it("creates with name, categories and clone_flow_id under the partner and WABA account, X-API-Key, 200 or 201", async () => {
    for (const status of [200, 201]) {
      server.on(() => ({ status, body: { id: "1234" } }));
      const out = await backend().createFlow({ name: "signup", categories: ["SIGN_UP"], cloneFlowId: "99" });
      expect(out).toEqual({ id: "1234", validationErrors: [] });
      const r = server.requests[0];
      expect(r.method).toBe("POST");
      expect(r.path).toBe(`${P}/flows`);
      expect(r.headers["x-api-key"]).toBe(KEY);
      expect(r.headers.authorization).toBeUndefined();
      expect(r.json).toEqual({ name: "signup", categories: ["SIGN_UP"], clone_flow_id: "99" });
    }
  });

  it("refuses flowJson or publish on create as an internal error, before any request", async () => {
    server.on(() => ({ status: 200, body: { id: "1" } }));
    const e1 = await rejection(backend().createFlow({ name: "x", categories: ["OTHER"], flowJson: "{}" }));
    const e2 = await rejection(backend().createFlow({ name: "x", categories: ["OTHER"], publish: true }));
    for (const e of [e1, e2]) {
      expect(e).not.toBeInstanceOf(BackendError);
      expect(e.message).toMatch(/internal error: 360dialog's create takes neither flowJson nor publish/);
    }
    expect(server.requests).toHaveLength(0);
  });

  it("never retries a create, even on 503", async () => {
    server.on(() => metaError(503, "Service unavailable"));
    const e = await rejection(backend().createFlow({ name: "x", categories: ["OTHER"] }));
    expect(e.kind).toBe("TRANSIENT");
    expect(server.requests).toHaveLength(1);
  });

  it("gets a flow with the fields it needs (form/explode) and maps it", async () => {
    server.on(() => ({
      status: 200,
      body: {
        id: "7",
        name: "n",
        status: "PUBLISHED",
        categories: ["OTHER"],
        validation_errors: [
          {
            error: "INVALID_PROPERTY_VALUE",
            error_type: "FLOW_JSON_ERROR",
            message: "bad",
            line_start: 1,
            line_end: 1,
            column_start: 2,
            column_end: 3,
          },
        ],
        json_version: "7.3",
        preview: { preview_url: "https://p/7", expires_at: "2026-01-01T00:00:00Z" },
        endpoint_uri: "https://e.example/x",
      },
    }));
    const f = await backend().getFlow("7");
    expect(server.requests[0].path).toBe(`${P}/flows/7`);
    expect(server.requests[0].query.getAll("fields")).toEqual([
      "id",
      "name",
      "status",
      "categories",
      "validation_errors",
      "json_version",
      "preview",
      "endpoint_uri",
    ]);
    expect(f).toMatchObject({
      id: "7",
      name: "n",
      status: "PUBLISHED",
      categories: ["OTHER"],
      jsonVersion: "7.3",
      previewUrl: "https://p/7",
      previewExpiresAt: "2026-01-01T00:00:00Z",
      endpointUri: "https://e.example/x",
    });
    expect(f!.validationErrors[0]).toMatchObject({
      error: "INVALID_PROPERTY_VALUE",
      message: "bad",
      line_start: 1,
      column_start: 2,
      pointers: [],
    });
  });

  it("reads a 404 on a flow as not found whatever its text (the hooks prove it: ../hooks/gone-proof.ts); on the account's list, an error naming the account", async () => {
    server.on(() => metaError(404, "Flow not found"));
    expect(await backend().getFlow("7")).toBeUndefined();
    server.on(() => metaError(404, "Waba account not found"));
    expect(await backend().getFlow("7")).toBeUndefined();
    const e = await rejection(backend().listFlows());
    expect(e.kind).toBe("OTHER");
    expect(e.message).toMatch(/Waba account not found.*is the partner id \/ WABA account id right\?/);
  });

  it("lists flows from the wrapped object and from a bare array", async () => {
    const flows = [
      { id: "1", name: "a", status: "DRAFT", categories: ["OTHER"] },
      { id: "2", name: "b", status: "PUBLISHED" },
    ];
    for (const body of [{ flows, count: 2, total: 2 }, flows]) {
      server.on(() => ({ status: 200, body }));
      expect(await backend().listFlows()).toEqual([
        { id: "1", name: "a", status: "DRAFT", categories: ["OTHER"] },
        { id: "2", name: "b", status: "PUBLISHED", categories: [] },
      ]);
      expect(server.requests[0].path).toBe(`${P}/flows`);
      expect(server.requests[0].query.getAll("fields")).toEqual(["id", "name", "status", "categories"]);
    }
  });

  it("PATCHes metadata always with a name (the current one when only categories change)", async () => {
    server.on(() => ({ status: 200, body: { success: true } }));
    await backend().updateMetadata("7", { categories: ["SURVEY"], current: { name: "old", categories: ["OTHER"] } });
    await backend().updateMetadata("7", { name: "new", current: { name: "old", categories: ["OTHER"] } });
    expect(server.requests.map((r) => [r.method, r.path, r.json])).toEqual([
      ["PATCH", `${P}/flows/7`, { name: "old", categories: ["SURVEY"] }],
      ["PATCH", `${P}/flows/7`, { name: "new" }],
    ]);
  });

  it("uploads the Flow JSON as multipart and normalises validation errors", async () => {
    server.on(() => ({
      status: 200,
      body: { success: true, validation_errors: [{ error: "X", error_type: "FLOW_JSON_ERROR", message: "m" }] },
    }));
    const out = await backend().uploadFlowJson("7", '{"version":"7.3"}');
    const r = server.requests[0];
    expect([r.method, r.path]).toEqual(["POST", `${P}/flows/7/assets`]);
    expect(String(r.headers["content-type"])).toMatch(/^multipart\/form-data; boundary=/);
    const form = await parseMultipart(r);
    const file = form.get("file") as File;
    expect([file.name, file.type, await file.text()]).toEqual(["flow.json", "application/json", '{"version":"7.3"}']);
    expect(form.get("name")).toBe("flow.json");
    expect(form.get("asset_type")).toBe("FLOW_JSON");
    expect(out.validationErrors).toHaveLength(1);
    expect(out.validationErrors[0]).toMatchObject({ error: "X", message: "m" });
  });

  it("retries an upload (idempotent) on 502", async () => {
    server.on((_r, i) => (i === 0 ? { status: 502 } : { status: 200, body: { success: true, validation_errors: [] } }));
    await backend().uploadFlowJson("7", "{}");
    expect(server.requests).toHaveLength(2);
  });

  it("downloads the Flow JSON through the assets list's download_url, exactly", async () => {
    const raw = '{"version": "7.3", "screens": []}\n';
    server.on((r) =>
      r.path.endsWith("/assets")
        ? {
            status: 200,
            body: {
              assets: [{ name: "flow.json", asset_type: "FLOW_JSON", download_url: `${server.url}/cdn/f.json?sig=1` }],
              count: 1,
              total: 1,
            },
          }
        : { status: 200, body: raw, headers: { "content-type": "application/octet-stream" } },
    );
    expect(await backend().downloadFlowJson("7")).toBe(raw);
    expect(server.requests[1].url).toBe("/cdn/f.json?sig=1");
    // A link on the API's own origin gets the key (download.test.ts: never another origin).
    expect(server.requests[1].headers["x-api-key"]).toBe(KEY);
    server.on(() => ({ status: 200, body: [] }));
    expect(await backend().downloadFlowJson("7")).toBeUndefined();
  });

  it("publishes, deprecates, deletes and previews at the documented paths", async () => {
    server.on((r) =>
      r.path.endsWith("/preview")
        ? { status: 200, body: { id: "7", preview: { preview_url: "https://p", expires_at: "2026-02-01T00:00:00Z" } } }
        : { status: 200, body: { success: true } },
    );
    const b = backend();
    await b.publish("7");
    await b.deprecate("7");
    await b.deleteFlow("7");
    expect(await b.getPreview("7", true)).toEqual({ url: "https://p", expiresAt: "2026-02-01T00:00:00Z" });
    await b.getPreview("7");
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `POST ${P}/flows/7/publish`,
      `POST ${P}/flows/7/deprecate`,
      `DELETE ${P}/flows/7`,
      `GET ${P}/flows/7/preview?invalidate=true`,
      `GET ${P}/flows/7/preview?invalidate=false`,
    ]);
  });
});

describe("360dialog errors", () => {
  it("name taken", async () => {
    server.on(() => metaError(400, "Flow name is not unique", { "360dialog_trace_id": "tr-1" }));
    const e = await rejection(backend().createFlow({ name: "dup", categories: ["OTHER"] }));
    expect(e).toBeInstanceOf(BackendError);
    expect(e.kind).toBe("NAME_TAKEN");
    expect(e.httpStatus).toBe(400);
    expect(e.message).toBe(
      '360dialog create of flow "dup" in partner pa/1 / WABA account wa1 failed: Flow name is not unique (360dialog trace tr-1) (HTTP 400)',
    );
  });

  it("refusal to edit a published flow (documented text and Meta's passed through)", async () => {
    server.on(() => metaError(400, "The Flow and its assets become immutable once published"));
    expect((await rejection(backend().uploadFlowJson("7", "{}"))).kind).toBe("EDIT_REFUSED");
    server.on(() => metaError(400, "Flow can't be updated"));
    const e = await rejection(backend().updateMetadata("7", { name: "x", current: { name: "y", categories: [] } }));
    expect(e.kind).toBe("EDIT_REFUSED");
    expect(e.message).toMatch(/^360dialog metadata update of flow 7 failed: Flow can't be updated \(HTTP 400\)$/);
  });

  it("auth failures are ACCESS_DENIED and not retried", async () => {
    for (const status of [401, 403]) {
      server.on(() => metaError(status, "Invalid API key"));
      const e = await rejection(backend().listFlows());
      expect(e.kind).toBe("ACCESS_DENIED");
      expect(server.requests).toHaveLength(1);
    }
  });

  it("throttling is retried honouring Retry-After, then THROTTLED", async () => {
    server.on((_r, i) =>
      i === 0 ? { ...metaError(429, "Too many requests"), headers: { "retry-after": "1" } } : { status: 200, body: { flows: [] } },
    );
    const t0 = Date.now();
    expect(await backend().listFlows()).toEqual([]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    server.on(() => ({ ...metaError(429, "Too many requests"), headers: { "retry-after": "0" } }));
    const e = await rejection(backend().publish("7"));
    expect(e.kind).toBe("THROTTLED");
    expect(server.requests).toHaveLength(3);
  });

  it("not found, state errors, 5xx", async () => {
    server.on(() => metaError(404, "Not found"));
    expect((await rejection(backend().publish("7"))).kind).toBe("NOT_FOUND");
    server.on(() => metaError(400, "Flow is already deprecated"));
    expect((await rejection(backend().deprecate("7"))).kind).toBe("ALREADY_DEPRECATED");
    server.on(() => metaError(400, "Can't delete published Flow"));
    expect((await rejection(backend().deleteFlow("7"))).kind).toBe("INVALID_STATE");
    server.on(() => metaError(500, "boom"));
    const e = await rejection(backend().deleteFlow("7"));
    expect(e.kind).toBe("TRANSIENT");
    expect(server.requests).toHaveLength(3);
  });

  it("Meta's error relayed flat in details (code + description): Meta's table decides; wording of our own decides nothing", () => {
    const relayed = (code: number, message: string, op: "deprecate" | "upload" | "publish" = "deprecate") =>
      classifyDialog360Error(op, 400, { meta: { developer_message: message, http_code: 400, success: false, details: { code, message } } })
        .kind;
    expect(relayed(139003, "Flow is already deprecated")).toBe("ALREADY_DEPRECATED");
    expect(relayed(139001, "Flow can't be updated", "upload")).toBe("EDIT_REFUSED");
    expect(relayed(139002, "Publishing Flow in invalid state", "publish")).toBe("INVALID_STATE");
    expect(relayed(139002, "the flow cannot be published right now", "publish")).toBe("OTHER");
    expect(
      classifyDialog360Error("deprecate", 400, { meta: { developer_message: "flow was deprecated before", http_code: 400 } }).kind,
    ).toBe("OTHER");
  });

  it("classifies Meta's code when details carry it", () => {
    expect(
      classifyDialog360Error("publish", 400, {
        meta: { developer_message: "Bad", http_code: 400, details: { error: { code: 80007, message: "rate" } } },
      }).kind,
    ).toBe("THROTTLED");
    expect(
      classifyDialog360Error("get", 400, {
        meta: { developer_message: "Bad", http_code: 400, details: { error: { code: 190, message: "token" } } },
      }).kind,
    ).toBe("ACCESS_DENIED");
  });

  it("connection failures are TRANSIENT and name the operation", async () => {
    const port = await closedPort();
    const e = await rejection(backend({ baseUrl: `http://127.0.0.1:${port}`, maxAttempts: 1 }).publish("7"));
    expect(e.kind).toBe("TRANSIENT");
    expect(e.message).toMatch(/^360dialog publish of flow 7 failed: connection refused \(ECONNREFUSED\)$/);
  });
});

describe("360dialog canary key", () => {
  it("never shows the key in any thrown error, whatever the answer", async () => {
    const ops: [string, (b: Dialog360Backend) => Promise<unknown>][] = [
      ["create", (b) => b.createFlow({ name: "n", categories: ["OTHER"] })],
      ["get", (b) => b.getFlow("7")],
      ["list", (b) => b.listFlows()],
      ["update", (b) => b.updateMetadata("7", { name: "n", current: { name: "o", categories: [] } })],
      ["upload", (b) => b.uploadFlowJson("7", "{}")],
      ["download", (b) => b.downloadFlowJson("7")],
      ["publish", (b) => b.publish("7")],
      ["deprecate", (b) => b.deprecate("7")],
      ["delete", (b) => b.deleteFlow("7")],
      ["preview", (b) => b.getPreview("7", true)],
    ];
    let thrown = 0;
    let redacted = 0;
    for (const answer of errorAnswers((s) => ({
      meta: { developer_message: `invalid key ${s}`, http_code: 400, success: false, details: { key: s } },
    }))) {
      server.on((r) => echoSecret(answer, String(r.headers["x-api-key"])));
      for (const [, op] of ops) {
        try {
          await op(backend({ maxAttempts: 2 }));
        } catch (e) {
          thrown++;
          if (String((e as Error).message).includes("[REDACTED]")) redacted++;
          expectNoSecret(e, KEY);
        }
      }
      for (const r of server.requests) expect(r.url).not.toContain(KEY);
    }
    const port = await closedPort();
    const e = await rejection(backend({ baseUrl: `http://127.0.0.1:${port}`, maxAttempts: 1 }).listFlows());
    expectNoSecret(e, KEY);
    expect(thrown).toBeGreaterThan(100);
    expect(redacted).toBeGreaterThan(0); // the echoed key reached a message, redacted
  });
});
