/**
 * AWS End User Messaging Social, through the real `@aws-sdk/client-socialmessaging`.
 *
 * Credentials come from the SDK's default chain only; region and endpoint from stack config or the
 * usual AWS environment (`AWS_REGION`, `AWS_ENDPOINT_URL_SOCIALMESSAGING`). Nothing here is ever
 * written to state. The SDK is loaded on first use inside methods, so code that imports this module without
 * calling AWS (a program, another vendor's provider) does not load it.
 */
import type { SocialMessagingClient } from "@aws-sdk/client-socialmessaging";
import type { RetryStrategyV2 } from "@smithy/types";
import { flowStatusOf } from "../model";
import { normaliseVendorErrors } from "../validation/vendor";
import { BackendError, BackendErrorKind, CreateFlowRequest, FlowBackend, MetadataChange, RemoteFlow, RemoteFlowSummary } from "./types";
import { downloadText } from "./http";

export interface AwsSettings {
  region?: string;
  /** e.g. the emulator's URL; otherwise the SDK's own resolution (env, ~/.aws/config, the public endpoint). */
  endpoint?: string;
  /** SDK attempts per call, covering throttling (429) and 5xx with exponential backoff. */
  maxAttempts?: number;
}

const isLoopback = (url: string | undefined): boolean => {
  if (!url) return false;
  try {
    const host = new URL(url).hostname;
    return host === "localhost" || host === "::1" || host === "[::1]" || /^127\./.test(host);
  } catch {
    return false;
  }
};

/**
 * AWS's exceptions, by name: the SDK picks the class by the `x-amzn-errortype` name, never the status, so
 * the name is the structure to classify on. Source: the SocialMessaging API reference, "Errors" of every
 * WhatsApp Flow operation (e.g. https://docs.aws.amazon.com/social-messaging/latest/APIReference/API_CreateWhatsAppFlow.html).
 * docs/errors.md holds the same table.
 */
export const AWS_EXCEPTIONS: Readonly<Record<string, BackendErrorKind>> = {
  AccessDeniedException: "ACCESS_DENIED", // 403: the IAM identity may not call this, or not on this WABA
  AccessDeniedByMetaException: "ACCESS_DENIED", // 403: Meta refused AWS's access to the WABA
  ResourceNotFoundException: "NOT_FOUND", // 404: also a WABA of another AWS account (./hooks/gone-proof.ts)
  ThrottledRequestException: "THROTTLED", // 429
  LimitExceededException: "THROTTLED", // 400; the SDK counts its name as throttling
  InternalServiceException: "TRANSIENT", // 500
  DependencyException: "TRANSIENT", // 502: a dependency (Meta) failed; see metaRefusal for Meta's business answers
  InvalidParametersException: "OTHER", // 400
  ValidationException: "OTHER", // 400
};

/**
 * Meta's refusals relayed by AWS. AWS documents no code for them (no field carries Meta's code): only the
 * message carries Meta's description, so the descriptions of Meta's Flows error table
 * (https://developers.facebook.com/docs/whatsapp/flows/reference/error-codes) are matched, as the
 * documented last resort, inside the exceptions that can carry them (400s and DependencyException).
 */
const META_REFUSALS: ReadonlyArray<[RegExp, BackendErrorKind]> = [
  [/flow name is not unique/i, "NAME_TAKEN"],
  [/flow is already deprecated/i, "ALREADY_DEPRECATED"],
  [/flow can'?t be updated/i, "EDIT_REFUSED"], // 139001 (published legacy flow)
  [/publishing flow with validation errors/i, "VALIDATION"], // 139002
  [/publishing flow in invalid state|can'?t deprecate unpublished flow|can'?t delete published flow/i, "INVALID_STATE"], // 139002/3/4
];
const metaRefusal = (message: string): BackendErrorKind | undefined => META_REFUSALS.find(([re]) => re.test(message))?.[1];

/** What an SDK exception (a `ServiceException`) or a network error carries that the classification reads. */
interface AwsFailure {
  name?: string;
  message?: string;
  $fault?: "client" | "server";
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
  code?: string;
}

/** Maps an SDK exception to what the lifecycle needs to know, by the exception's name (AWS_EXCEPTIONS). */
export function classifyAwsError(failure: unknown): BackendError {
  const e: AwsFailure = failure !== null && typeof failure === "object" ? (failure as AwsFailure) : {};
  const name: string = e.name ?? "Error";
  const message: string = e.message ?? String(failure);
  const status: number | undefined = e.$metadata?.httpStatusCode;
  let kind: BackendErrorKind | undefined = AWS_EXCEPTIONS[name];
  if (kind === "OTHER" || name === "DependencyException") kind = metaRefusal(message) ?? kind;
  if (kind === undefined) {
    // A name the model does not list (a newer AWS answer, or a network error): the SDK's own fault flags.
    if (typeof e.code === "string" && ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE"].includes(e.code)) kind = "TRANSIENT";
    else if (name === "CredentialsProviderError") kind = "ACCESS_DENIED";
    // No HTTP answer at all (the SDK wraps a reset or timeout as a plain Error): the call may or may not have landed.
    else if (status === undefined && e.$metadata !== undefined) kind = "TRANSIENT";
    else if (status === 429 || e.$retryable?.throttling === true) kind = "THROTTLED";
    else if (e.$fault === "server" || (status !== undefined && status >= 500)) kind = "TRANSIENT";
    else if (status === 401 || status === 403) kind = "ACCESS_DENIED";
    else kind = "OTHER";
  }
  const where = status ? ` (AWS ${name}, HTTP ${status})` : ` (${name})`;
  return new BackendError(kind, `${message}${where}`, name, status);
}

interface ClientSettings {
  region?: string;
  endpoint?: string;
  maxAttempts: number;
  emulatorCredentials: boolean;
}

type AwsSdk = typeof import("@aws-sdk/client-socialmessaging");

const clients = new Map<string, SocialMessagingClient>();

/**
 * One SDK client per (region, endpoint, attempts) in the provider process, shared by every resource:
 * connections are pooled (keep-alive), credentials resolved once, and the SDK's **adaptive** retry mode
 * keeps one client-side rate limiter for the whole process, so a throttled answer slows every later call
 * of the deployment instead of each resource retrying on its own (issue 9: an up of hundreds of flows
 * under the account's rate limit). The SDK also honours `Retry-After` on each retried call.
 */
function sharedClient(settings: ClientSettings): SocialMessagingClient {
  const key = JSON.stringify(settings);
  let client = clients.get(key);
  if (!client) {
    const sdk = require("@aws-sdk/client-socialmessaging") as typeof import("@aws-sdk/client-socialmessaging");
    client = new sdk.SocialMessagingClient({
      region: settings.region,
      endpoint: settings.endpoint,
      maxAttempts: settings.maxAttempts,
      retryMode: "adaptive",
      // The local emulator ignores signatures; sparing users a fake profile keeps the quickstart two commands.
      ...(settings.emulatorCredentials ? { credentials: { accessKeyId: "emulator", secretAccessKey: "emulator" } } : {}),
    });
    clients.set(key, client);
  }
  return client;
}

const createClients = new Map<string, SocialMessagingClient>();

/**
 * The client creates go through: the same settings and the same adaptive retry strategy (one rate limiter)
 * as the shared client, except that the SDK never sends a CreateWhatsAppFlow again after an answer that may
 * have created the flow (a 5xx, DependencyException 502, a dropped connection: the SDK would retry those).
 * Only a throttled answer, a refusal before anything was done, is retried. After any other failure the
 * lifecycle looks the name up (execute.ts createOrAdopt), so an applied create is adopted, never duplicated.
 */
function createClient(settings: ClientSettings): SocialMessagingClient {
  const key = JSON.stringify(settings);
  let client = createClients.get(key);
  if (!client) {
    const shared = sharedClient(settings);
    const strategy = async () => (await (shared.config as { retryStrategy: () => Promise<unknown> }).retryStrategy()) as RetryStrategyV2;
    const onlyThrottling: RetryStrategyV2 & { mode: string } = {
      mode: "adaptive",
      acquireInitialRetryToken: async (scope) => (await strategy()).acquireInitialRetryToken(scope),
      refreshRetryTokenForRetry: async (token, info) => {
        // Rejecting makes the SDK throw the answer it got, without another attempt.
        if (info.errorType !== "THROTTLING") throw new Error("CreateWhatsAppFlow is never resent by the SDK");
        return (await strategy()).refreshRetryTokenForRetry(token, info);
      },
      recordSuccess: (token) => void strategy().then((s) => s.recordSuccess(token)),
    };
    const sdk = require("@aws-sdk/client-socialmessaging") as typeof import("@aws-sdk/client-socialmessaging");
    client = new sdk.SocialMessagingClient({
      region: settings.region,
      endpoint: settings.endpoint,
      maxAttempts: settings.maxAttempts,
      retryStrategy: onlyThrottling,
      ...(settings.emulatorCredentials ? { credentials: { accessKeyId: "emulator", secretAccessKey: "emulator" } } : {}),
    });
    createClients.set(key, client);
  }
  return client;
}

/** Closes the shared clients' connections (tests; a provider process just exits). */
export function closeAwsClients(): void {
  for (const c of [...clients.values(), ...createClients.values()]) c.destroy();
  clients.clear();
  createClients.clear();
}

export class AwsBackend implements FlowBackend {
  readonly vendor = "aws";
  /** `waba` is the AWS linked-WABA id (`waba-…`) or the WABA ARN. */
  constructor(
    protected readonly waba: string,
    private readonly settings: AwsSettings = {},
  ) {}

  protected client(forCreate = false): SocialMessagingClient {
    const endpoint = this.settings.endpoint || process.env.AWS_ENDPOINT_URL_SOCIALMESSAGING || process.env.AWS_ENDPOINT_URL;
    const region = this.settings.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION;
    const haveCredentials = !!process.env.AWS_ACCESS_KEY_ID || !!process.env.AWS_PROFILE;
    const emulatorCredentials = isLoopback(endpoint) && !haveCredentials;
    const settings: ClientSettings = {
      region: region || (isLoopback(endpoint) ? "us-east-1" : undefined),
      endpoint: this.settings.endpoint || undefined,
      maxAttempts: this.settings.maxAttempts ?? 4,
      emulatorCredentials,
    };
    return forCreate ? createClient(settings) : sharedClient(settings);
  }

  /** Runs one SDK call (`client.send(new sdk.XCommand(…))`, typed by the SDK's own output types), errors classified. */
  protected async call<T>(send: (client: SocialMessagingClient, sdk: AwsSdk) => Promise<T>, forCreate = false): Promise<T> {
    const sdk = require("@aws-sdk/client-socialmessaging") as AwsSdk;
    try {
      return await send(this.client(forCreate), sdk);
    } catch (e) {
      throw classifyAwsError(e);
    }
  }

  /** An account-level call's not-found is the WABA (wrong id, region or AWS account), never a gone flow. */
  private accountLevel(e: unknown, what = `WABA ${this.waba}`): never {
    if (e instanceof BackendError && e.kind === "NOT_FOUND") {
      throw new BackendError(
        "OTHER",
        `${e.message}: AWS does not know ${what} here (is the WABA linked in this AWS account and region?)`,
        e.vendorCode,
        e.httpStatus,
      );
    }
    throw e;
  }

  async createFlow(req: CreateFlowRequest) {
    const out = await this.call(
      (client, sdk) =>
        client.send(
          new sdk.CreateWhatsAppFlowCommand({
            id: this.waba,
            flowName: req.name,
            categories: req.categories,
            ...(req.cloneFlowId ? { cloneFlowId: req.cloneFlowId } : {}),
            ...(req.flowJson !== undefined ? { flowJson: Buffer.from(req.flowJson, "utf8") } : {}),
            ...(req.publish !== undefined ? { publish: req.publish } : {}),
          }),
        ),
      true,
    ).catch((e) => this.accountLevel(e, req.cloneFlowId ? `WABA ${this.waba} or flow ${req.cloneFlowId} (cloneFlowId)` : undefined));
    if (!out.flowId) throw new BackendError("OTHER", "AWS CreateWhatsAppFlow answered without a flowId");
    return { id: out.flowId, validationErrors: normaliseVendorErrors(out.validationErrors ?? []) };
  }

  async getFlow(flowId: string): Promise<RemoteFlow | undefined> {
    try {
      const out = await this.call((client, sdk) => client.send(new sdk.GetWhatsAppFlowCommand({ id: this.waba, flowId })));
      return {
        id: out.flowId ?? flowId,
        name: out.flowName ?? "",
        status: flowStatusOf(out.flowStatus),
        categories: out.categories ?? [],
        validationErrors: normaliseVendorErrors(out.validationErrors ?? []),
        jsonVersion: out.jsonVersion ?? null,
        previewUrl: out.preview?.previewUrl ?? null,
        previewExpiresAt: out.preview?.expiresAt ?? null,
        healthStatus: out.healthStatus?.canSendMessage ?? null,
        endpointUri: out.endpointUri ?? null,
      };
    } catch (e) {
      if (e instanceof BackendError && e.kind === "NOT_FOUND") return undefined;
      throw e;
    }
  }

  async listFlows(): Promise<RemoteFlowSummary[]> {
    const sdk = require("@aws-sdk/client-socialmessaging") as typeof import("@aws-sdk/client-socialmessaging");
    const client = this.client();
    const flows: RemoteFlowSummary[] = [];
    try {
      // The SDK's paginator: it stops when nextToken is absent.
      for await (const page of sdk.paginateListWhatsAppFlows({ client, pageSize: 100 }, { id: this.waba })) {
        for (const f of page.flows ?? []) {
          flows.push({
            id: f.flowId ?? "",
            name: f.flowName ?? "",
            status: flowStatusOf(f.flowStatus),
            categories: f.flowCategories ?? [],
          });
        }
      }
    } catch (e) {
      this.accountLevel(classifyAwsError(e));
    }
    return flows;
  }

  async updateMetadata(flowId: string, change: MetadataChange) {
    await this.call((client, sdk) =>
      client.send(
        new sdk.UpdateWhatsAppFlowCommand({
          id: this.waba,
          flowId,
          ...(change.name !== undefined ? { flowName: change.name } : {}),
          ...(change.categories !== undefined ? { categories: change.categories } : {}),
        }),
      ),
    );
  }

  async uploadFlowJson(flowId: string, flowJson: string) {
    const out = await this.call((client, sdk) =>
      client.send(new sdk.UpdateWhatsAppFlowAssetsCommand({ id: this.waba, flowId, flowJson: Buffer.from(flowJson, "utf8") })),
    );
    return { validationErrors: normaliseVendorErrors(out.validationErrors ?? []) };
  }

  async downloadFlowJson(flowId: string): Promise<string | undefined> {
    const out = await this.call((client, sdk) => client.send(new sdk.ListWhatsAppFlowAssetsCommand({ id: this.waba, flowId })));
    const asset = (out.flowAssets ?? []).find((a) => a.assetType === "FLOW_JSON" || a.name === "flow.json");
    if (!asset?.downloadUrl) return undefined;
    return downloadText(asset.downloadUrl);
  }

  async publish(flowId: string) {
    await this.call((client, sdk) => client.send(new sdk.PublishWhatsAppFlowCommand({ id: this.waba, flowId })));
  }

  async deprecate(flowId: string) {
    await this.call((client, sdk) => client.send(new sdk.DeprecateWhatsAppFlowCommand({ id: this.waba, flowId })));
  }

  async deleteFlow(flowId: string) {
    await this.call((client, sdk) => client.send(new sdk.DeleteWhatsAppFlowCommand({ id: this.waba, flowId })));
  }

  async getPreview(flowId: string, invalidate?: boolean) {
    const out = await this.call((client, sdk) =>
      client.send(new sdk.GetWhatsAppFlowPreviewCommand({ id: this.waba, flowId, ...(invalidate ? { invalidate: true } : {}) })),
    );
    return out.preview?.previewUrl ? { url: out.preview.previewUrl, expiresAt: String(out.preview.expiresAt) } : undefined;
  }
}
