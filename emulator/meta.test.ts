/**
 * The Meta Graph dialect over real HTTP (undici): every Flows API operation, Bearer / access_token
 * auth (190 on failure), the Graph error envelope and codes, `fields` selection with modifiers and
 * sub-selections, cursor paging, multipart upload, re-draft of published new-style flows vs 139001
 * for legacy flows, health_status, migrate_flows, faults matched by neutral action.
 */
import { FormData, request } from "undici";
import { DEFAULT_GRAPH_VERSION } from "../provider/backends/meta";
import { GRAPH_VERSION_EXPIRY, oldestGraphVersionAt } from "./dialects/graph";
import {
  ACCOUNT_REFS,
  DEFAULT_CREDENTIALS,
  DEFAULT_WABAS,
  DEV_META_WABA_ID,
  PROD_META_WABA_ID,
  startEmulator,
  type RunningEmulator,
} from "./index";
import { VALID_FLOW, VALID_FLOW_JSON } from "./test-helpers";

const TOKEN = DEFAULT_CREDENTIALS.meta;
const V = "/v23.0";
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

async function graph(
  method: string,
  path: string,
  opts: { json?: unknown; form?: FormData; urlencoded?: Record<string, string>; token?: string | null } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (opts.token !== null) headers.authorization = `Bearer ${opts.token ?? TOKEN}`;
  let body: string | FormData | undefined;
  if (opts.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(opts.json);
  } else if (opts.urlencoded) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(opts.urlencoded).toString();
  } else if (opts.form) body = opts.form;
  const res = await request(`${emu.url}${path.startsWith("/v") ? path : V + path}`, { method: method as "GET", headers, body });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

const graphError = (code: number, message: string | RegExp, extra: Record<string, unknown> = {}) => ({
  error: {
    message: typeof message === "string" ? message : expect.stringMatching(message),
    type: expect.any(String),
    code,
    ...extra,
    fbtrace_id: expect.stringMatching(/^[A-Za-z0-9]{12}$/),
  },
});

/** A Flows business error as Graph sends it: a short `message`, the documented condition in `error_user_title`. */
const flowError = (code: number, title: string, extra: Record<string, unknown> = {}) => ({
  error: {
    message: code === 100 ? "Invalid parameter" : expect.stringMatching(new RegExp(`^\\(#${code}\\) Flow \\w+ error$`)),
    type: "OAuthException",
    code,
    ...extra,
    is_transient: false,
    error_user_title: title,
    error_user_msg: expect.any(String),
    fbtrace_id: expect.stringMatching(/^[A-Za-z0-9]{12}$/),
  },
});

function assetForm(json: string, name = "flow.json", assetType = "FLOW_JSON"): FormData {
  const f = new FormData();
  f.append("file", new Blob([json], { type: "application/json" }), "flow.json");
  f.append("name", name);
  f.append("asset_type", assetType);
  return f;
}

async function create(name: string, extra: Record<string, unknown> = {}, waba = DEV_META_WABA_ID): Promise<string> {
  const r = await graph("POST", `/${waba}/flows`, { json: { name, categories: ["SIGN_UP"], ...extra } });
  expect(r.status).toBe(200);
  return r.body.id;
}
const published = (name: string) => create(name, { flow_json: VALID_FLOW_JSON, publish: true });

describe("account references", () => {
  test("meta:<WABA id>", () => {
    expect(ACCOUNT_REFS.dev.meta).toBe(`meta:${DEV_META_WABA_ID}`);
    expect(ACCOUNT_REFS.prod.meta).toBe("meta:100000000000002");
    expect(emu.accountRef("meta", "prod")).toBe(`meta:${PROD_META_WABA_ID}`);
  });
});

describe("happy paths", () => {
  test("create → upload (multipart) → assets → download → publish → get (fields) → preview → deprecate", async () => {
    const c = await graph("POST", `/${DEV_META_WABA_ID}/flows`, { json: { name: "signup", categories: ["SIGN_UP"] } });
    expect(c).toMatchObject({ status: 200, body: { id: expect.stringMatching(/^\d+$/), success: true } });
    expect(c.body.validation_errors).toBeUndefined();
    const id = c.body.id;
    expect((await graph("GET", `/${id}/assets`)).body).toEqual({ data: [] });
    const up = await graph("POST", `/${id}/assets`, { form: assetForm(VALID_FLOW_JSON) });
    expect(up.body).toEqual({ success: true, validation_errors: [] });
    const assets = await graph("GET", `/${id}/assets`);
    expect(assets.body).toEqual({
      data: [{ name: "flow.json", asset_type: "FLOW_JSON", download_url: expect.stringContaining(`/_emulator/assets/meta/${id}/`) }],
      paging: { cursors: { before: expect.any(String), after: expect.any(String) } },
    });
    expect(await (await request(assets.body.data[0].download_url)).body.text()).toBe(VALID_FLOW_JSON);

    // The connected app (application_id on a metadata update) (set while a draft: an edit re-drafts a published flow) is what `application` reports.
    expect((await graph("POST", `/${id}`, { json: { application_id: "900000000000042" } })).body).toEqual({ success: true });
    expect((await graph("POST", `/${id}/publish`)).body).toEqual({ success: true });
    const g = await graph("GET", `/${id}`);
    expect(g.body).toEqual({ id, name: "signup", status: "PUBLISHED", categories: ["SIGN_UP"], validation_errors: [] });

    const full = await graph(
      "GET",
      `/${id}?fields=json_version,data_api_version,health_status,whatsapp_business_account{id,name},application,preview`,
    );
    expect(full.body).toEqual({
      json_version: "7.3",
      health_status: {
        can_send_message: "AVAILABLE",
        entities: [
          { entity_type: "FLOW", id, can_send_message: "AVAILABLE" },
          { entity_type: "WABA", id: DEV_META_WABA_ID, can_send_message: "AVAILABLE" },
          { entity_type: "BUSINESS", id: expect.any(String), can_send_message: "AVAILABLE" },
          { entity_type: "APP", id: expect.any(String), can_send_message: "AVAILABLE" },
        ],
      },
      whatsapp_business_account: { id: DEV_META_WABA_ID, name: "dev" },
      application: { link: expect.stringContaining("developers.facebook.com"), name: expect.any(String), id: "900000000000042" },
      preview: { preview_url: expect.stringContaining(`/flows/${id}/preview/`), expires_at: expect.stringMatching(/\+0000$/) },
      id,
    });

    const p1 = await graph("GET", `/${id}?fields=preview.invalidate(false)`);
    expect(p1.body).toEqual({ preview: full.body.preview, id });
    const p2 = await graph("GET", `/${id}?fields=preview.invalidate(true)`);
    expect(p2.body.preview.preview_url).not.toBe(p1.body.preview.preview_url);
    expect(emu.requests({ operation: "preview" }).map((e) => e.operation)).toEqual(["GetFlowPreview", "GetFlowPreview"]);

    expect((await graph("POST", `/${id}/deprecate`)).body).toEqual({ success: true });
    expect((await graph("GET", `/${id}?fields=status,health_status{can_send_message}`)).body).toEqual({
      status: "DEPRECATED",
      health_status: { can_send_message: "BLOCKED" },
      id,
    });
  });

  test("create with flow_json + publish; invalid JSON creates a DRAFT with validation_errors; clone_flow_id", async () => {
    const c = await graph("POST", `/${DEV_META_WABA_ID}/flows`, {
      json: { name: "one", categories: ["OTHER"], flow_json: VALID_FLOW_JSON, publish: true },
    });
    expect(c.body).toEqual({ id: expect.any(String), success: true, validation_errors: [] });
    expect(emu.flow(c.body.id)?.status).toBe("PUBLISHED");
    const bad = await graph("POST", `/${DEV_META_WABA_ID}/flows`, {
      json: { name: "bad", categories: ["OTHER"], flow_json: INVALID_JSON, publish: true },
    });
    expect(bad.status).toBe(200);
    expect(bad.body.validation_errors[0]).toMatchObject({
      error: expect.any(String),
      error_type: expect.any(String),
      message: expect.any(String),
      line_start: expect.any(Number),
    });
    expect(emu.flow(bad.body.id)?.status).toBe("DRAFT");
    const h = await graph("GET", `/${bad.body.id}?fields=health_status`);
    expect(h.body.health_status.entities[0]).toMatchObject({
      can_send_message: "BLOCKED",
      errors: [{ error_code: 139002, error_description: expect.any(String), possible_solution: expect.any(String) }],
    });
    expect(await graph("POST", `/${bad.body.id}/publish`)).toMatchObject({
      status: 400,
      body: flowError(139002, "Publishing Flow with validation errors"),
    });
    const clone = await graph("POST", `/${DEV_META_WABA_ID}/flows`, {
      json: { name: "clone", categories: ["OTHER"], clone_flow_id: c.body.id },
    });
    expect(emu.flow(clone.body.id)).toMatchObject({ status: "DRAFT", flowJson: VALID_FLOW_JSON });
    // Form-encoded parameters (arrays as JSON text) and access_token in the query work too.
    const form = await graph("POST", `/${DEV_META_WABA_ID}/flows?access_token=${TOKEN}`, {
      token: null,
      urlencoded: { name: "form", categories: '["SURVEY","OTHER"]', publish: "false" },
    });
    expect(form.status).toBe(200);
    expect(emu.flow(form.body.id)).toMatchObject({ categories: ["SURVEY", "OTHER"], status: "DRAFT" });
    expect(emu.requests({ operation: "CreateFlow" })[0].body).toMatchObject({ flow_json: { bytes: Buffer.byteLength(VALID_FLOW_JSON) } });
  });

  test("update metadata of a draft; delete a draft; any vNN.N version inside the window", async () => {
    const id = await create("d");
    expect((await graph("POST", `/${id}`, { json: { name: "d2", categories: ["SURVEY"] } })).body).toEqual({ success: true });
    expect(emu.flow(id)).toMatchObject({ name: "d2", categories: ["SURVEY"], status: "DRAFT" });
    expect((await graph("GET", `/v25.0/${id}?fields=name`)).body).toEqual({ name: "d2", id });
    expect((await graph("DELETE", `/v99.9/${id}`)).body).toEqual({ success: true });
    expect(emu.flow(id)).toBeUndefined();
  });
});

describe("editing published flows", () => {
  test("new-style flows: metadata and JSON edits succeed, same id, back to DRAFT, re-publishable", async () => {
    const id = await published("live");
    expect((await graph("POST", `/${id}`, { json: { categories: ["SURVEY"] } })).body).toEqual({ success: true });
    expect(emu.flow(id)).toMatchObject({ status: "DRAFT", categories: ["SURVEY"] });
    await graph("POST", `/${id}/publish`);
    const v2 = JSON.stringify({ ...VALID_FLOW, version: "7.2" });
    expect((await graph("POST", `/${id}/assets`, { form: assetForm(v2) })).body).toEqual({ success: true, validation_errors: [] });
    expect(emu.flow(id)).toMatchObject({ status: "DRAFT", flowJson: v2 });
    await graph("POST", `/${id}/publish`);
    expect(emu.flow(id)?.status).toBe("PUBLISHED");
  });

  test("legacy flows (admin switch): edits of the published flow answer 139001 'Flow can't be updated'", async () => {
    const id = await published("old");
    emu.patchFlow(id, { legacy: true });
    expect(await graph("POST", `/${id}`, { json: { name: "old2" } })).toMatchObject({
      status: 400,
      body: flowError(139001, "Flow can't be updated"),
    });
    expect(await graph("POST", `/${id}/assets`, { form: assetForm(VALID_FLOW_JSON) })).toMatchObject({
      status: 400,
      body: flowError(139001, "Flow can't be updated"),
    });
    expect(emu.flow(id)).toMatchObject({ status: "PUBLISHED", name: "old", legacy: true });
    // The replacement path still works: clone, publish, deprecate the old one.
    const c = await graph("POST", `/${DEV_META_WABA_ID}/flows`, {
      json: { name: "old-v2", categories: ["OTHER"], clone_flow_id: id, publish: true },
    });
    expect(c.status).toBe(200);
    expect((await graph("POST", `/${id}/deprecate`)).body).toEqual({ success: true });
    // The same switch over the admin HTTP API.
    const other = await published("old-http");
    const r = await request(`${emu.url}/_emulator/flows/${other}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ legacy: true }),
    });
    expect(((await r.body.json()) as { legacy: boolean }).legacy).toBe(true);
    expect((await graph("POST", `/${other}`, { json: { name: "x" } })).body.error.code).toBe(139001);
    // On the other dialects a legacy flow refuses too (AWS: InvalidParametersException with the same text).
    const aws = await request(`${emu.url}/v1/whatsapp/flow/update`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: DEFAULT_WABAS[0].id, flowId: other, flowName: "y" }),
    });
    expect(aws.statusCode).toBe(400);
    expect(await aws.body.json()).toEqual({ message: "Flow can't be updated" });
  });

  test("lifecycle refusals carry Meta's codes: 139002, 139003, 139004, 100; DEPRECATED can't be updated", async () => {
    const id = await published("p");
    expect(await graph("POST", `/${id}/publish`)).toMatchObject({
      status: 400,
      body: flowError(139002, "Publishing Flow in invalid state"),
    });
    expect(await graph("DELETE", `/${id}`)).toMatchObject({ status: 400, body: flowError(139004, "Can't delete published Flow") });
    const d = await create("d");
    expect(await graph("POST", `/${d}/deprecate`)).toMatchObject({ body: flowError(139003, "Can't deprecate unpublished flow") });
    await graph("POST", `/${id}/deprecate`);
    expect(await graph("POST", `/${id}/deprecate`)).toMatchObject({ body: flowError(139003, "Flow is already deprecated") });
    expect(await graph("POST", `/${id}`, { json: { name: "z" } })).toMatchObject({ body: flowError(139001, "Flow can't be updated") });
    expect(await graph("POST", `/${DEV_META_WABA_ID}/flows`, { json: { name: "d", categories: ["OTHER"] } })).toMatchObject({
      status: 400,
      body: flowError(100, "Flow name is not unique"),
    });
    expect(
      await graph("POST", `/${DEV_META_WABA_ID}/flows`, { json: { name: "c", categories: ["OTHER"], clone_flow_id: "1" } }),
    ).toMatchObject({ body: flowError(100, "Flow with specified ID does not exist") });
  });
});

describe("fields, paging, errors", () => {
  test("cursor paging: limit, after, before; paging.next only while more pages exist", async () => {
    const ids: string[] = [];
    for (const n of ["a", "b", "c", "d", "e"]) ids.push(await create(n));
    await create("other", {}, PROD_META_WABA_ID);
    const p1 = await graph("GET", `/${DEV_META_WABA_ID}/flows?limit=2&fields=name`);
    expect(p1.body.data).toEqual([
      { name: "a", id: ids[0] },
      { name: "b", id: ids[1] },
    ]);
    expect(p1.body.paging).toEqual({
      cursors: { before: expect.any(String), after: expect.any(String) },
      next: expect.stringContaining("after="),
    });
    const next = new URL(p1.body.paging.next);
    expect(next.searchParams.get("limit")).toBe("2");
    expect(next.searchParams.get("fields")).toBe("name");
    const p2 = await graph("GET", next.pathname + next.search);
    expect(p2.body.data.map((f: { name: string }) => f.name)).toEqual(["c", "d"]);
    expect(p2.body.paging.previous).toContain("before=");
    const p3 = await graph("GET", `${next.pathname}?limit=2&after=${p2.body.paging.cursors.after}`);
    expect(p3.body.data.map((f: { name: string }) => f.name)).toEqual(["e"]);
    expect(p3.body.paging.next).toBeUndefined();
    expect(p3.body.paging.cursors).toBeDefined();
    const back = await graph("GET", `/${DEV_META_WABA_ID}/flows?limit=2&before=${p3.body.paging.cursors.before}&fields=name`);
    expect(back.body.data.map((f: { name: string }) => f.name)).toEqual(["c", "d"]);
    const all = await graph("GET", `/${DEV_META_WABA_ID}/flows`);
    expect(all.body.data[0]).toEqual({ id: ids[0], name: "a", status: "DRAFT", categories: ["SIGN_UP"], validation_errors: [] });
    expect(all.body.paging.next).toBeUndefined();
    expect(await graph("GET", `/${DEV_META_WABA_ID}/flows?after=garbage`)).toMatchObject({
      status: 400,
      body: graphError(100, "(#100) Invalid cursor"),
    });
    // A cursor of another WABA is refused.
    const prod = await graph("GET", `/${PROD_META_WABA_ID}/flows`);
    expect((await graph("GET", `/${DEV_META_WABA_ID}/flows?after=${prod.body.paging.cursors.after}`)).status).toBe(400);
  });

  test("unknown field, bad syntax, unknown object, unknown edge", async () => {
    const id = await create("f");
    expect(await graph("GET", `/${id}?fields=name,bogus`)).toMatchObject({
      status: 400,
      body: graphError(100, /^\(#100\) Tried accessing nonexisting field \(bogus\)/),
    });
    expect((await graph("GET", `/${id}?fields=name{`)).status).toBe(400);
    expect(await graph("GET", `/42`)).toMatchObject({
      status: 400,
      body: graphError(100, /^Unsupported get request\. Object with ID '42' does not exist/, { error_subcode: 33 }),
    });
    expect((await graph("GET", `/42`)).body.error.type).toBe("GraphMethodException");
    expect(await graph("GET", `/${id}/nope`)).toMatchObject({ status: 400, body: graphError(2500, "Unknown path components: /nope") });
    expect((await graph("POST", `/${DEV_META_WABA_ID}`, { json: {} })).body.error.code).toBe(100);
  });

  test("parameter validation: name and categories required, 8 categories, flow_json a string, multipart fields", async () => {
    const w = `/${DEV_META_WABA_ID}/flows`;
    expect(await graph("POST", w, { json: { categories: ["OTHER"] } })).toMatchObject({
      body: graphError(100, "(#100) The parameter name is required"),
    });
    expect(await graph("POST", w, { json: { name: "x" } })).toMatchObject({
      body: graphError(100, "(#100) The parameter categories is required"),
    });
    expect(await graph("POST", w, { json: { name: "x", categories: ["SHOPPING"] } })).toMatchObject({
      body: graphError(100, /categories\[0\] must be one of/),
    });
    expect(await graph("POST", w, { json: { name: "x", categories: ["OTHER"], flow_json: VALID_FLOW } })).toMatchObject({
      body: graphError(100, /flow_json must be a JSON string/),
    });
    const id = await create("mp");
    expect(await graph("POST", `/${id}/assets`, { form: assetForm(VALID_FLOW_JSON, "other.json") })).toMatchObject({
      body: graphError(100, /Param name must be one of \{flow\.json\}/),
    });
    expect(await graph("POST", `/${id}/assets`, { form: assetForm(VALID_FLOW_JSON, "flow.json", "IMAGE") })).toMatchObject({
      body: graphError(100, /asset_type/),
    });
    expect(await graph("POST", `/${id}/assets`, { json: { name: "flow.json", asset_type: "FLOW_JSON" } })).toMatchObject({
      body: graphError(100, "(#100) The parameter file is required"),
    });
    expect(emu.flow(id)?.flowJson).toBeNull();
  });

  test("auth: no token or a wrong one → 190 OAuthException, HTTP 401; configured tokens", async () => {
    const id = await create("a");
    const none = await graph("GET", `/${id}`, { token: null });
    expect(none).toMatchObject({ status: 401, body: graphError(190, "An access token is required to request this resource.") });
    expect(none.body.error.type).toBe("OAuthException");
    expect(none.headers["www-authenticate"]).toContain("invalid_token");
    expect(await graph("GET", `/${id}`, { token: "wrong" })).toMatchObject({
      status: 401,
      body: graphError(190, "Invalid OAuth access token - Cannot parse access token"),
    });
    expect((await graph("GET", `/${id}?access_token=${TOKEN}`, { token: null })).status).toBe(200);
    // Auth comes before object lookup.
    expect((await graph("GET", `/42`, { token: null })).body.error.code).toBe(190);
    const other = await startEmulator({ credentials: { meta: ["t1"] } });
    try {
      const r = await request(`${other.url}${V}/${DEV_META_WABA_ID}/flows`, { headers: { authorization: "Bearer t1" } });
      expect(r.statusCode).toBe(200);
      await r.body.dump();
    } finally {
      await other.close();
    }
  });
});

describe("health_status per Meta's rule", () => {
  test("THROTTLED → LIMITED with additional_info; BLOCKED → BLOCKED with errors", async () => {
    const id = await published("h");
    emu.patchFlow(id, { status: "THROTTLED" });
    const t = await graph("GET", `/${id}?fields=health_status`);
    expect(t.body.health_status.can_send_message).toBe("LIMITED");
    expect(t.body.health_status.entities[0]).toMatchObject({
      entity_type: "FLOW",
      can_send_message: "LIMITED",
      additional_info: [expect.any(String)],
    });
    emu.patchFlow(id, { status: "BLOCKED" });
    const b = await graph("GET", `/${id}?fields=health_status.phone_number(200000000000001){can_send_message}`);
    expect(b.body.health_status).toEqual({ can_send_message: "BLOCKED" });
  });
});

describe("migrate_flows", () => {
  test("POST /{dest}/migrate_flows?source_waba_id=&source_flow_names=[…]", async () => {
    const live = await published("live");
    await create("draft", { flow_json: VALID_FLOW_JSON });
    await create("live", {}, PROD_META_WABA_ID);
    const names = encodeURIComponent(JSON.stringify(["live", "draft"]));
    const r = await graph("POST", `/${PROD_META_WABA_ID}/migrate_flows?source_waba_id=${DEV_META_WABA_ID}&source_flow_names=${names}`);
    expect(r.status).toBe(200);
    expect(r.body.failed_flows).toEqual([
      { source_name: "live", error_code: "4233041", error_message: "Flow with the same name exists in destination WABA" },
    ]);
    expect(r.body.migrated_flows).toEqual([{ source_name: "draft", source_id: expect.any(String), migrated_id: expect.any(String) }]);
    expect(emu.flow(r.body.migrated_flows[0].migrated_id)).toMatchObject({ status: "DRAFT", wabaId: DEFAULT_WABAS[1].id });
    // Without names: every flow; published stays published.
    emu.deleteFlow(emu.flows(DEFAULT_WABAS[1].id).find((f) => f.name === "live")!.flowId);
    const all = await graph("POST", `/${PROD_META_WABA_ID}/migrate_flows`, { json: { source_waba_id: DEV_META_WABA_ID } });
    const liveCopy = all.body.migrated_flows.find((m: { source_name: string }) => m.source_name === "live");
    expect(liveCopy.source_id).toBe(live);
    expect(emu.flow(liveCopy.migrated_id)?.status).toBe("PUBLISHED");
    expect(await graph("POST", `/${PROD_META_WABA_ID}/migrate_flows`)).toMatchObject({
      body: graphError(100, "(#100) The parameter source_waba_id is required"),
    });
  });
});

describe("faults and log", () => {
  test("one neutral rule fails the create on every vendor, each in its own envelope", async () => {
    const [dev] = DEFAULT_WABAS;
    emu.addFault({ operation: "create", times: 4, action: { kind: "error", status: 500 } });
    const meta = await graph("POST", `/${DEV_META_WABA_ID}/flows`, { json: { name: "x", categories: ["OTHER"] } });
    expect(meta).toMatchObject({ status: 500, body: graphError(1, "An unknown error occurred") });
    const aws = await request(`${emu.url}/v1/whatsapp/flow/create`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: dev.id, flowName: "x", categories: ["OTHER"] }),
    });
    expect(aws.statusCode).toBe(500);
    expect(aws.headers["x-amzn-errortype"]).toBe("InternalServiceException");
    await aws.body.dump();
    const d360 = await request(`${emu.url}/api/v2/partners/${dev.dialog360.partnerId}/waba_accounts/${dev.dialog360.wabaAccountId}/flows`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": DEFAULT_CREDENTIALS["360dialog"] },
      body: JSON.stringify({ name: "x", categories: ["OTHER"] }),
    });
    expect(((await d360.body.json()) as { meta: { http_code: number } }).meta.http_code).toBe(500);
    const x8 = await request(`${emu.url}/api/v1/accounts/${dev.eightByEight.accountId}/channels/${dev.eightByEight.channelId}/flows`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${DEFAULT_CREDENTIALS["8x8"]}` },
      body: JSON.stringify({ name: "x", categories: ["OTHER"] }),
    });
    expect(((await x8.body.json()) as { code: number }).code).toBe(2000);
    expect(emu.flows()).toEqual([]);
    expect(emu.requests({ action: "create" }).map((e) => [e.vendor, e.status, e.fault])).toEqual([
      ["meta", 500, "error"],
      ["aws", 500, "error"],
      ["360dialog", 500, "error"],
      ["8x8", 500, "error"],
    ]);
  });

  test("custom Graph code/subcode (139001 'Error while processing Flow JSON'); throttle 429 + Retry-After; log", async () => {
    const id = await create("f");
    emu.addFault({
      vendor: "meta",
      operation: "upload",
      action: { kind: "error", status: 400, code: 139001, subcode: 4016012, message: "Error while processing Flow JSON" },
    });
    const up = await graph("POST", `/${id}/assets`, { form: assetForm(VALID_FLOW_JSON) });
    expect(up).toMatchObject({ status: 400, body: flowError(139001, "Error while processing Flow JSON", { error_subcode: 4016012 }) });
    expect((await graph("POST", `/${id}/assets`, { form: assetForm(VALID_FLOW_JSON) })).status).toBe(200);
    emu.addFault({ operation: "ListFlows", vendor: "meta", action: { kind: "throttle", retryAfterSeconds: 7 } });
    const t = await graph("GET", `/${DEV_META_WABA_ID}/flows`);
    expect(t).toMatchObject({ status: 429, body: graphError(80007, /Rate limit/) });
    expect(t.headers["retry-after"]).toBe("7");
    const log = emu.requests({ vendor: "meta" });
    expect(log.map((e) => [e.operation, e.action, e.status, e.errorType])).toEqual([
      ["CreateFlow", "create", 200, undefined],
      ["UploadFlowAsset", "upload", 400, "139001"],
      ["UploadFlowAsset", "upload", 200, undefined],
      ["ListFlows", "list", 429, "80007"],
    ]);
    expect(log[2].body).toMatchObject({
      file: { bytes: Buffer.byteLength(VALID_FLOW_JSON), filename: "flow.json" },
      name: "flow.json",
      asset_type: "FLOW_JSON",
    });
    expect(log[1].requestId).toBe(up.body.error.fbtrace_id);
  });
});

describe("Graph conventions real clients use", () => {
  /** A raw request: exact method, headers and body, nothing added. */
  async function raw(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
    const res = await request(`${emu.url}${V}${path}`, { method: method as "GET", headers, body });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }
  const auth = { authorization: `Bearer ${TOKEN}` };

  test("method= override: POST ?method=delete deletes, ?method=get reads, a body field works too, junk is refused", async () => {
    const id = await create("m");
    const read = await graph("POST", `/${id}?method=get&fields=name,status`);
    expect(read.body).toEqual({ name: "m", status: "DRAFT", id });
    expect(emu.flow(id)?.name).toBe("m"); // not taken as a metadata update
    expect(emu.requests({ operation: "GetFlow" })).toHaveLength(1);

    const del = await graph("POST", `/${id}?method=delete`);
    expect(del).toMatchObject({ status: 200, body: { success: true } });
    expect(emu.flow(id)).toBeUndefined();
    expect(emu.requests({ action: "delete" }).map((e) => [e.operation, e.method])).toEqual([["DeleteFlow", "POST"]]);

    const pub = await published("p");
    // A published flow cannot be deleted: the override reaches the real lifecycle rule.
    expect(await graph("POST", `/${pub}`, { urlencoded: { method: "DELETE" } })).toMatchObject({
      status: 400,
      body: flowError(139004, "Can't delete published Flow"),
    });
    expect(emu.flow(pub)?.status).toBe("PUBLISHED");
    expect(await graph("POST", `/${pub}?method=put`, { json: { name: "x" } })).toMatchObject({
      status: 400,
      body: graphError(100, /Param method must be one of/),
    });
    expect(emu.flow(pub)?.name).toBe("p");
  });

  test("array parameters: PHP categories[0]=…, Ruby categories[]=…, JSON-array text, in the query, a form and multipart", async () => {
    const php = await raw(
      "POST",
      `/${DEV_META_WABA_ID}/flows`,
      { ...auth, "content-type": "application/x-www-form-urlencoded" },
      "name=php&categories%5B1%5D=OTHER&categories%5B0%5D=SURVEY",
    );
    expect(php.status).toBe(200);
    expect(emu.flow(php.body.id)?.categories).toEqual(["SURVEY", "OTHER"]);

    const ruby = await raw("POST", `/${DEV_META_WABA_ID}/flows?name=ruby&categories[]=SIGN_UP&categories[]=SIGN_IN`, auth);
    expect(ruby.status).toBe(200);
    expect(emu.flow(ruby.body.id)?.categories).toEqual(["SIGN_UP", "SIGN_IN"]);

    const jsonText = await graph("POST", `/${DEV_META_WABA_ID}/flows`, { urlencoded: { name: "jt", categories: '["CONTACT_US"]' } });
    expect(emu.flow(jsonText.body.id)?.categories).toEqual(["CONTACT_US"]);

    const form = new FormData();
    form.append("name", "mp");
    form.append("categories[]", "LEAD_GENERATION");
    form.append("categories[]", "OTHER");
    const mp = await graph("POST", `/${DEV_META_WABA_ID}/flows`, { form });
    expect(mp.status).toBe(200);
    expect(emu.flow(mp.body.id)?.categories).toEqual(["LEAD_GENERATION", "OTHER"]);

    // Updates take both forms too; a bad element is named by its index.
    expect((await raw("POST", `/${mp.body.id}?categories[0]=SURVEY`, auth)).body).toEqual({ success: true });
    expect(emu.flow(mp.body.id)?.categories).toEqual(["SURVEY"]);
    expect(await raw("POST", `/${mp.body.id}?categories[]=SURVEY&categories[]=NOPE`, auth)).toMatchObject({
      status: 400,
      body: graphError(100, /categories\[1\] must be one of/),
    });
  });

  test("a form-encoded body sent without a Content-Type is read as form fields (a JSON object still as JSON)", async () => {
    const body = new URLSearchParams({ name: "noct", categories: '["SURVEY"]', access_token: TOKEN }).toString();
    const r = await raw("POST", `/${DEV_META_WABA_ID}/flows`, {}, body);
    expect(r).toMatchObject({ status: 200, body: { id: expect.any(String), success: true } });
    expect(emu.flow(r.body.id)).toMatchObject({ name: "noct", categories: ["SURVEY"] });
    expect(emu.requests({ operation: "CreateFlow" })[0].body).toEqual({
      name: "noct",
      categories: '["SURVEY"]',
      access_token: "<redacted>",
    });

    const asJson = await raw("POST", `/${r.body.id}`, auth, JSON.stringify({ name: "noct2" }));
    expect(asJson.body).toEqual({ success: true });
    expect(emu.flow(r.body.id)?.name).toBe("noct2");
  });

  test("access_token in the query, a form, JSON or multipart never appears in the request log or a paging link", async () => {
    const secret = TOKEN;
    await raw("POST", `/${DEV_META_WABA_ID}/flows?access_token=${secret}&name=q1&categories=["OTHER"]`, {});
    await raw(
      "POST",
      `/${DEV_META_WABA_ID}/flows?name=q2&categories=["OTHER"]`,
      { "content-type": "application/json" },
      JSON.stringify({ access_token: secret }),
    );
    const form = new FormData();
    form.append("access_token", secret);
    form.append("name", "q3");
    form.append("categories", '["OTHER"]');
    expect((await graph("POST", `/${DEV_META_WABA_ID}/flows`, { form, token: null })).status).toBe(200);
    expect(emu.flows(DEV_META_WABA_ID)).toHaveLength(3);
    // A wrong token in the query is not echoed either.
    expect((await raw("GET", `/${DEV_META_WABA_ID}/flows?access_token=wrong-secret-token`, {})).status).toBe(401);
    const page = await raw("GET", `/${DEV_META_WABA_ID}/flows?limit=1&access_token=${secret}`, {});
    expect(page.body.paging.next).toEqual(expect.stringContaining("after="));
    expect(page.body.paging.next).not.toContain("access_token");

    const log = JSON.stringify(emu.requests());
    expect(log).not.toContain(secret);
    expect(log).not.toContain("wrong-secret-token");
    expect(emu.requests({ operation: "ListFlows" })[0].query).toEqual({ access_token: "<redacted>" });
    const admin = await request(`${emu.url}/_emulator/requests`);
    expect(await admin.body.text()).not.toContain(secret);
  });
});

describe("Graph version window", () => {
  test("a version past Meta's end-of-life date is refused with 2635 before anything else; the window follows the clock", async () => {
    expect(oldestGraphVersionAt(Date.parse("2026-12-06T00:00:00Z"))).toBe("v21.0");
    expect(oldestGraphVersionAt(Date.parse("2027-01-21T00:00:00Z"))).toBe("v22.0");
    const old = await graph("POST", `/v20.0/${DEV_META_WABA_ID}/flows`, { json: { name: "old", categories: ["OTHER"] } });
    expect(old).toMatchObject({
      status: 400,
      body: graphError(
        2635,
        /^\(#2635\) You are calling a deprecated version of the Ads API\. Please update to the latest version: v\d+\.0\.$/,
        {
          type: "OAuthException",
        },
      ),
    });
    expect(emu.flows(DEV_META_WABA_ID)).toHaveLength(0);
    // Refused even without a token (the version is checked first), and logged.
    expect((await graph("GET", `/v2.12/${DEV_META_WABA_ID}/flows`, { token: null })).body.error.code).toBe(2635);
    expect(emu.requests().map((e) => [e.status, e.errorType])).toEqual([
      [400, "2635"],
      [400, "2635"],
    ]);
  });

  test("configurable: oldestGraphVersion, and the emulator clock", async () => {
    const strict = await startEmulator({ oldestGraphVersion: "v24.0" });
    const past = await startEmulator({ now: () => Date.parse("2025-01-01T00:00:00Z") });
    try {
      const get = async (e: RunningEmulator, v: string) =>
        (await request(`${e.url}/${v}/${DEV_META_WABA_ID}/flows`, { headers: { authorization: `Bearer ${TOKEN}` } })).statusCode;
      expect(await get(strict, "v23.0")).toBe(400);
      expect(await get(strict, "v24.0")).toBe(200);
      expect(await get(past, "v17.0")).toBe(200); // available until 2025-09-12
      expect(await get(past, "v16.0")).toBe(200);
      expect(await get(past, "v15.0")).toBe(400); // not in the table: older than its first entry
    } finally {
      await strict.close();
      await past.close();
    }
    expect(() => new (require("./dialects/meta").MetaDialect)({ oldestGraphVersion: "23" })).toThrow(/invalid oldest Graph version/);
  });

  test("the provider's pinned Graph version is inside Meta's window today (a stale pin fails here)", async () => {
    const today = Date.now();
    const oldest = oldestGraphVersionAt(today);
    const n = (v: string) => Number(v.slice(1).split(".")[0]) * 1000 + Number(v.split(".")[1]);
    expect(n(DEFAULT_GRAPH_VERSION)).toBeGreaterThanOrEqual(n(oldest));
    const entry = GRAPH_VERSION_EXPIRY.find(([v]) => v === DEFAULT_GRAPH_VERSION);
    expect(entry).toBeDefined(); // the pin is a version Meta lists
    const live = await request(`${emu.url}/${DEFAULT_GRAPH_VERSION}/${DEV_META_WABA_ID}/flows`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(live.statusCode).toBe(200);
    await live.body.text();
  });
});
