/**
 * The three HTTP template backends on the wire (a loopback server answering canned vendor responses):
 * what each sends (paths, bodies, headers), what it reads back, and that no error carries the credential.
 * The AWS backend goes through the SDK against the emulator in provider/hooks/message-template.test.ts.
 */
import { closeHttpDispatchers } from "../http";
import { echoSecret, errorAnswers, expectNoSecret, rejection, startServer, TestServer } from "../test-helpers";
import { Dialog360TemplateBackend } from "./dialog360";
import { EightByEightTemplateBackend } from "./eightbyeight";
import { MetaTemplateBackend } from "./meta";
import type { TemplateBackend } from "./types";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await closeHttpDispatchers();
  await server.close();
});

const KEY = "tmpl-canary-Zq7rT0ken-5e0a";
const settings = () => ({ baseUrl: server.url, credential: KEY, maxAttempts: 2, retryBaseDelayMs: 1 });
const meta = () => new MetaTemplateBackend({ wabaId: "102290129340398" }, { ...settings(), graphVersion: "v23.0" });
const d360 = () => new Dialog360TemplateBackend({ partnerId: "pa1", wabaAccountId: "wa1" }, settings());
const e8x8 = () => new EightByEightTemplateBackend({ accountId: "11111111-2222-3333-4444-555555555555", channelId: "ch1" }, settings());

const DEF = {
  name: "signup_invite",
  language: "en_US",
  category: "MARKETING",
  components: [
    { type: "BODY", text: "Join, {{1}}", example: { body_text: [["Ana"]] } },
    { type: "BUTTONS", buttons: [{ type: "FLOW", text: "Sign up", flow_id: "77", navigate_screen: "SIGN_UP", flow_action: "navigate" }] },
  ],
};

describe("Meta", () => {
  it("creates under the WABA with Meta's JSON and a Bearer token; reads status upper-case", async () => {
    server.on(() => ({ status: 200, body: { id: "2001", status: "PENDING", category: "MARKETING" } }));
    expect(await meta().createTemplate(DEF)).toEqual({ id: "2001", status: "PENDING" });
    const [req] = server.requests;
    expect([req.method, req.path]).toEqual(["POST", "/v23.0/102290129340398/message_templates"]);
    expect(req.json).toEqual(DEF);
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req.url).not.toContain(KEY);
  });

  it("reports Meta's usage headers to the account's budget, as a flow call does", async () => {
    const usage = { "102290129340398": [{ type: "WHATSAPP_BUSINESS_MANAGEMENT", call_count: 42, total_cputime: 1, total_time: 1 }] };
    server.on(() => ({ status: 200, body: { data: [] }, headers: { "x-business-use-case-usage": JSON.stringify(usage) } }));
    const readings: unknown[] = [];
    const b = meta();
    b.onBudgetReading = (r) => readings.push(r);
    await b.listTemplates();
    expect(readings).toEqual([expect.objectContaining({ usedPercent: 42, exhausted: false })]);
  });

  it("deletes exactly one template: name and hsm_id", async () => {
    server.on(() => ({ status: 200, body: { success: true } }));
    await meta().deleteTemplate({ id: "2001", name: "signup_invite", language: "en_US" });
    const [req] = server.requests;
    expect([req.method, req.path, req.query.get("name"), req.query.get("hsm_id")]).toEqual([
      "DELETE",
      "/v23.0/102290129340398/message_templates",
      "signup_invite",
      "2001",
    ]);
  });

  it("reads one template, and an unknown one (Graph 100/33) as gone", async () => {
    server.on((r) =>
      r.path.endsWith("/2001")
        ? {
            status: 200,
            body: { ...DEF, id: "2001", status: "REJECTED", rejected_reason: "INVALID_FORMAT", quality_score: { score: "UNKNOWN" } },
          }
        : {
            status: 400,
            body: { error: { message: "Unsupported get request. Object with ID '9' does not exist", code: 100, error_subcode: 33 } },
          },
    );
    expect(await meta().getTemplate({ id: "2001", name: "x", language: "en_US" })).toMatchObject({
      status: "REJECTED",
      rejectedReason: "INVALID_FORMAT",
      qualityScore: "UNKNOWN",
      components: DEF.components,
    });
    expect(await meta().getTemplate({ id: "9", name: "x", language: "en_US" })).toBeUndefined();
  });
});

describe("360dialog", () => {
  it("creates at the Partner API's waba_templates with the partner key header; Meta's id from external_id", async () => {
    server.on(() => ({ status: 201, body: { id: "abc360", external_id: "2002", status: "pending", ...DEF } }));
    expect(await d360().createTemplate(DEF)).toEqual({ id: "2002", status: "PENDING" });
    const [req] = server.requests;
    expect([req.method, req.path]).toEqual(["POST", "/api/v2/partners/pa1/waba_accounts/wa1/waba_templates"]);
    expect(req.headers["x-api-key"]).toBe(KEY);
    expect(req.json).toEqual({ name: DEF.name, category: DEF.category, language: DEF.language, components: DEF.components });
  });

  it("finds a template through the filtered list; deletes by name", async () => {
    server.on((r) =>
      r.method === "GET"
        ? { status: 200, body: { count: 1, total: 1, waba_templates: [{ id: "abc360", external_id: "2002", status: "approved", ...DEF }] } }
        : { status: 200, body: { meta: { success: true, http_code: 200 } } },
    );
    expect(await d360().getTemplate({ id: "2002", name: "signup_invite", language: "en_US" })).toMatchObject({
      id: "2002",
      status: "APPROVED",
    });
    expect(JSON.parse(server.requests[0].query.get("filters")!)).toEqual({ "business_templates.name": "signup_invite", language: "en_US" });
    await d360().deleteTemplate({ id: "2002", name: "signup_invite", language: "en_US" });
    expect([server.requests.at(-1)!.method, server.requests.at(-1)!.path]).toEqual([
      "DELETE",
      "/api/v2/partners/pa1/waba_accounts/wa1/waba_templates/signup_invite",
    ]);
  });
});

describe("8x8", () => {
  it("creates with 8x8's camelCase buttons and examples lists; the answer has no id: name/language stands for it", async () => {
    server.on(() => ({ status: 200, body: {} }));
    expect(await e8x8().createTemplate(DEF)).toEqual({ id: "signup_invite/en_US" });
    const [req] = server.requests;
    expect(req.path).toBe("/api/v1/accounts/11111111-2222-3333-4444-555555555555/channels/ch1/templates");
    expect(req.json.components).toEqual([
      { type: "BODY", text: "Join, {{1}}", examples: ["Ana"] },
      { type: "BUTTONS", buttons: [{ type: "FLOW", text: "Sign up", flowId: "77", navigateScreen: "SIGN_UP", flowAction: "navigate" }] },
    ]);
  });

  it("reads the list back into Meta's shape; deletes by name", async () => {
    server.on((r) =>
      r.method === "GET"
        ? {
            status: 200,
            body: {
              templates: [
                {
                  templateName: "signup_invite",
                  language: "en_US",
                  category: "MARKETING",
                  status: "APPROVED",
                  components: [
                    { type: "BODY", text: "Join, {{1}}", examples: ["Ana"] },
                    {
                      type: "BUTTONS",
                      buttons: [{ type: "FLOW", text: "Sign up", flowId: "77", navigateScreen: "SIGN_UP", flowAction: "navigate" }],
                    },
                  ],
                },
              ],
            },
          }
        : { status: 200, body: {} },
    );
    const t = await e8x8().findTemplate("signup_invite", "en_US");
    expect(t).toMatchObject({ id: "signup_invite/en_US", status: "APPROVED", components: DEF.components });
    await e8x8().deleteTemplate({ id: "signup_invite/en_US", name: "signup_invite", language: "en_US" });
    expect([server.requests.at(-1)!.method, server.requests.at(-1)!.path]).toEqual([
      "DELETE",
      "/api/v1/accounts/11111111-2222-3333-4444-555555555555/channels/ch1/templates/signup_invite",
    ]);
  });

  it("does not edit (its capabilities say so): the call is refused before any request", async () => {
    server.on(() => ({ status: 200, body: {} }));
    await expect(e8x8().updateTemplate()).rejects.toThrow(/8x8 cannot edit WhatsApp templates/);
    expect(server.requests).toHaveLength(0);
  });
});

describe.each([
  ["meta", meta, (s: string) => ({ error: { message: `bad token ${s}`, code: 100 } })],
  ["360dialog", d360, (s: string) => ({ meta: { developer_message: `key ${s} rejected`, http_code: 400, success: false } })],
  ["8x8", e8x8, (s: string) => ({ code: 1000, message: `key ${s} rejected`, errorId: "e1" })],
] as [string, () => TemplateBackend, (s: string) => unknown][])("%s: no error carries the credential", (_vendor, make, echo) => {
  it("whatever the vendor answers, and even when it echoes the key", async () => {
    for (const answer of errorAnswers(echo)) {
      server.on(() => echoSecret(answer, KEY));
      expectNoSecret(await rejection(make().createTemplate(DEF)), KEY);
      expectNoSecret(await rejection(make().listTemplates()), KEY);
    }
  });
});
