/**
 * A small loopback HTTP server for the HTTP backends' unit tests: records every request and answers
 * what the test's handler says (canned vendor responses, dropped connections). 127.0.0.1 only.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  /** Path and query as sent. */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json: any;
}

export type Answer =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** Close the socket without an answer. */
  | "drop";

export type Handler = (req: RecordedRequest, index: number) => Answer | Promise<Answer>;

export interface TestServer {
  url: string;
  requests: RecordedRequest[];
  /** Sets the handler for the next requests (also clears the recorded ones). */
  on(handler: Handler): void;
  close(): Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  let handler: Handler = () => ({ status: 500, body: { error: "no handler" } });
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks);
      const text = body.toString("utf8");
      let json: any;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      const u = new URL(req.url ?? "/", "http://127.0.0.1");
      const rec: RecordedRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        path: u.pathname,
        query: u.searchParams,
        headers: req.headers,
        body,
        text,
        json,
      };
      requests.push(rec);
      let answer: Answer;
      try {
        answer = await handler(rec, requests.length - 1);
      } catch (e) {
        answer = { status: 599, body: { error: String(e) } };
      }
      if (answer === "drop") {
        req.socket.destroy();
        return;
      }
      const payload = answer.body === undefined ? "" : typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
      const headers: Record<string, string> = { ...(answer.headers ?? {}) };
      if (payload && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) headers["content-type"] = "application/json";
      res.writeHead(answer.status, headers);
      res.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    on(h) {
      handler = h;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** Parses a recorded multipart body with the platform's own parser. */
export async function parseMultipart(req: RecordedRequest): Promise<FormData> {
  return new Response(req.body, { headers: { "content-type": String(req.headers["content-type"]) } }).formData();
}

/** A TCP port on 127.0.0.1 nothing listens on (for connection-refused cases). */
export async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Catches the rejection of a promise (fails the test when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

/** Asserts the secret is nowhere in an error: message, stack, own properties, JSON and util.inspect forms. */
export function expectNoSecret(err: unknown, secret: string): void {
  const util = require("node:util") as typeof import("node:util");
  const e = err as Record<string, unknown>;
  const forms = [
    String(err),
    String(e?.message),
    String(e?.stack),
    JSON.stringify(err),
    JSON.stringify(err, Object.getOwnPropertyNames(err ?? {})),
    util.inspect(err, { depth: 20, showHidden: true, getters: true }),
  ];
  for (const f of forms) expect(f).not.toContain(secret);
}

/** Every kind of error answer a vendor could give; the body echoes the credential back where it can. */
export function errorAnswers(echoBody: (secret: string) => unknown): Answer[] {
  return [
    { status: 400, body: echoBody("__SECRET__") },
    { status: 401, body: echoBody("__SECRET__") },
    { status: 403, body: echoBody("__SECRET__") },
    { status: 404, body: echoBody("__SECRET__") },
    { status: 409, body: echoBody("__SECRET__") },
    { status: 422, body: echoBody("__SECRET__") },
    { status: 429, headers: { "retry-after": "0" }, body: echoBody("__SECRET__") },
    { status: 500, body: echoBody("__SECRET__") },
    { status: 503, body: "__SECRET__ upstream down", headers: { "content-type": "text/plain" } },
    { status: 502, body: "<html>__SECRET__</html>", headers: { "content-type": "text/html" } },
    "drop",
  ];
}

/** Replaces the `__SECRET__` marker of a canned answer by the request's own credential (the worst case: echoed). */
export function echoSecret(answer: Answer, secret: string): Answer {
  if (answer === "drop") return answer;
  const swap = (v: unknown): unknown =>
    JSON.parse(
      JSON.stringify(v ?? null)
        .split("__SECRET__")
        .join(secret),
    );
  return { ...answer, body: typeof answer.body === "string" ? answer.body.split("__SECRET__").join(secret) : swap(answer.body) };
}
