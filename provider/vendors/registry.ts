/**
 * The vendor registry: one entry per vendor, the way pulumi-awsx maps a type to its constructor. An
 * entry says how the vendor's account reference parses, what the vendor can do (capabilities, read by
 * the pure lifecycle planner), where its settings come from, and how its backend is built.
 *
 * Nothing outside this file and the vendor's backend file knows a vendor by name: the planner decides
 * from capabilities, the hooks from the parsed account.
 */
import type { FlowBackend } from "../backends/types";
import type { TemplateBackend } from "../backends/templates/types";
import { FLOW_CATEGORIES, type FlowCategory } from "../model";

/**
 * The vendors, by registry name: the keys of VENDORS. Every other list of vendors (validator targets,
 * the emulator's dialects and account identities, CLI options, test harnesses, benchmarks) is typed from
 * this one, so a fifth entry here makes the compiler point at each place that must learn about it.
 */
export type VendorName = keyof typeof VENDORS;

/** Which vendor's rules the offline validator applies (one per vendor; several may apply Meta's). */
export type ValidationTarget = VendorName;

export interface VendorCapabilities {
  /**
   * What the vendor does with an edit (JSON or metadata) of a PUBLISHED flow: `redraft` edits it in
   * place and sends it back to DRAFT (it must be re-published right after); `refuse` answers an error,
   * so a changed published flow is replaced (new flow live first, old one deprecated after). A vendor
   * that redrafts may still refuse some flows (Meta's legacy flows): that answer is handled at run time.
   */
  publishedEdits: "redraft" | "refuse";
  /** Create can carry the Flow JSON and publish in the same call. */
  publishOnCreate: boolean;
  /** Create can copy another flow of the same account (`cloneFlowId`). */
  clone: boolean;
  /** Categories the vendor accepts. */
  categories: readonly FlowCategory[];
  /** How long a preview URL lives, in hours (what the vendor documents; the emulator's previews live as long). */
  previewLifetimeHours: number;
  /** The vendor sets a flow's endpoint URI (data-exchange flows). */
  endpointUri: boolean;
  /** The vendor takes an application id for endpoint flows (Meta: the connected app, needed to publish one). */
  applicationId: "none" | "optional" | "required-for-endpoint-flows";
  /**
   * Which vendor's rules the offline validator applies (e.g. AWS publishes only some JSON versions): a
   * registry name, usually the vendor's own (validationTargetOf checks it; registry.test.ts for every entry).
   */
  validationTarget: string;
}

/** What a vendor's message-template API allows (docs/templates.md, per vendor, with sources). */
export interface TemplateCapabilities {
  /** Edits an existing template (Meta's rules: components, and the category unless APPROVED). Otherwise every change replaces it. */
  edit: boolean;
  /** `id`: deletes one template (one language); `name`: deletes every language of a name. */
  deleteBy: "id" | "name";
  /** The create answer carries the template id (8x8 answers `{}`: the id is looked up by name + language). */
  createAnswersId: boolean;
  /** Longest button text the vendor accepts. */
  maxButtonText: number;
}

/** A parsed account reference: which vendor, its canonical string, and the vendor's own ids. */
export interface AccountRef<V extends string = VendorName> {
  vendor: V;
  /** Canonical form, compared by diff (`aws:waba-…`, `360dialog:<partner>/<account>`, …). */
  canonical: string;
  /** The vendor's ids, by the names its API uses. */
  ids: Record<string, string>;
}

/** A provider setting: a stack config key (namespace `whatsapp-flows`) and an environment fallback. */
export interface SettingSpec {
  /** Config key without namespace, e.g. `360dialogApiKey` (set with `pulumi config set --secret whatsapp-flows:…`). */
  configKey: string;
  env: string[];
  secret?: boolean;
  default?: string;
  description: string;
}

export interface VendorEntry {
  /** The registry name (its key in VENDORS). */
  name: string;
  displayName: string;
  /** The reference format, shown in errors: e.g. `360dialog:<partner_id>/<waba_account_id>`. */
  accountFormat: string;
  /** Parses the part after `<vendor>:` (or a whole legacy reference); undefined when malformed. */
  parseAccount(rest: string): Record<string, string> | undefined;
  /** Renders the canonical reference from the ids. */
  formatAccount(ids: Record<string, string>): string;
  capabilities: VendorCapabilities;
  /** Settings by role; `credential` (when present) is required before any call. */
  settings: Record<string, SettingSpec>;
  /** Where the credential comes from when no `credential` setting names it (for messages). */
  credentialSource?: string;
  createBackend(account: AccountRef<string>, settings: (role: string) => string | undefined): FlowBackend;
  templates: TemplateCapabilities;
  createTemplateBackend(account: AccountRef<string>, settings: (role: string) => string | undefined): TemplateBackend;
}

const META_CATEGORIES = FLOW_CATEGORIES.filter((c) => c !== "SHOPPING");
const AWS_WABA = /^(waba-[0-9a-zA-Z]+|arn:[^\s]*:waba\/[0-9a-zA-Z]+)$/;
const UUID = /^[0-9A-Fa-f]{8}-?(?:[0-9A-Fa-f]{4}-?){3}[0-9A-Fa-f]{12}$/;
const ID_SEGMENT = /^[A-Za-z0-9_-]{1,100}$/;

const httpSettings = (vendor: string, prefix: string, envPrefix: string, credentialWord: string, defaultUrl: string | undefined) => ({
  credential: {
    configKey: `${prefix}${credentialWord}`,
    env: [`WHATSAPP_FLOWS_${envPrefix}_${credentialWord.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase()}`],
    secret: true,
    description: `${vendor} ${credentialWord === "Token" ? "access token" : "API key"}`,
  },
  baseUrl: {
    configKey: `${prefix}BaseUrl`,
    env: [`WHATSAPP_FLOWS_${envPrefix}_BASE_URL`],
    ...(defaultUrl ? { default: defaultUrl } : {}),
    description: `${vendor} API base URL (e.g. the emulator's URL)`,
  },
  maxAttempts: { configKey: "maxAttempts", env: [], description: "attempts per call (retries of 429/5xx)" },
});

// Backends are required on first use (typed by their module): a program importing the registry, or a
// provider serving one vendor, never loads the other vendors' clients.
export const VENDORS = {
  aws: {
    name: "aws",
    displayName: "AWS End User Messaging Social",
    accountFormat: "aws:waba-<id> (or a plain waba-<id>, or a WABA ARN)",
    parseAccount: (rest) => (rest.length <= 115 && AWS_WABA.test(rest) ? { id: rest } : undefined),
    formatAccount: (ids) => `aws:${ids.id}`,
    capabilities: {
      publishedEdits: "redraft",
      publishOnCreate: true,
      clone: true,
      categories: FLOW_CATEGORIES,
      previewLifetimeHours: 30 * 24,
      endpointUri: false,
      applicationId: "none",
      validationTarget: "aws",
    },
    settings: {
      region: { configKey: "awsRegion", env: ["AWS_REGION", "AWS_DEFAULT_REGION"], description: "AWS region" },
      endpoint: {
        configKey: "awsEndpoint",
        env: ["AWS_ENDPOINT_URL_SOCIALMESSAGING", "AWS_ENDPOINT_URL"],
        description: "AWS endpoint (e.g. the emulator's URL)",
      },
      maxAttempts: { configKey: "maxAttempts", env: ["AWS_MAX_ATTEMPTS"], description: "attempts per call" },
    },
    credentialSource: "the AWS SDK's default credential chain: AWS_PROFILE, AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, ~/.aws",
    templates: { edit: true, deleteBy: "id", createAnswersId: true, maxButtonText: 25 },
    createTemplateBackend(account, setting) {
      const mod = require("../backends/templates/aws") as typeof import("../backends/templates/aws");
      const attempts = setting("maxAttempts");
      return new mod.AwsTemplateBackend(account.ids.id, {
        region: setting("region"),
        endpoint: setting("endpoint"),
        maxAttempts: attempts ? Number(attempts) : undefined,
      });
    },
    createBackend(account, setting) {
      const { AwsBackend } = require("../backends/aws") as typeof import("../backends/aws");
      const attempts = setting("maxAttempts");
      return new AwsBackend(account.ids.id, {
        region: setting("region"),
        endpoint: setting("endpoint"),
        maxAttempts: attempts ? Number(attempts) : undefined,
      });
    },
  },
  meta: {
    name: "meta",
    displayName: "Meta WhatsApp Cloud API",
    accountFormat: "meta:<WABA id> (Meta's numeric WhatsApp Business Account id)",
    parseAccount: (rest) => (/^[0-9]{1,30}$/.test(rest) ? { wabaId: rest } : undefined),
    formatAccount: (ids) => `meta:${ids.wabaId}`,
    capabilities: {
      publishedEdits: "redraft",
      publishOnCreate: true,
      clone: true,
      categories: META_CATEGORIES,
      previewLifetimeHours: 30 * 24,
      endpointUri: true,
      applicationId: "required-for-endpoint-flows",
      validationTarget: "meta",
    },
    settings: {
      ...httpSettings("Meta", "meta", "META", "Token", "https://graph.facebook.com"),
      graphVersion: { configKey: "metaGraphVersion", env: ["WHATSAPP_FLOWS_META_GRAPH_VERSION"], description: "Graph API version" },
    },
    templates: { edit: true, deleteBy: "id", createAnswersId: true, maxButtonText: 25 },
    createTemplateBackend(account, setting) {
      const mod = require("../backends/templates/meta") as typeof import("../backends/templates/meta");
      const graph = require("../backends/meta") as typeof import("../backends/meta");
      return new mod.MetaTemplateBackend(
        { wabaId: account.ids.wabaId },
        { ...httpBackendSettings(setting), graphVersion: setting("graphVersion") || graph.DEFAULT_GRAPH_VERSION },
      );
    },
    createBackend(account, setting) {
      const mod = require("../backends/meta") as typeof import("../backends/meta");
      return new mod.MetaBackend(
        { wabaId: account.ids.wabaId },
        { ...httpBackendSettings(setting), graphVersion: setting("graphVersion") || mod.DEFAULT_GRAPH_VERSION },
      );
    },
  },
  "360dialog": {
    name: "360dialog",
    displayName: "360dialog Partner API",
    accountFormat: "360dialog:<partner_id>/<waba_account_id> (360dialog's ids, not Meta's)",
    parseAccount: (rest) => {
      const [partnerId, wabaAccountId, extra] = rest.split("/");
      return extra === undefined && ID_SEGMENT.test(partnerId ?? "") && ID_SEGMENT.test(wabaAccountId ?? "")
        ? { partnerId, wabaAccountId }
        : undefined;
    },
    formatAccount: (ids) => `360dialog:${ids.partnerId}/${ids.wabaAccountId}`,
    capabilities: {
      publishedEdits: "refuse",
      publishOnCreate: false,
      clone: true,
      categories: META_CATEGORIES,
      previewLifetimeHours: 30 * 24,
      endpointUri: true,
      applicationId: "none",
      validationTarget: "360dialog",
    },
    settings: httpSettings("360dialog", "360dialog", "360DIALOG", "ApiKey", "https://hub.360dialog.io"),
    // Edit is undocumented in the Partner API (docs/templates.md, "Conflict: edit"): replace-only.
    templates: { edit: false, deleteBy: "name", createAnswersId: true, maxButtonText: 25 },
    createTemplateBackend(account, setting) {
      const mod = require("../backends/templates/dialog360") as typeof import("../backends/templates/dialog360");
      return new mod.Dialog360TemplateBackend(
        { partnerId: account.ids.partnerId, wabaAccountId: account.ids.wabaAccountId },
        httpBackendSettings(setting),
      );
    },
    createBackend(account, setting) {
      const { Dialog360Backend } = require("../backends/dialog360") as typeof import("../backends/dialog360");
      return new Dialog360Backend(
        { partnerId: account.ids.partnerId, wabaAccountId: account.ids.wabaAccountId },
        httpBackendSettings(setting),
      );
    },
  },
  "8x8": {
    name: "8x8",
    displayName: "8x8 Chat Apps",
    accountFormat: "8x8:<accountId>/<channelId> (the account UUID and the WhatsApp channel id)",
    parseAccount: (rest) => {
      const [accountId, channelId, extra] = rest.split("/");
      return extra === undefined && UUID.test(accountId ?? "") && ID_SEGMENT.test(channelId ?? "") ? { accountId, channelId } : undefined;
    },
    formatAccount: (ids) => `8x8:${ids.accountId}/${ids.channelId}`,
    capabilities: {
      publishedEdits: "refuse",
      publishOnCreate: true,
      clone: true,
      categories: META_CATEGORIES,
      previewLifetimeHours: 48,
      endpointUri: true,
      applicationId: "optional",
      validationTarget: "8x8",
    },
    settings: {
      ...httpSettings("8x8", "8x8", "8X8", "ApiKey", undefined),
      region: {
        configKey: "8x8Region",
        env: ["WHATSAPP_FLOWS_8X8_REGION"],
        default: "ap",
        description: "8x8 region: ap (Asia-Pacific), us (North America), uk (Europe), id (Indonesia)",
      },
      apiStyle: {
        configKey: "8x8ApiStyle",
        env: ["WHATSAPP_FLOWS_8X8_API_STYLE"],
        default: "accounts",
        description:
          "8x8 Flows API path: accounts (/api/v1/accounts/{accountId}/channels/{channelId}/flows, the OpenAPI) or config (/config/v1/channels/whatsapp/{channelId}/flows, the WhatsApp Flows guide)",
      },
    },
    // No edit; delete by name; create answers `{}`; the OpenAPI caps button text at 20 (docs/templates.md).
    templates: { edit: false, deleteBy: "name", createAnswersId: false, maxButtonText: 20 },
    createTemplateBackend(account, setting) {
      const mod = require("../backends/templates/eightbyeight") as typeof import("../backends/templates/eightbyeight");
      const flows = require("../backends/eightbyeight") as typeof import("../backends/eightbyeight");
      const region = setting("region") || "ap";
      const baseUrl = setting("baseUrl") || flows.EIGHT_BY_EIGHT_REGIONS[region];
      if (!baseUrl)
        throw new Error(`8x8 region "${region}" is unknown; expected one of ${Object.keys(flows.EIGHT_BY_EIGHT_REGIONS).join(", ")}`);
      return new mod.EightByEightTemplateBackend(
        { accountId: account.ids.accountId, channelId: account.ids.channelId },
        { ...httpBackendSettings(setting), baseUrl },
      );
    },
    createBackend(account, setting) {
      const mod = require("../backends/eightbyeight") as typeof import("../backends/eightbyeight");
      const base = httpBackendSettings(setting);
      const region = setting("region") || "ap";
      const baseUrl = setting("baseUrl") || mod.EIGHT_BY_EIGHT_REGIONS[region];
      if (!baseUrl)
        throw new Error(`8x8 region "${region}" is unknown; expected one of ${Object.keys(mod.EIGHT_BY_EIGHT_REGIONS).join(", ")}`);
      const apiStyle = mod.EIGHT_BY_EIGHT_API_STYLES.find((s) => s === (setting("apiStyle") || "accounts"));
      if (!apiStyle)
        throw new Error(`8x8 API style "${setting("apiStyle")}" is unknown; expected one of ${mod.EIGHT_BY_EIGHT_API_STYLES.join(", ")}`);
      return new mod.EightByEightBackend(
        { accountId: account.ids.accountId, channelId: account.ids.channelId },
        { ...base, baseUrl, apiStyle },
      );
    },
  },
} satisfies Record<string, VendorEntry>;

function httpBackendSettings(setting: (role: string) => string | undefined) {
  const attempts = setting("maxAttempts");
  return {
    baseUrl: setting("baseUrl") ?? "",
    credential: setting("credential") ?? "",
    ...(attempts ? { maxAttempts: Number(attempts) } : {}),
  };
}

export const VENDOR_NAMES = Object.keys(VENDORS) as VendorName[];

/** Whether a string is a registry name. */
export const isVendorName = (s: string): s is VendorName => Object.prototype.hasOwnProperty.call(VENDORS, s);

/** The environment variable that carries a vendor's credential (undefined: the vendor's SDK finds its own, AWS). */
export function credentialEnv(vendor: VendorName): string | undefined {
  const settings: Record<string, SettingSpec> = VENDORS[vendor].settings;
  return settings.credential?.env[0];
}

/** The validator target of a vendor's flows. */
export function validationTargetOf(entry: VendorEntry): ValidationTarget {
  const target = entry.capabilities.validationTarget;
  if (!isVendorName(target)) throw new Error(`internal error: vendor ${entry.name} names an unknown validation target "${target}"`);
  return target;
}

/** The formats every vendor accepts, for error messages. */
export const ACCOUNT_FORMATS = VENDOR_NAMES.map((v) => VENDORS[v].accountFormat);

/**
 * Parses an account reference (`pulumi config set waba …`): `<vendor>:<vendor's form>`, or a plain
 * AWS linked-WABA id / WABA ARN (what the first release took). Returns a reason when malformed.
 */
export function parseAccountRef(ref: string): { account: AccountRef } | { error: string } {
  if (typeof ref !== "string" || ref.trim() === "") return { error: `must be an account reference: one of ${ACCOUNT_FORMATS.join("; ")}` };
  const colon = ref.indexOf(":");
  const prefix = colon > 0 ? ref.slice(0, colon) : "";
  const entry = (VENDORS as Record<string, VendorEntry>)[prefix];
  if (prefix === "arn" || (!entry && AWS_WABA.test(ref))) {
    // Plain AWS references (the first release's only form) and WABA ARNs, which contain colons.
    const ids = VENDORS.aws.parseAccount(ref);
    if (ids) return { account: { vendor: "aws", canonical: VENDORS.aws.formatAccount(ids), ids } };
    return { error: `"${ref}" is not a valid AWS reference; expected ${VENDORS.aws.accountFormat}` };
  }
  if (!entry || !Object.prototype.hasOwnProperty.call(VENDORS, prefix)) {
    return { error: `"${ref}" names no known vendor; expected one of ${ACCOUNT_FORMATS.join("; ")}` };
  }
  const ids = entry.parseAccount(ref.slice(colon + 1));
  if (!ids) return { error: `"${ref}" is not a valid ${entry.displayName} reference; expected ${entry.accountFormat}` };
  return { account: { vendor: prefix as VendorName, canonical: entry.formatAccount(ids), ids } };
}

/** Same as parseAccountRef, throwing; for references already accepted by `check`. */
export function accountOf(ref: string): AccountRef {
  const parsed = parseAccountRef(ref);
  if ("error" in parsed) throw new Error(`account reference ${parsed.error}`);
  return parsed.account;
}

/** Two references to the same account (`waba-x` and `aws:waba-x` are one account). */
export function sameAccount(a: string, b: string): boolean {
  const pa = parseAccountRef(a);
  const pb = parseAccountRef(b);
  return "account" in pa && "account" in pb ? pa.account.canonical === pb.account.canonical : a === b;
}

export function vendorOf(account: AccountRef): VendorEntry {
  return VENDORS[account.vendor];
}
