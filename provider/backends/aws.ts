/**
 * AWS End User Messaging Social, through the real `@aws-sdk/client-socialmessaging`.
 *
 * Credentials come from the SDK's default chain only; region and endpoint from stack config or the
 * usual AWS environment (`AWS_REGION`, `AWS_ENDPOINT_URL_SOCIALMESSAGING`). Nothing here is ever
 * written to state. The SDK is loaded on first use inside methods, so code that imports this module without
 * calling AWS (a program, another vendor's provider) does not load it.
 */
import type { SocialMessagingClient } from "@aws-sdk/client-socialmessaging";
import { flowStatusOf } from "../model";
import { normaliseVendorErrors } from "../validation";
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

/** What an SDK exception (a `ServiceException`) or a network error carries that the classification reads. */
interface AwsFailure {
  name?: string;
  message?: string;
  $fault?: "client" | "server";
  $metadata?: { httpStatusCode?: number };
  code?: string;
}

/** Maps an SDK exception to what the lifecycle needs to know. Meta's business errors arrive as text. */
export function classifyAwsError(failure: unknown): BackendError {
  const e: AwsFailure = failure !== null && typeof failure === "object" ? (failure as AwsFailure) : {};
  const name: string = e.name ?? "Error";
  const message: string = e.message ?? String(failure);
  const status: number | undefined = e.$metadata?.httpStatusCode;
  let kind: BackendErrorKind = "OTHER";
  if (/not unique|name.*(taken|exists)/i.test(message)) kind = "NAME_TAKEN";
  else if (/already deprecated/i.test(message)) kind = "ALREADY_DEPRECATED";
  else if (name === "ResourceNotFoundException" || /does not exist/i.test(message)) kind = "NOT_FOUND";
  // Meta's answer to an edit of a published legacy flow (139001), passed through by AWS.
  else if (/can't be updated|cannot be updated/i.test(message)) kind = "EDIT_REFUSED";
  else if (/invalid state|unpublished|published flow|deprecated/i.test(message)) kind = "INVALID_STATE";
  else if (/validation errors/i.test(message)) kind = "VALIDATION";
  else if (name === "ThrottledRequestException" || status === 429) kind = "THROTTLED";
  else if (e.$fault === "server" || (status !== undefined && status >= 500)) kind = "TRANSIENT";
  else if (name === "AccessDeniedException" || name === "AccessDeniedByMetaException") kind = "ACCESS_DENIED";
  else if (e.code === "ECONNREFUSED" || e.code === "ECONNRESET" || e.code === "ETIMEDOUT") kind = "TRANSIENT";
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

/** Closes the shared clients' connections (tests; a provider process just exits). */
export function closeAwsClients(): void {
  for (const c of clients.values()) c.destroy();
  clients.clear();
}

export class AwsBackend implements FlowBackend {
  readonly vendor = "aws";
  /** `waba` is the AWS linked-WABA id (`waba-…`) or the WABA ARN. */
  constructor(
    private readonly waba: string,
    private readonly settings: AwsSettings = {},
  ) {}

  private client(): SocialMessagingClient {
    const endpoint = this.settings.endpoint || process.env.AWS_ENDPOINT_URL_SOCIALMESSAGING || process.env.AWS_ENDPOINT_URL;
    const region = this.settings.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION;
    const haveCredentials = !!process.env.AWS_ACCESS_KEY_ID || !!process.env.AWS_PROFILE;
    const emulatorCredentials = isLoopback(endpoint) && !haveCredentials;
    return sharedClient({
      region: region || (isLoopback(endpoint) ? "us-east-1" : undefined),
      endpoint: this.settings.endpoint || undefined,
      maxAttempts: this.settings.maxAttempts ?? 4,
      emulatorCredentials,
    });
  }

  /** Runs one SDK call (`client.send(new sdk.XCommand(…))`, typed by the SDK's own output types), errors classified. */
  private async call<T>(send: (client: SocialMessagingClient, sdk: AwsSdk) => Promise<T>): Promise<T> {
    const sdk = require("@aws-sdk/client-socialmessaging") as AwsSdk;
    try {
      return await send(this.client(), sdk);
    } catch (e) {
      throw classifyAwsError(e);
    }
  }

  async createFlow(req: CreateFlowRequest) {
    const out = await this.call((client, sdk) =>
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
    );
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
      throw classifyAwsError(e);
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
