/**
 * Whether this deployment is a preview or an update, as the program knows it (`pulumi.runtime.isDryRun()`).
 *
 * The engine tells a dynamic provider nothing about it: `Diff` carries no preview flag, and `Create` and
 * `Update` only receive `preview` on a provider whose `Configure` answers `supportsPreview`, which
 * @pulumi/pulumi's dynamic provider host never does (so the engine never calls them in a preview); the
 * provider process inherits the CLI's environment, the same for both. The program does know, so the SDK
 * adds the flag to `FlowAssets`' inputs (DRY_RUN_INPUT) and `check` takes it out before answering: the
 * engine's checked inputs never hold it, so it reaches no state, no diff and no `pulumi preview --diff`
 * line, and can never make a change by itself. It is one fact per program run (every resource carries the
 * same value), kept for the provider process, which lives for one deployment: `check` of a resource always
 * precedes its `diff`. Undefined when no resource carried it (a FlowAssets declared without our SDK):
 * callers then behave as before the flag existed. `refresh` and `destroy` run no check: undefined there.
 */
import { DRY_RUN_INPUT } from "../model";
import { onProcessReset } from "../lifecycle/claims";

let dryRun: boolean | undefined;
onProcessReset(() => {
  dryRun = undefined;
});

/** Records the flag `news` carries, if any, and returns `news` without it (what `check` answers from). */
export function takeDryRunFlag<T>(news: T): T {
  if (!news || typeof news !== "object" || !(DRY_RUN_INPUT in news)) return news;
  const { [DRY_RUN_INPUT]: flag, ...rest } = news as Record<string, unknown>;
  if (typeof flag === "boolean") dryRun = flag;
  return rest as T;
}

/** True in a preview, false in an update, undefined when the program did not say (see above). */
export const isDryRunDeployment = (): boolean | undefined => dryRun;
