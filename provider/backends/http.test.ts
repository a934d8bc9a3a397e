import { closeHttpDispatchers, downloadText, flowJsonForm, HttpTransportError, redact, retryAfterMs, vendorRequest } from "./http";
import { closedPort, parseMultipart, rejection, startServer, TestServer } from "./test-helpers";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await closeHttpDispatchers();
  await server.close();
});

const settings = () => ({ baseUrl: `${server.url}/prefix/`, credential: "k-http-test", maxAttempts: 3, retryBaseDelayMs: 1 });

describe("vendorRequest", () => {
  it("joins the base URL's prefix, path and query, sends JSON and resolves with any status", async () => {
    server.on(() => ({ status: 400, body: { oops: true } }));
    const res = await vendorRequest(settings(), {
      method: "POST",
      path: "/a/b%2Fc",
      query: { x: "1", f: ["id", "name"], skip: undefined },
      json: { n: 1 },
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ oops: true });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].url).toBe("/prefix/a/b%2Fc?x=1&f=id&f=name");
    expect(server.requests[0].headers["content-type"]).toBe("application/json");
    expect(server.requests[0].json).toEqual({ n: 1 });
  });

  it("retries 5xx of idempotent requests until success", async () => {
    server.on((_r, i) => (i < 2 ? { status: 503, body: { e: i } } : { status: 200, body: { ok: true } }));
    const res = await vendorRequest(settings(), { method: "GET", path: "/x" });
    expect(res).toMatchObject({ status: 200, body: { ok: true }, attempts: 3 });
    expect(server.requests).toHaveLength(3);
  });

  it("gives up after maxAttempts and returns the last answer with its body", async () => {
    server.on((_r, i) => ({ status: 500, body: { attempt: i } }));
    const res = await vendorRequest(settings(), { method: "DELETE", path: "/x" });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ attempt: 2 });
    expect(server.requests).toHaveLength(3);
  });

  it("never retries a POST that is not marked idempotent (create)", async () => {
    server.on(() => ({ status: 503, body: {} }));
    const res = await vendorRequest(settings(), { method: "POST", path: "/create", json: {} });
    expect(res.status).toBe(503);
    expect(server.requests).toHaveLength(1);
  });

  it("retries a POST marked idempotent (publish)", async () => {
    server.on((_r, i) => (i === 0 ? { status: 502 } : { status: 200, body: { success: true } }));
    const res = await vendorRequest(settings(), { method: "POST", path: "/publish", idempotent: true });
    expect(res.status).toBe(200);
    expect(server.requests).toHaveLength(2);
  });

  it("does not retry 4xx (401, 404, 409)", async () => {
    for (const status of [401, 404, 409]) {
      server.on(() => ({ status, body: { status } }));
      const res = await vendorRequest(settings(), { method: "GET", path: "/x" });
      expect(res.status).toBe(status);
      expect(server.requests).toHaveLength(1);
    }
  });

  it("honours Retry-After on 429", async () => {
    server.on((_r, i) => (i === 0 ? { status: 429, headers: { "retry-after": "1" }, body: {} } : { status: 200, body: {} }));
    const t0 = Date.now();
    const res = await vendorRequest(settings(), { method: "GET", path: "/x" });
    expect(res.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
  });

  it("fails at once when Retry-After asks for longer than the cap", async () => {
    server.on(() => ({ status: 429, headers: { "retry-after": "120" }, body: { slow: "down" } }));
    const res = await vendorRequest({ ...settings(), maxRetryDelayMs: 50 }, { method: "GET", path: "/x" });
    expect(res.status).toBe(429);
    expect(server.requests).toHaveLength(1);
  });

  it("lets the vendor mark a 4xx body as retryable", async () => {
    server.on((_r, i) => (i === 0 ? { status: 400, body: { error: { code: 4 } } } : { status: 200, body: { ok: 1 } }));
    const res = await vendorRequest(settings(), {
      method: "GET",
      path: "/x",
      retryableBody: (_s, b: any) => (b?.error?.code === 4 ? "throttled" : undefined),
    });
    expect(res.status).toBe(200);
    expect(server.requests).toHaveLength(2);
  });

  it("retries dropped connections of idempotent requests", async () => {
    server.on((_r, i) => (i === 0 ? "drop" : { status: 200, body: { ok: 1 } }));
    const res = await vendorRequest(settings(), { method: "GET", path: "/x" });
    expect(res.status).toBe(200);
    expect(server.requests).toHaveLength(2);
  });

  it("rejects with a sanitized HttpTransportError when nothing answers", async () => {
    const port = await closedPort();
    const e = await rejection(
      vendorRequest(
        { baseUrl: `http://127.0.0.1:${port}`, credential: "k-secret-xyz", maxAttempts: 2, retryBaseDelayMs: 1 },
        { method: "GET", path: "/x" },
      ),
    );
    expect(e).toBeInstanceOf(HttpTransportError);
    expect(e.code).toBe("ECONNREFUSED");
    expect(e.message).toMatch(/connection refused \(ECONNREFUSED\) after 2 attempts/);
  });

  it("times out waiting for headers, retries idempotent requests, then rejects", async () => {
    server.on(() => new Promise((r) => setTimeout(() => r({ status: 200, body: {} }), 1500)));
    const e = await rejection(vendorRequest({ ...settings(), maxAttempts: 2, headersTimeoutMs: 150 }, { method: "GET", path: "/slow" }));
    expect(e).toBeInstanceOf(HttpTransportError);
    expect(e.code).toBe("UND_ERR_HEADERS_TIMEOUT");
    expect(e.retryable).toBe(true);
    expect(server.requests).toHaveLength(2);
  });

  it("a throttled create waits out Retry-After and goes again (it was refused, not applied); the pause holds for every request", async () => {
    server.on((_r, i) => (i === 0 ? { status: 429, headers: { "retry-after": "1" }, body: {} } : { status: 200, body: { id: "1" } }));
    const t0 = Date.now();
    const [created, listed] = await Promise.all([
      vendorRequest(settings(), { method: "POST", path: "/create", json: {} }),
      // Sent while the pause runs: it waits too (process-wide backoff).
      new Promise((r) => setTimeout(r, 100)).then(() => vendorRequest(settings(), { method: "GET", path: "/list" })),
    ]);
    expect(created).toMatchObject({ status: 200, attempts: 2 });
    expect(listed.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(server.requests.map((r) => r.url).sort()).toEqual(["/prefix/create", "/prefix/create", "/prefix/list"]);
  });

  it("a create failing otherwise (5xx: it may have been applied) is never sent again", async () => {
    server.on(() => ({ status: 503, body: {} }));
    const created = await vendorRequest(settings(), { method: "POST", path: "/create", json: {} });
    expect(created.status).toBe(503);
    expect(server.requests).toHaveLength(1);
  });

  it("sends the multipart Flow JSON form", async () => {
    server.on(() => ({ status: 200, body: {} }));
    await vendorRequest(settings(), { method: "POST", path: "/assets", form: flowJsonForm('{"version":"7.3"}') });
    const form = await parseMultipart(server.requests[0]);
    const file = form.get("file") as File;
    expect(file.name).toBe("flow.json");
    expect(file.type).toBe("application/json");
    expect(await file.text()).toBe('{"version":"7.3"}');
    expect(form.get("name")).toBe("flow.json");
    expect(form.get("asset_type")).toBe("FLOW_JSON");
  });
});

describe("downloadText", () => {
  it("returns the exact text and sends no credentials", async () => {
    const raw = '{ "version" : "7.3",\n  "screens": [] }';
    server.on(() => ({ status: 200, body: raw }));
    expect(await downloadText(`${server.url}/cdn/flow.json?sig=abc`)).toBe(raw);
    expect(server.requests[0].url).toBe("/cdn/flow.json?sig=abc");
    expect(server.requests[0].headers.authorization).toBeUndefined();
  });

  it("classifies failures without repeating the (signed) URL", async () => {
    server.on(() => ({ status: 403, body: "denied", headers: { "content-type": "text/plain" } }));
    const e = await rejection(downloadText(`${server.url}/cdn/x?signature=SIGNED`));
    expect(e.kind).toBe("ACCESS_DENIED");
    expect(e.message).not.toContain("SIGNED");
  });
});

describe("helpers", () => {
  it("parses Retry-After in seconds and as an HTTP date", () => {
    expect(retryAfterMs("2")).toBe(2000);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterMs("Thu, 01 Jan 2026 00:00:05 GMT", now)).toBe(5000);
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(retryAfterMs("soon")).toBeUndefined();
  });

  it("redacts raw and URL-encoded secrets", () => {
    expect(redact("key a+b/c= and a%2Bb%2Fc%3D", "a+b/c=")).toBe("key [REDACTED] and [REDACTED]");
  });
});
