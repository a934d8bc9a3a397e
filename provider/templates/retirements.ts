/**
 * Process-wide records that keep a flow's replacement from stranding the templates that send it (issue 19
 * item 3). One provider process serves one deployment (as ../lifecycle/claims.ts relies on), so:
 *
 * - `retiring`: flows a replacement kept PUBLISHED because templates still send them (account + old id →
 *   the successor and the declared flow name). The template hook retires them once it has repointed its
 *   template; FlowAssets / Flow record them in state (`retiringFlowIds`) for a later `up`.
 * - `planned`: at preview, the live flows FlowAssets / Flow `diff` plans to replace (account + live id),
 *   so the template `diff` (which the engine runs later) can say what repointing will cost.
 * - `templateLists`: one list of an account's templates per deployment, dropped by any template write
 *   made in this process (the next reader lists again).
 * - `components`: where a vendor's list carries no components (each listed template is read), the components
 *   of each template this process read or wrote (account + template id), so a later list reads only the
 *   templates it has not seen yet.
 * - a mutex per (account, flow), so two templates repointed at once decide a flow's retirement one after the other.
 *
 * Vendor-neutral: no vendor is named here.
 */
import { onProcessReset } from "../lifecycle/claims";
import type { RemoteTemplate } from "../backends/templates/types";
import type { MetaComponent } from "./model";

export interface Retirement {
  /** The flow live in its place. */
  successorId: string;
  /** The declared flow name (for messages). */
  flowName: string;
}

const key = (account: string, flowId: string) => `${account}\u0000${flowId}`;

let retiring = new Map<string, Retirement>();
let planned = new Map<string, string>();
let templateLists = new Map<string, Promise<RemoteTemplate[]>>();
let locks = new Map<string, Promise<unknown>>();
let components = new Map<string, MetaComponent[]>();

onProcessReset(() => {
  components = new Map();
  retiring = new Map();
  planned = new Map();
  templateLists = new Map();
  locks = new Map();
});

/** A replacement kept `flowId` published for its templates: the template hook retires it after repointing. */
export function registerRetirement(account: string, flowId: string, r: Retirement): void {
  retiring.set(key(account, flowId), { ...r });
}

export function retirementOf(account: string, flowId: string): Retirement | undefined {
  return retiring.get(key(account, flowId));
}

/** The flow is DEPRECATED (or proven gone): nothing left to retire. */
export function forgetRetirement(account: string, flowId: string): void {
  retiring.delete(key(account, flowId));
}

/** At preview: FlowAssets / Flow plans to replace this live flow (its templates must be repointed). */
export function planReplacement(account: string, liveFlowId: string, flowName: string): void {
  planned.set(key(account, liveFlowId), flowName);
}

/** The declared flow name whose replacement is planned for this live flow, if any. */
export function plannedReplacementOf(account: string, flowId: string): string | undefined {
  return planned.get(key(account, flowId));
}

/** The account's templates, listed once per deployment until a template write of this process drops the list. */
export function cachedTemplateList(account: string, list: () => Promise<RemoteTemplate[]>): Promise<RemoteTemplate[]> {
  let p = templateLists.get(account);
  if (!p) {
    p = list();
    templateLists.set(account, p);
    // A failed list is not kept: the next reader tries again.
    p.catch(() => {
      if (templateLists.get(account) === p) templateLists.delete(account);
    });
  }
  return p;
}

/** A template write (create, edit, delete; failed ones too: they may have been applied) makes the list stale. */
export function dropTemplateList(account: string): void {
  templateLists.delete(account);
}

/** A template's components as this process last read or wrote them (undefined: unknown; forget after a failed write). */
export function rememberComponents(account: string, templateId: string, comps: MetaComponent[] | undefined): void {
  if (comps && comps.length > 0) components.set(key(account, templateId), comps);
  else components.delete(key(account, templateId));
}

export function knownComponents(account: string, templateId: string): MetaComponent[] | undefined {
  return components.get(key(account, templateId));
}

/** Runs `fn` alone for this (account, flow): decisions about one flow's retirement never interleave. */
export function withFlowLock<T>(account: string, flowId: string, fn: () => Promise<T>): Promise<T> {
  const k = key(account, flowId);
  const before = locks.get(k) ?? Promise.resolve();
  const run = before.then(fn, fn);
  const tail = run.catch(() => undefined);
  locks.set(k, tail);
  void tail.then(() => {
    if (locks.get(k) === tail) locks.delete(k);
  });
  return run;
}
