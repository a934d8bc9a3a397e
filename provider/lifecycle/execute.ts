/**
 * Runs a Plan against a backend. Handles the answers vendors give when reality moved between our read
 * and our call (already published, already deprecated, already gone), so that a retried `pulumi up`
 * converges instead of failing.
 */
import type { FlowBackend } from "../backends/types";
import { BackendError, isBackendError } from "../backends/types";
import type { FlowJsonProblem } from "../validation/types";
import type { Plan, Step } from "./plan";
import { isLive } from "./plan";

export interface ExecutionContext {
  backend: FlowBackend;
  waba: string;
  flowId: string;
  flowName: string;
  /** The JSON to upload for `uploadFlowJson` steps. */
  flowJson?: string;
  /** What a live flow served before the upload: put back if the vendor rejects the new JSON. */
  previousFlowJson?: string;
  /** Progress lines (shown by Pulumi); must never receive secrets. */
  log: (message: string) => void;
  /** Turns vendor validation errors into the user-facing failure. */
  validationFailure: (problems: FlowJsonProblem[], context: string) => Error;
}

export interface ExecutionResult {
  /** Vendor-reported validation errors of the last upload ([] when clean or nothing uploaded). */
  validationErrors: FlowJsonProblem[];
  uploaded: boolean;
}

async function publishConverging(ctx: ExecutionContext): Promise<void> {
  try {
    await ctx.backend.publish(ctx.waba, ctx.flowId);
  } catch (e) {
    // "Publishing Flow in invalid state": someone (or an earlier attempt) already published it.
    if (isBackendError(e, "INVALID_STATE")) {
      const now = await ctx.backend.getFlow(ctx.waba, ctx.flowId);
      if (now?.status === "PUBLISHED") return;
      if (now && now.validationErrors.length > 0) throw ctx.validationFailure(now.validationErrors, "publish was refused");
    }
    if (isBackendError(e, "VALIDATION")) {
      const now = await ctx.backend.getFlow(ctx.waba, ctx.flowId);
      throw ctx.validationFailure(now?.validationErrors ?? [], "publish was refused");
    }
    throw e;
  }
}

async function runStep(ctx: ExecutionContext, step: Step, plan: Plan, result: ExecutionResult) {
  const { backend, waba, flowId } = ctx;
  switch (step.call) {
    case "updateMetadata":
      ctx.log(`updating ${step.name !== undefined ? "name" : ""}${step.name !== undefined && step.categories ? " and " : ""}${step.categories ? "categories" : ""} of flow ${flowId}`);
      await backend.updateMetadata(waba, flowId, { name: step.name, categories: step.categories });
      return;
    case "uploadFlowJson": {
      if (ctx.flowJson === undefined) throw new Error("internal: uploadFlowJson without Flow JSON");
      ctx.log(`uploading Flow JSON (${Buffer.byteLength(ctx.flowJson)} bytes) to flow ${flowId}`);
      const { validationErrors } = await backend.uploadFlowJson(waba, flowId, ctx.flowJson);
      result.uploaded = true;
      result.validationErrors = validationErrors;
      if (validationErrors.length > 0 && plan.steps.some((s) => s.call === "publish")) {
        if (plan.snapshotBeforeUpload && ctx.previousFlowJson !== undefined) {
          // The flow was live and the vendor re-drafted it: put the last good JSON back and publish it,
          // so customers keep a working flow, then report what was wrong.
          ctx.log(`vendor rejected the new Flow JSON; restoring the previous version of flow ${flowId} and re-publishing it`);
          await backend.uploadFlowJson(waba, flowId, ctx.previousFlowJson);
          await publishConverging(ctx);
          throw ctx.validationFailure(validationErrors, "the vendor rejected the new Flow JSON; the previously published version was restored and is still live");
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
      const now = await backend.getFlow(waba, flowId);
      if (now?.status === "DRAFT") {
        ctx.log(`flow ${flowId} was re-drafted by the edit; publishing it again`);
        await publishConverging(ctx);
      }
      return;
    }
    case "deprecate":
      ctx.log(`deprecating flow ${flowId} (published flows are never deleted)`);
      try {
        await backend.deprecate(waba, flowId);
      } catch (e) {
        if (isBackendError(e, "ALREADY_DEPRECATED") || isBackendError(e, "NOT_FOUND")) return;
        if (isBackendError(e, "INVALID_STATE")) {
          // "Can't deprecate unpublished flow": it is a draft after all; a draft can go.
          const now = await backend.getFlow(waba, flowId);
          if (!now || now.status === "DEPRECATED") return;
          if (now.status === "DRAFT") return deleteConverging(ctx);
        }
        throw e;
      }
      return;
    case "delete":
      ctx.log(`deleting draft flow ${flowId}`);
      return deleteConverging(ctx);
  }
}

async function deleteConverging(ctx: ExecutionContext): Promise<void> {
  try {
    await ctx.backend.deleteFlow(ctx.waba, ctx.flowId);
  } catch (e) {
    if (isBackendError(e, "NOT_FOUND")) return;
    if (isBackendError(e, "INVALID_STATE")) {
      // Published meanwhile: deprecate instead, never delete a live flow.
      const now = await ctx.backend.getFlow(ctx.waba, ctx.flowId);
      if (!now || now.status === "DEPRECATED") return;
      if (isLive(now.status)) {
        ctx.log(`flow ${ctx.flowId} is ${now.status} now; deprecating it instead of deleting`);
        await ctx.backend.deprecate(ctx.waba, ctx.flowId);
        return;
      }
    }
    throw e;
  }
}

export async function executePlan(ctx: ExecutionContext, plan: Plan): Promise<ExecutionResult> {
  for (const note of plan.notes) ctx.log(note);
  const result: ExecutionResult = { validationErrors: [], uploaded: false };
  for (const step of plan.steps) await runStep(ctx, step, plan, result);
  return result;
}

export { BackendError };
