/**
 * Hooks of the `Flow` resource (identity and metadata: WABA, name, categories). Pulumi glue only:
 * inputs are checked here, decisions come from ../lifecycle/plan, calls go through a FlowBackend.
 */
import type * as pulumi from "@pulumi/pulumi";
import { STATE_SCHEMA_VERSION, isUnknown } from "../model";
import type { FlowInputs, FlowOutputs } from "../model";
import type { FlowBackend, RemoteFlow } from "../backends/types";
import { BackendError, isBackendError } from "../backends/types";
import { decideAdoption, planMetadataChange, planRemoval, sameCategories } from "../lifecycle/plan";
import { executePlan } from "../lifecycle/execute";
import { backendFor } from "../settings";
import { checkFlowInputs, compact } from "./inputs";
import { executionContext } from "./context";
import { progress } from "./messages";

/** An error the dynamic-provider host records as "created, but failed to initialise": no duplicate next time. */
class PartialCreateError extends Error {
  constructor(
    readonly id: string,
    readonly properties: Record<string, unknown>,
    message: string,
  ) {
    super(message);
    this.name = "PartialCreateError";
  }
  get reasons(): string[] {
    return [this.message];
  }
}

function outputsFrom(inputs: FlowInputs, remote: RemoteFlow, vendor: string): FlowOutputs {
  return compact({
    ...inputs,
    schemaVersion: STATE_SCHEMA_VERSION,
    vendor,
    flowId: remote.id,
    name: remote.name ?? inputs.name,
    categories: (remote.categories?.length ? remote.categories : inputs.categories) as FlowInputs["categories"],
    status: remote.status,
    validationErrors: remote.validationErrors,
    jsonVersion: remote.jsonVersion,
    previewUrl: remote.previewUrl,
    previewExpiresAt: remote.previewExpiresAt,
  });
}

/** Flow operations carry no JSON file of their own; vendor validation errors are attributed to the vendor. */
const context = (backend: FlowBackend, waba: string, flowId: string, flowName: string) =>
  executionContext(backend, { waba, flowId, flowName, file: "(vendor)" });

async function createOrAdopt(backend: FlowBackend, inputs: FlowInputs): Promise<{ id: string; adopted: boolean }> {
  try {
    const created = await backend.createFlow(inputs.waba, {
      name: inputs.name,
      categories: inputs.categories,
      cloneFlowId: inputs.cloneFlowId,
    });
    return { id: created.id, adopted: false };
  } catch (e) {
    // A name clash, or a failure after which the vendor may have applied the create anyway (the AWS SDK
    // also retries 5xx on this non-idempotent call): look the name up before anything else.
    const mayExist = isBackendError(e, "NAME_TAKEN") || isBackendError(e, "TRANSIENT") || isBackendError(e, "THROTTLED") || isBackendError(e, "OTHER");
    if (!mayExist) throw e;
    const existing = await backend.findFlowByName(inputs.waba, inputs.name);
    if (!existing) throw e;
    const hasFlowJson = inputs.cloneFlowId ? false : (await backend.downloadFlowJson(inputs.waba, existing.id)) !== undefined;
    const decision = decideAdoption(
      { ...existing, hasFlowJson },
      { categories: inputs.categories, adoptExisting: inputs.adoptExisting === true },
      inputs.waba,
    );
    if (!decision.adopt) throw new BackendError("NAME_TAKEN", `Flow "${inputs.name}": ${decision.reason}`);
    progress(`flow "${inputs.name}": ${decision.reason}`);
    return { id: existing.id, adopted: true };
  }
}

export const flowHooks = {
  async check(_olds: any, news: any) {
    return checkFlowInputs(news);
  },

  async diff(_id: string, olds: FlowOutputs, news: FlowInputs) {
    const replaces: string[] = [];
    if (isUnknown(news.waba) || olds.waba !== news.waba) replaces.push("waba");
    const changed =
      replaces.length > 0 ||
      isUnknown(news.name) ||
      olds.name !== news.name ||
      isUnknown(news.categories) ||
      !sameCategories(olds.categories ?? [], news.categories);
    // cloneFlowId and adoptExisting only matter at creation: changing them later is not a change.
    return { changes: changed, replaces, deleteBeforeReplace: false };
  },

  async create(inputs: FlowInputs) {
    const backend = backendFor(inputs.waba);
    const { id, adopted } = await createOrAdopt(backend, inputs);
    try {
      let remote = await backend.getFlow(inputs.waba, id);
      if (remote && adopted) {
        // An adopted flow takes the declared name and categories.
        const plan = planMetadataChange(remote, inputs);
        if (plan.steps.length > 0) {
          await executePlan(context(backend, inputs.waba, id, inputs.name), plan);
          remote = await backend.getFlow(inputs.waba, id);
        }
      }
      if (!remote) throw new Error(`Flow "${inputs.name}": flow ${id} disappeared right after creation`);
      if (!remote.previewUrl) {
        const preview = await backend.getPreview(inputs.waba, id).catch(() => undefined);
        if (preview) Object.assign(remote, { previewUrl: preview.url, previewExpiresAt: preview.expiresAt });
      }
      progress(`flow "${inputs.name}": ${adopted ? "adopted" : "created"} flow ${id} (${remote.status})`);
      return { id, outs: outputsFrom(inputs, remote, backend.vendor) };
    } catch (e) {
      // The flow exists now: record it, so the next `up` updates it instead of creating a duplicate.
      const partial = outputsFrom(inputs, { id, name: inputs.name, status: "DRAFT", categories: inputs.categories, validationErrors: [], jsonVersion: null, previewUrl: null, previewExpiresAt: null }, backend.vendor);
      throw new PartialCreateError(id, partial as any, `Flow "${inputs.name}": created as ${id}, but ${(e as Error).message}`);
    }
  },

  async read(id: string, props: FlowOutputs) {
    const backend = backendFor(props.waba);
    const remote = await backend.getFlow(props.waba, id);
    if (!remote) {
      progress(`flow "${props.name}": flow ${id} no longer exists; it leaves the stack`);
      return { id: "", props: {} };
    }
    const inputs: FlowInputs = compact({
      waba: props.waba,
      name: props.name,
      categories: props.categories,
      cloneFlowId: props.cloneFlowId,
      adoptExisting: props.adoptExisting,
    });
    // Outputs show the live flow; inputs stay as declared, so drift shows as a diff the next `up` repairs.
    return { id, props: outputsFrom(inputs, remote, backend.vendor) };
  },

  async update(id: string, olds: FlowOutputs, news: FlowInputs) {
    const backend = backendFor(news.waba);
    const remote = await backend.getFlow(news.waba, id);
    if (!remote) {
      throw new Error(
        `Flow "${news.name}": flow ${id} no longer exists in WABA ${news.waba} (deleted outside Pulumi). ` +
          "Run `pulumi refresh` to drop it from the stack; the next `pulumi up` then creates it again.",
      );
    }
    const plan = planMetadataChange(remote, news);
    await executePlan(context(backend, news.waba, id, news.name), plan);
    const after = plan.steps.length ? await backend.getFlow(news.waba, id) : remote;
    return { outs: outputsFrom({ ...news }, after ?? remote, backend.vendor) };
  },

  async delete(id: string, props: FlowOutputs) {
    const backend = backendFor(props.waba);
    const remote = await backend.getFlow(props.waba, id);
    await executePlan(context(backend, props.waba, id, props.name), planRemoval(remote));
  },
} satisfies Partial<pulumi.dynamic.ResourceProvider>;
