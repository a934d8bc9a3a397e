/**
 * Hooks of the `FlowAssets` resource: the Flow JSON of one flow and whether it should be published.
 * `check` validates the JSON offline (preview fails before any API call); the rest plans with
 * ../lifecycle/plan and runs the plan through the flow's backend.
 */
import type * as pulumi from "@pulumi/pulumi";
import { STATE_SCHEMA_VERSION, isUnknown } from "../model";
import type { FlowAssetsInputs, FlowAssetsOutputs } from "../model";
import type { FlowBackend, RemoteFlow } from "../backends/types";
import { planAssetsChange } from "../lifecycle/plan";
import { executePlan } from "../lifecycle/execute";
import { flowJsonSha256 } from "../hash";
import { backendFor, vendorForWaba } from "../settings";
import { validateFlowJson } from "../validation";
import { checkFlowAssetsInputs, compact } from "./inputs";
import { executionContext } from "./context";
import { describeProblems, problemLine, progress } from "./messages";

const fileOf = (inputs: { sourcePath?: string | null; flowName: string }) => inputs.sourcePath || `<flowJson of ${inputs.flowName}>`;

type AssetsIdentity = Pick<FlowAssetsInputs, "waba" | "flowId" | "flowName" | "publish"> & { sourcePath?: string | null };

function outputsFrom(inputs: AssetsIdentity, sha: string, remote: RemoteFlow, vendor: string): FlowAssetsOutputs {
  return {
    schemaVersion: STATE_SCHEMA_VERSION,
    vendor,
    waba: inputs.waba,
    flowId: inputs.flowId,
    flowName: inputs.flowName,
    sourcePath: inputs.sourcePath ?? null,
    publish: inputs.publish,
    flowJsonSha256: sha,
    status: remote.status,
    validationErrors: remote.validationErrors,
    jsonVersion: remote.jsonVersion,
    previewUrl: remote.previewUrl,
    previewExpiresAt: remote.previewExpiresAt,
  };
}

function context(backend: FlowBackend, inputs: FlowAssetsInputs, previousFlowJson?: string) {
  const { waba, flowId, flowName, flowJson } = inputs;
  return executionContext(backend, { waba, flowId, flowName, flowJson, previousFlowJson, file: fileOf(inputs) });
}

/** Reads the flow and, when it is live, the JSON it serves (needed to compare and to roll back). */
async function readRemote(backend: FlowBackend, inputs: FlowAssetsInputs, knownSha: string | null) {
  const remote = await backend.getFlow(inputs.waba, inputs.flowId);
  if (!remote) {
    throw new Error(
      `Flow "${inputs.flowName}": flow ${inputs.flowId} no longer exists in WABA ${inputs.waba} (deleted outside Pulumi). ` +
        "Run `pulumi refresh`, then `pulumi up` creates it again.",
    );
  }
  let previousFlowJson: string | undefined;
  let remoteSha = knownSha;
  if (remote.status === "PUBLISHED") {
    previousFlowJson = await backend.downloadFlowJson(inputs.waba, inputs.flowId);
    remoteSha = previousFlowJson === undefined ? null : flowJsonSha256(previousFlowJson);
  }
  return { remote, remoteSha, previousFlowJson };
}

async function converge(inputs: FlowAssetsInputs, knownSha: string | null) {
  const backend = backendFor(inputs.waba);
  // check already hashed it; hashing parses the JSON, which costs real time at 10 MB.
  const sha = inputs.flowJsonSha256 ?? flowJsonSha256(inputs.flowJson);
  const { remote, remoteSha, previousFlowJson } = await readRemote(backend, inputs, knownSha);
  const plan = planAssetsChange({ ...remote, name: inputs.flowName, remoteSha }, { sha, publish: inputs.publish });
  const result = await executePlan(context(backend, inputs, previousFlowJson), plan);
  if (result.validationErrors.length > 0) {
    progress(describeProblems(inputs.flowName, fileOf(inputs), result.validationErrors, "the vendor reported validation errors; the flow stays a DRAFT"));
  }
  const after = plan.steps.length ? await backend.getFlow(inputs.waba, inputs.flowId) : remote;
  return outputsFrom(inputs, sha, after ?? remote, backend.vendor);
}

export const flowAssetsHooks = {
  async check(_olds: any, news: any) {
    const { inputs, failures } = checkFlowAssetsInputs(news);
    if (failures.length > 0 || isUnknown(inputs.flowJson)) return { inputs, failures };
    const target = isUnknown(inputs.waba) ? undefined : vendorForWaba(inputs.waba);
    const { errors, warnings } = validateFlowJson(inputs.flowJson, { target });
    const name = isUnknown(inputs.flowName) ? "(name not known yet)" : inputs.flowName;
    for (const w of warnings) progress(`flow "${name}": ${problemLine(fileOf({ ...inputs, flowName: name }), w)}`);
    if (errors.length > 0) {
      // property "" keeps Pulumi from echoing the (possibly huge) JSON value back.
      return {
        inputs,
        failures: [{ property: "", reason: describeProblems(name, fileOf({ ...inputs, flowName: name }), errors, `Flow JSON has ${errors.length} error(s)`) }],
      };
    }
    return { inputs: compact({ ...inputs, flowJsonSha256: flowJsonSha256(inputs.flowJson) }), failures: [] };
  },

  async diff(_id: string, olds: FlowAssetsOutputs, news: FlowAssetsInputs) {
    // While the Flow is being updated in a preview, its flowId is unknown; it only changes when the
    // Flow is replaced, which happens when the WABA changes. So an unknown flowId alone is an update.
    const replaces: string[] = [];
    if (!isUnknown(news.flowId) && olds.flowId !== news.flowId) replaces.push("flowId");
    if (isUnknown(news.waba) || olds.waba !== news.waba) replaces.push("waba");
    const sha = isUnknown(news.flowJson) ? undefined : news.flowJsonSha256 ?? flowJsonSha256(news.flowJson);
    const changed =
      replaces.length > 0 ||
      isUnknown(news.flowId) ||
      sha === undefined ||
      sha !== olds.flowJsonSha256 ||
      isUnknown(news.publish) ||
      news.publish !== olds.publish ||
      // Drift seen by refresh: the flow was re-drafted or deprecated outside Pulumi.
      (news.publish === true && olds.status !== "PUBLISHED");
    return { changes: changed, replaces, deleteBeforeReplace: false };
  },

  async create(inputs: FlowAssetsInputs) {
    const outs = await converge(inputs, null);
    return { id: `${inputs.flowId}/flow.json`, outs };
  },

  async read(id: string, props: FlowAssetsOutputs) {
    const backend = backendFor(props.waba);
    const remote = await backend.getFlow(props.waba, props.flowId);
    if (!remote) return { id: "", props: {} };
    const json = await backend.downloadFlowJson(props.waba, props.flowId);
    const sha = json === undefined ? "" : flowJsonSha256(json);
    if (sha !== props.flowJsonSha256) progress(`flow "${props.flowName}": Flow JSON was changed outside Pulumi`);
    return { id, props: outputsFrom(props, sha, remote, backend.vendor) };
  },

  async update(_id: string, olds: FlowAssetsOutputs, news: FlowAssetsInputs) {
    const outs = await converge(news, olds.flowJsonSha256 || null);
    return { outs };
  },

  async delete(_id: string, props: FlowAssetsOutputs) {
    // A flow's JSON cannot be removed on its own; the Flow resource decides the flow's fate (delete a
    // draft, deprecate a published flow). Nothing to call here.
    progress(`flow "${props.flowName}": Flow JSON stays with flow ${props.flowId}; the Flow resource decides its removal`);
  },
} satisfies Partial<pulumi.dynamic.ResourceProvider>;
