/**
 * AWS End User Messaging Social, message templates, as `@aws-sdk/client-socialmessaging` puts them on
 * the wire: `POST /v1/whatsapp/template/put` (Create, base64 `templateDefinition` = Meta's create JSON),
 * `GET /v1/whatsapp/template` (Get: `template` = Meta's JSON as a string), `GET /v1/whatsapp/template/list`,
 * `POST /v1/whatsapp/template` (Update, base64 `templateComponents`), `DELETE /v1/whatsapp/template`.
 * Errors in the AWS envelope of the flow dialect. Sources: docs/templates.md.
 */
import type { FlowStore } from "../../core/store";
import { isTemplateError, TemplateError, type TemplateRecord, type TemplateStore } from "../../core/templates";
import type { WabaRecord } from "../../core/types";
import type { AwsDialect } from "../aws";
import type { DialectCall, WireRequest, WireResponse } from "../types";
import { TEMPLATE_ACTIONS, metaTemplateJson, type TemplateDialect, type TemplateOp } from "./shared";

const ROUTES: Record<string, TemplateOp> = {
  "POST /v1/whatsapp/template/put": "create",
  "GET /v1/whatsapp/template": "get",
  "GET /v1/whatsapp/template/list": "list",
  "POST /v1/whatsapp/template": "update",
  "DELETE /v1/whatsapp/template": "delete",
};
const OPERATIONS: Record<TemplateOp, string> = {
  create: "CreateWhatsAppMessageTemplate",
  get: "GetWhatsAppMessageTemplate",
  list: "ListWhatsAppMessageTemplates",
  update: "UpdateWhatsAppMessageTemplate",
  delete: "DeleteWhatsAppMessageTemplate",
};
const LOCATION: Record<TemplateOp, "query" | "body"> = { create: "body", get: "query", list: "query", update: "body", delete: "query" };

type Kind = "string" | "blob" | "boolean" | "integer";
interface Spec {
  kind: Kind;
  min?: number;
  max?: number;
  pattern?: RegExp;
  patternText?: string;
}
const MEMBERS: Record<string, Spec> = {
  id: {
    kind: "string",
    min: 1,
    max: 115,
    pattern: /^(waba-.*|arn:.*:waba\/[0-9a-zA-Z]+)$/s,
    patternText: ".*(^waba-.*$)|(^arn:.*:waba/[0-9a-zA-Z]+$).*",
  },
  templateDefinition: { kind: "blob", min: 1, max: 6000 },
  templateComponents: { kind: "blob", min: 1, max: 3000 },
  metaTemplateId: { kind: "string", min: 1, max: 100, pattern: /^[0-9]+$/, patternText: "^[0-9]+$" },
  templateName: { kind: "string", min: 1, max: 512 },
  templateLanguageCode: { kind: "string", min: 1, max: 6 },
  templateCategory: { kind: "string", min: 1, max: 100 },
  parameterFormat: { kind: "string", min: 1, max: 15 },
  ctaUrlLinkTrackingOptedOut: { kind: "boolean" },
  deleteAllTemplates: { kind: "boolean" },
  nextToken: { kind: "string", min: 1, max: 600 },
  maxResults: { kind: "integer", min: 1, max: 100 },
};
const SHAPES: Record<TemplateOp, { members: string[]; required: string[] }> = {
  create: { members: ["id", "templateDefinition"], required: ["id", "templateDefinition"] },
  get: { members: ["id", "metaTemplateId", "templateName", "templateLanguageCode"], required: ["id"] },
  list: { members: ["id", "nextToken", "maxResults"], required: ["id"] },
  update: {
    members: [
      "id",
      "metaTemplateId",
      "templateName",
      "templateLanguageCode",
      "parameterFormat",
      "templateCategory",
      "templateComponents",
      "ctaUrlLinkTrackingOptedOut",
    ],
    required: ["id"],
  },
  delete: { members: ["id", "templateName", "metaTemplateId", "deleteAllTemplates"], required: ["id", "templateName"] },
};

class WireError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decode(op: TemplateOp, req: WireRequest): Record<string, unknown> {
  const shape = SHAPES[op];
  const raw: Record<string, unknown> = {};
  if (LOCATION[op] === "body") {
    let parsed: unknown = {};
    const text = req.body.toString("utf8");
    if (text.trim() !== "") {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new WireError(400, "SerializationException", "Unable to parse request body as JSON");
      }
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
      throw new WireError(400, "SerializationException", "Request body must be a JSON object");
    for (const m of shape.members) {
      const v = (parsed as Record<string, unknown>)[m];
      if (v !== undefined && v !== null) raw[m] = v;
    }
  } else {
    for (const m of shape.members) {
      const v = req.query.get(m);
      if (v !== null) raw[m] = v;
    }
  }
  const violations: string[] = [];
  for (const m of shape.required)
    if (raw[m] === undefined) violations.push(`Value null at '${m}' failed to satisfy constraint: Member must not be null`);
  const out: Record<string, unknown> = {};
  for (const [m, v] of Object.entries(raw)) {
    const s = MEMBERS[m];
    if (s.kind === "string") {
      if (typeof v !== "string") throw new WireError(400, "SerializationException", `Expected a string for '${m}'`);
      if (v.length < (s.min ?? 0))
        violations.push(`Value '${v}' at '${m}' failed to satisfy constraint: Member must have length greater than or equal to ${s.min}`);
      else if (s.max !== undefined && v.length > s.max)
        violations.push(`Value at '${m}' failed to satisfy constraint: Member must have length less than or equal to ${s.max}`);
      else if (s.pattern && !s.pattern.test(v))
        violations.push(
          `Value '${v}' at '${m}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${s.patternText}`,
        );
      out[m] = v;
    } else if (s.kind === "blob") {
      if (typeof v !== "string" || v.length % 4 !== 0 || !BASE64.test(v))
        throw new WireError(400, "SerializationException", `Invalid base64 value for '${m}'`);
      const bytes = Buffer.from(v, "base64");
      if (bytes.length < (s.min ?? 0))
        violations.push(`Value at '${m}' failed to satisfy constraint: Member must have length greater than or equal to ${s.min}`);
      else if (s.max !== undefined && bytes.length > s.max)
        violations.push(`Value at '${m}' failed to satisfy constraint: Member must have length less than or equal to ${s.max}`);
      out[m] = bytes;
    } else if (s.kind === "boolean") {
      if (typeof v === "boolean") out[m] = v;
      else if (LOCATION[op] === "query" && (v === "true" || v === "false")) out[m] = v === "true";
      else throw new WireError(400, "SerializationException", `Expected a boolean for '${m}'`);
    } else {
      const n = typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : typeof v === "number" ? v : NaN;
      if (!Number.isInteger(n)) throw new WireError(400, "SerializationException", `Expected an integer for '${m}'`);
      if (n < (s.min ?? -Infinity))
        violations.push(`Value '${n}' at '${m}' failed to satisfy constraint: Member must have value greater than or equal to ${s.min}`);
      else if (s.max !== undefined && n > s.max)
        violations.push(`Value '${n}' at '${m}' failed to satisfy constraint: Member must have value less than or equal to ${s.max}`);
      out[m] = n;
    }
  }
  if (violations.length > 0) {
    const n = violations.length;
    throw new WireError(400, "ValidationException", `${n} validation error${n === 1 ? "" : "s"} detected: ${violations.join("; ")}`);
  }
  return out;
}

/** The body as logged: blobs become their decoded JSON (template content is not secret, and tests read it). */
function logBodyOf(op: TemplateOp, req: WireRequest): unknown {
  if (LOCATION[op] !== "body" || req.body.length === 0) return null;
  try {
    const o = JSON.parse(req.body.toString("utf8")) as Record<string, unknown>;
    for (const k of ["templateDefinition", "templateComponents"]) {
      if (typeof o[k] === "string") {
        try {
          o[k] = JSON.parse(Buffer.from(o[k] as string, "base64").toString("utf8"));
        } catch {
          o[k] = { undecodable: true };
        }
      }
    }
    return o;
  } catch {
    return { unparsable: true, length: req.body.length };
  }
}

function parseJsonBlob(b: Buffer, member: string): unknown {
  try {
    return JSON.parse(b.toString("utf8"));
  } catch {
    throw new WireError(400, "InvalidParametersException", `${member} is not valid JSON`);
  }
}

export class AwsTemplateDialect implements TemplateDialect {
  readonly vendor = "aws" as const;
  private tokenSeq = 0;

  constructor(
    private readonly flowDialect: AwsDialect,
    private readonly defaultPageSize = 20,
  ) {}

  resolve(req: WireRequest, flows: FlowStore, templates: TemplateStore): DialectCall | undefined {
    const path = req.path.length > 1 && req.path.endsWith("/") ? req.path.slice(0, -1) : req.path;
    const op = ROUTES[`${req.method} ${path}`];
    if (!op) return undefined;
    return {
      operation: OPERATIONS[op],
      action: TEMPLATE_ACTIONS[op],
      uploadsJson: false,
      logBody: logBodyOf(op, req),
      execute: () => {
        try {
          const input = decode(op, req);
          const key = input.id as string;
          const waba = flows.findWabaBy((w) => w.id === key || w.arn === key);
          if (!waba) throw new WireError(404, "ResourceNotFoundException", `WhatsApp Business Account ${key} not found`);
          return this.run(op, input, waba, templates);
        } catch (e) {
          if (e instanceof WireError) return this.flowDialect.error({ status: e.status, errorType: e.errorType, message: e.message });
          if (isTemplateError(e)) {
            // Meta's refusals: unknown template → 404; anything else → InvalidParametersException with Meta's text.
            if (e.kind === "TEMPLATE_NOT_FOUND" || e.kind === "WABA_NOT_FOUND")
              return this.flowDialect.error({ status: 404, errorType: "ResourceNotFoundException", message: e.message });
            return this.flowDialect.error({ status: 400, errorType: "InvalidParametersException", message: e.message });
          }
          return this.flowDialect.error({
            status: 500,
            errorType: "InternalServiceException",
            message: `Emulator failure: ${(e as Error).message}`,
          });
        }
      },
    };
  }

  /** The template Get/Update address: `metaTemplateId`, or `templateName` + `templateLanguageCode`. */
  private target(i: Record<string, unknown>, waba: WabaRecord, templates: TemplateStore): TemplateRecord {
    if (typeof i.metaTemplateId === "string") return templates.get(waba.id, i.metaTemplateId);
    if (typeof i.templateName === "string" && typeof i.templateLanguageCode === "string") {
      const t = templates.find(waba.id, i.templateName, i.templateLanguageCode);
      if (!t) throw new TemplateError("TEMPLATE_NOT_FOUND", 100, "Message template not found");
      return t;
    }
    throw new WireError(400, "InvalidParametersException", "Provide metaTemplateId, or templateName and templateLanguageCode");
  }

  private run(op: TemplateOp, i: Record<string, unknown>, waba: WabaRecord, templates: TemplateStore): WireResponse {
    const ok = (body: object) => ({ status: 200, headers: { "content-type": "application/json" }, body });
    switch (op) {
      case "create": {
        const def = parseJsonBlob(i.templateDefinition as Buffer, "templateDefinition");
        if (!def || typeof def !== "object" || Array.isArray(def))
          throw new WireError(400, "InvalidParametersException", "templateDefinition must be a JSON object");
        const d = def as Record<string, unknown>;
        const t = templates.create(waba.id, {
          name: d.name as string,
          language: d.language as string,
          category: d.category as string,
          components: d.components as Record<string, unknown>[],
          parameterFormat: typeof d.parameter_format === "string" ? d.parameter_format : undefined,
          messageSendTtlSeconds: typeof d.message_send_ttl_seconds === "number" ? d.message_send_ttl_seconds : undefined,
        });
        return ok({ metaTemplateId: t.id, templateStatus: t.status, category: t.category });
      }
      case "get":
        return ok({ template: JSON.stringify(metaTemplateJson(this.target(i, waba, templates))) });
      case "update": {
        const t = this.target(i, waba, templates);
        const components =
          i.templateComponents !== undefined ? parseJsonBlob(i.templateComponents as Buffer, "templateComponents") : undefined;
        templates.edit(waba.id, t.id, {
          category: i.templateCategory as string | undefined,
          components: components as Record<string, unknown>[] | undefined,
          parameterFormat: typeof i.parameterFormat === "string" ? i.parameterFormat.toUpperCase() : undefined,
        });
        return ok({});
      }
      case "delete": {
        const name = i.templateName as string;
        if (typeof i.metaTemplateId === "string") templates.deleteByName(waba.id, name, i.metaTemplateId);
        else templates.deleteByName(waba.id, name);
        return ok({});
      }
      case "list": {
        const scope = `templates/${waba.id}`;
        let after: bigint | undefined;
        if (typeof i.nextToken === "string") {
          try {
            const t = JSON.parse(Buffer.from(i.nextToken, "base64url").toString("utf8"));
            if (t.s !== scope || typeof t.a !== "string") throw new Error("scope");
            after = BigInt(t.a);
          } catch {
            throw new WireError(400, "InvalidParametersException", "The pagination token is invalid or expired");
          }
        }
        const all = templates.list(waba.id).filter((t) => after === undefined || BigInt(t.id) > after);
        const size = (i.maxResults as number | undefined) ?? this.defaultPageSize;
        const page = all.slice(0, size);
        return ok({
          templates: page.map((t) => ({
            templateName: t.name,
            metaTemplateId: t.id,
            templateStatus: t.status,
            templateQualityScore: t.qualityScore,
            templateLanguage: t.language,
            templateCategory: t.category,
          })),
          ...(all.length > size
            ? {
                nextToken: Buffer.from(JSON.stringify({ s: scope, a: page[page.length - 1].id, n: ++this.tokenSeq })).toString("base64url"),
              }
            : {}),
        });
      }
    }
  }
}
