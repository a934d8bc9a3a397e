import { EIGHT_BY_EIGHT_REGIONS, EightByEightBackend } from "./eightbyeight";
import { closeHttpDispatchers } from "./http";
import { closedPort, echoSecret, errorAnswers, expectNoSecret, rejection, startServer, TestServer } from "./test-helpers";
import { BackendError } from "./types";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await closeHttpDispatchers();
  await server.close();
});

const KEY = "8x8-canary-Hk3pW7tQ1m";
const ACCOUNT = "0a1b2c3d-4e5f-6789-abcd-ef0123456789";
const A = `/api/v1/accounts/${ACCOUNT}/channels/ch-1`;
const backend = (over: Partial<{ maxAttempts: number; baseUrl: string; apiStyle: "accounts" | "config" }> = {}) =>
  new EightByEightBackend(
    { accountId: ACCOUNT, channelId: "ch-1" },
    { baseUrl: server.url, credential: KEY, maxAttempts: 3, retryBaseDelayMs: 1, ...over },
  );
const err = (status: number, code: number, message: string) => ({
  status,
  body: { code, message, errorId: "91b106f0-c0da-4aba-a43a-7af9c5893a80", timestamp: "2026-04-19T02:31:19Z" },
});
const camelError = {
  error: "INVALID_PROPERTY_VALUE",
  errorType: "FLOW_JSON_ERROR",
  message: "Invalid value found for property 'type'.",
  lineStart: 1,
  lineEnd: 1,
  columnStart: 84,
  columnEnd: 92,
  pointers: [{ lineStart: 1, lineEnd: 1, columnStart: 84, columnEnd: 92, path: "screens[0].layout.children[0].children[0].type" }],
};

describe("8x8 API styles", () => {
  it("accounts (default): the OpenAPI path; config: the guide's /config/v1/channels/whatsapp/{channelId}; others refused", async () => {
    server.on(() => ({ status: 200, body: { flows: [] } }));
    await backend().listFlows();
    await backend({ apiStyle: "accounts" }).listFlows();
    await backend({ apiStyle: "config" }).listFlows();
    expect(server.requests.map((r) => r.path)).toEqual([`${A}/flows`, `${A}/flows`, "/config/v1/channels/whatsapp/ch-1/flows"]);
    expect(() => backend({ apiStyle: "v2" as "config" })).toThrow(/invalid 8x8 API style "v2"/);
  });

  it("config: reads the guide's answers (201 create, snake validation_errors, Get's flowJson string, 204 delete)", async () => {
    const G = "/config/v1/channels/whatsapp/ch-1";
    const raw = '{"version":"7.3","screens":[]}';
    server.on((r) =>
      r.method === "POST" && r.path === `${G}/flows`
        ? {
            status: 201,
            body: {
              id: "77",
              name: "n",
              status: "DRAFT",
              categories: ["OTHER"],
              validation_errors: [{ error: "E", message: "m", line_start: 1 }],
            },
          }
        : r.method === "DELETE"
          ? { status: 204 }
          : r.path.endsWith("/publish")
            ? { status: 200, body: { id: "77", name: "n", status: "PUBLISHED" } }
            : { status: 200, body: { id: "77", name: "n", status: "DRAFT", categories: ["OTHER"], validation_errors: [], flowJson: raw } },
    );
    const b = backend({ apiStyle: "config" });
    const created = await b.createFlow({ name: "n", categories: ["OTHER"], flowJson: raw });
    expect(created).toMatchObject({ id: "77", validationErrors: [{ message: "m" }] });
    expect(await b.getFlow("77")).toMatchObject({ id: "77", status: "DRAFT", categories: ["OTHER"] });
    expect(await b.downloadFlowJson("77")).toBe(raw);
    await b.publish("77");
    await b.deleteFlow("77");
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST ${G}/flows`,
      `GET ${G}/flows/77`,
      `GET ${G}/flows/77`,
      `POST ${G}/flows/77/publish`,
      `DELETE ${G}/flows/77`,
    ]);
  });
});

describe("8x8 requests", () => {
  it("exports the four regional hosts", () => {
    expect(EIGHT_BY_EIGHT_REGIONS).toEqual({
      ap: "https://chatapps.8x8.com",
      us: "https://chatapps.us.8x8.com",
      uk: "https://chatapps.8x8.uk",
      id: "https://chatapps.8x8.id",
    });
  });

  it("creates with the Flow JSON stringified, publish and cloneFlowId, Bearer key, 200 or 201", async () => {
    for (const status of [200, 201]) {
      server.on(() => ({ status, body: { id: "866937862658913", success: true, validationErrors: [camelError] } }));
      const json = '{"version":"7.3","screens":[]}';
      const out = await backend().createFlow({ name: "signup", categories: ["SIGN_UP"], flowJson: json, publish: true, cloneFlowId: "11" });
      const r = server.requests[0];
      expect([r.method, r.path]).toEqual(["POST", `${A}/flows`]);
      expect(r.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(r.json).toEqual({ name: "signup", categories: ["SIGN_UP"], flowJson: json, publish: true, cloneFlowId: "11" });
      expect(typeof r.json.flowJson).toBe("string");
      expect(out.id).toBe("866937862658913");
      expect(out.validationErrors[0]).toMatchObject({
        error: "INVALID_PROPERTY_VALUE",
        error_type: "FLOW_JSON_ERROR",
        line_start: 1,
        column_start: 84,
        pointers: [{ path: "screens[0].layout.children[0].children[0].type", line_start: 1, column_end: 92 }],
      });
    }
  });

  it("never retries a create", async () => {
    server.on(() => err(500, 2000, "Internal server error"));
    const e = await rejection(backend().createFlow({ name: "x", categories: ["OTHER"] }));
    expect(e.kind).toBe("TRANSIENT");
    expect(server.requests).toHaveLength(1);
  });

  it("gets a flow (flowId, endPointUri) and reads a missing flow as gone", async () => {
    server.on(() => ({
      status: 200,
      body: {
        flowId: "5",
        flowJsonUrl: "https://cdn/x",
        name: "n",
        status: "DRAFT",
        categories: ["OTHER"],
        endPointUri: "https://e.example",
      },
    }));
    expect(await backend().getFlow("5")).toEqual({
      id: "5",
      name: "n",
      status: "DRAFT",
      categories: ["OTHER"],
      validationErrors: [],
      jsonVersion: null,
      previewUrl: null,
      previewExpiresAt: null,
      endpointUri: "https://e.example",
    });
    expect(server.requests[0].path).toBe(`${A}/flows/5`);
    for (const answer of [
      err(404, 1300, "Object wasn't found or is already expired"),
      err(400, 1300, "Object wasn't found or is already expired"),
    ]) {
      server.on(() => answer);
      expect(await backend().getFlow("5")).toBeUndefined();
    }
    // Whatever the text: a flow's 1300 is "not found" here; the hooks prove it before calling it gone (../hooks/gone-proof.ts).
    server.on(() => err(404, 1300, "Channel not found"));
    expect(await backend().getFlow("5")).toBeUndefined();
    // On the account's own list, 1300 is the account or channel: an error naming them.
    const e = await rejection(backend().listFlows());
    expect(e.kind).toBe("OTHER");
    expect(e.message).toMatch(/Channel not found .*are the account id, channel id and region right\?/);
  });

  it("lists with ?limit=1000", async () => {
    server.on(() => ({ status: 200, body: { flows: [{ id: "1", name: "a", status: "PUBLISHED" }] } }));
    expect(await backend().listFlows()).toEqual([{ id: "1", name: "a", status: "PUBLISHED", categories: [] }]);
    expect(server.requests[0].url).toBe(`${A}/flows?limit=1000`);
  });

  it("updates metadata and uploads JSON through the one PUT, either validation casing", async () => {
    server.on((r) => ({
      status: 200,
      body: {
        id: "5",
        success: true,
        ...(r.json.flowJson ? { validation_errors: [{ error: "E", error_type: "FLOW_JSON_ERROR", message: "snake" }] } : {}),
      },
    }));
    await backend().updateMetadata("5", { name: "new", categories: ["SURVEY"], current: { name: "old", categories: ["OTHER"] } });
    await backend().updateMetadata("5", { categories: ["SURVEY"], current: { name: "old", categories: ["OTHER"] } });
    await backend().updateMetadata("5", { current: { name: "old", categories: ["OTHER"] } }); // nothing to send
    const out = await backend().uploadFlowJson("5", '{"version":"7.3"}');
    expect(server.requests.map((r) => [r.method, r.path, r.json])).toEqual([
      ["PUT", `${A}/flows/5`, { name: "new", categories: ["SURVEY"] }],
      ["PUT", `${A}/flows/5`, { categories: ["SURVEY"] }],
      ["PUT", `${A}/flows/5`, { flowJson: '{"version":"7.3"}' }],
    ]);
    expect(out.validationErrors).toHaveLength(1);
    expect(out.validationErrors[0].message).toBe("snake");
  });

  it("downloads through flowJsonUrl, or takes Get's flowJson string", async () => {
    const raw = '{"version":"7.3",  "screens":[]}';
    server.on((r) =>
      r.path.startsWith("/cdn")
        ? { status: 200, body: raw, headers: { "content-type": "text/plain" } }
        : { status: 200, body: { flowId: "5", flowJsonUrl: `${server.url}/cdn/5.json` } },
    );
    expect(await backend().downloadFlowJson("5")).toBe(raw);
    // A link on the API's own origin gets the key (download.test.ts: never another origin).
    expect(server.requests[1].headers.authorization).toBe(`Bearer ${KEY}`);
    server.on(() => ({ status: 200, body: { flowId: "5", flowJson: raw } }));
    expect(await backend().downloadFlowJson("5")).toBe(raw);
    server.on(() => ({ status: 200, body: { flowId: "5" } }));
    expect(await backend().downloadFlowJson("5")).toBeUndefined();
    server.on((r) =>
      r.path.startsWith("/cdn") ? { status: 404 } : { status: 200, body: { flowId: "5", flowJsonUrl: `${server.url}/cdn/5.json` } },
    );
    const e = await rejection(backend().downloadFlowJson("5"));
    expect(e.kind).toBe("TRANSIENT"); // an expired CDN link is not a gone flow
    expect(e.message).toBe("8x8 download of the Flow JSON of flow 5 failed: download of Flow JSON failed: HTTP 404");
  });

  it("publishes, deprecates and deletes accepting 200/201/204 with or without a body", async () => {
    const answers = [{ status: 200 }, { status: 201, body: { id: "5", name: "n", status: "PUBLISHED" } }, { status: 204 }];
    for (const a of answers) {
      server.on(() => a);
      const b = backend();
      await b.publish("5");
      await b.deprecate("5");
      await b.deleteFlow("5");
      expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
        `POST ${A}/flows/5/publish`,
        `POST ${A}/flows/5/deprecate`,
        `DELETE ${A}/flows/5`,
      ]);
    }
  });

  it("previews with ?refresh= and reads the flat snake_case answer", async () => {
    server.on(() => ({ status: 200, body: { id: "5", preview_url: "https://p/5", expires_at: "2026-01-03T00:00:00Z" } }));
    expect(await backend().getPreview("5", true)).toEqual({ url: "https://p/5", expiresAt: "2026-01-03T00:00:00Z" });
    await backend().getPreview("5");
    expect(server.requests.map((r) => r.url)).toEqual([`${A}/flows/5/preview?refresh=true`, `${A}/flows/5/preview?refresh=false`]);
  });
});

describe("8x8 errors", () => {
  it("refuses to edit a published flow: 409 → EDIT_REFUSED on update, INVALID_STATE on delete", async () => {
    server.on(() => err(409, 1000, "Flow must be in draft state"));
    const e = await rejection(backend().uploadFlowJson("5", "{}"));
    expect(e).toBeInstanceOf(BackendError);
    expect(e.kind).toBe("EDIT_REFUSED");
    expect(e.message).toBe(
      "8x8 upload of the Flow JSON of flow 5 failed: Flow must be in draft state (8x8 errorId 91b106f0-c0da-4aba-a43a-7af9c5893a80) (HTTP 409)",
    );
    expect((await rejection(backend().updateMetadata("5", { name: "x", current: { name: "y", categories: [] } }))).kind).toBe(
      "EDIT_REFUSED",
    );
    server.on(() => err(409, 1000, "Cannot delete a published flow"));
    expect((await rejection(backend().deleteFlow("5"))).kind).toBe("INVALID_STATE");
    expect(server.requests).toHaveLength(1);
  });

  it("auth: 1200/401 and 1201/403 → ACCESS_DENIED, not retried", async () => {
    for (const a of [
      err(401, 1200, "Request was not authenticated properly"),
      err(403, 1201, "Forbidden"),
      err(400, 1200, "not authenticated"),
    ]) {
      server.on(() => a);
      const e = await rejection(backend().listFlows());
      expect(e.kind).toBe("ACCESS_DENIED");
      expect(e.vendorCode).toBe(String(a.body.code));
      expect(server.requests).toHaveLength(1);
    }
  });

  it("throttling: 429 retried honouring Retry-After, then THROTTLED", async () => {
    server.on((_r, i) =>
      i === 0 ? { ...err(429, 1000, "Too many requests"), headers: { "retry-after": "1" } } : { status: 200, body: { flows: [] } },
    );
    const t0 = Date.now();
    await backend().listFlows();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    server.on(() => ({ ...err(429, 1000, "Too many requests"), headers: { "retry-after": "0" } }));
    const e = await rejection(backend().getPreview("5"));
    expect(e.kind).toBe("THROTTLED");
    expect(server.requests).toHaveLength(3);
  });

  it("name taken, not found, validation, internal", async () => {
    server.on(() => err(409, 1000, "Flow name already exists"));
    expect((await rejection(backend().createFlow({ name: "dup", categories: ["OTHER"] }))).kind).toBe("NAME_TAKEN");
    server.on(() => err(404, 1300, "Object wasn't found or is already expired"));
    expect((await rejection(backend().publish("5"))).kind).toBe("NOT_FOUND");
    server.on(() => err(422, 1000, "Flow JSON does not match the schema"));
    expect((await rejection(backend().publish("5"))).kind).toBe("VALIDATION");
    server.on(() => err(400, 2000, "Internal server error"));
    expect((await rejection(backend().publish("5"))).kind).toBe("TRANSIENT");
    expect(server.requests).toHaveLength(3); // code 2000 retried like a 5xx
    server.on(() => err(400, 1000, "Invalid parameter"));
    expect((await rejection(backend().publish("5"))).kind).toBe("OTHER");
    // Meta's documented descriptions relayed under 8x8's code 1000; wording of our own decides nothing.
    server.on(() => err(400, 1000, "Flow name is not unique"));
    expect((await rejection(backend().createFlow({ name: "dup", categories: ["OTHER"] }))).kind).toBe("NAME_TAKEN");
    server.on(() => err(409, 1000, "Flow is already deprecated"));
    expect((await rejection(backend().deprecate("5"))).kind).toBe("ALREADY_DEPRECATED");
    server.on(() => err(409, 1000, "flow must be in draft state"));
    expect((await rejection(backend().uploadFlowJson("5", "{}"))).kind).toBe("EDIT_REFUSED");
    expect((await rejection(backend().deleteFlow("5"))).kind).toBe("INVALID_STATE");
    server.on(() => err(400, 1000, "name already exists"));
    expect((await rejection(backend().updateMetadata("5", { name: "n", current: { name: "o", categories: [] } }))).kind).toBe("OTHER");
    server.on(() => err(403, 1001, "Illegal sub-account"));
    expect((await rejection(backend().publish("5"))).kind).toBe("ACCESS_DENIED");
  });
});

describe("8x8 canary key", () => {
  it("never shows the key in any thrown error, whatever the answer", async () => {
    const ops: ((b: EightByEightBackend) => Promise<unknown>)[] = [
      (b) => b.createFlow({ name: "n", categories: ["OTHER"], flowJson: "{}", publish: true }),
      (b) => b.getFlow("5"),
      (b) => b.listFlows(),
      (b) => b.updateMetadata("5", { name: "n", current: { name: "o", categories: [] } }),
      (b) => b.uploadFlowJson("5", "{}"),
      (b) => b.downloadFlowJson("5"),
      (b) => b.publish("5"),
      (b) => b.deprecate("5"),
      (b) => b.deleteFlow("5"),
      (b) => b.getPreview("5", true),
    ];
    let thrown = 0;
    let redacted = 0;
    for (const answer of errorAnswers((s) => ({ code: 1200, message: `bad key Bearer ${s}`, errorId: s, timestamp: "t" }))) {
      server.on((r) => echoSecret(answer, String(r.headers.authorization).replace(/^Bearer /, "")));
      for (const op of ops) {
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
    expectNoSecret(await rejection(backend({ baseUrl: `http://127.0.0.1:${port}`, maxAttempts: 1 }).publish("5")), KEY);
    expect(thrown).toBeGreaterThan(90);
    expect(redacted).toBeGreaterThan(0);
  });
});
