/**
 * The 360dialog Partner API v2 dialect over real HTTP (undici): every operation, X-API-Key / Bearer
 * auth, the `{meta:{…}}` envelope, closed schemas, multipart upload, `fields`, the refusal of edits of
 * published flows, migrate_flows, faults matched by neutral action.
 */
import { FormData, request } from "undici";
import { ACCOUNT_REFS, DEFAULT_CREDENTIALS, DEFAULT_WABAS, startEmulator, type RunningEmulator } from "./index";
import { VALID_FLOW, VALID_FLOW_JSON } from "./test-helpers";

const KEY = DEFAULT_CREDENTIALS["360dialog"];
const [dev, prod] = DEFAULT_WABAS;
const P = (w = dev) => `/api/v2/partners/${w.dialog360.partnerId}/waba_accounts/${w.dialog360.wabaAccountId}`;
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
  body: any;
}

async function call(
  method: string,
  path: string,
  opts: { json?: unknown; form?: FormData; headers?: Record<string, string>; auth?: boolean } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...(opts.auth === false ? {} : { "x-api-key": KEY }), ...(opts.headers ?? {}) };
  let body: string | FormData | undefined;
  if (opts.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(opts.json);
  } else if (opts.form) body = opts.form;
  const res = await request(`${emu.url}${path}`, { method: method as "GET", headers, body });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

function assetForm(json: string, extra: { name?: string | null; assetType?: string | null } = {}): FormData {
  const f = new FormData();
  f.append("file", new Blob([json], { type: "application/json" }), "flow.json");
  if (extra.name !== null) f.append("name", extra.name ?? "flow.json");
  if (extra.assetType !== null) f.append("asset_type", extra.assetType ?? "FLOW_JSON");
  return f;
}

async function createFlow(name: string, w = dev): Promise<string> {
  const r = await call("POST", `${P(w)}/flows`, { json: { name, categories: ["SIGN_UP"] } });
  expect(r.status).toBe(200);
  return r.body.id;
}
async function upload(id: string, json = VALID_FLOW_JSON, w = dev) {
  return call("POST", `${P(w)}/flows/${id}/assets`, { form: assetForm(json) });
}
async function published(name: string, w = dev): Promise<string> {
  const id = await createFlow(name, w);
  expect((await upload(id, VALID_FLOW_JSON, w)).status).toBe(200);
  expect((await call("POST", `${P(w)}/flows/${id}/publish`)).body).toEqual({ success: true });
  return id;
}

const metaError = (status: number, message: string | RegExp) => ({
  meta: {
    developer_message: typeof message === "string" ? message : expect.stringMatching(message),
    http_code: status,
    success: false,
    "360dialog_trace_id": expect.stringMatching(/^[0-9a-f]{32}$/),
  },
});

describe("account references and ids", () => {
  test("seeded accounts have realistic 360dialog ids under one partner", () => {
    expect(dev.dialog360.partnerId).toMatch(/^[0-9A-Za-z]{6}PA$/);
    expect(dev.dialog360.wabaAccountId).toMatch(/^[0-9A-Za-z]{6}WA$/);
    expect(prod.dialog360.partnerId).toBe(dev.dialog360.partnerId);
    expect(prod.dialog360.wabaAccountId).not.toBe(dev.dialog360.wabaAccountId);
    expect(ACCOUNT_REFS.dev["360dialog"]).toBe(`360dialog:${dev.dialog360.partnerId}/${dev.dialog360.wabaAccountId}`);
    expect(emu.accountRef("360dialog", "prod")).toBe(ACCOUNT_REFS.prod["360dialog"]);
  });
});

describe("happy paths", () => {
  test("create → upload (multipart) → list assets → download → publish → get with fields → preview → deprecate", async () => {
    const created = await call("POST", `${P()}/flows`, { json: { name: "signup", categories: ["SIGN_UP", "OTHER"] } });
    expect(created).toMatchObject({ status: 200, body: { id: expect.stringMatching(/^\d+$/) } });
    expect(Object.keys(created.body)).toEqual(["id"]);
    const id = created.body.id as string;
    expect(emu.flow(id)).toMatchObject({ status: "DRAFT", flowJson: null, wabaId: dev.id });

    expect((await call("GET", `${P()}/flows/${id}/assets`)).body).toEqual({ assets: [], count: 0, total: 0 });
    const up = await upload(id);
    expect(up).toMatchObject({ status: 200, body: { success: true, validation_errors: [] } });
    const assets = await call("GET", `${P()}/flows/${id}/assets`);
    expect(assets.body).toEqual({
      assets: [{ name: "flow.json", asset_type: "FLOW_JSON", download_url: expect.stringContaining(`/_emulator/assets/360dialog/${id}/`) }],
      count: 1,
      total: 1,
    });
    const dl = await request(assets.body.assets[0].download_url);
    expect(await dl.body.text()).toBe(VALID_FLOW_JSON);

    expect((await call("POST", `${P()}/flows/${id}/publish`)).body).toEqual({ success: true });
    const got = await call("GET", `${P()}/flows/${id}`);
    expect(got.body).toEqual({ id, name: "signup", categories: ["SIGN_UP", "OTHER"], validation_errors: [], status: "PUBLISHED" });

    const full = await call(
      "GET",
      `${P()}/flows/${id}?fields=id&fields=json_version&fields=preview&fields=whatsapp_business_account&fields=data_api_version&fields=metric`,
    );
    expect(full.body).toEqual({
      id,
      json_version: "7.3",
      preview: {
        preview_url: expect.stringContaining(`/flows/${id}/preview/`),
        expires_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/),
      },
      whatsapp_business_account: {
        id: dev.metaWabaId,
        name: "dev",
        currency: "USD",
        timezone_id: "1",
        message_template_namespace: expect.any(String),
      },
    });

    const p1 = await call("GET", `${P()}/flows/${id}/preview?invalidate=false`);
    expect(p1.body).toEqual({ id, preview: { preview_url: full.body.preview.preview_url, expires_at: full.body.preview.expires_at } });
    const p2 = await call("GET", `${P()}/flows/${id}/preview?invalidate=true`);
    expect(p2.body.preview.preview_url).not.toBe(p1.body.preview.preview_url);

    expect((await call("POST", `${P()}/flows/${id}/deprecate`)).body).toEqual({ success: true });
    expect(emu.flow(id)?.status).toBe("DEPRECATED");
  });

  test("list: default fields, fields selection (form/explode and comma), count/total, account isolation", async () => {
    const a = await createFlow("a");
    const b = await published("b");
    await createFlow("other", prod);
    const l = await call("GET", `${P()}/flows`);
    expect(l.status).toBe(200);
    expect(l.body.count).toBe(2);
    expect(l.body.total).toBe(2);
    expect(l.body.flows).toEqual([
      { id: a, name: "a", categories: ["SIGN_UP"], validation_errors: [], status: "DRAFT" },
      { id: b, name: "b", categories: ["SIGN_UP"], validation_errors: [], status: "PUBLISHED" },
    ]);
    const sel = await call("GET", `${P()}/flows?fields=id&fields=status`);
    expect(sel.body.flows).toEqual([
      { id: a, status: "DRAFT" },
      { id: b, status: "PUBLISHED" },
    ]);
    expect((await call("GET", `${P()}/flows?fields=name,json_version`)).body.flows).toEqual([
      { name: "a" },
      { name: "b", json_version: "7.3" },
    ]);
    const bad = await call("GET", `${P()}/flows?fields=id&fields=health_status`);
    expect(bad.status).toBe(400);
    expect(bad.body.meta).toMatchObject({
      developer_message: "Wrong payload",
      http_code: 400,
      success: false,
      details: { query: { fields: { "1": [expect.stringMatching(/^Must be one of/)] } } },
    });
  });

  test("PATCH metadata needs name; a draft keeps its status; validation errors have no pointers", async () => {
    const id = await createFlow("meta");
    expect((await call("PATCH", `${P()}/flows/${id}`, { json: { name: "meta2", categories: ["SURVEY"] } })).body).toEqual({
      success: true,
    });
    expect(emu.flow(id)).toMatchObject({ name: "meta2", categories: ["SURVEY"], status: "DRAFT" });
    const noName = await call("PATCH", `${P()}/flows/${id}`, { json: { categories: ["OTHER"] } });
    expect(noName.status).toBe(400);
    expect(noName.body.meta.details).toEqual({ json: { name: ["Missing data for required field."] } });

    const up = await upload(id, INVALID_JSON);
    expect(up.status).toBe(200);
    expect(up.body.success).toBe(true);
    expect(up.body.validation_errors.length).toBeGreaterThan(0);
    for (const e of up.body.validation_errors) {
      expect(
        Object.keys(e).every((k) => ["error", "error_type", "message", "line_start", "line_end", "column_start", "column_end"].includes(k)),
      ).toBe(true);
    }
    const pub = await call("POST", `${P()}/flows/${id}/publish`);
    expect(pub.status).toBe(400);
    expect(pub.body).toEqual({
      meta: {
        ...metaError(400, "Publishing Flow with validation errors").meta,
        details: { code: 139002, message: "Publishing Flow with validation errors" },
      },
    });
  });

  test("delete a draft; a published flow cannot be deleted", async () => {
    const id = await createFlow("gone");
    expect((await call("DELETE", `${P()}/flows/${id}`)).body).toEqual({ success: true });
    expect(emu.flow(id)).toBeUndefined();
    const pub = await published("stays");
    const r = await call("DELETE", `${P()}/flows/${pub}`);
    expect(r.status).toBe(400);
    expect(r.body.meta.developer_message).toBe("Can't delete published Flow");
  });

  test("clone_flow_id copies the JSON into a new draft", async () => {
    const src = await published("src");
    const r = await call("POST", `${P()}/flows`, { json: { name: "copy", categories: ["OTHER"], clone_flow_id: src } });
    expect(r.status).toBe(200);
    expect(emu.flow(r.body.id)).toMatchObject({ status: "DRAFT", flowJson: VALID_FLOW_JSON });
  });
});

describe("published flows are immutable (360dialog's documented rule)", () => {
  test("PATCH and asset upload of a PUBLISHED flow are refused; the flow stays PUBLISHED", async () => {
    const id = await published("live");
    const patch = await call("PATCH", `${P()}/flows/${id}`, { json: { name: "live", categories: ["OTHER"] } });
    expect(patch.status).toBe(400);
    expect(patch.body.meta.developer_message).toMatch(/^Flow can't be updated: the Flow and its assets become immutable once published/);
    expect(patch.body.meta.details).toEqual({ code: 139001, message: "Flow can't be updated" });
    const up = await upload(id, JSON.stringify({ ...VALID_FLOW, version: "7.2" }));
    expect(up.status).toBe(400);
    expect(emu.flow(id)).toMatchObject({ status: "PUBLISHED", categories: ["SIGN_UP"], flowJson: VALID_FLOW_JSON });
  });

  test("THROTTLED / BLOCKED flows refuse too; DEPRECATED ones answer Meta's text", async () => {
    const id = await published("health");
    emu.patchFlow(id, { status: "THROTTLED" });
    expect((await upload(id)).status).toBe(400);
    emu.patchFlow(id, { status: "DEPRECATED" });
    const r = await call("PATCH", `${P()}/flows/${id}`, { json: { name: "x" } });
    expect(r.body.meta.developer_message).toBe("Flow can't be updated");
  });
});

describe("wire validation", () => {
  test("create takes no flow_json and no publish (closed schema); name and categories required; 8 categories", async () => {
    const r = await call("POST", `${P()}/flows`, { json: { name: "x", categories: ["OTHER"], flow_json: VALID_FLOW_JSON, publish: true } });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      meta: { ...metaError(400, "Wrong payload").meta, details: { json: { flow_json: ["Unknown field."], publish: ["Unknown field."] } } },
    });
    const missing = await call("POST", `${P()}/flows`, { json: {} });
    expect(missing.body.meta.details).toEqual({
      json: { name: ["Missing data for required field."], categories: ["Missing data for required field."] },
    });
    const shop = await call("POST", `${P()}/flows`, { json: { name: "x", categories: ["SHOPPING"] } });
    expect(shop.status).toBe(400);
    expect(shop.body.meta.details.json.categories["0"][0]).toMatch(/^Must be one of: SIGN_UP/);
    const notJson = await request(`${emu.url}${P()}/flows`, {
      method: "POST",
      headers: { "x-api-key": KEY, "content-type": "application/json" },
      body: "{",
    });
    expect(notJson.statusCode).toBe(400);
    await notJson.body.dump();
    expect(emu.flows()).toEqual([]);
  });

  test("name clash → 400 with Meta's text and code", async () => {
    await createFlow("dup");
    const r = await call("POST", `${P()}/flows`, { json: { name: "dup", categories: ["OTHER"] } });
    expect(r.status).toBe(400);
    expect(r.body.meta).toMatchObject({ developer_message: "Flow name is not unique", details: { code: 100 } });
  });

  test("multipart: file, name=flow.json and asset_type=FLOW_JSON are all required; a JSON body is refused", async () => {
    const id = await createFlow("mp");
    const noName = await call("POST", `${P()}/flows/${id}/assets`, { form: assetForm(VALID_FLOW_JSON, { name: null }) });
    expect(noName.status).toBe(400);
    expect(noName.body.meta.details).toEqual({ form: { name: ["Missing data for required field."] } });
    const wrong = await call("POST", `${P()}/flows/${id}/assets`, {
      form: assetForm(VALID_FLOW_JSON, { name: "other.json", assetType: "IMAGE" }),
    });
    expect(wrong.body.meta.details).toEqual({
      form: { name: ["Only 'flow.json' is supported."], asset_type: ["Only 'FLOW_JSON' is supported."] },
    });
    const noFile = new FormData();
    noFile.append("name", "flow.json");
    noFile.append("asset_type", "FLOW_JSON");
    expect((await call("POST", `${P()}/flows/${id}/assets`, { form: noFile })).body.meta.details).toEqual({
      files: { file: ["Missing data for required field."] },
    });
    const json = await call("POST", `${P()}/flows/${id}/assets`, { json: { file: VALID_FLOW_JSON } });
    expect(json.status).toBe(400);
    expect(emu.flow(id)?.flowJson).toBeNull();
    // The upload is logged with the file's size and hash, never its content.
    const logged = emu.requests({ operation: "UploadFlowAsset" })[1];
    expect(logged).toMatchObject({
      vendor: "360dialog",
      action: "upload",
      body: { file: { bytes: Buffer.byteLength(VALID_FLOW_JSON), filename: "flow.json" }, asset_type: "IMAGE" },
    });
  });

  test("preview invalidate must be a boolean", async () => {
    const id = await createFlow("pv");
    const r = await call("GET", `${P()}/flows/${id}/preview?invalidate=maybe`);
    expect(r.status).toBe(400);
    expect(r.body.meta.details).toEqual({ query: { invalidate: ["Not a valid boolean."] } });
  });
});

describe("auth and addressing", () => {
  test("missing or wrong key → 401 in the meta envelope; Bearer is accepted too", async () => {
    const none = await call("GET", `${P()}/flows`, { auth: false });
    expect(none.status).toBe(401);
    expect(none.body).toEqual(metaError(401, /^Missing API key/));
    const wrong = await call("GET", `${P()}/flows`, { auth: false, headers: { "x-api-key": "nope" } });
    expect(wrong).toMatchObject({ status: 401, body: metaError(401, "Invalid API key") });
    const bearer = await call("GET", `${P()}/flows`, { auth: false, headers: { authorization: `Bearer ${KEY}` } });
    expect(bearer.status).toBe(200);
    expect(emu.requests({ vendor: "360dialog" }).map((e) => e.status)).toEqual([401, 401, 200]);
  });

  test("configured keys replace the default", async () => {
    const other = await startEmulator({ credentials: { "360dialog": ["k1", "k2"] } });
    try {
      const r1 = await request(`${other.url}${P()}/flows`, { headers: { "x-api-key": "k2" } });
      expect(r1.statusCode).toBe(200);
      await r1.body.dump();
      const r2 = await request(`${other.url}${P()}/flows`, { headers: { "x-api-key": KEY } });
      expect(r2.statusCode).toBe(401);
      await r2.body.dump();
    } finally {
      await other.close();
    }
  });

  test("unknown partner, account, flow → 404 naming it; unknown route → 404", async () => {
    const p = await call("GET", `/api/v2/partners/nopePA/waba_accounts/${dev.dialog360.wabaAccountId}/flows`);
    expect(p).toMatchObject({ status: 404, body: metaError(404, "Partner nopePA not found") });
    const a = await call("GET", `/api/v2/partners/${dev.dialog360.partnerId}/waba_accounts/nopeWA/flows`);
    expect(a.body.meta.developer_message).toBe(`WABA account nopeWA not found for partner ${dev.dialog360.partnerId}`);
    const f = await call("GET", `${P()}/flows/42`);
    expect(f).toMatchObject({ status: 404, body: metaError(404, "Flow with specified ID does not exist") });
    expect(f.body.meta.details).toBeUndefined();
    // A flow of another account is unknown here.
    const theirs = await createFlow("theirs", prod);
    expect((await call("GET", `${P()}/flows/${theirs}`)).status).toBe(404);
    expect((await call("PUT", `${P()}/flows/${theirs}`, { json: {} })).status).toBe(404);
  });
});

describe("migrate_flows", () => {
  test("copies into the destination: published stays published, drafts arrive draft, new ids; a name clash is a failed entry", async () => {
    const live = await published("live");
    const draft = await createFlow("draft");
    await upload(draft);
    await createFlow("clash", prod);
    await createFlow("clash");
    const r = await call("POST", `${P(prod)}/flows/migrate_flows`, { json: { source_waba_account_id: dev.dialog360.wabaAccountId } });
    expect(r.status).toBe(200);
    expect(r.body.failed_flows).toEqual([
      { source_name: "clash", error_code: "4233041", error_message: "Flow with the same name exists in destination WABA" },
    ]);
    expect(r.body.migrated_flows.map((m: Record<string, string>) => [m.source_name, m.source_id])).toEqual([
      ["live", live],
      ["draft", draft],
    ]);
    for (const m of r.body.migrated_flows) {
      expect(m.migrated_id).not.toBe(m.source_id);
      expect(typeof m.migrated_id).toBe("string");
    }
    const copies = emu.flows(prod.id);
    expect(copies.map((f) => [f.name, f.status])).toEqual([
      ["clash", "DRAFT"],
      ["live", "PUBLISHED"],
      ["draft", "DRAFT"],
    ]);
    expect(copies[1].flowJson).toBe(VALID_FLOW_JSON);
    expect(emu.flow(live)?.status).toBe("PUBLISHED");
  });

  test("source_flow_names selects; unknown source account → 404; another partner's account → 403", async () => {
    await published("one");
    await published("two");
    const r = await call("POST", `${P(prod)}/flows/migrate_flows`, {
      json: { source_waba_account_id: dev.dialog360.wabaAccountId, source_flow_names: ["two", "ghost"] },
    });
    expect(r.body.migrated_flows.map((m: Record<string, string>) => m.source_name)).toEqual(["two"]);
    expect(r.body.failed_flows).toEqual([{ source_name: "ghost", error_code: "100", error_message: expect.any(String) }]);
    expect((await call("POST", `${P(prod)}/flows/migrate_flows`, { json: { source_waba_account_id: "nopeWA" } })).status).toBe(404);
    expect((await call("POST", `${P(prod)}/flows/migrate_flows`, { json: {} })).body.meta.details).toEqual({
      json: { source_waba_account_id: ["Missing data for required field."] },
    });

    const split = await startEmulator({ wabas: [{ name: "a" }, { name: "b", dialog360: { partnerId: "otherPA" } }] });
    try {
      const [a, b] = split.wabas;
      const res = await request(`${split.url}${P(a)}/flows/migrate_flows`, {
        method: "POST",
        headers: { "x-api-key": KEY, "content-type": "application/json" },
        body: JSON.stringify({ source_waba_account_id: b.dialog360.wabaAccountId }),
      });
      expect(res.statusCode).toBe(403);
      expect(((await res.body.json()) as { meta: { http_code: number } }).meta.http_code).toBe(403);
    } finally {
      await split.close();
    }
  });
});

describe("faults and log", () => {
  test("a rule on the neutral action 'create' fails the 360dialog create in its envelope; throttle sends Retry-After", async () => {
    emu.addFault({ operation: "create", action: { kind: "error", status: 500 } });
    const r = await call("POST", `${P()}/flows`, { json: { name: "f", categories: ["OTHER"] } });
    expect(r).toMatchObject({ status: 500, body: metaError(500, "Internal server error") });
    expect(emu.flows()).toEqual([]);
    emu.addFault({ vendor: "360dialog", operation: "list", action: { kind: "throttle", retryAfterSeconds: 3 } });
    const t = await call("GET", `${P()}/flows`);
    expect(t.status).toBe(429);
    expect(t.headers["retry-after"]).toBe("3");
    const log = emu.requests({ vendor: "360dialog" });
    expect(log.map((e) => [e.operation, e.action, e.status, e.fault])).toEqual([
      ["CreateFlow", "create", 500, "error"],
      ["ListFlows", "list", 429, "throttle"],
    ]);
    expect(log[0].requestId).toMatch(/^[0-9a-f]{32}$/);
  });

  test("validation-errors fault on the upload; apply-then-fail on publish", async () => {
    const id = await createFlow("v");
    emu.addFault({
      operation: "upload",
      action: {
        kind: "validation-errors",
        errors: [
          {
            error: "X",
            error_type: "FLOW_JSON_ERROR",
            message: "meta says no",
            line_start: 1,
            line_end: 1,
            column_start: 1,
            column_end: 1,
            pointers: [],
          },
        ],
      },
    });
    const up = await upload(id);
    expect(up.body.validation_errors).toEqual([
      { error: "X", error_type: "FLOW_JSON_ERROR", message: "meta says no", line_start: 1, line_end: 1, column_start: 1, column_end: 1 },
    ]);
    await upload(id);
    emu.addFault({ operation: "PublishFlow", action: { kind: "apply-then-fail", status: 502 } });
    expect((await call("POST", `${P()}/flows/${id}/publish`)).status).toBe(502);
    expect(emu.flow(id)?.status).toBe("PUBLISHED");
  });
});
