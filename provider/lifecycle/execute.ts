/**
 * Runs a Plan against a backend. Handles the answers vendors give when reality moved between our read
 * and our call (already published, already deprecated, already gone), so that a retried `pulumi up`
 * converges instead of failing; and carries out replacements (new flow live first, old one deprecated
 * after) in a way an interrupted run can resume.
 */
import type { FlowBackend, RemoteFlow } from "../backends/types";
import { BackendError, isBackendError } from "../backends/types";
import { flowJsonSha256 } from "../hash";
import type { FlowCategory } from "../model";
import type { FlowJsonProblem } from "../validation/types";
import { claimFor, claimedByOther, ownerKey, type Claims } from "./claims";
import { critical, sections } from "./critical";
import type { Plan, PlanContext, Step } from "./plan";
import {
  chooseSuccessor,
  decideAdoption,
  generationOf,
  isLive,
  liveNameFor,
  MAX_FLOW_NAME,
  PlanRefused,
  type SuccessorChoice,
} from "./plan";

export interface ExecutionContext {
  backend: FlowBackend;
  /** The account reference (canonical), for messages and claims. */
  account: string;
  flowId: string;
  /** The declared name (a replacement's name derives from it). */
  flowName: string;
  /** The JSON to upload for `uploadFlowJson` steps. */
  flowJson?: string;
  /** What a live flow served before the upload: put back if the vendor rejects the new JSON. */
  previousFlowJson?: string;
  /** The live flow as read before planning (replacements start from it). */
  remote?: RemoteFlow;
  /** The declared endpoint of a data-exchange flow (a replacement must carry it). */
  endpoint?: { endpointUri?: string; applicationId?: string };
  planContext?: PlanContext;
  /** Progress lines (shown by Pulumi); must never receive secrets. */
  log: (message: string) => void;
  /** Turns vendor validation errors into the user-facing failure. */
  validationFailure: (problems: FlowJsonProblem[], context: string) => Error;
  claims?: Claims;
  /**
   * The templates (names or ids) that still send this flow, from a fresh look at the account. Given, a
   * replacement keeps the old flow published while any template sends it (its templates are repointed
   * first, and retire it: docs/design.md "A flow's replacement never strands its templates"). Called only
   * once a successor of a published flow is live; an error counts as "unknown", which keeps the flow.
   */
  templatesSending?: (flowId: string) => Promise<string[]>;
}

export interface Replacement {
  id: string;
  name: string;
  generation: number;
  /** What the calls' own answers say about the new flow (no read after the writes): status, categories, errors. */
  remote: RemoteFlow;
  /** The flow that was live before (now deprecated, unless `retained`). */
  replaced: string;
  /** The old flow stays published because these templates still send it: they are repointed first, then it is deprecated. */
  retained?: { flowId: string; templates: string[] };
}

export interface ExecutionResult {
  /** Vendor-reported validation errors of the last upload ([] when clean or nothing uploaded). */
  validationErrors: FlowJsonProblem[];
  uploaded: boolean;
  /** Set when the flow was replaced: the new live flow. */
  replacement?: Replacement;
  /** The vendor refused an in-place edit of this flow (so later edits go straight to replacement). */
  editsRefused?: boolean;
}

async function publishConverging(ctx: ExecutionContext, flowId = ctx.flowId): Promise<void> {
  try {
    await ctx.backend.publish(flowId);
  } catch (e) {
    // "Publishing Flow in invalid state": someone (or an earlier attempt) already published it.
    if (isBackendError(e, "INVALID_STATE")) {
      const now = await ctx.backend.getFlow(flowId);
      if (now?.status === "PUBLISHED") return;
      if (now && now.validationErrors.length > 0) throw ctx.validationFailure(now.validationErrors, "publish was refused");
    }
    if (isBackendError(e, "VALIDATION")) {
      const now = await ctx.backend.getFlow(flowId);
      throw ctx.validationFailure(now?.validationErrors ?? [], "publish was refused");
    }
    throw e;
  }
}

async function deprecateConverging(ctx: ExecutionContext, flowId: string): Promise<void> {
  try {
    await ctx.backend.deprecate(flowId);
  } catch (e) {
    if (isBackendError(e, "ALREADY_DEPRECATED") || isBackendError(e, "NOT_FOUND")) return;
    if (isBackendError(e, "INVALID_STATE")) {
      // "Can't deprecate unpublished flow": it is a draft after all; a draft can go.
      const now = await ctx.backend.getFlow(flowId);
      if (!now || now.status === "DEPRECATED") return;
      if (now.status === "DRAFT") return deleteConverging(ctx, flowId);
    }
    throw e;
  }
}

async function deleteConverging(ctx: ExecutionContext, flowId = ctx.flowId): Promise<void> {
  try {
    await ctx.backend.deleteFlow(flowId);
  } catch (e) {
    if (isBackendError(e, "NOT_FOUND")) return;
    if (isBackendError(e, "INVALID_STATE") || isBackendError(e, "EDIT_REFUSED")) {
      // Published meanwhile: deprecate instead, never delete a live flow.
      const now = await ctx.backend.getFlow(flowId);
      if (!now || now.status === "DEPRECATED") return;
      if (isLive(now.status)) {
        ctx.log(`flow ${flowId} is ${now.status} now; deprecating it instead of deleting`);
        await ctx.backend.deprecate(flowId);
        return;
      }
    }
    throw e;
  }
}

async function currentFlow(ctx: ExecutionContext): Promise<RemoteFlow> {
  if (ctx.remote) return ctx.remote;
  const now = await ctx.backend.getFlow(ctx.flowId);
  if (!now) throw new BackendError("NOT_FOUND", `flow ${ctx.flowId} no longer exists`);
  return (ctx.remote = now);
}

/**
 * Replaces the live flow with a new one holding the desired content: find or create the successor
 * (a deterministic name, so an interrupted run finds its own half-made successor and resumes it),
 * give it the content, publish it, and only then deprecate the old flow. At no point are there zero
 * live flows; a failure before the publish leaves the old flow live and the successor a DRAFT that
 * the next run resumes.
 */
export function replaceLiveFlow(ctx: ExecutionContext, step: ReplaceStep): Promise<Replacement> {
  // A critical section (lifecycle/critical.ts): once the successor's create (or resumption) has started,
  // it is published even if the engine dies meanwhile; nothing new starts once it is gone.
  return critical(`replacement of flow ${ctx.flowId}`, () => replaceNow(ctx, step));
}

type ReplaceStep = { name: string; categories?: FlowCategory[]; reason: string; endpointUri?: string; applicationId?: string };

async function replaceNow(ctx: ExecutionContext, step: ReplaceStep): Promise<Replacement> {
  const { backend } = ctx;
  const caps = ctx.planContext?.capabilities;
  let current = await currentFlow(ctx);
  // A state-trusted plan may not know the categories (FlowAssets declared without its Flow): read them.
  if (current.categories.length === 0 && step.categories === undefined) {
    const read = await backend.getFlow(current.id);
    if (!read) throw new BackendError("NOT_FOUND", `flow ${current.id} no longer exists`);
    current = ctx.remote = read;
  }
  const categories = (step.categories ?? current.categories) as FlowCategory[];
  // An endpoint flow's successor needs the endpoint before it can be published.
  const endpointUri = step.endpointUri ?? ctx.endpoint?.endpointUri ?? current.endpointUri ?? undefined;
  const applicationId = step.applicationId ?? ctx.endpoint?.applicationId ?? current.applicationId ?? undefined;
  const family = step.name;
  const currentGeneration = generationOf(current.name, family);
  const startGeneration = currentGeneration === undefined ? 1 : currentGeneration + 1;
  // The content the successor must carry: the new JSON, or (metadata change) what the live flow serves.
  let desiredJson = ctx.flowJson;
  const cloning = desiredJson === undefined && caps?.clone === true;
  let currentJson: string | undefined;
  const targetSha = async () => {
    if (desiredJson !== undefined) return flowJsonSha256(desiredJson);
    currentJson ??= ctx.previousFlowJson ?? (await backend.downloadFlowJson(current.id));
    return currentJson === undefined ? undefined : flowJsonSha256(currentJson);
  };
  const owner = ownerKey(ctx.account, ctx.flowName);
  const isClaimed = (id: string) => claimedByOther(ctx.claims, ctx.account, id, owner) !== undefined;

  type Successor = { id: string; hasDesiredJson: boolean; status: string; validationErrors: FlowJsonProblem[] };
  let successor: Successor | undefined;
  let resumed = false;
  const createSuccessor = async (name: string): Promise<Successor> => {
    if (desiredJson === undefined && !cloning) {
      desiredJson = currentJson ?? ctx.previousFlowJson ?? (await backend.downloadFlowJson(current.id));
    }
    const withJson = desiredJson !== undefined && caps?.publishOnCreate === true;
    // Created and published in one call where the vendor's create takes the JSON (an application id must be set first).
    const publishNow = withJson && applicationId === undefined;
    const created = await backend.createFlow({
      name,
      categories,
      ...(cloning ? { cloneFlowId: current.id } : {}),
      ...(withJson ? { flowJson: desiredJson, ...(publishNow ? { publish: true } : {}) } : {}),
      ...(endpointUri ? { endpointUri } : {}),
    });
    if (withJson && created.validationErrors.length > 0) {
      throw ctx.validationFailure(
        created.validationErrors,
        `the vendor rejected the new Flow JSON; the replacement flow ${created.id} "${name}" stays a DRAFT and flow ${current.id} stays live`,
      );
    }
    // The vendors document that a create with valid JSON and `publish` answers with the flow PUBLISHED.
    return { id: created.id, hasDesiredJson: withJson || cloning, status: publishNow ? "PUBLISHED" : "DRAFT", validationErrors: [] };
  };

  // The fewest calls: create the next generation's name straight away. Only when that name is taken, or
  // the create failed in a way the vendor may have applied, is the account listed to find out whose it is.
  let choice: SuccessorChoice = { name: liveNameFor(family, startGeneration), generation: startGeneration };
  const mayExist = (e: unknown) =>
    isBackendError(e, "NAME_TAKEN") || isBackendError(e, "TRANSIENT") || isBackendError(e, "THROTTLED") || isBackendError(e, "OTHER");
  // Nothing new starts once the engine is gone (lifecycle/critical.ts).
  sections.ensureAlive(`the successor of flow ${current.id}`);
  if (choice.name.length <= MAX_FLOW_NAME) {
    ctx.log(`${step.reason}: creating flow "${choice.name}" to replace flow ${current.id}`);
    try {
      successor = await createSuccessor(choice.name);
    } catch (e) {
      if (!mayExist(e)) throw e;
      ctx.log(`the create of "${choice.name}" failed (${(e as Error).message.split("\n")[0]}); looking the name up`);
    }
  }
  if (!successor) {
    const flows = await backend.listFlows();
    const skip = new Set<string>();
    choice = chooseSuccessor(flows, family, { currentId: current.id, startGeneration }, isClaimed, skip);
    while (choice.existing && !successor) {
      // A flow already holds the successor's name: resume it only if it is provably our own half-made successor.
      const json = await backend.downloadFlowJson(choice.existing.id);
      const wanted = await targetSha();
      if (choice.existing.status === "DRAFT" && json === undefined)
        successor = { id: choice.existing.id, hasDesiredJson: false, status: "DRAFT", validationErrors: [] };
      else if (json !== undefined && wanted !== undefined && flowJsonSha256(json) === wanted) {
        successor = { id: choice.existing.id, hasDesiredJson: true, status: choice.existing.status, validationErrors: [] };
      } else {
        skip.add(choice.existing.id);
        choice = chooseSuccessor(flows, family, { currentId: current.id, startGeneration }, isClaimed, skip);
      }
    }
    if (successor) {
      resumed = true;
      ctx.log(`resuming the replacement of flow ${current.id}: flow ${successor.id} "${choice.name}" (${successor.status})`);
    } else {
      ctx.log(`${step.reason}: creating flow "${choice.name}" to replace flow ${current.id}`);
      successor = await createSuccessor(choice.name);
    }
  }
  if (!resumed && applicationId !== undefined) {
    // Creates take no application id: set it on the (draft) successor before it is published.
    await backend.updateMetadata(successor.id, { applicationId, current: { name: choice.name, categories } });
  }
  claimFor(ctx.claims, ctx.account, successor.id, owner);
  const target = { ...ctx, flowId: successor.id };
  if (!successor.hasDesiredJson) {
    // Resuming a successor that was created but never given its content (or a vendor without clone).
    desiredJson ??= currentJson ?? ctx.previousFlowJson ?? (await backend.downloadFlowJson(current.id));
  }
  if (!successor.hasDesiredJson && desiredJson !== undefined) {
    ctx.log(`uploading Flow JSON (${Buffer.byteLength(desiredJson)} bytes) to replacement flow ${successor.id}`);
    const { validationErrors } = await backend.uploadFlowJson(successor.id, desiredJson);
    if (validationErrors.length > 0) {
      throw ctx.validationFailure(
        validationErrors,
        `the vendor rejected the new Flow JSON; the replacement flow ${successor.id} "${choice.name}" stays a DRAFT and flow ${current.id} stays live`,
      );
    }
  }
  // The status is known from our own calls (a create or a listing): no read before publishing (issue 9).
  if (successor.status !== "PUBLISHED") {
    ctx.log(`publishing replacement flow ${successor.id} "${choice.name}"`);
    await publishConverging(target, successor.id);
  }
  // Only now, with the successor live, is the old flow retired. Not by a provider whose engine is gone
  // (the deprecation cannot be undone, and templates are not repointed yet): the next `up` finishes it.
  sections.ensureAlive(`deprecating flow ${current.id}`);
  // Never strand a template: while one still sends the old flow, it stays published; the templates are
  // repointed to the successor and retire it then (or this resource's next operation does).
  const sending = ctx.templatesSending ? await stillSending(ctx, current.id) : [];
  let retained: Replacement["retained"];
  if (sending.length > 0) {
    retained = { flowId: current.id, templates: sending };
    ctx.log(
      `flow ${current.id} stays published until templates ${sending.join(", ")} that send it are repointed: flow ${successor.id} "${choice.name}" is live in its place`,
    );
  } else {
    ctx.log(`deprecating flow ${current.id}: flow ${successor.id} "${choice.name}" is live in its place`);
    await deprecateConverging(ctx, current.id);
  }
  const json = desiredJson ?? currentJson;
  return {
    id: successor.id,
    name: choice.name,
    generation: choice.generation,
    replaced: current.id,
    ...(retained ? { retained } : {}),
    remote: {
      id: successor.id,
      name: choice.name,
      status: "PUBLISHED",
      categories: [...categories],
      validationErrors: [],
      jsonVersion: json !== undefined ? versionOf(json) : current.jsonVersion,
      previewUrl: null,
      previewExpiresAt: null,
      healthStatus: null,
      ...(endpointUri !== undefined ? { endpointUri } : {}),
      ...(applicationId !== undefined ? { applicationId } : {}),
    },
  };
}

/** The templates that still send a flow; when they cannot be listed, the answer is "unknown", which keeps the flow. */
async function stillSending(ctx: ExecutionContext, flowId: string): Promise<string[]> {
  try {
    return await ctx.templatesSending!(flowId);
  } catch (e) {
    ctx.log(`the account's templates could not be listed (${(e as Error).message.split("\n")[0]}); flow ${flowId} stays published for now`);
    return ["(unknown: the template list failed)"];
  }
}

/**
 * Retires a flow a replacement kept published for its templates (or anything live): deprecates it,
 * converging when it is already deprecated, gone, or (after all) a draft.
 */
export function retireFlow(ctx: ExecutionContext, flowId: string): Promise<void> {
  return deprecateConverging(ctx, flowId);
}

/** The `version` of a Flow JSON text, as vendors report it (`jsonVersion`). */
export function versionOf(flowJson: string): string | null {
  try {
    const v = JSON.parse(flowJson)?.version;
    return typeof v === "string" || typeof v === "number" ? String(v) : null;
  } catch {
    return null;
  }
}

async function runStep(ctx: ExecutionContext, step: Step, plan: Plan, result: ExecutionResult) {
  const { backend, flowId } = ctx;
  switch (step.call) {
    case "updateMetadata": {
      ctx.log(
        `updating ${step.name !== undefined ? "name" : ""}${step.name !== undefined && step.categories ? " and " : ""}${step.categories ? "categories" : ""} of flow ${flowId}`,
      );
      const current = ctx.remote ?? (await currentFlow(ctx));
      try {
        await backend.updateMetadata(flowId, {
          name: step.name,
          categories: step.categories,
          endpointUri: step.endpointUri,
          applicationId: step.applicationId,
          current: { name: current.name, categories: current.categories },
        });
      } catch (e) {
        if (plan.replaceOnRefusal && isBackendError(e, "EDIT_REFUSED")) {
          result.editsRefused = true;
          result.replacement = await replaceLiveFlow(ctx, {
            name: step.name ?? ctx.flowName,
            categories: step.categories,
            endpointUri: step.endpointUri,
            applicationId: step.applicationId,
            reason: `the vendor refused to edit published flow ${flowId} (${e.message})`,
          });
          return "stop";
        }
        throw e;
      }
      return;
    }
    case "uploadFlowJson": {
      if (ctx.flowJson === undefined) throw new Error("internal: uploadFlowJson without Flow JSON");
      ctx.log(`uploading Flow JSON (${Buffer.byteLength(ctx.flowJson)} bytes) to flow ${flowId}`);
      let validationErrors: FlowJsonProblem[];
      try {
        ({ validationErrors } = await backend.uploadFlowJson(flowId, ctx.flowJson));
      } catch (e) {
        if (plan.replaceOnRefusal && isBackendError(e, "EDIT_REFUSED")) {
          result.editsRefused = true;
          result.replacement = await replaceLiveFlow(ctx, {
            name: ctx.flowName,
            reason: `the vendor refused to edit published flow ${flowId} (${e.message})`,
          });
          return "stop";
        }
        throw e;
      }
      result.uploaded = true;
      result.validationErrors = validationErrors;
      if (validationErrors.length > 0 && plan.steps.some((s) => s.call === "publish")) {
        if (plan.snapshotBeforeUpload && ctx.previousFlowJson !== undefined) {
          // The flow was live and the vendor re-drafted it: put the last good JSON back and publish it,
          // so customers keep a working flow, then report what was wrong.
          ctx.log(`vendor rejected the new Flow JSON; restoring the previous version of flow ${flowId} and re-publishing it`);
          await backend.uploadFlowJson(flowId, ctx.previousFlowJson);
          await publishConverging(ctx);
          throw ctx.validationFailure(
            validationErrors,
            "the vendor rejected the new Flow JSON; the previously published version was restored and is still live",
          );
        }
        throw ctx.validationFailure(validationErrors, "the vendor reported validation errors, so the flow was not published");
      }
      return;
    }
    case "publish":
      ctx.log(`publishing flow ${flowId}`);
      await publishConverging(ctx);
      return;
    case "republishIfRedrafted": {
      // Meta documents that an edit re-drafts a published (new-style) flow, and AWS passes Meta's
      // behaviour through: publish straight away instead of reading first. Where the edit did not
      // re-draft it, the vendor answers "invalid state" and publishConverging confirms it is PUBLISHED.
      ctx.log(`publishing flow ${flowId} again right after the edit (it re-drafts a published flow)`);
      await publishConverging(ctx);
      return;
    }
    case "deprecate":
      ctx.log(`deprecating flow ${flowId} (published flows are never deleted)`);
      return deprecateConverging(ctx, flowId);
    case "delete":
      ctx.log(`deleting draft flow ${flowId}`);
      return deleteConverging(ctx);
    case "replace":
      result.replacement = await replaceLiveFlow(ctx, step);
      return "stop";
  }
}

/** The plan edits a published flow in place, then publishes it again (the edit may re-draft it). */
export const editsLiveFlowInPlace = (plan: Plan): boolean =>
  plan.snapshotBeforeUpload || plan.steps.some((s) => s.call === "republishIfRedrafted");

export async function executePlan(ctx: ExecutionContext, plan: Plan): Promise<ExecutionResult> {
  for (const note of plan.notes) ctx.log(note);
  const result: ExecutionResult = { validationErrors: [], uploaded: false };
  const run = async () => {
    for (const step of plan.steps) if ((await runStep(ctx, step, plan, result)) === "stop") break;
  };
  // An in-place edit of a live flow (which may re-draft it) and the publish after it: a critical section,
  // finished even if the engine dies between the two (lifecycle/critical.ts).
  await (editsLiveFlowInPlace(plan) ? critical(`edit and re-publish of flow ${ctx.flowId}`, run) : run());
  return result;
}

/** What a create needs to know to create, or to take over what an interrupted create of its own left. */
export interface CreateRequest {
  name: string;
  categories: FlowCategory[];
  cloneFlowId?: string;
  /** Take over a flow of this name if one exists (looked up first: no create call then). */
  adoptExisting: boolean;
  /** Take over this flow by id instead of creating one. */
  adoptFlowId?: string;
  endpointUri?: string;
  /**
   * The Flow JSON the create carries (vendors whose create takes it: `publishOnCreate`), validated
   * offline already, with its hash; and whether the same call publishes the flow.
   */
  withJson?: { flowJson: string; sha: string; publish: boolean };
}

/**
 * Creates a flow, or adopts one holding the name when that is provably safe (lifecycle decision in
 * `decideAdoption`). A create failure after which the vendor may have applied the create anyway
 * (5xx, throttling, dropped connection; no backend resends a create by itself) is always
 * followed by a name lookup, never by a blind second create.
 */
export async function createOrAdopt(
  ctx: Pick<ExecutionContext, "backend" | "account" | "log" | "claims">,
  req: CreateRequest,
): Promise<{ id: string; adopted: boolean; validationErrors?: FlowJsonProblem[]; existing?: { status: string; holdsJson: boolean } }> {
  const { backend } = ctx;
  const owner = ownerKey(ctx.account, req.name);
  // A resource is created once per deployment: a second create of the same name is a second resource.
  if (ctx.claims?.names.has(owner)) {
    throw new PlanRefused(
      `flow "${req.name}" is declared twice for ${ctx.account} in this deployment; two resources must never manage one flow. Give one of them another name.`,
    );
  }
  ctx.claims?.names.add(owner);
  if (req.adoptFlowId !== undefined) {
    const existing = await backend.getFlow(req.adoptFlowId);
    if (!existing)
      throw new PlanRefused(
        `flow ${req.adoptFlowId} (adoptFlowId) does not exist in ${ctx.account}; check the id, or remove adoptFlowId to create the flow`,
      );
    const other = claimedByOther(ctx.claims, ctx.account, existing.id, owner);
    if (other)
      throw new PlanRefused(
        `flow ${existing.id} (adoptFlowId) is already managed by ${other} in this deployment; two resources must never manage one flow`,
      );
    if (existing.status === "DEPRECATED") {
      throw new PlanRefused(
        `flow ${existing.id} "${existing.name}" (adoptFlowId) is DEPRECATED and cannot be revived; remove adoptFlowId to create a new flow under another name`,
      );
    }
    ctx.log(`adopting ${existing.status} flow ${existing.id} "${existing.name}" by id (adoptFlowId)`);
    claimFor(ctx.claims, ctx.account, existing.id, owner);
    return { id: existing.id, adopted: true };
  }
  if (req.adoptExisting) {
    // Opted in: look the name up first, so adopting makes no write call at all.
    const existing = (await backend.listFlows()).find((f) => f.name === req.name);
    if (existing) {
      const decision = decideAdoption(
        { ...existing, hasFlowJson: true, claimedByOther: claimedByOther(ctx.claims, ctx.account, existing.id, owner) },
        { categories: req.categories, adoptExisting: true, cloning: !!req.cloneFlowId },
        ctx.account,
      );
      if (!decision.adopt) throw new BackendError("NAME_TAKEN", `Flow "${req.name}": ${decision.reason}`);
      ctx.log(decision.reason);
      claimFor(ctx.claims, ctx.account, existing.id, owner);
      return { id: existing.id, adopted: true };
    }
  }
  let id: string;
  let adopted = false;
  let validationErrors: FlowJsonProblem[] | undefined;
  let found: { status: string; holdsJson: boolean } | undefined;
  try {
    const created = await backend.createFlow({
      name: req.name,
      categories: req.categories,
      ...(req.cloneFlowId ? { cloneFlowId: req.cloneFlowId } : {}),
      ...(req.endpointUri ? { endpointUri: req.endpointUri } : {}),
      ...(req.withJson ? { flowJson: req.withJson.flowJson, ...(req.withJson.publish ? { publish: true } : {}) } : {}),
    });
    id = created.id;
    validationErrors = created.validationErrors;
  } catch (e) {
    const mayExist =
      isBackendError(e, "NAME_TAKEN") || isBackendError(e, "TRANSIENT") || isBackendError(e, "THROTTLED") || isBackendError(e, "OTHER");
    if (!mayExist) throw e;
    const listed = (await backend.listFlows()).find((f) => f.name === req.name);
    if (!listed) throw e;
    // Some lists carry no categories (8x8): read the flow for them.
    const existing = listed.categories.length > 0 ? listed : ((await backend.getFlow(listed.id)) ?? listed);
    // One download says whether it is ours: no JSON (a plain create), or exactly the JSON our create carried.
    const json = await backend.downloadFlowJson(existing.id);
    let matchesClone = false;
    if (req.cloneFlowId && json !== undefined) {
      const source = await backend.downloadFlowJson(req.cloneFlowId);
      matchesClone = source !== undefined && flowJsonSha256(source) === flowJsonSha256(json);
    }
    const matchesJson = req.withJson !== undefined && json !== undefined && flowJsonSha256(json) === req.withJson.sha;
    const decision = decideAdoption(
      {
        ...existing,
        hasFlowJson: json !== undefined,
        matchesClone,
        matchesJson,
        claimedByOther: claimedByOther(ctx.claims, ctx.account, existing.id, owner),
      },
      { categories: req.categories, adoptExisting: req.adoptExisting, cloning: !!req.cloneFlowId, withJson: req.withJson !== undefined },
      ctx.account,
    );
    if (!decision.adopt) throw new BackendError("NAME_TAKEN", `Flow "${req.name}": ${decision.reason}`);
    ctx.log(decision.reason);
    id = existing.id;
    adopted = true;
    found = { status: existing.status, holdsJson: matchesJson };
  }
  claimFor(ctx.claims, ctx.account, id, owner);
  return { id, adopted, ...(validationErrors ? { validationErrors } : {}), ...(found ? { existing: found } : {}) };
}

export { BackendError };
