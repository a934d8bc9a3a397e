/**
 * The 8x8 Chat Apps dialect over real HTTP (undici): every operation as the OpenAPI describes it,
 * Bearer auth (401 code 1200), `{code, message, errorId, timestamp}` errors, camelCase casing with the
 * flat snake_case preview, `flowJsonUrl` downloads, PUT only on drafts (409 otherwise), faults.
 */
import { request } from "undici";
import { ACCOUNT_REFS, DEFAULT_CREDENTIALS, DEFAULT_WABAS, startEmulator, type RunningEmulator } from "./index";
import { VALID_FLOW, VALID_FLOW_JSON } from "./test-helpers";

const KEY = DEFAULT_CREDENTIALS["8x8"];
const [dev, prod] = DEFAULT_WABAS;
const A = (w = dev) => `/api/v1/accounts/${w.eightByEight.accountId}/channels/${w.eightByEight.channelId}`;
const INVALID_JSON = JSON.stringify({ version: "7.3", screens: [] });

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: any;
}

async function call(
  method: string,
  path: string,
  json?: unknown,
  headers: Record<string, string> | null = { authorization: `Bearer ${KEY}` },
): Promise<Answer> {
  const h: Record<string, string> = { ...(headers ?? {}) };
  if (json !== undefined) h["content-type"] = "application/json";
  const res = await request(`${emu.url}${path}`, {
    method: method as "GET",
    headers: h,
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text, body: text ? JSON.parse(text) : undefined };
}

const x8Error = (code: number, message: string | RegExp) => ({
  code,
  message: typeof message === "string" ? message : expect.stringMatching(message),
  errorId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
  timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}\+00:00$/),
});

async function create(name: string, extra: Record<string, unknown> = {}, w = dev) {
  return call("POST", `${A(w)}/flows`, { name, categories: ["SIGN_UP"], flowJson: VALID_FLOW_JSON, ...extra });
}
async function published(name: string): Promise<string> {
  const r = await create(name, { publish: true });
  expect(r.status).toBe(200);
  expect(emu.flow(r.body.id)?.status).toBe("PUBLISHED");
  return r.body.id;
}

describe("account references and ids", () => {
  test("accountId is a UUID matching 8x8's pattern; the reference names account and channel", () => {
    for (const w of DEFAULT_WABAS) expect(w.eightByEight.accountId).toMatch(/^[0-9A-Fa-f]{8}[-]?(?:[0-9A-Fa-f]{4}[-]?){3}[0-9A-Fa-f]{12}$/);
    expect(dev.eightByEight.accountId).not.toBe(prod.eightByEight.accountId);
    expect(ACCOUNT_REFS.dev["8x8"]).toBe(`8x8:${dev.eightByEight.accountId}/${dev.eightByEight.channelId}`);
    expect(emu.accountRef("8x8", "dev")).toBe(ACCOUNT_REFS.dev["8x8"]);
  });
});

describe("happy paths", () => {
  test("create (stringified flowJson) → get (camelCase, flowJsonUrl) → list → preview → deprecate", async () => {
    const c = await create("signup");
    expect(c.status).toBe(200);
    expect(c.body).toEqual({ id: expect.stringMatching(/^\d+$/), success: true });
    const id = c.body.id;
    const g = await call("GET", `${A()}/flows/${id}`);
    expect(g.body).toEqual({
      flowId: id,
      flowJsonUrl: expect.stringContaining(`/_emulator/assets/8x8/${id}/`),
      name: "signup",
      status: "DRAFT",
      categories: ["SIGN_UP"],
    });
    const dl = await request(g.body.flowJsonUrl);
    expect(dl.statusCode).toBe(200);
    expect(await dl.body.text()).toBe(VALID_FLOW_JSON);

    const pub = await call("POST", `${A()}/flows/${id}/publish`);
    expect(pub).toMatchObject({ status: 200, text: "" });
    expect(emu.flow(id)?.status).toBe("PUBLISHED");

    const l = await call("GET", `${A()}/flows`);
    expect(l.body).toEqual({ flows: [{ id, name: "signup", status: "PUBLISHED" }] });

    const p = await call("GET", `${A()}/flows/${id}/preview`);
    expect(p.body).toEqual({
      id,
      preview_url: expect.stringContaining(`/flows/${id}/preview/`),
      expires_at: expect.stringMatching(/\+0000$/),
    });
    expect((await call("GET", `${A()}/flows/${id}/preview?refresh=false`)).body.preview_url).toBe(p.body.preview_url);
    expect((await call("GET", `${A()}/flows/${id}/preview?refresh=true`)).body.preview_url).not.toBe(p.body.preview_url);
    expect((await call("GET", `${A()}/flows/${id}/preview?refresh=sometimes`)).body).toEqual(x8Error(1000, /refresh/));

    const dep = await call("POST", `${A()}/flows/${id}/deprecate`);
    expect(dep).toMatchObject({ status: 200, text: "" });
    expect(emu.flow(id)?.status).toBe("DEPRECATED");
  });

  test("create with publish:true and invalid JSON: 200, DRAFT, camelCase validationErrors with pointers", async () => {
    const c = await create("bad", { flowJson: INVALID_JSON, publish: true });
    expect(c.status).toBe(200);
    expect(c.body.success).toBe(true);
    expect(c.body.validationErrors.length).toBeGreaterThan(0);
    const e = c.body.validationErrors[0];
    expect(Object.keys(e)).toEqual(
      expect.arrayContaining(["error", "errorType", "message", "lineStart", "lineEnd", "columnStart", "columnEnd"]),
    );
    expect(JSON.stringify(c.body)).not.toMatch(/_[a-z]+"/);
    expect(emu.flow(c.body.id)?.status).toBe("DRAFT");
    const g = await call("GET", `${A()}/flows/${c.body.id}`);
    expect(g.body.validationErrors).toEqual(c.body.validationErrors);
    const pub = await call("POST", `${A()}/flows/${c.body.id}/publish`);
    expect(pub).toMatchObject({ status: 400, body: x8Error(1000, "Publishing Flow with validation errors") });
  });

  test("create without flowJson: no flowJsonUrl; cloneFlowId copies the JSON", async () => {
    const c = await call("POST", `${A()}/flows`, { name: "empty", categories: ["OTHER"] });
    const g = await call("GET", `${A()}/flows/${c.body.id}`);
    expect(g.body.flowJsonUrl).toBeUndefined();
    const src = await published("src");
    const clone = await call("POST", `${A()}/flows`, { name: "clone", categories: ["OTHER"], cloneFlowId: src });
    expect(emu.flow(clone.body.id)).toMatchObject({ status: "DRAFT", flowJson: VALID_FLOW_JSON });
  });

  test("list ?limit= (1–1000, default 100)", async () => {
    for (const n of ["a", "b", "c"]) await create(n);
    expect((await call("GET", `${A()}/flows?limit=2`)).body.flows.map((f: { name: string }) => f.name)).toEqual(["a", "b"]);
    expect((await call("GET", `${A()}/flows?limit=1000`)).body.flows).toHaveLength(3);
    for (const bad of ["0", "1001", "x"])
      expect(await call("GET", `${A()}/flows?limit=${bad}`)).toMatchObject({ status: 400, body: x8Error(1000, /limit/) });
    expect((await call("GET", `${A(prod)}/flows`)).body).toEqual({ flows: [] });
  });

  test("PUT on a draft: name, categories, flowJson and publish in one call", async () => {
    const c = await call("POST", `${A()}/flows`, { name: "d", categories: ["OTHER"] });
    const id = c.body.id;
    const u = await call("PUT", `${A()}/flows/${id}`, { name: "d2", categories: ["SURVEY"], flowJson: VALID_FLOW_JSON, publish: true });
    expect(u).toMatchObject({ status: 200, body: { id, success: true } });
    expect(u.body.validationErrors).toBeUndefined();
    expect(emu.flow(id)).toMatchObject({ name: "d2", categories: ["SURVEY"], status: "PUBLISHED", flowJson: VALID_FLOW_JSON });
  });

  test("PUT cloneFlowId re-seeds a draft's JSON; empty body → 1000; delete a draft → 200 no body", async () => {
    const src = await published("src");
    const c = await call("POST", `${A()}/flows`, { name: "d", categories: ["OTHER"] });
    expect((await call("PUT", `${A()}/flows/${c.body.id}`, { cloneFlowId: src })).status).toBe(200);
    expect(emu.flow(c.body.id)?.flowJson).toBe(VALID_FLOW_JSON);
    expect(await call("PUT", `${A()}/flows/${c.body.id}`, {})).toMatchObject({
      status: 400,
      body: x8Error(1000, "At least one property must be present in the request body"),
    });
    const del = await call("DELETE", `${A()}/flows/${c.body.id}`);
    expect(del).toMatchObject({ status: 200, text: "" });
    expect(emu.flow(c.body.id)).toBeUndefined();
  });
});

describe("published flows refuse edits (409) and deletes", () => {
  test("PUT of a PUBLISHED flow → 409 'flow must be in draft state'; nothing changes", async () => {
    const id = await published("live");
    const u = await call("PUT", `${A()}/flows/${id}`, { name: "renamed", flowJson: JSON.stringify({ ...VALID_FLOW, version: "7.2" }) });
    expect(u).toMatchObject({ status: 409, body: x8Error(1000, "flow must be in draft state") });
    expect(emu.flow(id)).toMatchObject({ name: "live", status: "PUBLISHED", flowJson: VALID_FLOW_JSON });
  });

  test("THROTTLED, BLOCKED and DEPRECATED flows refuse too; delete of a published flow → 409", async () => {
    const id = await published("p");
    for (const status of ["THROTTLED", "BLOCKED", "DEPRECATED"] as const) {
      emu.patchFlow(id, { status });
      expect((await call("PUT", `${A()}/flows/${id}`, { categories: ["OTHER"] })).status).toBe(409);
    }
    const other = await published("p2");
    expect(await call("DELETE", `${A()}/flows/${other}`)).toMatchObject({
      status: 409,
      body: x8Error(1000, "Can't delete published Flow"),
    });
    expect(await call("POST", `${A()}/flows/${other}/publish`)).toMatchObject({
      status: 409,
      body: x8Error(1000, "Publishing Flow in invalid state"),
    });
    const draft = await create("dr");
    expect(await call("POST", `${A()}/flows/${draft.body.id}/deprecate`)).toMatchObject({
      status: 409,
      body: x8Error(1000, "Can't deprecate unpublished flow"),
    });
  });
});

describe("wire validation and errors", () => {
  test("flowJson must be a string; name and categories required; 8 categories", async () => {
    expect(await call("POST", `${A()}/flows`, { name: "o", categories: ["OTHER"], flowJson: VALID_FLOW })).toMatchObject({
      status: 400,
      body: x8Error(1000, "flowJson must be a string"),
    });
    expect((await call("POST", `${A()}/flows`, { categories: ["OTHER"] })).body).toEqual(x8Error(1000, "name must not be null"));
    expect((await call("POST", `${A()}/flows`, { name: "c", categories: [] })).body).toEqual(x8Error(1000, /categories/));
    expect((await call("POST", `${A()}/flows`, { name: "c", categories: ["SHOPPING"] })).body).toEqual(x8Error(1000, /SHOPPING/));
    expect((await call("POST", `${A()}/flows`, { name: "c", categories: ["OTHER"], publish: "yes" })).status).toBe(400);
    expect(emu.flows()).toEqual([]);
  });

  test("name clash → 400 code 1000 with Meta's text", async () => {
    await create("dup");
    expect(await create("dup")).toMatchObject({ status: 400, body: x8Error(1000, "Flow name is not unique") });
    const other = await call("POST", `${A()}/flows`, { name: "other", categories: ["OTHER"] });
    expect(await call("PUT", `${A()}/flows/${other.body.id}`, { name: "dup" })).toMatchObject({
      status: 400,
      body: x8Error(1000, "Flow name is not unique"),
    });
  });

  test("unknown flow / account / channel → 404 code 1300 with 8x8's one documented text; malformed accountId → 400 code 1000", async () => {
    expect(await call("GET", `${A()}/flows/42`)).toMatchObject({
      status: 404,
      body: x8Error(1300, "Object wasn't found or is already expired"),
    });
    const acc = "00000000-0000-4000-8000-000000000000";
    expect(await call("GET", `/api/v1/accounts/${acc}/channels/${dev.eightByEight.channelId}/flows`)).toMatchObject({
      status: 404,
      body: x8Error(1300, "Object wasn't found or is already expired"),
    });
    expect(await call("GET", `/api/v1/accounts/${dev.eightByEight.accountId}/channels/nope/flows`)).toMatchObject({
      status: 404,
      body: x8Error(1300, "Object wasn't found or is already expired"),
    });
    expect(await call("GET", `/api/v1/accounts/not-a-uuid/channels/x/flows`)).toMatchObject({
      status: 400,
      body: x8Error(1000, /accountId/),
    });
    // The dash-less accountId form of the pattern addresses the same account.
    expect(
      (await call("GET", `/api/v1/accounts/${dev.eightByEight.accountId.replace(/-/g, "")}/channels/${dev.eightByEight.channelId}/flows`))
        .status,
    ).toBe(200);
    const theirs = await create("theirs", {}, prod);
    expect((await call("GET", `${A()}/flows/${theirs.body.id}`)).status).toBe(404);
  });

  test("auth: missing, wrong scheme or wrong key → 401 code 1200; configured keys", async () => {
    const expected = { status: 401, body: x8Error(1200, "Request was not authenticated properly") };
    expect(await call("GET", `${A()}/flows`, undefined, null)).toMatchObject(expected);
    expect(await call("GET", `${A()}/flows`, undefined, { authorization: `Basic ${KEY}` })).toMatchObject(expected);
    expect(await call("GET", `${A()}/flows`, undefined, { authorization: "Bearer wrong" })).toMatchObject(expected);
    expect(await call("GET", `${A()}/flows`, undefined, { "x-api-key": KEY })).toMatchObject(expected);
    const other = await startEmulator({ credentials: { "8x8": "secret-key" } });
    try {
      const r = await request(`${other.url}${A()}/flows`, { headers: { authorization: "Bearer secret-key" } });
      expect(r.statusCode).toBe(200);
      await r.body.dump();
    } finally {
      await other.close();
    }
  });
});

describe("faults and log", () => {
  test("neutral 'create' fault in the 8x8 envelope; fault code override; throttle; log entries", async () => {
    emu.addFault({ operation: "create", action: { kind: "error", status: 500 } });
    expect(await create("f")).toMatchObject({ status: 500, body: x8Error(2000, "Internal server error") });
    expect(emu.flows()).toEqual([]);
    emu.addFault({ vendor: "8x8", operation: "get", action: { kind: "error", status: 403, code: 1201, message: "nope" } });
    const id = (await create("g")).body.id;
    expect(await call("GET", `${A()}/flows/${id}`)).toMatchObject({ status: 403, body: x8Error(1201, "nope") });
    emu.addFault({ operation: "ListFlows", vendor: "8x8", action: { kind: "throttle", retryAfterSeconds: 2 } });
    const t = await call("GET", `${A()}/flows`);
    expect(t.status).toBe(429);
    expect(t.headers["retry-after"]).toBe("2");
    const log = emu.requests({ vendor: "8x8" });
    expect(log.map((e) => [e.operation, e.action, e.status])).toEqual([
      ["CreateFlow", "create", 500],
      ["CreateFlow", "create", 200],
      ["GetFlow", "get", 403],
      ["ListFlows", "list", 429],
    ]);
    expect(log[1].body).toMatchObject({ name: "g", flowJson: { bytes: Buffer.byteLength(VALID_FLOW_JSON) } });
    expect(JSON.stringify(log)).not.toContain("WELCOME");
    expect(log[0].requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("validation-errors fault on a PUT with flowJson; apply-then-fail on delete", async () => {
    const c = await call("POST", `${A()}/flows`, { name: "v", categories: ["OTHER"] });
    // A PUT carrying Flow JSON is the neutral action "upload" (8x8 has no asset endpoint).
    emu.addFault({
      operation: "upload",
      action: { kind: "validation-errors", errors: [{ error: "X", error_type: "FLOW_JSON_ERROR", message: "no", line_start: 1 }] },
    });
    const u = await call("PUT", `${A()}/flows/${c.body.id}`, { flowJson: VALID_FLOW_JSON, publish: true });
    expect(u.body.validationErrors).toEqual([{ error: "X", errorType: "FLOW_JSON_ERROR", message: "no", lineStart: 1 }]);
    expect(emu.flow(c.body.id)?.status).toBe("DRAFT");
    emu.addFault({ operation: "delete", action: { kind: "apply-then-fail", status: 500 } });
    expect((await call("DELETE", `${A()}/flows/${c.body.id}`)).status).toBe(500);
    expect(emu.flow(c.body.id)).toBeUndefined();
  });
});

describe("the WhatsApp Flows guide's path /config/v1/channels/whatsapp/{channelId}/flows", () => {
  const G = (w = dev) => `/config/v1/channels/whatsapp/${w.eightByEight.channelId}`;

  test("every operation, in the guide's shapes; the same flows as the OpenAPI path", async () => {
    const c = await call("POST", `${G()}/flows`, { name: "guide", categories: ["SURVEY"], flowJson: VALID_FLOW_JSON });
    expect(c).toMatchObject({
      status: 201,
      body: { id: expect.stringMatching(/^\d+$/), name: "guide", status: "DRAFT", categories: ["SURVEY"], validation_errors: [] },
    });
    const id = c.body.id;
    expect((await call("GET", `${A()}/flows`)).body.flows).toEqual([{ id, name: "guide", status: "DRAFT" }]);
    expect((await call("GET", `${G()}/flows`)).body.flows).toEqual([{ id, name: "guide", status: "DRAFT" }]);
    expect((await call("GET", `${G()}/flows/${id}`)).body).toEqual({
      id,
      name: "guide",
      status: "DRAFT",
      categories: ["SURVEY"],
      validation_errors: [],
      flowJson: VALID_FLOW_JSON,
    });
    const u = await call("PUT", `${G()}/flows/${id}`, { name: "guide2" });
    expect(u).toMatchObject({ status: 200, body: { id, name: "guide2", status: "DRAFT", validation_errors: [] } });
    const p = await call("GET", `${G()}/flows/${id}/preview?refresh=false`);
    expect(p.body).toEqual({ preview_url: expect.stringContaining(`/flows/${id}/preview/`), expires_at: expect.any(String) });
    expect(await call("POST", `${G()}/flows/${id}/publish`)).toMatchObject({
      status: 200,
      body: { id, name: "guide2", status: "PUBLISHED" },
    });
    expect(await call("PUT", `${G()}/flows/${id}`, { name: "x" })).toMatchObject({ status: 409, body: { code: 1000 } });
    expect(await call("POST", `${G()}/flows/${id}/deprecate`)).toMatchObject({ status: 200, body: { id, status: "DEPRECATED" } });

    const draft = await call("POST", `${G()}/flows`, { name: "bad", categories: ["OTHER"], flowJson: INVALID_JSON });
    expect(draft.body.validation_errors[0]).toMatchObject({ error: expect.any(String), line_start: expect.any(Number) });
    const del = await call("DELETE", `${G()}/flows/${draft.body.id}`);
    expect(del).toMatchObject({ status: 204, text: "" });
    expect(emu.flow(draft.body.id)).toBeUndefined();
    expect(emu.requests({ vendor: "8x8" }).map((e) => e.operation)).toContain("DeleteFlow");
  });

  test("the channel alone names the account; unknown channel → 404 code 1300; no key → 401 code 1200", async () => {
    const c = await call("POST", `${G(prod)}/flows`, { name: "p", categories: ["OTHER"] });
    expect(emu.flow(c.body.id)?.wabaId).toBe(prod.id);
    expect(await call("GET", "/config/v1/channels/whatsapp/no-such-channel/flows")).toMatchObject({
      status: 404,
      body: { code: 1300, message: expect.stringContaining("no-such-channel"), errorId: expect.any(String) },
    });
    expect(await call("GET", `${G()}/flows`, undefined, null)).toMatchObject({ status: 401, body: { code: 1200 } });
  });
});
