/**
 * The HTTP server: routes `/_emulator/…` to the admin API and everything else to the vendor dialects,
 * applies injected faults, records the request log and persists state.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { dirname, resolve as resolvePath } from "node:path";
import { isCoreError } from "./core/errors";
import { FlowStore } from "./core/store";
import { TemplateStore, type TemplateSnapshot } from "./core/templates";
import { VENDORS, type FlowPatch, type PersistedState, type Vendor, type WabaInput } from "./core/types";
import { AwsDialect } from "./dialects/aws";
import { DIALOG360_DEFAULT_KEY, Dialog360Dialect } from "./dialects/dialog360";
import { EIGHT_BY_EIGHT_DEFAULT_KEY, EightByEightDialect } from "./dialects/eightbyeight";
import { META_DEFAULT_TOKEN, MetaDialect } from "./dialects/meta";
import { AwsTemplateDialect } from "./dialects/templates/aws";
import { Dialog360TemplateDialect } from "./dialects/templates/dialog360";
import { EightByEightTemplateDialect } from "./dialects/templates/eightbyeight";
import { MetaTemplateDialect } from "./dialects/templates/meta";
import type { TemplateDialect } from "./dialects/templates/shared";
import type { Dialect, DialectCall, WireRequest, WireResponse } from "./dialects/types";
import { FaultQueue, type FaultAction } from "./faults";
import { RequestLog, type RequestLogEntry } from "./log";
import { templateAdmin } from "./templates-admin";

export const ADMIN_PREFIX = "/_emulator";
/** Largest request body accepted (10 MiB of JSON is ~14 MiB of base64, plus the envelope). */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface EmulatorServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default "127.0.0.1". */
  host?: string;
  /** JSON file holding the state across restarts (written atomically on each mutation, loaded on start). */
  stateFile?: string;
  /** Linked WABAs (default: "dev" and "prod", see DEV_WABA_ID / PROD_WABA_ID). */
  wabas?: WabaInput[];
  /** Page size when an AWS list call sends no maxResults or a Graph list call no limit (default 20). */
  defaultPageSize?: number;
  /**
   * Credentials each dialect accepts (one or several per vendor). Defaults: `DEFAULT_CREDENTIALS`
   * (Meta token "emulator-meta-token", 360dialog key "emulator-360dialog-key", 8x8 key "emulator-8x8-key").
   * AWS signatures are never checked.
   */
  credentials?: EmulatorCredentials;
  /** Clock (epoch ms) for previews, download-URL expiry, the Graph version window, template reviews, edit limits, name blocks and budget windows; `POST /_emulator/clock` moves it on. */
  now?: () => number;
  /**
   * Oldest Graph API version the Meta dialect serves (`vNN.N`); calls under an older one answer Meta's
   * 2635 refusal. Default: the oldest version Meta's changelog lists as available at the clock's date.
   */
  oldestGraphVersion?: string;
  /**
   * Answer every download-URL fetch with a 302 to the same asset under another path
   * (`/_emulator/cdn/<vendor>/…`), as CDN links often bounce. `{ host }` also moves it to another origin
   * (same port, that host name: e.g. `localhost` when clients use `127.0.0.1`); the redirected path then
   * refuses a request carrying `Authorization` or `X-API-Key` (400), as a presigned-URL store does.
   */
  redirectDownloads?: boolean | { host: string };
  /**
   * Simulated template review: a new or edited template is APPROVED this many ms later (default 0: the
   * create answer says PENDING, the next read APPROVED); null = only by admin action.
   */
  templateReviewMs?: number | null;
  /** Meta: Graph calls an hour per access token and WABA; past it, HTTP 400 code 80007. Off by default. */
  metaBudget?: number;
  /** Meta: Graph calls an hour per access token over all WABAs (the app's budget); past it, HTTP 400 code 4. Off by default. */
  metaAppBudget?: number;
}

/** The vendors whose dialect checks a credential (AWS requests are signed; the emulator ignores signatures). */
export type CredentialVendor = Exclude<Vendor, "aws">;

/**
 * Accepted credentials per vendor: Graph access tokens (`Authorization: Bearer …` or `access_token`),
 * 360dialog Partner API keys (`X-API-Key: …` or `Authorization: Bearer …`), 8x8 API keys (`Authorization: Bearer …`).
 */
export type EmulatorCredentials = { [V in CredentialVendor]?: string | string[] };

/** Each credential-checking dialect's default credential and its CLI option (emulator/cli.ts reads this). */
export const CREDENTIAL_OPTIONS: {
  readonly [V in CredentialVendor]: { readonly default: string; readonly flag: string; readonly what: string; readonly label: string };
} = {
  meta: { default: META_DEFAULT_TOKEN, flag: "--meta-token", what: "Graph access token", label: "Meta token" },
  "360dialog": { default: DIALOG360_DEFAULT_KEY, flag: "--360dialog-key", what: "360dialog Partner API key", label: "360dialog key" },
  "8x8": { default: EIGHT_BY_EIGHT_DEFAULT_KEY, flag: "--8x8-key", what: "8x8 API key", label: "8x8 key" },
};

/** The credentials accepted when none are configured. */
export const DEFAULT_CREDENTIALS = Object.fromEntries(Object.entries(CREDENTIAL_OPTIONS).map(([v, o]) => [v, o.default])) as {
  readonly [V in CredentialVendor]: string;
};

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Query parameters that carry a credential (Graph's `access_token`): logged as `<redacted>`, never in clear. */
const SECRET_QUERY_PARAMS = ["access_token"];

/** A request carrying a vendor credential header (what a presigned-URL store refuses next to its own signature). */
function carriesCredential(wire: WireRequest): boolean {
  return wire.headers.authorization !== undefined || wire.headers["x-api-key"] !== undefined;
}

/** S3's answer to a presigned URL fetched with an Authorization header as well ("only one auth mechanism allowed"). */
const CREDENTIAL_AT_CDN: WireResponse = {
  status: 400,
  errorType: "InvalidArgument",
  headers: { "content-type": "application/xml" },
  body: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified</Message></Error>',
};

function loggedQuery(query: URLSearchParams): Record<string, string> {
  const o = Object.fromEntries(query.entries());
  for (const k of SECRET_QUERY_PARAMS) if (k in o) o[k] = "<redacted>";
  return o;
}

function writeStateAtomically(file: string, state: PersistedState & { templates?: TemplateSnapshot }): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, file);
}

export class EmulatorServer {
  readonly store: FlowStore;
  readonly templates: TemplateStore;
  readonly templateDialects: TemplateDialect[];
  readonly faults = new FaultQueue();
  readonly log = new RequestLog();
  readonly dialects: Dialect[];
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly stateFile?: string;
  /** How far the admin clock has been moved on (ms). */
  private clockOffsetMs = 0;
  /** The emulator's clock: the configured (or real) clock plus what `POST /_emulator/clock` added. */
  readonly now = (): number => (this.opts.now ?? Date.now)() + this.clockOffsetMs;
  url = "";

  constructor(private readonly opts: EmulatorServerOptions = {}) {
    this.stateFile = opts.stateFile ? resolvePath(opts.stateFile) : undefined;
    const file = this.stateFile;
    this.store = new FlowStore({
      wabas: opts.wabas,
      now: this.now,
      onChange: file ? (s) => writeStateAtomically(file, { ...s, templates: this.templates?.snapshot() }) : undefined,
    });
    this.templates = new TemplateStore(this.store, {
      reviewMs: opts.templateReviewMs,
      onChange: file ? () => writeStateAtomically(file, { ...this.store.snapshot(), templates: this.templates.snapshot() }) : undefined,
    });
    if (file && existsSync(file)) {
      const text = readFileSync(file, "utf8");
      if (text.trim() !== "") {
        let parsed: PersistedState;
        try {
          parsed = JSON.parse(text) as PersistedState;
        } catch (e) {
          throw new Error(`emulator state file ${file} is not valid JSON: ${(e as Error).message}`, { cause: e });
        }
        this.store.load(parsed, opts.wabas !== undefined);
        this.templates.load((parsed as { templates?: TemplateSnapshot }).templates);
      }
    }
    if (file) writeStateAtomically(file, { ...this.store.snapshot(), templates: this.templates.snapshot() });
    const creds = opts.credentials ?? {};
    // One dialect per registry name (a new vendor in the registry is a compile error here), in the registry's order.
    const dialects = {
      aws: new AwsDialect({ defaultPageSize: opts.defaultPageSize }),
      meta: new MetaDialect({
        defaultPageSize: opts.defaultPageSize,
        tokens: creds.meta,
        oldestGraphVersion: opts.oldestGraphVersion,
        budget: opts.metaBudget,
        appBudget: opts.metaAppBudget,
        now: this.now,
      }),
      "360dialog": new Dialog360Dialect({ keys: creds["360dialog"] }),
      "8x8": new EightByEightDialect({ keys: creds["8x8"] }),
    } satisfies { [V in Vendor]: Dialect };
    this.dialects = VENDORS.map((v) => dialects[v]);
    this.templateDialects = [
      new AwsTemplateDialect(dialects.aws, opts.defaultPageSize),
      new MetaTemplateDialect(dialects.meta, opts.defaultPageSize),
      new Dialog360TemplateDialect(dialects["360dialog"]),
      new EightByEightTemplateDialect(dialects["8x8"]),
    ];
  }

  async listen(): Promise<string> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((e) => {
        if (!res.headersSent) {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ message: `emulator failure: ${(e as Error).message}` }));
        } else res.destroy();
      });
    });
    server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    server.keepAliveTimeout = 5000;
    this.server = server;
    const host = this.opts.host ?? "127.0.0.1";
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.opts.port ?? 0, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const addr = server.address() as AddressInfo;
    const shownHost = addr.family === "IPv6" || addr.address.includes(":") ? `[${addr.address}]` : addr.address;
    this.url = `http://${shownHost}:${addr.port}`;
    return this.url;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections?.();
      for (const s of this.sockets) s.destroy();
    });
  }

  // ------------------------------------------------------------------------------------ dispatch

  private async readBody(req: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > MAX_BODY_BYTES) throw Object.assign(new Error("request body too large"), { tooLarge: true });
      chunks.push(c as Buffer);
    }
    return Buffer.concat(chunks);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const u = new URL(req.url ?? "/", "http://emulator.invalid");
    let body: Buffer;
    try {
      body = await this.readBody(req);
    } catch (e) {
      if ((e as { tooLarge?: boolean }).tooLarge) {
        const d = this.dialects.find((x) => x.claims(u.pathname)) ?? this.dialects[0];
        const r = d.error({ status: 413, errorType: "ValidationException", message: "Request entity too large" }, { connection: "close" });
        this.send(res, r);
        return;
      }
      throw e;
    }
    const wire: WireRequest = {
      method: (req.method ?? "GET").toUpperCase(),
      path: u.pathname,
      query: u.searchParams,
      headers: req.headers,
      body,
      baseUrl: req.headers.host ? `http://${req.headers.host}` : this.url,
    };

    if (wire.path === ADMIN_PREFIX || wire.path.startsWith(`${ADMIN_PREFIX}/`)) {
      const assets = new RegExp(`^${ADMIN_PREFIX}/(assets|cdn)/([a-z0-9]+)/(.+)$`).exec(wire.path);
      if (assets && wire.method === "GET") {
        const [, kind, vendor, rest] = assets;
        const dialect = this.dialects.find((d) => d.vendor === vendor);
        if (dialect) {
          await this.vendorRequest(wire, res, started, dialect, {
            operation: "DownloadFlowAsset",
            action: "download",
            flowId: rest.split("/")[0],
            uploadsJson: false,
            logBody: null,
            execute: () =>
              kind === "assets" && this.opts.redirectDownloads
                ? this.redirectDownload(wire, vendor, rest)
                : kind === "cdn" && typeof this.opts.redirectDownloads === "object" && carriesCredential(wire)
                  ? CREDENTIAL_AT_CDN
                  : dialect.download(rest, wire, this.store),
          });
          return;
        }
      }
      this.send(res, this.admin(wire));
      return;
    }

    for (const t of this.templateDialects) {
      const call = t.resolve(wire, this.store, this.templates);
      const d = call && this.dialects.find((x) => x.vendor === t.vendor);
      if (call && d) {
        await this.vendorRequest(wire, res, started, d, call);
        return;
      }
    }
    for (const d of this.dialects) {
      const call = d.resolve(wire, this.store);
      if (call) {
        await this.vendorRequest(wire, res, started, d, call);
        return;
      }
    }
    // No vendor route matches: answer in the envelope of the vendor whose URL space it is (AWS otherwise).
    const fallback = this.dialects.find((d) => d.claims(wire.path)) ?? this.dialects[0];
    await this.vendorRequest(wire, res, started, fallback, {
      operation: "Unknown",
      action: "unknown",
      uploadsJson: false,
      logBody: null,
      execute: () =>
        fallback.error({ status: 404, errorType: "UnknownOperationException", message: `No operation for ${wire.method} ${wire.path}` }),
    });
  }

  private async vendorRequest(wire: WireRequest, res: ServerResponse, started: number, dialect: Dialect, call: DialectCall): Promise<void> {
    const seq = this.log.nextSeq();
    const time = new Date().toISOString();
    const flowName = call.flowName ?? (call.flowId !== undefined ? this.store.flowView(call.flowId)?.name : undefined);
    const fault: FaultAction | undefined = this.faults.take({
      vendor: dialect.vendor,
      operation: call.operation,
      action: call.action,
      flowName,
      uploadsJson: call.uploadsJson,
    });

    let response: WireResponse | undefined;
    if (fault) {
      switch (fault.kind) {
        case "latency":
          await sleep(fault.ms);
          response = await call.execute();
          break;
        case "throttle":
          response = dialect.throttle(fault.retryAfterSeconds);
          break;
        case "error":
          response = dialect.error(fault);
          break;
        case "apply-then-fail": {
          const applied = await call.execute();
          response = applied.status < 300 ? dialect.error({ ...fault, status: fault.status ?? 500 }) : applied;
          break;
        }
        case "validation-errors":
          response = await call.execute({ validationErrors: fault.errors as Record<string, unknown>[] });
          break;
        case "drop-connection":
          response = undefined;
          break;
        case "no-access":
          response = dialect.noAccess(wire);
          break;
        case "rate-limit":
          // FaultQueue.take turns a rate limit into latency or a throttle; never handed out as such.
          response = await call.execute();
          break;
      }
    } else {
      response = await call.execute();
    }

    const entry: RequestLogEntry = {
      seq,
      time,
      vendor: dialect.vendor,
      operation: call.operation,
      action: call.action,
      method: wire.method,
      path: wire.path,
      query: loggedQuery(wire.query),
      body: call.logBody,
      status: response ? response.status : 0,
      ...(response?.errorType ? { errorType: response.errorType } : {}),
      ...(response?.requestId ? { requestId: response.requestId } : {}),
      ...(dialect.logMeta?.(wire) ?? {}),
      ...(fault ? { fault: fault.kind } : {}),
      durationMs: Date.now() - started,
    };
    this.log.push(entry);

    if (!response) {
      res.socket?.destroy();
      return;
    }
    this.send(res, response);
  }

  private send(res: ServerResponse, r: WireResponse): void {
    const headers: Record<string, string> = { ...(r.headers ?? {}) };
    let payload: Buffer;
    if (r.body === undefined) payload = Buffer.alloc(0);
    else if (Buffer.isBuffer(r.body)) payload = r.body;
    else if (typeof r.body === "string") payload = Buffer.from(r.body, "utf8");
    else {
      payload = Buffer.from(JSON.stringify(r.body), "utf8");
      headers["content-type"] ??= "application/json";
    }
    headers["content-length"] = String(payload.length);
    res.writeHead(r.status, headers);
    res.end(payload);
  }

  // ------------------------------------------------------------------------------------ admin API

  private admin(w: WireRequest): WireResponse {
    const json = (status: number, body: unknown): WireResponse => ({
      status,
      headers: { "content-type": "application/json" },
      body: body as object,
    });
    const route = w.path.slice(ADMIN_PREFIX.length) || "/";
    let input: unknown;
    try {
      input = w.body.length > 0 ? JSON.parse(w.body.toString("utf8")) : undefined;
    } catch {
      return json(400, { error: "body is not JSON" });
    }
    const templateAnswer = templateAdmin(w.method, route, w.query, input, this.templates);
    if (templateAnswer) return templateAnswer;
    try {
      const flowMatch = /^\/flows\/([^/]+)$/.exec(route);
      switch (`${w.method} ${flowMatch ? "/flows/:id" : route}`) {
        case "GET /":
        case "GET /health":
          return json(200, { ok: true, url: this.url, vendors: this.dialects.map((d) => d.vendor), wabas: this.store.listWabas() });
        case "GET /requests": {
          const since = Number(w.query.get("since") ?? NaN);
          return json(
            200,
            this.log.list({
              operation: w.query.get("operation") ?? undefined,
              action: w.query.get("action") ?? undefined,
              vendor: w.query.get("vendor") ?? undefined,
              since: Number.isFinite(since) ? since : undefined,
            }),
          );
        }
        case "DELETE /requests":
          this.log.clear();
          return json(200, { ok: true });
        case "GET /faults":
          return json(200, this.faults.pending());
        case "POST /faults":
          return json(200, { added: this.faults.add(input as never) });
        case "DELETE /faults":
          this.faults.clear();
          return json(200, { ok: true });
        case "POST /reset":
          this.reset();
          return json(200, { ok: true });
        case "GET /clock":
          return json(200, { now: new Date(this.now()).toISOString(), offsetSeconds: this.clockOffsetMs / 1000 });
        case "POST /clock": {
          const seconds = (input as { advanceSeconds?: unknown } | undefined)?.advanceSeconds;
          if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0)
            return json(400, { error: 'body must be {"advanceSeconds": N} with N >= 0' });
          this.advanceClock(seconds);
          return json(200, { now: new Date(this.now()).toISOString(), offsetSeconds: this.clockOffsetMs / 1000 });
        }
        case "GET /state":
          return json(200, { wabas: this.store.listWabas(), flows: this.store.allFlows() });
        case "GET /wabas":
          return json(200, this.store.listWabas());
        case "GET /flows":
          return json(200, this.store.allFlows(w.query.get("wabaId") ?? undefined));
        case "GET /flows/:id": {
          const v = this.store.flowView(decodeURIComponent(flowMatch![1]));
          return v ? json(200, v) : json(404, { error: "flow not found" });
        }
        case "POST /flows/:id":
        case "PATCH /flows/:id":
          return json(200, this.store.patchFlow(decodeURIComponent(flowMatch![1]), (input ?? {}) as FlowPatch));
        case "DELETE /flows/:id":
          return this.store.adminDeleteFlow(decodeURIComponent(flowMatch![1]))
            ? json(200, { deleted: true })
            : json(404, { error: "flow not found" });
        default:
          return json(404, { error: `no admin endpoint ${w.method} ${w.path}` });
      }
    } catch (e) {
      if (isCoreError(e)) {
        const status = e.kind === "NOT_FOUND" || e.kind === "WABA_NOT_FOUND" ? 404 : e.kind === "NAME_TAKEN" ? 409 : 400;
        return json(status, { error: e.message, kind: e.kind });
      }
      return json(400, { error: (e as Error).message });
    }
  }

  /** The 302 a redirecting download answers: same asset and query under `/_emulator/cdn/`, maybe on another host name. */
  private redirectDownload(wire: WireRequest, vendor: string, rest: string): WireResponse {
    const q = wire.query.toString();
    const target = `${ADMIN_PREFIX}/cdn/${vendor}/${rest}${q ? `?${q}` : ""}`;
    const r = this.opts.redirectDownloads;
    let location = target;
    if (typeof r === "object") {
      const u = new URL(wire.baseUrl);
      u.hostname = r.host;
      location = `${u.origin}${target}`;
    }
    return { status: 302, headers: { location, "content-length": "0" } };
  }

  /** Moves the emulator's clock on (budget windows, preview and download-URL expiry): tests need not wait an hour. */
  advanceClock(seconds: number): void {
    this.clockOffsetMs += Math.round(seconds * 1000);
  }

  /** Forgets all flows, faults, logged requests and budget windows; restores the configured WABAs. */
  reset(): void {
    for (const d of this.dialects) if (d instanceof MetaDialect) d.resetBudgets();
    this.store.reset();
    this.templates.reset();
    this.faults.clear();
    this.log.clear();
  }
}
