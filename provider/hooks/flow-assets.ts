/**
 * Hooks of the `FlowAssets` resource: the Flow JSON of one flow and whether it should be published.
 * `check` validates the JSON offline (preview fails before any API call); the rest plans with
 * ../lifecycle/plan and runs the plan through the account's backend. When the vendor will not edit the
 * live flow, the plan replaces it (new flow published first, old one deprecated after) and the outputs
 * follow the new live flow (`liveFlowId`, `liveName`).
 */
import type * as pulumi from "@pulumi/pulumi";
import { STATE_SCHEMA_VERSION, isUnknown } from "../model";
import type { FlowAssetsInputs, FlowAssetsOutputs } from "../model";
import { isBackendError, type BackendErrorKind, type RemoteFlow } from "../backends/types";
import { mustReplaceLiveEdits, planAssetsChange } from "../lifecycle/plan";
import { describeFlowChange, flowFingerprint, isFlowFingerprint } from "../lifecycle/flow-diff";
import { executePlan } from "../lifecycle/execute";
import { processClaims, rememberRemoved, successorOf, takeFresh, type FreshFlow } from "../lifecycle/claims";
import { compactCopy, fromCompactCopy } from "../flow-copy";
import { createHash } from "node:crypto";
import { checkedJson, checkFlowJsonText, keepCheckedJson } from "./checked-json";
import { flowJsonSha256 } from "../hash";
import { versionText } from "../flow-json";
import { validateFlowJson } from "./checked-json";
import { parseAccountRef, sameAccount, vendorOf, validationTargetOf } from "../vendors/registry";
import { checkFlowAssetsInputs, compact, type RawInputs } from "./inputs";
import { MAX_FLOW_JSON_BYTES } from "../flow-json";
import { promotionProblem } from "../promotion";
import { connect, executionContext } from "./context";
import { requireAccountAccess } from "./gone-proof";
import { fromListing, remoteFacts, resolveLive, type LiveFlow } from "./live";
import { describeProblems, problemLine, progress } from "./messages";
import { previewAssetsAdoption } from "./adoption-preview";
import { leftUnpublished, reportIfNotLive } from "./not-live";
import { takeDryRunFlag } from "./deployment-mode";
import { planReplacement, plannedReplacementOf, registerRetirement, retirementOf } from "../templates/retirements";
import { retryRetirements } from "./retirement";

/** The update's first step: retry the retirement of predecessors kept for their templates; returns those still kept. */
async function keptForTemplates(inputs: FlowAssetsInputs, olds: FlowAssetsOutputs): Promise<string[]> {
  if (!olds.retiringFlowIds?.length) return [];
  const kept = await retryRetirements(inputs.waba, olds.retiringFlowIds, {
    flowName: inputs.flowName,
    log: (m) => progress(`flow "${inputs.flowName}": ${m}`),
  });
  // Still sent: the template hook of this deployment may repoint its templates and retire them after all.
  const account = connect(inputs.waba, olds.vendor).account.canonical;
  for (const id of kept) registerRetirement(account, id, { successorId: olds.liveFlowId ?? olds.flowId, flowName: inputs.flowName });
  return kept;
}

const fileOf = (inputs: { sourcePath?: string | null; flowName: string }) => inputs.sourcePath || `<flowJson of ${inputs.flowName}>`;

type AssetsIdentity = Pick<FlowAssetsInputs, "waba" | "flowId" | "flowName" | "publish"> & { sourcePath?: string | null };

function outputsFrom(
  inputs: AssetsIdentity,
  sha: string,
  remote: RemoteFlow,
  vendor: string,
  live: { generation: number; editsRefused?: boolean; retiring?: readonly string[] },
  deployed: { copy?: string; fingerprint?: FlowAssetsOutputs["fingerprint"] },
): FlowAssetsOutputs {
  return {
    // The compact copy of the deployed JSON when it fits (it also describes changes); the fingerprint otherwise.
    ...(deployed.copy ? { flowJsonCopy: deployed.copy } : deployed.fingerprint ? { fingerprint: deployed.fingerprint } : {}),
    schemaVersion: STATE_SCHEMA_VERSION,
    vendor,
    waba: inputs.waba,
    flowId: inputs.flowId,
    liveFlowId: remote.id,
    liveName: remote.name,
    generation: live.generation,
    editsRefused: live.editsRefused === true,
    flowName: inputs.flowName,
    sourcePath: inputs.sourcePath ?? null,
    publish: inputs.publish,
    flowJsonSha256: sha,
    ...remoteFacts(remote),
    // Predecessors kept published for the templates that still send them (absent normally).
    ...(live.retiring && live.retiring.length > 0 ? { retiringFlowIds: [...new Set(live.retiring)] } : {}),
  };
}

/** The flow these assets manage now: the replacement this resource published last, while the input flow id is unchanged. */
const recordedLiveId = (inputs: { flowId: string }, olds?: FlowAssetsOutputs) =>
  (olds && olds.flowId === inputs.flowId && olds.liveFlowId) || inputs.flowId;

/** The Flow JSON text `check` validated in this deployment (it is not kept in the state's inputs). */
function flowJsonOf(inputs: FlowAssetsInputs): string {
  const text = inputs.flowJson ?? checkedJson(inputs.flowJsonSha256);
  if (text === undefined) {
    throw new Error(
      `Flow "${inputs.flowName}": the Flow JSON of ${fileOf(inputs)} did not pass through this deployment's check (internal error); run \`pulumi up\` again`,
    );
  }
  return text;
}

/** What the deployed JSON was, as recorded in state: the compact copy, or the fingerprint. */
function deployedOf(flowJson: string): { copy?: string; fingerprint?: FlowAssetsOutputs["fingerprint"] } {
  const copy = compactCopy(flowJson);
  return copy ? { copy } : { fingerprint: flowFingerprint(flowJson) };
}

/** What the state records of the deployed JSON (its copy, or its fingerprint). */
function recordedDeployment(o: FlowAssetsOutputs): { copy?: string; fingerprint?: FlowAssetsOutputs["fingerprint"] } {
  return { copy: o.flowJsonCopy, fingerprint: isFlowFingerprint(o.fingerprint) ? o.fingerprint : undefined };
}

function fingerprintOfCopy(copy: string): FlowAssetsOutputs["fingerprint"] | undefined {
  const text = fromCompactCopy(copy);
  return text === undefined ? undefined : flowFingerprint(text);
}

/** The `version` of a Flow JSON text, as vendors report it (`jsonVersion`). */
function versionOf(flowJson: string): string | null {
  try {
    const v = JSON.parse(flowJson)?.version;
    return typeof v === "string" || typeof v === "number" ? String(v) : null;
  } catch {
    return null;
  }
}

/**
 * The flow as this resource's state records it, when that is enough to plan from without reading it
 * (issue 18: a JSON change of a published flow costs the upload and the publish, nothing more): the
 * recorded live flow is still the one the inputs name, the state knows the JSON it serves, and it is
 * PUBLISHED (any edit re-drafts it, and the plan publishes it again) or a DRAFT about to be published.
 * `pulumi refresh` brings changes made outside Pulumi into the state; when the vendor's answer shows the
 * state was out of date anyway, converge reads the flow and plans again (./flow-assets.ts, converge).
 */
function trustedRemote(inputs: FlowAssetsInputs, olds: FlowAssetsOutputs): RemoteFlow | undefined {
  const recorded = recordedLiveId(inputs, olds);
  if (recorded !== (olds.liveFlowId ?? olds.flowId) || !olds.flowJsonSha256) return undefined;
  if (!(olds.status === "PUBLISHED" || (olds.status === "DRAFT" && inputs.publish === true))) return undefined;
  return {
    id: recorded,
    name: olds.liveName ?? olds.flowName,
    status: olds.status,
    categories: Array.isArray(inputs.categories) && !isUnknown(inputs.categories) ? [...inputs.categories] : [],
    validationErrors: olds.validationErrors ?? [],
    jsonVersion: olds.jsonVersion ?? null,
    previewUrl: olds.previewUrl ?? null,
    previewExpiresAt: olds.previewExpiresAt ?? null,
    healthStatus: olds.healthStatus ?? null,
  };
}

/** Vendor answers that say the state's picture of the flow is out of date (nothing was changed by the call). */
const STALE_STATE: BackendErrorKind[] = ["NOT_FOUND", "INVALID_STATE", "EDIT_REFUSED", "ALREADY_DEPRECATED"];

async function converge(inputs: FlowAssetsInputs, olds?: FlowAssetsOutputs) {
  const conn = connect(inputs.waba, olds?.vendor);
  const recorded = recordedLiveId(inputs, olds);
  // A flow the Flow resource created moments ago in this deployment: plan from its create, no read.
  const fresh = olds ? undefined : (takeFresh(processClaims(), conn.account.canonical, recorded) ?? createdByFlow(inputs, recorded));
  if (fresh) return convergeFrom(conn, inputs, olds, { remote: fresh, generation: 1, followed: false }, fresh);
  // The Flow replaced the flow these assets served (a metadata change the vendor will not make in place)
  // moments ago: its successor holds the JSON the state records for the replaced flow (a copy), or the
  // declared JSON its create carried, so no read.
  const successor = olds?.flowJsonSha256
    ? successorOf(processClaims(), conn.account.canonical, recorded, olds.liveFlowId ?? olds.flowId, true)
    : undefined;
  if (olds && successor) {
    // A copy of the live flow (a clone planned without a read) holds the JSON, and version, this state records.
    const remote =
      successor.flowJsonSha256 || successor.remote.jsonVersion
        ? successor.remote
        : { ...successor.remote, jsonVersion: olds.jsonVersion ?? null };
    const held: FreshFlow = { ...remote, flowJsonSha256: successor.flowJsonSha256 ?? olds.flowJsonSha256 };
    return convergeFrom(conn, inputs, olds, { remote, generation: successor.generation, followed: false }, held);
  }
  const trusted = olds ? trustedRemote(inputs, olds) : undefined;
  if (trusted) {
    try {
      return await convergeFrom(
        conn,
        inputs,
        olds,
        { remote: trusted, generation: olds?.generation ?? 1, followed: false },
        undefined,
        true,
      );
    } catch (e) {
      if (!STALE_STATE.some((kind) => isBackendError(e, kind))) throw e;
      progress(
        `flow "${inputs.flowName}": the vendor's answer (${(e as Error).message.split("\n")[0]}) differs from the state; reading flow ${recorded}`,
      );
    }
  }
  const live = await resolveLive(conn.backend, recorded, inputs.flowName, olds?.generation ?? 1);
  return convergeFrom(conn, inputs, olds, live);
}

/**
 * A flow the Flow resource created with its Flow JSON and published in an earlier deployment that stopped
 * before this FlowAssets ran (e.g. an exhausted call budget): the Flow's state says what its create left
 * (FlowOutputs.createdWith, dropped by any later Flow operation), so no read and no download (issue 18).
 * Only a PUBLISHED create is taken: anything else is read, as before.
 */
function createdByFlow(inputs: FlowAssetsInputs, recorded: string): FreshFlow | undefined {
  const created = inputs.flowCreatedWith;
  if (!created || created.status !== "PUBLISHED" || recorded !== inputs.flowId || isUnknown(inputs.flowName)) return undefined;
  return {
    id: recorded,
    name: inputs.flowName,
    status: "PUBLISHED",
    categories: Array.isArray(inputs.categories) && !isUnknown(inputs.categories) ? [...inputs.categories] : [],
    validationErrors: [],
    jsonVersion: null,
    previewUrl: null,
    previewExpiresAt: null,
    flowJsonSha256: created.flowJsonSha256,
  };
}

async function convergeFrom(
  conn: ReturnType<typeof connect>,
  inputs: FlowAssetsInputs,
  olds: FlowAssetsOutputs | undefined,
  live: LiveFlow,
  fresh?: FreshFlow,
  trusted = false,
) {
  const { backend } = conn;
  const flowJson = flowJsonOf(inputs);
  // check already hashed it; hashing parses the JSON, which costs real time at 10 MB.
  const sha = inputs.flowJsonSha256 ?? flowJsonSha256(flowJson);
  const recorded = recordedLiveId(inputs, olds);
  const remote = live.remote;
  if (!remote) {
    throw new Error(
      `Flow "${inputs.flowName}": flow ${recorded} no longer exists in ${conn.account.canonical} (deleted outside Pulumi). ` +
        "Run `pulumi refresh`, then `pulumi up` creates it again.",
    );
  }
  // What the vendor holds: what this resource deployed to this very flow last, as the state records it
  // (`pulumi refresh` brings drift into the state); read it when the state cannot say (first run on an
  // adopted or imported flow, a followed replacement), so adopting changes nothing the program does not differ on.
  let previousFlowJson: string | undefined;
  let remoteSha =
    olds && !live.followed && recorded === remote.id && (olds.liveFlowId ?? olds.flowId) === remote.id ? olds.flowJsonSha256 || null : null;
  // A flow this deployment just created holds no JSON, or the JSON its create carried.
  if (fresh) remoteSha = fresh.flowJsonSha256 ?? null;
  else if (remoteSha === null) {
    const json = await backend.downloadFlowJson(remote.id);
    remoteSha = json === undefined ? null : flowJsonSha256(json);
    if (remote.status === "PUBLISHED") previousFlowJson = json;
  }
  const editsRefused = olds?.editsRefused === true;
  // Recorded PUBLISHED, a DRAFT now (an interrupted run's upload, see ./not-live.ts): it was live, so it is published again.
  const republish = !live.followed && leftUnpublished(olds, remote);
  if (republish) progress(`flow "${inputs.flowName}": flow ${remote.id} was PUBLISHED and is a DRAFT now; publishing it again`);
  const ctx = (previous?: string) =>
    executionContext(conn, {
      flowId: remote.id,
      flowName: inputs.flowName,
      flowJson,
      previousFlowJson: previous,
      remote,
      editsRefused,
      file: fileOf(inputs),
      endpoint: inputs.endpointUri !== undefined ? { endpointUri: inputs.endpointUri } : undefined,
    });
  if (fresh?.flowJsonSha256 === sha && fresh.validationErrors.length > 0 && inputs.publish && remote.status === "DRAFT") {
    // The create carried this very JSON moments ago and the vendor found errors in it: no call can publish it.
    throw ctx().validationFailure(fresh.validationErrors, "the vendor reported validation errors, so the flow was not published");
  }
  const plan = planAssetsChange(
    { ...remote, name: inputs.flowName, remoteSha },
    { sha, publish: inputs.publish || republish },
    { ...conn.planContext, editsRefused },
  );
  // Planned from the state: a refusal is first confirmed by a read (converge), never taken for a legacy flow's.
  if (trusted) plan.replaceOnRefusal = false;
  if (plan.snapshotBeforeUpload && previousFlowJson === undefined) {
    // An upload over a live flow: keep what it serves, to put it back if the vendor rejects the new JSON.
    // From the copy in state when it is there and matches; otherwise (no copy: too large, older state) read it.
    const copy = fromCompactCopy(olds?.flowJsonCopy);
    previousFlowJson = copy !== undefined && flowJsonSha256(copy) === remoteSha ? copy : await backend.downloadFlowJson(remote.id);
  }
  const result = await executePlan(ctx(previousFlowJson), plan);
  const retained = result.replacement?.retained;
  // Kept published for its templates: the template hook retires it once they are repointed (same `up`),
  // and this resource's next operation retries (its state records it).
  if (retained && result.replacement)
    registerRetirement(conn.account.canonical, retained.flowId, { successorId: result.replacement.id, flowName: inputs.flowName });
  if (result.validationErrors.length > 0) {
    progress(
      describeProblems(
        inputs.flowName,
        fileOf(inputs),
        result.validationErrors,
        "the vendor reported validation errors; the flow stays a DRAFT",
      ),
    );
  }
  let after: RemoteFlow = remote;
  if (result.replacement) {
    // The replacement's own answers say what it is (issue 18: no read after the writes).
    after = result.replacement.remote;
  } else if (plan.steps.length > 0) {
    // The calls' own answers say what the flow is now (issue 9: no read after the writes): published if
    // the plan published it (a refused publish throws), with the upload's validation errors and version.
    after = {
      ...remote,
      status: plan.steps.some((step) => step.call === "publish") ? "PUBLISHED" : remote.status,
      ...(result.uploaded ? { validationErrors: result.validationErrors, jsonVersion: versionOf(flowJson) ?? remote.jsonVersion } : {}),
    };
  }
  if (inputs.preview === true && !after.previewUrl) {
    // Asked for (`preview: true`): the link to try the flow, which no answer above carried.
    const link = await backend.getPreview(after.id).catch(() => undefined);
    if (link) after = { ...after, previewUrl: link.url, previewExpiresAt: link.expiresAt };
  }
  return outputsFrom(
    inputs,
    sha,
    after,
    backend.vendor,
    {
      generation: result.replacement?.generation ?? live.generation,
      editsRefused: editsRefused || result.editsRefused === true,
      retiring: retained ? [retained.flowId] : [],
    },
    // The same JSON as recorded (e.g. only `publish` flipped): keep its record rather than compress it again.
    olds?.flowJsonSha256 === sha && (olds.flowJsonCopy || isFlowFingerprint(olds.fingerprint))
      ? recordedDeployment(olds)
      : deployedOf(flowJson),
  );
}

/**
 * The promotion gate: a prod stack's flow must carry exactly the JSON the source stack has published
 * (read from its outputs by the program; no vendor call). Both hashes are shown.
 */
function promotionRule(inputs: FlowAssetsInputs, name: string, sha: string): string | undefined {
  const req = inputs.promotion;
  if (!req || isUnknown(req) || isUnknown(req.flowJsonSha256)) return undefined;
  return promotionProblem(name, sha, req);
}

/**
 * Endpoint (data-exchange) flows, caught at preview: a Flow JSON 3.0+ with `data_api_version` can only be
 * published once the flow has an endpoint URI (Meta answers 139002 otherwise); an endpoint URI on a
 * flow whose JSON is older than 3.0 is refused (the vendors say not to send one).
 */
function endpointRule(inputs: FlowAssetsInputs & { flowJson: string }, name: string): string | undefined {
  if (isUnknown(inputs.endpointUri)) return undefined;
  let doc: { version?: unknown; data_api_version?: unknown };
  try {
    doc = JSON.parse(inputs.flowJson);
  } catch {
    return undefined;
  }
  const version = versionText(doc?.version);
  const major = version === undefined ? NaN : Number.parseFloat(version);
  const file = fileOf({ ...inputs, flowName: name });
  if (inputs.endpointUri !== undefined && major < 3) {
    return `Flow "${name}": ${file} is Flow JSON ${version}, and an endpoint URI is only for Flow JSON 3.0 and later (vendors refuse it for older flows): remove \`endpointUri\` or move the JSON to 3.0+`;
  }
  if (inputs.endpointUri === undefined && doc?.data_api_version !== undefined && major >= 3 && inputs.publish === true) {
    return (
      `Flow "${name}": ${file} exchanges data with an endpoint (data_api_version ${String(doc.data_api_version)}), so it can only be published ` +
      `once the flow has an endpoint URI: set \`endpointUri\` (https) on the Flow or WhatsAppFlow, or publish: false until the endpoint exists`
    );
  }
  return undefined;
}

/**
 * The rules on valid Flow JSON beyond the validator: the promotion gate and the endpoint rules. The Flow
 * of a WhatsAppFlow applies them too, since its create publishes the JSON before the FlowAssets is checked.
 */
export function assetsRules(
  inputs: Pick<FlowAssetsInputs, "promotion" | "endpointUri" | "publish" | "sourcePath" | "flowName"> & { flowJson: string },
  name: string,
  sha: string,
): { property: string; reason: string } | undefined {
  const gate = promotionRule(inputs as FlowAssetsInputs, name, sha);
  if (gate) return { property: "", reason: gate };
  const endpointProblem = endpointRule(inputs as FlowAssetsInputs & { flowJson: string }, name);
  if (endpointProblem) return { property: "endpointUri", reason: endpointProblem };
  return undefined;
}

/**
 * What a reviewer of `pulumi preview` needs to know about a JSON change: which screens and components
 * changed (from the fingerprint recorded in state; no vendor call), and what `up` will do to the flow.
 */
function describeAssetsChange(olds: FlowAssetsOutputs, news: FlowAssetsInputs, flowJson: string, live: string): void {
  const deployed = fromCompactCopy(olds.flowJsonCopy);
  const before = deployed !== undefined ? flowFingerprint(deployed) : isFlowFingerprint(olds.fingerprint) ? olds.fingerprint : undefined;
  const lines = describeFlowChange(before, flowJson);
  let action: string;
  const parsed = isUnknown(news.waba) ? undefined : parseAccountRef(news.waba);
  const entry = parsed && "account" in parsed ? vendorOf(parsed.account) : undefined;
  if (
    olds.status === "PUBLISHED" &&
    entry &&
    mustReplaceLiveEdits({ capabilities: entry.capabilities, editsRefused: olds.editsRefused, vendorName: entry.displayName })
  ) {
    // The template diffs (run after this one) name the templates this replacement repoints.
    if (parsed && "account" in parsed) planReplacement(parsed.account.canonical, live, olds.flowName);
    action =
      `${entry.displayName} will not edit published flow ${live}: \`pulumi up\` publishes the new Flow JSON as a new flow ` +
      `"${olds.flowName} (v${(olds.generation ?? 1) + 1})" (or the next free name), and deprecates flow ${live} once no ` +
      `template sends it any more (the stack's templates are repointed to the new flow first; its id changes).`;
  } else if (olds.status === "PUBLISHED") {
    action = `flow ${live} is PUBLISHED: the new JSON is uploaded in place and published again right after (same id)`;
  } else {
    action = `flow ${live} is ${olds.status}: the new JSON is uploaded (nothing live is touched)${news.publish === true ? ", then the flow is published" : ""}`;
  }
  progress([`flow "${news.flowName}": Flow JSON changes:`, ...lines.map((l) => `  ${l}`), `  ${action}`].join("\n"));
}

/**
 * A Flow JSON over Meta's 10 MB file limit, said at preview with the file, its size and the limit (no call
 * is made: every vendor relays Meta's limit, see docs/errors.md). Undefined when the size is fine or unknown.
 */
function oversizedFlowJson(news: RawInputs): string | undefined {
  const text = news?.flowJson;
  if (typeof text !== "string" || isUnknown(text) || text.length <= MAX_FLOW_JSON_BYTES / 4) return undefined;
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes <= MAX_FLOW_JSON_BYTES) return undefined;
  const name = typeof news?.flowName === "string" && !isUnknown(news.flowName) ? news.flowName : "(name not known yet)";
  const file = typeof news?.sourcePath === "string" && news.sourcePath ? news.sourcePath : `<flowJson of ${name}>`;
  const mb = (bytes / 1024 / 1024).toFixed(1);
  return (
    `Flow "${name}": ${file} is ${bytes.toLocaleString("en-US")} bytes (${mb} MB), over the 10 MB limit of a Flow JSON file ` +
    `(${MAX_FLOW_JSON_BYTES.toLocaleString("en-US")} bytes); no vendor accepts it. Split the flow or shrink the file.`
  );
}

/** The new flow id is the successor the Flow resource made of these assets' live flow in this deployment. */
function followsFlowReplacement(olds: FlowAssetsOutputs, news: FlowAssetsInputs): boolean {
  const parsed = isUnknown(news.waba) ? undefined : parseAccountRef(news.waba);
  if (!parsed || !("account" in parsed) || !sameAccount(olds.waba, news.waba) || !olds.flowJsonSha256) return false;
  return successorOf(processClaims(), parsed.account.canonical, news.flowId, olds.liveFlowId ?? olds.flowId) !== undefined;
}

export const flowAssetsHooks = {
  async check(olds: Partial<FlowAssetsOutputs> | undefined, news: RawInputs) {
    // The program's preview/update flag: recorded for this deployment and kept out of the inputs (./deployment-mode.ts).
    news = takeDryRunFlag(news);
    // A Flow without an endpoint hands `null` down; absent and null mean the same here.
    if (news && news.endpointUri === null) news = compact({ ...news, endpointUri: undefined });
    const tooLarge = oversizedFlowJson(news);
    // Inputs go back to the engine as a protobuf Struct, which takes no `undefined` (it failed with "Unexpected struct type.").
    if (tooLarge) {
      // The other inputs are still judged (the size is already said): one preview lists every problem.
      const others = checkFlowAssetsInputs({ ...news, flowJson: "{}" }).failures;
      return {
        inputs: compact({ ...news, flowJson: undefined }) as FlowAssetsInputs,
        failures: [{ property: "", reason: tooLarge }, ...others],
      };
    }
    const { inputs, failures } = checkFlowAssetsInputs(news);
    if (failures.length > 0 || inputs.flowJson === undefined || isUnknown(inputs.flowJson)) return { inputs, failures };
    const flowJson = inputs.flowJson;
    const parsed = isUnknown(inputs.waba) ? undefined : parseAccountRef(inputs.waba);
    const target = parsed && "account" in parsed ? validationTargetOf(vendorOf(parsed.account)) : undefined;
    // The exact text this resource checked last time (its raw hash is in the old inputs), for the same
    // account: it passed then, so a preview with nothing changed does not validate it again (issue 18).
    const textSha = createHash("sha256").update(flowJson, "utf8").digest("hex");
    const unchanged =
      (olds as Partial<FlowAssetsInputs> | undefined)?.checkedTextSha256 === textSha &&
      typeof olds?.flowJsonSha256 === "string" &&
      olds.waba === inputs.waba
        ? olds.flowJsonSha256
        : undefined;
    if (unchanged) keepCheckedJson(unchanged, flowJson);
    // Validated and hashed once per deployment even when the component's Flow checked the same text.
    const once = unchanged
      ? { result: { errors: [], warnings: [] }, sha: unchanged }
      : checkFlowJsonText(flowJson, target, (text, t) => validateFlowJson(text, { target: t }), flowJsonSha256);
    const { errors, warnings } = once.result;
    const name = isUnknown(inputs.flowName) ? "(name not known yet)" : inputs.flowName;
    for (const w of warnings) progress(`flow "${name}": ${problemLine(fileOf({ ...inputs, flowName: name }), w)}`);
    if (errors.length > 0) {
      // property "" keeps Pulumi from echoing the (possibly huge) JSON value back.
      return {
        inputs,
        failures: [
          {
            property: "",
            reason: describeProblems(name, fileOf({ ...inputs, flowName: name }), errors, `Flow JSON has ${errors.length} error(s)`),
          },
        ],
      };
    }
    // Hashing parses the JSON (real time at 10 MB): once, for the promotion gate and for diff.
    const sha = once.sha ?? flowJsonSha256(flowJson);
    const ruled = assetsRules({ ...inputs, flowJson }, name, sha);
    if (ruled) return { inputs, failures: [ruled] };
    // A create whose Flow adopts an existing flow: say at preview what changes about its JSON (read-only).
    if (!olds?.flowId && inputs.adopt) await previewAssetsAdoption(inputs, flowJson, sha);
    // The text stays in this deployment's memory (checkFlowJsonText kept it); the state keeps its hash only.
    return { inputs: compact({ ...inputs, flowJson: undefined, flowJsonSha256: sha, checkedTextSha256: textSha }), failures: [] };
  },

  async diff(_id: string, olds: FlowAssetsOutputs, news: FlowAssetsInputs) {
    // While the Flow is being updated in a preview, its flowId is unknown; it only changes when the
    // Flow is replaced (another account, or a replacement of a flow the vendor will not edit). The
    // Flow catching up with the replacement these assets made (its id = our live id) is no new flow.
    const replaces: string[] = [];
    const live = olds.liveFlowId ?? olds.flowId;
    // Nor is the successor the Flow published in place of our live flow in this deployment (it holds our JSON).
    if (!isUnknown(news.flowId) && olds.flowId !== news.flowId && news.flowId !== live && !followsFlowReplacement(olds, news))
      replaces.push("flowId");
    if (isUnknown(news.waba) || !sameAccount(olds.waba, news.waba)) replaces.push("waba");
    // check replaced the text by its hash; the text is unknown during a preview when the program computes it.
    const sha = isUnknown(news.flowJson)
      ? undefined
      : (news.flowJsonSha256 ?? (news.flowJson !== undefined ? flowJsonSha256(news.flowJson) : undefined));
    const jsonChanged = sha === undefined || sha !== olds.flowJsonSha256;
    const changed =
      replaces.length > 0 ||
      isUnknown(news.flowId) ||
      // The Flow catching up with our replacement (its id is our live id) is no change.
      (news.flowId !== olds.flowId && news.flowId !== live) ||
      jsonChanged ||
      isUnknown(news.publish) ||
      news.publish !== olds.publish ||
      // Drift seen by refresh: the flow was re-drafted or deprecated outside Pulumi.
      (news.publish === true && olds.status !== "PUBLISHED");
    const text = sha === undefined ? undefined : (news.flowJson ?? checkedJson(sha));
    if (jsonChanged && replaces.length === 0 && text !== undefined) describeAssetsChange(olds, news, text, live);
    // A pending JSON change may be what a killed run left half-done (uploaded, not published): say so.
    if (jsonChanged && replaces.length === 0) await reportIfNotLive(olds);
    // The Flow's diff (run before this one) plans to replace the flow its state records; when these assets
    // replaced that flow, the live one is ours, and the templates to repoint are those sending it. Call-free.
    const parsed = parseAccountRef(olds.waba);
    if (live !== olds.flowId && "account" in parsed && olds.status === "PUBLISHED") {
      const planned = plannedReplacementOf(parsed.account.canonical, olds.flowId);
      if (planned !== undefined) planReplacement(parsed.account.canonical, live, planned);
    }
    return { changes: changed, replaces, deleteBeforeReplace: false };
  },

  async create(inputs: FlowAssetsInputs) {
    const outs = await converge(inputs);
    return { id: `${inputs.flowId}/flow.json`, outs };
  },

  async read(id: string, props: FlowAssetsOutputs) {
    const conn = connect(props.waba, props.vendor);
    const recorded = recordedLiveId(props, props);
    const deployed = recordedDeployment(props);
    // From the account's list (one per deployment: issue 9): a flow still PUBLISHED, as recorded, serves
    // the JSON we deployed, because every vendor either refuses edits of published flows or re-drafts
    // the flow on an edit (which the list shows). So its JSON is downloaded only when the status moved.
    // Blind spot, in docs/design.md: an edit outside Pulumi followed by a re-publish before this refresh.
    const listed = (await conn.backend.listFlows()).find((f) => f.id === recorded);
    if (listed && listed.status === "PUBLISHED" && props.status === "PUBLISHED" && props.flowJsonSha256) {
      const remote = fromListing(listed, props);
      const generation = props.generation ?? 1;
      return {
        id,
        props: outputsFrom(
          props,
          props.flowJsonSha256,
          remote,
          conn.backend.vendor,
          { generation, editsRefused: props.editsRefused, retiring: props.retiringFlowIds },
          deployed,
        ),
      };
    }
    const live = await resolveLive(conn.backend, recorded, props.flowName, props.generation ?? 1);
    if (!live.remote) return { id: "", props: {} };
    const json = await conn.backend.downloadFlowJson(live.remote.id);
    const sha = json === undefined ? "" : flowJsonSha256(json);
    const drifted = sha !== props.flowJsonSha256;
    if (drifted) progress(`flow "${props.flowName}": Flow JSON was changed outside Pulumi`);
    return {
      id,
      props: outputsFrom(
        props,
        sha,
        live.remote,
        conn.backend.vendor,
        { generation: live.generation, editsRefused: props.editsRefused, retiring: props.retiringFlowIds },
        // The fingerprint describes the JSON we deployed (drift shows as a hash change); a copy of it is no
        // rollback source once the flow serves something else, so it makes way for the fingerprint.
        drifted ? { fingerprint: deployed.fingerprint ?? (deployed.copy ? fingerprintOfCopy(deployed.copy) : undefined) } : deployed,
      ),
    };
  },

  async update(_id: string, olds: FlowAssetsOutputs, news: FlowAssetsInputs) {
    // Predecessors a replacement kept for their templates: retired now if no template sends them any more.
    const kept = await keptForTemplates(news, olds);
    const outs = await converge(news, olds);
    const retiring = [...new Set([...kept, ...(outs.retiringFlowIds ?? [])])];
    return { outs: { ...outs, ...(retiring.length > 0 ? { retiringFlowIds: retiring } : {}) } };
  },

  async delete(_id: string, props: FlowAssetsOutputs) {
    // A flow's JSON cannot be removed on its own; the Flow resource decides the flow's fate (delete a
    // draft, deprecate a published flow, following any replacement made here). Nothing to call here;
    // what this state records as live goes to the Flow's delete, which the engine runs next (no read there).
    const parsed = parseAccountRef(props.waba);
    // The state forgets these assets only when this credential still reaches the account (one list per
    // account and deployment, none when a call already succeeded): a credential that lost its access fails
    // here, before the Flow's delete, and the whole stack stays recorded (./gone-proof.ts).
    if ("account" in parsed) {
      const conn = connect(props.waba, props.vendor);
      await requireAccountAccess(conn.account, conn.backend, `flow "${props.flowName}": its Flow JSON record`);
    }
    // Predecessors kept for their templates go with the flow (the templates of this stack were deleted first),
    // except those a resource updated in this deployment carries on (registered: the Flow that followed past
    // them when these assets are replaced because the Flow's id changed); that resource retires them later.
    const handedOn = "account" in parsed ? (id: string) => retirementOf(parsed.account.canonical, id) !== undefined : () => false;
    const retiring = (props.retiringFlowIds ?? []).filter((id) => !handedOn(id));
    if ("account" in parsed && retiring.length > 0)
      await retryRetirements(props.waba, retiring, {
        flowName: props.flowName,
        log: (m) => progress(`flow "${props.flowName}": ${m}`),
        force: true,
      });
    if ("account" in parsed && props.status && props.flowId) {
      rememberRemoved(processClaims(), parsed.account.canonical, props.flowId, {
        liveFlowId: props.liveFlowId ?? props.flowId,
        status: props.status,
      });
    }
    progress(
      `flow "${props.flowName}": Flow JSON stays with flow ${props.liveFlowId ?? props.flowId}; the Flow resource decides its removal`,
    );
  },
} satisfies Partial<pulumi.dynamic.ResourceProvider>;
