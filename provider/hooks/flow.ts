/**
 * Hooks of the `Flow` resource (identity and metadata: account, name, categories). Pulumi glue only:
 * inputs are checked here, decisions come from ../lifecycle/plan, calls go through the account's
 * FlowBackend (chosen by the vendor registry from the account reference).
 */
import type * as pulumi from "@pulumi/pulumi";
import { STATE_SCHEMA_VERSION, flowStatusOf, isUnknown } from "../model";
import type { FlowAssetsInputs, FlowInputs, FlowOutputs, InitialAssets } from "../model";
import { isBackendError, type BackendErrorKind, type FlowBackend, type RemoteFlow } from "../backends/types";
import { generationOf, liveNameFor, mustReplaceLiveEdits, planMetadataChange, planRemoval, sameCategories } from "../lifecycle/plan";
import { createOrAdopt, executePlan, versionOf } from "../lifecycle/execute";
import { onProcessReset, processClaims, rememberFresh, rememberSuccessor, takeRemoved, type FreshFlow } from "../lifecycle/claims";
import { accountOf, parseAccountRef, sameAccount, validationTargetOf, vendorOf } from "../vendors/registry";
import { checkFlowInputs, compact, type RawInputs } from "./inputs";
import { connect, executionContext } from "./context";
import { fromListing, listedLive, newerPublished, remoteFacts, resolveLive } from "./live";
import { liveForRemoval } from "./removal-live";
import { describeProblems, progress } from "./messages";
import { checkedJson, checkFlowJsonText } from "./checked-json";
import { flowJsonSha256 } from "../hash";
import { validateFlowJson } from "./checked-json";
import { assetsRules } from "./flow-assets";
import { previewFlowCreation } from "./adoption-preview";
import { planReplacement, registerRetirement } from "../templates/retirements";
import { retryRetirements } from "./retirement";

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

function outputsFrom(
  inputs: FlowInputs,
  remote: RemoteFlow,
  vendor: string,
  live: { generation: number; editsRefused?: boolean; retiring?: readonly string[]; createdWith?: FlowOutputs["createdWith"] },
): FlowOutputs {
  // The declared name stands for its live name (`<name> (v2)` after a replacement); any other remote
  // name is drift, shown as such so the next `up` repairs it.
  const name = remote.name === liveNameFor(inputs.name, live.generation) ? inputs.name : (remote.name ?? inputs.name);
  return compact({
    ...inputs,
    schemaVersion: STATE_SCHEMA_VERSION,
    vendor,
    flowId: remote.id,
    name,
    liveName: remote.name ?? inputs.name,
    generation: live.generation,
    editsRefused: live.editsRefused === true,
    categories: (remote.categories?.length ? remote.categories : inputs.categories) as FlowInputs["categories"],
    ...remoteFacts(remote),
    // As the vendor reports them (drift shows as a diff); the declared value where the vendor does not report one.
    endpointUri: remote.endpointUri !== undefined ? remote.endpointUri : (inputs.endpointUri ?? null),
    applicationId: remote.applicationId !== undefined ? remote.applicationId : (inputs.applicationId ?? null),
    // Predecessors kept published for the templates that still send them (absent normally).
    retiringFlowIds: live.retiring && live.retiring.length > 0 ? [...new Set(live.retiring)] : undefined,
    createdWith: live.createdWith,
  });
}

/** A flow as a plain create leaves it: a DRAFT with the declared name and categories, no JSON yet. */
const blankFlow = (id: string, inputs: FlowInputs): RemoteFlow => ({
  id,
  name: inputs.name,
  status: "DRAFT",
  categories: inputs.categories,
  validationErrors: [],
  jsonVersion: null,
  previewUrl: null,
  previewExpiresAt: null,
});

/** Flow operations carry no JSON file of their own; vendor validation errors are attributed to the vendor. */
const FILE = "(vendor)";

const declaredInputs = (props: FlowOutputs): FlowInputs =>
  compact({
    waba: props.waba,
    name: props.name,
    categories: props.categories,
    cloneFlowId: props.cloneFlowId,
    adoptExisting: props.adoptExisting,
    adoptFlowId: props.adoptFlowId,
    endpointUri: props.endpointUri ?? undefined,
    applicationId: props.applicationId ?? undefined,
  });

/**
 * Refresh from the account's list (one per deployment, shared by every resource: issue 9), when the list
 * says all that can drift: name, status and categories. Read the flow itself instead when it is not
 * listed or DEPRECATED (a replacement may be live), when the vendor's list has no categories (8x8), and
 * for endpoint flows (the endpoint and application are not in lists). What a list does not carry
 * (validation errors, JSON version, preview link, health) stays as last read: those change only with an
 * upload, which FlowAssets reads, or with the status, which the list shows.
 */
async function fromAccountList(backend: FlowBackend, props: FlowOutputs, id: string): Promise<FlowOutputs | undefined> {
  if (props.endpointUri != null || props.applicationId != null) return undefined;
  const recorded = props.flowId ?? id;
  const listed = (await backend.listFlows()).find((f) => f.id === recorded);
  if (!listed || listed.status === "DEPRECATED" || listed.categories.length === 0) return undefined;
  // A newer published generation is live (the recorded flow kept for its templates): resolveLive follows it.
  if (newerPublished(await backend.listFlows(), recorded, props.name, props.generation ?? 1)) return undefined;
  const remote = fromListing(listed, props);
  const generation = generationOf(listed.name, props.name) ?? props.generation ?? 1;
  return outputsFrom(declaredInputs(props), remote, backend.vendor, {
    generation,
    editsRefused: props.editsRefused,
    retiring: props.retiringFlowIds,
  });
}

/**
 * The Flow JSON a create carries (`initialAssets`, set by WhatsAppFlow): validated offline like
 * FlowAssets does (the same text is checked once per deployment: ./checked-json.ts), kept in memory, and
 * replaced by its hash in the inputs. Invalid JSON fails here, naming file, line and column.
 */
function checkInitialAssets(inputs: FlowInputs): { assets?: InitialAssets } | { failure: { property: string; reason: string } } {
  const initial = inputs.initialAssets;
  if (!initial || typeof initial !== "object") return { assets: undefined };
  const { flowJson, ...rest } = initial;
  if (typeof flowJson !== "string" || isUnknown(flowJson) || isUnknown(inputs.waba))
    return { assets: compact({ ...rest, flowJsonSha256: undefined }) };
  const target = validationTargetOf(vendorOf(accountOf(inputs.waba)));
  const once = checkFlowJsonText(flowJson, target, (text, t) => validateFlowJson(text, { target: t }), flowJsonSha256);
  const errors = once.result.errors;
  if (errors.length > 0 || once.sha === undefined) {
    const file = initial.sourcePath || `<flowJson of ${inputs.name}>`;
    return { failure: { property: "", reason: describeProblems(inputs.name, file, errors, `Flow JSON has ${errors.length} error(s)`) } };
  }
  // The promotion gate and the endpoint rules, as FlowAssets applies them: this create may publish.
  const ruled = assetsRules(
    {
      flowJson,
      flowName: inputs.name,
      sourcePath: initial.sourcePath,
      publish: initial.publish === true,
      endpointUri: isUnknown(inputs.endpointUri) ? inputs.endpointUri : (inputs.endpointUri ?? undefined),
      promotion: initial.promotion as FlowAssetsInputs["promotion"],
    },
    inputs.name,
    once.sha,
  );
  if (ruled) return { failure: ruled };
  // The promotion requirement has done its work here; the state keeps the hash only.
  const { promotion: _promotion, ...kept } = rest;
  return { assets: compact({ ...kept, flowJsonSha256: once.sha }) };
}

/** The checked Flow JSON a create may carry: the vendor's create takes it, nothing else is asked of the create, and check kept the text. */
function jsonForCreate(inputs: FlowInputs, capabilities: { publishOnCreate: boolean }) {
  const initial = inputs.initialAssets;
  if (!capabilities.publishOnCreate || !initial?.flowJsonSha256 || inputs.cloneFlowId !== undefined) return undefined;
  const flowJson = checkedJson(initial.flowJsonSha256);
  if (flowJson === undefined) return undefined;
  // An application id is set by an update after the create (creates take none), and must be there before publishing.
  const publish = initial.publish === true && inputs.applicationId === undefined;
  return { flowJson, sha: initial.flowJsonSha256, publish };
}

/** The Flow JSON text a WhatsAppFlow hands its (existing) Flow, by account and name, unchecked (kept by reference). */
const declaredTexts = new Map<string, InitialAssets>();
onProcessReset(() => declaredTexts.clear());
const declaredKey = (waba: string, name: string) => `${waba}\u0000${name}`;

function rememberDeclaredText(inputs: FlowInputs): void {
  const initial = inputs.initialAssets;
  if (!initial || typeof initial.flowJson !== "string" || isUnknown(initial.flowJson) || isUnknown(inputs.waba) || isUnknown(inputs.name))
    return;
  declaredTexts.set(declaredKey(inputs.waba, inputs.name), initial);
}

/**
 * The declared Flow JSON for a replacement made by this Flow (a metadata change the vendor will not make in
 * place), when the vendor's create takes the JSON and `publish`: one create then does what a clone and a
 * publish would (issue 18: 8x8's replacement is create with JSON and publish, deprecate). Validated offline
 * and ruled like a create's (checkInitialAssets) here, since only `up` needs it; undefined when anything is
 * wrong with it (the replacement then clones the live flow, and the FlowAssets' check reports the problem).
 */
function declaredJson(inputs: FlowInputs): { flowJson: string; sha: string } | undefined {
  const initial = declaredTexts.get(declaredKey(inputs.waba, inputs.name));
  if (!initial?.flowJson) return undefined;
  const checked = checkInitialAssets({ ...inputs, initialAssets: initial });
  if ("failure" in checked || !checked.assets?.flowJsonSha256) return undefined;
  return { flowJson: initial.flowJson, sha: checked.assets.flowJsonSha256 };
}

export const flowHooks = {
  async check(olds: Partial<FlowOutputs> | undefined, news: RawInputs) {
    const checked = checkFlowInputs(news);
    if (checked.failures.length > 0) return checked;
    if (olds?.name) {
      // The Flow JSON only matters to a create: a resource with state keeps what it recorded, without
      // validating or hashing the text again (no change, no CPU). The text stays in this process, unchecked,
      // for a replacement by a create that takes the JSON (see declaredJson).
      const { initialAssets: _ignored, ...rest } = checked.inputs;
      rememberDeclaredText(checked.inputs);
      return { inputs: compact({ ...rest, initialAssets: olds.initialAssets }), failures: [] };
    }
    const initial = checkInitialAssets(checked.inputs);
    if ("failure" in initial) return { inputs: checked.inputs, failures: [initial.failure] };
    const inputs = compact({ ...checked.inputs, initialAssets: initial.assets });
    // A create (no state yet): say at preview what it will adopt and change, or refuse what cannot work
    // (read-only lookups, one list per account; ./adoption-preview.ts).
    const failures = await previewFlowCreation(inputs);
    if (failures.length > 0) return { inputs, failures };
    return { inputs, failures: [] };
  },

  async diff(_id: string, olds: FlowOutputs, news: FlowInputs) {
    const replaces: string[] = [];
    if (isUnknown(news.waba) || !sameAccount(olds.waba, news.waba)) replaces.push("waba");
    const declaredDiffers = (key: "endpointUri" | "applicationId") =>
      news[key] !== undefined && (isUnknown(news[key]) || (olds[key] ?? undefined) !== news[key]);
    const metadataChanged =
      isUnknown(news.name) ||
      olds.name !== news.name ||
      isUnknown(news.categories) ||
      !sameCategories(olds.categories ?? [], news.categories) ||
      declaredDiffers("endpointUri") ||
      declaredDiffers("applicationId");
    if (metadataChanged && replaces.length === 0 && !isUnknown(news.waba)) {
      // Say at preview what `up` will do to a live flow whose vendor will not edit it.
      const parsed = parseAccountRef(news.waba);
      if ("account" in parsed) {
        const entry = vendorOf(parsed.account);
        const ctx = { capabilities: entry.capabilities, editsRefused: olds.editsRefused, vendorName: entry.displayName };
        if (mustReplaceLiveEdits(ctx)) {
          const when = olds.status === "PUBLISHED" ? "it is PUBLISHED" : `if it is published by then (recorded status: ${olds.status})`;
          // The template diffs (run after this one) name the templates this replacement repoints. A DRAFT in
          // this state may have been published by FlowAssets since (or replaced by it: its diff then plans its live flow).
          if (olds.status !== "DEPRECATED") planReplacement(parsed.account.canonical, olds.flowId, news.name);
          progress(
            `flow "${news.name}": ${entry.displayName} does not edit published flows: ${when}, \`pulumi up\` replaces flow ${olds.flowId} ` +
              `with a new flow (published first; the old one is deprecated once no template sends it: the stack's templates are repointed first). Its id changes.`,
          );
        }
      }
    }
    // cloneFlowId, adoptExisting and adoptFlowId only matter at creation: changing them later is not a change.
    return { changes: replaces.length > 0 || metadataChanged, replaces, deleteBeforeReplace: false };
  },

  async create(inputs: FlowInputs) {
    const conn = connect(inputs.waba);
    const ctx = (flowId: string) => executionContext(conn, { flowId, flowName: inputs.name, file: FILE });
    const withJson = inputs.adoptFlowId === undefined ? jsonForCreate(inputs, conn.planContext.capabilities) : undefined;
    const created = await createOrAdopt(ctx(""), {
      name: inputs.name,
      categories: inputs.categories,
      cloneFlowId: inputs.cloneFlowId,
      adoptExisting: inputs.adoptExisting === true,
      adoptFlowId: inputs.adoptFlowId,
      endpointUri: inputs.endpointUri,
      ...(withJson ? { withJson } : {}),
    });
    const { id, adopted } = created;
    try {
      let remote: RemoteFlow | undefined;
      let generation = 1;
      let retiring: string[] = [];
      // What our create left, when its answer says all there is: no read follows (issue 18).
      let fresh: FreshFlow | undefined;
      if (!adopted && inputs.cloneFlowId === undefined && withJson) {
        // Created with its Flow JSON (and published in the same call when asked and the vendor found no errors).
        const errors = created.validationErrors ?? [];
        fresh = {
          ...blankFlow(id, inputs),
          status: withJson.publish && errors.length === 0 ? "PUBLISHED" : "DRAFT",
          validationErrors: errors,
          jsonVersion: versionOf(withJson.flowJson),
          flowJsonSha256: withJson.sha,
        };
        if (errors.length > 0)
          progress(`flow "${inputs.name}": the vendor reported ${errors.length} validation error(s) in its Flow JSON; it stays a DRAFT`);
      } else if (
        adopted &&
        created.existing?.holdsJson &&
        withJson &&
        inputs.applicationId === undefined &&
        inputs.endpointUri === undefined
      ) {
        // Our own interrupted create, found holding exactly this JSON (one download said so): as it was left.
        fresh = {
          ...blankFlow(id, inputs),
          status: flowStatusOf(created.existing.status),
          flowJsonSha256: withJson.sha,
          jsonVersion: versionOf(withJson.flowJson),
        };
      } else if (!adopted && inputs.cloneFlowId === undefined && inputs.applicationId === undefined) {
        // A plain create: the vendor's answer says all there is (a DRAFT without JSON, as declared).
        fresh = blankFlow(id, inputs);
      }
      if (fresh) {
        remote = fresh;
      } else {
        remote = await conn.backend.getFlow(id);
        if (remote && (adopted || inputs.applicationId !== undefined)) {
          // An adopted flow takes the declared name, categories and endpoint; an application id is never taken by a create.
          const plan = planMetadataChange(remote, inputs, conn.planContext);
          if (plan.steps.length > 0) {
            const result = await executePlan({ ...ctx(id), remote }, plan);
            const liveId = result.replacement?.id ?? id;
            generation = result.replacement?.generation ?? 1;
            const retained = result.replacement?.retained;
            if (retained) {
              registerRetirement(conn.account.canonical, retained.flowId, { successorId: liveId, flowName: inputs.name });
              retiring = [retained.flowId];
            }
            remote = await conn.backend.getFlow(liveId);
          }
        }
        if (!remote) throw new Error(`Flow "${inputs.name}": flow ${id} disappeared right after creation`);
        if (!remote.previewUrl) {
          const preview = await conn.backend.getPreview(remote.id).catch(() => undefined);
          if (preview) Object.assign(remote, { previewUrl: preview.url, previewExpiresAt: preview.expiresAt });
        }
      }
      // A flow created (not cloned) here holds no JSON yet, or the JSON its create carried: its FlowAssets
      // plans from this, without a read (and makes no call at all when the create published it).
      if (fresh)
        rememberFresh(processClaims(), conn.account.canonical, {
          ...remote,
          ...(fresh.flowJsonSha256 ? { flowJsonSha256: fresh.flowJsonSha256 } : {}),
        });
      else if (!adopted && inputs.cloneFlowId === undefined) rememberFresh(processClaims(), conn.account.canonical, remote);
      progress(`flow "${inputs.name}": ${adopted ? "adopted" : "created"} flow ${remote.id} (${remote.status})`);
      // What the create left, for a FlowAssets that runs in a later deployment (the engine stopped after this create).
      const createdWith =
        fresh?.flowJsonSha256 && remote === fresh ? { flowJsonSha256: fresh.flowJsonSha256, status: fresh.status } : undefined;
      return { id, outs: outputsFrom(inputs, remote, conn.backend.vendor, { generation, retiring, createdWith }) };
    } catch (e) {
      // The flow exists now: record it, so the next `up` updates it instead of creating a duplicate.
      const partial = outputsFrom(inputs, blankFlow(id, inputs), conn.backend.vendor, { generation: 1 });
      throw new PartialCreateError(id, { ...partial }, `Flow "${inputs.name}": created as ${id}, but ${(e as Error).message}`);
    }
  },

  async read(id: string, props: FlowOutputs) {
    const conn = connect(props.waba, props.vendor);
    const listed = await fromAccountList(conn.backend, props, id);
    if (listed) return { id, props: listed };
    const live = await resolveLive(conn.backend, props.flowId ?? id, props.name, props.generation ?? 1, {
      account: conn.account.canonical,
    });
    if (!live.remote) {
      progress(`flow "${props.name}": flow ${props.flowId ?? id} no longer exists; it leaves the stack`);
      return { id: "", props: {} };
    }
    if (live.followed) progress(`flow "${props.name}": flow ${props.flowId} was replaced by flow ${live.remote.id} "${live.remote.name}"`);
    // Outputs show the live flow; inputs stay as declared, so drift shows as a diff the next `up` repairs.
    // A recorded flow still published behind it is kept for the next operation to retire (no call here).
    return {
      id,
      props: outputsFrom(declaredInputs(props), live.remote, conn.backend.vendor, {
        generation: live.generation,
        editsRefused: props.editsRefused,
        retiring: [...(props.retiringFlowIds ?? []), ...(live.passed ? [live.passed] : [])],
      }),
    };
  },

  async update(id: string, olds: FlowOutputs, news: FlowInputs) {
    const conn = connect(news.waba, olds.vendor);
    // Predecessors a replacement kept for their templates: retired now if no template sends them any more.
    const kept = await retryRetirements(news.waba, olds.retiringFlowIds, {
      flowName: news.name,
      log: (m) => progress(`flow "${news.name}": ${m}`),
    });
    for (const k of kept) registerRetirement(conn.account.canonical, k, { successorId: olds.flowId ?? id, flowName: news.name });
    const withKept = (r: { outs: FlowOutputs }) => {
      const retiring = [...new Set([...kept, ...(r.outs.retiringFlowIds ?? [])])];
      return { outs: { ...r.outs, ...(retiring.length > 0 ? { retiringFlowIds: retiring } : {}) } };
    };
    const trusted = trustedFlow(olds, conn.planContext);
    let refused = false;
    if (trusted) {
      try {
        return withKept(
          await updateFrom(conn, id, olds, news, { remote: trusted, generation: olds.generation ?? 1, followed: false }, true),
        );
      } catch (e) {
        if (!STALE_STATE.some((kind) => isBackendError(e, kind))) throw e;
        refused = isBackendError(e, "EDIT_REFUSED");
        progress(
          `flow "${news.name}": the vendor's answer (${(e as Error).message.split("\n")[0]}) differs from the state; reading flow ${olds.flowId ?? id}`,
        );
      }
    }
    // A PUBLISHED flow this update must replace (a vendor refusing edits, or a refusal just seen) makes the
    // replacement list the account anyway: that list also tells whether a newer generation is live, the
    // recorded flow being only kept for its templates (./live.ts). Otherwise only a list already taken is asked.
    const replaces = refused || mustReplaceLiveEdits({ ...conn.planContext, editsRefused: olds.editsRefused });
    // A replacement is planned from the state and that list alone, with no read, when the list shows the
    // recorded flow PUBLISHED and no newer generation live (./live.ts listedLive; docs/design.md "A metadata
    // change on a vendor that replaces published flows" says why the list is enough). Any other picture, or
    // an answer showing the state was stale, takes the path below, which reads.
    const recorded = replaces && !refused ? stateFlow(olds) : undefined;
    const listed = recorded && (await listedLive(conn.backend, recorded, olds.name, olds.generation ?? 1));
    if (listed) {
      try {
        return withKept(await updateFrom(conn, id, olds, news, listed, true));
      } catch (e) {
        if (!STALE_STATE.some((kind) => isBackendError(e, kind))) throw e;
        progress(
          `flow "${news.name}": the vendor's answer (${(e as Error).message.split("\n")[0]}) differs from the account's list; reading flow ${olds.flowId ?? id}`,
        );
      }
    }
    const live = await resolveLive(conn.backend, olds.flowId ?? id, olds.name, olds.generation ?? 1, {
      account: conn.account.canonical,
      listIfPublished: replaces,
    });
    if (live.passed) progress(`flow "${news.name}": flow ${live.passed} was replaced by flow ${live.remote!.id} "${live.remote!.name}"`);
    const result = withKept(await updateFrom(conn, id, olds, news, live));
    if (!live.passed) return result;
    // The recorded flow was kept published by a replacement (or one interrupted before its deprecation): it
    // is retired once no template sends it, else recorded for the next operation to retry.
    const passedKept = await retryRetirements(news.waba, [live.passed], {
      flowName: news.name,
      log: (m) => progress(`flow "${news.name}": ${m}`),
    });
    for (const k of passedKept)
      registerRetirement(conn.account.canonical, k, { successorId: result.outs.flowId ?? id, flowName: news.name });
    const retiring = [...new Set([...passedKept, ...(result.outs.retiringFlowIds ?? [])])];
    return { outs: { ...result.outs, ...(retiring.length > 0 ? { retiringFlowIds: retiring } : {}) } };
  },

  async delete(id: string, props: FlowOutputs) {
    const conn = connect(props.waba, props.vendor);
    // Predecessors kept for their templates go with the flow (the templates of this stack were deleted first).
    await retryRetirements(props.waba, props.retiringFlowIds, {
      flowName: props.name,
      log: (m) => progress(`flow "${props.name}": ${m}`),
      force: true,
    });
    // What the FlowAssets deleted just before recorded as live (its state follows publishing and
    // replacements): retire that flow straight away. The executor converges if the vendor disagrees.
    const handedOver = takeRemoved(processClaims(), conn.account.canonical, props.flowId ?? id);
    const live = handedOver
      ? {
          remote: {
            ...blankFlow(handedOver.liveFlowId, declaredInputs(props)),
            name: props.liveName ?? props.name,
            status: flowStatusOf(handedOver.status),
          },
        }
      : // No hand-over (its FlowAssets went in an earlier, stopped run, or there is none): the account's list
        // when it is conclusive (./removal-live.ts), else a read that follows any replacement.
        ((await liveForRemoval(conn.backend, conn.account.canonical, props.flowId ?? id, props.name, props.generation ?? 1, props)) ??
        (await resolveLive(conn.backend, props.flowId ?? id, props.name, props.generation ?? 1, { account: conn.account.canonical })));
    // The recorded flow kept published behind a newer generation goes too (a destroy retires every generation).
    if ("passed" in live && live.passed)
      await retryRetirements(props.waba, [live.passed], {
        flowName: props.name,
        log: (m) => progress(`flow "${props.name}": ${m}`),
        force: true,
      });
    const remote = live.remote;
    await executePlan(
      executionContext(conn, { flowId: remote?.id ?? props.flowId ?? id, flowName: props.name, file: FILE, remote }),
      planRemoval(remote),
    );
  },
} satisfies Partial<pulumi.dynamic.ResourceProvider>;

/** Vendor answers that say the state's picture of the flow is out of date (the call changed nothing). */
const STALE_STATE: BackendErrorKind[] = ["NOT_FOUND", "INVALID_STATE", "EDIT_REFUSED", "ALREADY_DEPRECATED"];

/**
 * The flow as the Flow's state records it, when a metadata change can be planned from that alone
 * (issue 18: the update, plus the publish that follows on a vendor that re-drafts): the state says
 * PUBLISHED (which only our own plans change, publishing again right after an edit) and the vendor edits
 * published flows in place. A DRAFT in the state may have been published by FlowAssets since: read then.
 */
function trustedFlow(olds: FlowOutputs, ctx: { capabilities: { publishedEdits: string } }): RemoteFlow | undefined {
  if (olds.status !== "PUBLISHED" || olds.editsRefused || ctx.capabilities.publishedEdits !== "redraft") return undefined;
  return stateFlow(olds);
}

/**
 * The flow as the Flow's state records it, when the state says PUBLISHED, or DRAFT (a Flow created as a
 * DRAFT whose FlowAssets published it since, as on a vendor whose create takes no JSON: the account's list
 * then says which it is, see `listedLive`).
 */
function stateFlow(olds: FlowOutputs): RemoteFlow | undefined {
  if ((olds.status !== "PUBLISHED" && olds.status !== "DRAFT") || !olds.flowId) return undefined;
  return {
    id: olds.flowId,
    name: olds.liveName ?? olds.name,
    status: olds.status,
    categories: [...(olds.categories ?? [])],
    validationErrors: olds.validationErrors ?? [],
    jsonVersion: olds.jsonVersion ?? null,
    previewUrl: olds.previewUrl ?? null,
    previewExpiresAt: olds.previewExpiresAt ?? null,
    healthStatus: olds.healthStatus ?? null,
    ...(olds.endpointUri !== undefined ? { endpointUri: olds.endpointUri } : {}),
    ...(olds.applicationId !== undefined ? { applicationId: olds.applicationId } : {}),
  };
}

async function updateFrom(
  conn: ReturnType<typeof connect>,
  id: string,
  olds: FlowOutputs,
  news: FlowInputs,
  live: { remote?: RemoteFlow; generation: number; followed: boolean },
  trusted = false,
) {
  {
    const recorded = olds.flowId ?? id;
    const remote = live.remote;
    if (!remote) {
      throw new Error(
        `Flow "${news.name}": flow ${recorded} no longer exists in ${conn.account.canonical} (deleted outside Pulumi). ` +
          "Run `pulumi refresh` to drop it from the stack; the next `pulumi up` then creates it again.",
      );
    }
    // Compare with what the declared name stands for now (a replaced flow carries a generation suffix).
    const current = {
      ...remote,
      name: remote.name === liveNameFor(olds.name, live.generation) ? olds.name : remote.name,
      // Where the vendor does not report them, what we set last.
      endpointUri: remote.endpointUri !== undefined ? remote.endpointUri : olds.endpointUri,
      applicationId: remote.applicationId !== undefined ? remote.applicationId : olds.applicationId,
    };
    const plan = planMetadataChange(current, news, { ...conn.planContext, editsRefused: olds.editsRefused });
    // Planned from the state: a refusal is first confirmed by a read (update), never taken for a legacy flow's.
    if (trusted) plan.replaceOnRefusal = false;
    // A replacement by a create that takes the JSON and `publish` carries the declared JSON (no clone, no publish call).
    const carried =
      conn.planContext.capabilities.publishOnCreate && plan.steps.some((step) => step.call === "replace") ? declaredJson(news) : undefined;
    const ctx = executionContext(conn, {
      flowId: remote.id,
      flowName: news.name,
      file: FILE,
      ...(carried ? { flowJson: carried.flowJson, file: news.initialAssets?.sourcePath || FILE } : {}),
      remote,
      editsRefused: olds.editsRefused,
      endpoint: { endpointUri: news.endpointUri, applicationId: news.applicationId },
    });
    const result = await executePlan(ctx, plan);
    let generation = live.generation;
    const retained = result.replacement?.retained;
    if (retained && result.replacement)
      registerRetirement(conn.account.canonical, retained.flowId, { successorId: result.replacement.id, flowName: news.name });
    if (result.replacement) {
      generation = result.replacement.generation;
      // The successor carries the replaced flow's content (cloned, or its JSON downloaded): its FlowAssets,
      // next in this deployment, follows it from here instead of reading and downloading it (issue 18).
      rememberSuccessor(ctx.claims, conn.account.canonical, {
        replaced: result.replacement.replaced,
        remote: result.replacement.remote,
        generation: result.replacement.generation,
        ...(carried ? { flowJsonSha256: carried.sha } : {}),
      });
    } else if (current.name !== news.name) {
      // Renamed in place: the new name is generation 1 of its family.
      generation = 1;
    }
    let after: RemoteFlow | undefined = remote;
    if (result.replacement) after = result.replacement.remote;
    else {
      // What the update did, from its own answers (issue 9: no read after the writes): the declared
      // metadata; the status as read before (a re-drafted flow was published again, or the step threw).
      const step = plan.steps.find((s) => s.call === "updateMetadata");
      if (step && step.call === "updateMetadata") {
        after = {
          ...remote,
          ...(step.name !== undefined ? { name: step.name } : {}),
          ...(step.categories ? { categories: [...step.categories] } : {}),
          ...(step.endpointUri !== undefined ? { endpointUri: step.endpointUri } : {}),
          ...(step.applicationId !== undefined ? { applicationId: step.applicationId } : {}),
        };
      }
    }
    const editsRefused = olds.editsRefused === true || result.editsRefused === true;
    const effective = after ?? remote;
    return {
      outs: outputsFrom({ ...news }, effective, conn.backend.vendor, {
        generation: generationOf(effective.name, news.name) ?? generation,
        editsRefused,
        retiring: retained ? [retained.flowId] : [],
      }),
    };
  }
}
