/**
 * Hooks of the `MessageTemplate` resource (issue 19 items 1, 2 and 4). Vendor-neutral: what a vendor's
 * template API allows comes from its registry entry (`templates`), the calls from its TemplateBackend.
 *
 * - check: offline checks (../templates/checks.ts), no call.
 * - diff: what `up` will do (edit in place, or replace by `<name>_v<N>`), Meta's edit budget left (kept in
 *   state as the times of edits of an APPROVED template), and a refusal of an edit the budget cannot pay.
 * - create: never repeated blindly: after a failed or interrupted create, the template is looked up by
 *   name + language and adopted only if its content is ours.
 * - update: edit where the vendor edits this change, else create the successor first and delete the old
 *   template after (by id; by name only where the vendor has nothing else, after checking that no other
 *   language of that name would go with it). A deletion that fails is retried by the next update/destroy.
 * - delete: by id (see above for name-only vendors); a template already gone is success.
 */
import type * as pulumi from "@pulumi/pulumi";
import { isUnknown, UNKNOWN } from "../model";
import { flowButtons, templateContentSha256, templatePromotionProblem } from "../promotion";
import { accountOf, sameAccount, vendorOf, type TemplateCapabilities, type VendorEntry } from "../vendors/registry";
import { BackendError, isBackendError } from "../backends/types";
import type { RemoteTemplate, TemplateRef } from "../backends/templates/types";
import { checkTemplateInputs } from "../templates/checks";
import {
  editBudget,
  flowIdsOf,
  fromMetaComponents,
  recentEdits,
  sameContent,
  TEMPLATE_STATE_VERSION,
  templateLiveName,
  toMetaComponents,
  type TemplateInputs,
  type TemplateOutputs,
} from "../templates/model";
import { progress } from "./messages";
import { accountProven } from "./gone-proof";
import { listTemplatesCached, templateConnection, type TemplateConn } from "./template-connection";
import { plannedReplacementOf, retirementOf } from "../templates/retirements";
import { retireUnlessSent } from "./retirement";

/** Outputs as stored: the declared inputs, what the vendor said, and templates still to delete. */
type State = TemplateOutputs & { retired?: TemplateRef[] };

export { overrideTemplateBackendFactory } from "./template-connection";

type Conn = TemplateConn;
const connect = templateConnection;

/** An error the dynamic-provider host records as "done, but failed": the state keeps what exists now. */
class PartialTemplateError extends Error {
  constructor(
    readonly id: string,
    readonly properties: object,
    message: string,
  ) {
    super(message);
    this.name = "PartialTemplateError";
  }
  get reasons(): string[] {
    return [this.message];
  }
}

const EDITABLE = ["APPROVED", "REJECTED", "PAUSED"];
const DEFAULT_APPROVAL_TIMEOUT_S = 600;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (name: string, m: string) => progress(`template "${name}": ${m}`);

const metaOf = (i: { category: string; components: TemplateInputs["components"] }) => ({
  category: i.category,
  components: toMetaComponents(i.components),
});

function declared(i: TemplateInputs): TemplateInputs {
  const out: TemplateInputs = { waba: i.waba, name: i.name, language: i.language, category: i.category, components: i.components };
  if (i.waitForApproval !== undefined) out.waitForApproval = i.waitForApproval;
  if (i.approvalTimeoutSeconds !== undefined) out.approvalTimeoutSeconds = i.approvalTimeoutSeconds;
  if (i.flowJson !== undefined) out.flowJson = i.flowJson;
  if (i.adoptTemplateId !== undefined) out.adoptTemplateId = i.adoptTemplateId;
  if (Array.isArray(i.supersededFlowIds) && i.supersededFlowIds.length > 0) out.supersededFlowIds = [...i.supersededFlowIds];
  return out;
}

function outputs(
  inputs: TemplateInputs,
  vendor: string,
  t: Pick<RemoteTemplate, "id" | "status" | "rejectedReason" | "qualityScore">,
  extra: {
    liveName: string;
    generation: number;
    approvedEdits: number[];
    retired?: TemplateRef[];
    /** Flows whose retirement is still to be retried, and flows this operation deprecated. */
    retiring?: string[];
    retiredFlows?: string[];
  },
): State {
  return {
    ...declared(inputs),
    schemaVersion: TEMPLATE_STATE_VERSION,
    vendor,
    templateId: t.id,
    liveName: extra.liveName,
    generation: extra.generation,
    status: t.status,
    rejectedReason: t.rejectedReason ?? null,
    qualityScore: t.qualityScore ?? null,
    flowIds: flowIdsOf(toMetaComponents(inputs.components)),
    approvedEdits: recentEdits(extra.approvedEdits),
    ...(extra.retired && extra.retired.length ? { retired: extra.retired } : {}),
    ...(extra.retiring && extra.retiring.length ? { retiringFlowIds: extra.retiring } : {}),
    ...(extra.retiredFlows && extra.retiredFlows.length ? { retiredFlowIds: extra.retiredFlows } : {}),
  };
}

/**
 * The flows this template sent before and no longer sends that a replacement kept published for their
 * templates: named by the linked flow resources (`supersededFlowIds`), by this deployment's registry (an
 * unlinked template, in the `up` that replaced the flow), or left to retry by an earlier update.
 */
function supersededBy(olds: Pick<State, "flowIds" | "retiringFlowIds" | "waba">, news: TemplateInputs): string[] {
  const account = accountOf(news.waba).canonical;
  const now = new Set(flowIdsOf(toMetaComponents(news.components)));
  const named = new Set(Array.isArray(news.supersededFlowIds) && !isUnknown(news.supersededFlowIds) ? news.supersededFlowIds : []);
  const pending = olds.retiringFlowIds ?? [];
  return [...new Set([...(olds.flowIds ?? []), ...pending])].filter(
    (x) => !now.has(x) && (named.has(x) || pending.includes(x) || retirementOf(account, x) !== undefined),
  );
}

/**
 * Once this template points at its new flows (the write succeeded, and a replaced template's predecessor
 * is deleted), retires each superseded flow no template sends any more (./retirement.ts). Returns the
 * flows deprecated and those whose retirement failed (kept in state, retried by the next update).
 */
async function retireSuperseded(waba: string, flows: string[], name: string): Promise<{ retired: string[]; pending: string[] }> {
  const account = accountOf(waba).canonical;
  const retired: string[] = [];
  const pending: string[] = [];
  for (const x of flows) {
    const entry = retirementOf(account, x);
    try {
      const outcome = await retireUnlessSent(waba, x, { flowName: entry?.flowName ?? name, log: (m) => log(name, m) });
      if (outcome.kind === "deprecated") {
        retired.push(x);
        log(name, `flow ${x} deprecated: its templates now send flow ${entry?.successorId ?? "(its successor)"}`);
      } else if (outcome.kind === "sent") {
        log(
          name,
          `flow ${x} stays published: templates ${outcome.templates.join(", ")} still send it (the flow's resource retries once they are repointed)`,
        );
      }
    } catch (e) {
      pending.push(x);
      log(name, `flow ${x} could not be retired yet (the next \`pulumi up\` retries): ${(e as Error).message.split("\n")[0]}`);
    }
  }
  return { retired, pending };
}

const refOf = (s: State): TemplateRef => ({ id: s.templateId, name: s.liveName ?? s.name, language: s.language });

/**
 * Creates the template, or adopts it when a create of ours already made it (an interrupted `up`, a lost
 * answer): the vendor's refusal is followed by a lookup by name + language, and the template is taken
 * only if its content is the declared one. Never a second create.
 */
async function createOrAdopt(conn: Conn, inputs: TemplateInputs, liveName: string): Promise<{ t: RemoteTemplate; adopted: boolean }> {
  const def = { name: liveName, language: inputs.language, ...metaOf(inputs) };
  let created: { id?: string; status?: string };
  try {
    created = await conn.backend.createTemplate(def);
  } catch (e) {
    if (isBackendError(e, "ACCESS_DENIED")) throw e;
    let existing: RemoteTemplate | undefined;
    try {
      existing = await conn.backend.findTemplate(liveName, inputs.language);
    } catch {
      throw e;
    }
    if (!existing) throw e;
    if (!sameContent(existing, def))
      throw new Error(
        `template "${liveName}" (${inputs.language}) already exists in ${conn.account.canonical} with other content (template ${existing.id}, ${existing.status}); ` +
          `it is not this resource's. Give the resource another name, or delete that template. The vendor said: ${(e as Error).message}`,
        { cause: e },
      );
    log(
      inputs.name,
      `adopted template ${existing.id} "${liveName}" (${existing.status}): a previous create of the same content had made it`,
    );
    return { t: existing, adopted: true };
  }
  if (created.id !== undefined && conn.caps.createAnswersId) {
    return {
      t: {
        id: created.id,
        name: liveName,
        language: inputs.language,
        status: created.status ?? "PENDING",
        rejectedReason: null,
        qualityScore: null,
        category: inputs.category,
        components: def.components,
      },
      adopted: false,
    };
  }
  // The vendor answered no id (8x8): the id is the name + language (the backend's), the status PENDING until read.
  return {
    t: {
      id: created.id ?? `${liveName}/${inputs.language}`,
      name: liveName,
      language: inputs.language,
      status: created.status ?? "PENDING",
      rejectedReason: null,
      qualityScore: null,
      category: inputs.category,
      components: def.components,
    },
    adopted: false,
  };
}

/**
 * `adoptTemplateId` (what `whatsapp-flows import` writes): one read of that template, taken over when its
 * name, language, category and components are the declared ones; refused otherwise with what differs,
 * before any write (an edit would spend Meta's budget, a create would duplicate it: neither is implied).
 */
async function adoptById(conn: Conn, inputs: TemplateInputs, id: string): Promise<{ t: RemoteTemplate; adopted: boolean }> {
  const t = await conn.backend.getTemplate({ id, name: inputs.name, language: inputs.language });
  const where = `template ${id} (adoptTemplateId) in ${conn.account.canonical}`;
  if (!t)
    throw new Error(
      `MessageTemplate "${inputs.name}": ${where} does not exist; check the id, or remove adoptTemplateId to create the template`,
    );
  const differs: string[] = [];
  if (t.name !== inputs.name) differs.push(`its name is "${t.name}", declared "${inputs.name}"`);
  if (t.language !== inputs.language) differs.push(`its language is ${t.language}, declared ${inputs.language}`);
  if (t.components.length > 0 && !sameContent(t, metaOf(inputs)))
    differs.push(
      t.category.toUpperCase() !== inputs.category.toUpperCase()
        ? `its category is ${t.category}, declared ${inputs.category}`
        : `its components differ from the declared ones (the vendor holds ${JSON.stringify(fromMetaComponents(t.components))})`,
    );
  if (differs.length > 0)
    throw new Error(
      `MessageTemplate "${inputs.name}": ${where} is not the declared template: ${differs.join("; ")}. Nothing was changed. ` +
        "Declare it as it is for the first `pulumi up` (as `whatsapp-flows import` writes it), then change it; or remove adoptTemplateId.",
    );
  log(inputs.name, `adopted template ${t.id} "${t.name}" (${t.status}) (adoptTemplateId): no write`);
  return { t, adopted: true };
}

/** Polls the review's verdict (bounded); fails on REJECTED with the vendor's reason. Returns the last read. */
async function awaitVerdict(conn: Conn, inputs: TemplateInputs, t: RemoteTemplate): Promise<{ t: RemoteTemplate; failure?: string }> {
  const timeoutS = inputs.approvalTimeoutSeconds ?? DEFAULT_APPROVAL_TIMEOUT_S;
  const start = Date.now();
  let current = t;
  let delay = 1000;
  const ref = { id: t.id, name: t.name, language: t.language };
  for (;;) {
    if (current.status === "APPROVED") return { t: current };
    if (current.status === "REJECTED")
      return {
        t: current,
        failure: `was REJECTED by the review: ${current.rejectedReason ?? "the vendor reports no reason"}. Change its content (an edit or a new template follows).`,
      };
    if (current.status !== "PENDING" && current.status !== "IN_APPEAL")
      return { t: current, failure: `is ${current.status}, not APPROVED` };
    const waited = Math.round((Date.now() - start) / 1000);
    if (waited >= timeoutS)
      return {
        t: current,
        failure: `is still ${current.status} after ${waited} s (approvalTimeoutSeconds ${timeoutS}); the next \`pulumi up\` or \`pulumi refresh\` reads the verdict`,
      };
    log(inputs.name, `${current.status} review (waited ${waited} s of at most ${timeoutS} s)`);
    await sleep(Math.min(delay, Math.max(0, timeoutS * 1000 - (Date.now() - start))));
    delay = Math.min(delay * 2, 15_000);
    const read = await conn.backend.getTemplate(ref);
    if (!read) return { t: current, failure: `template ${t.id} disappeared while its review was awaited` };
    current = read;
  }
}

/** Deletes templates retired by an earlier replacement (kept in state when their deletion failed). Returns those still left. */
async function deleteRetired(conn: Conn, name: string, retired: TemplateRef[] | undefined): Promise<TemplateRef[]> {
  const left: TemplateRef[] = [];
  for (const r of retired ?? []) {
    try {
      await deleteOne(conn, r, [], name);
    } catch (e) {
      log(name, `could not delete retired template ${r.id} "${r.name}" yet: ${(e as Error).message}`);
      left.push(r);
    }
  }
  return left;
}

/**
 * Where the vendor deletes by name (every language), refuses a deletion that would take a language this
 * resource does not own. `keep` lists templates that are ours (e.g. the one being created).
 */
async function guardNameDeletion(conn: Conn, ref: TemplateRef, keep: TemplateRef[]): Promise<void> {
  if (conn.caps.deleteBy !== "name") return;
  // The deployment's list (dropped by each template write of ours): a replacement's defer decision has often just read it.
  const others = (await listTemplatesCached(conn)).filter(
    (t) => t.name === ref.name && t.language !== ref.language && !keep.some((k) => k.name === t.name && k.language === t.language),
  );
  if (others.length > 0)
    throw new Error(
      `${conn.entry.displayName} deletes templates by name, every language at once: deleting "${ref.name}" (${ref.language}) would also delete ` +
        `${others.map((o) => `${o.language} (${o.status})`).join(", ")}, which this resource does not manage. Nothing was deleted. ` +
        "Delete those languages first, or keep this template (the resource option retainOnDelete).",
    );
}

/**
 * "Gone" only when proven (as for flows, ./gone-proof.ts): Meta and AWS answer an unknown template and a
 * credential without access to the account the same way. Unless this deployment already read the account
 * with the same credential, one account-level list confirms it: it must succeed and not show the template.
 */
async function confirmGone(conn: Conn, ref: TemplateRef): Promise<void> {
  if (accountProven(conn.account.canonical)) return;
  let listed: RemoteTemplate[];
  try {
    listed = await conn.backend.listTemplates();
  } catch (e) {
    throw new BackendError(
      "ACCESS_DENIED",
      `${conn.entry.displayName} answered that template ${ref.id} "${ref.name}" does not exist, but the same credential cannot read the account ` +
        `${conn.account.canonical} either (${(e as Error).message}); the template is not taken for deleted and the state keeps it. Check the credential.`,
    );
  }
  const still = listed.find((t) => t.id === ref.id || (t.name === ref.name && t.language === ref.language));
  if (still)
    throw new BackendError(
      "ACCESS_DENIED",
      `${conn.entry.displayName} answered that template ${ref.id} "${ref.name}" does not exist, but the account's list still shows it (${still.status}); the state keeps it.`,
    );
}

async function deleteOne(conn: Conn, ref: TemplateRef, keep: TemplateRef[], name: string): Promise<void> {
  await guardNameDeletion(conn, ref, keep);
  try {
    await conn.backend.deleteTemplate(ref);
  } catch (e) {
    // Already gone (a deletion whose answer was lost) is success; anything else stands.
    if (isBackendError(e, "ACCESS_DENIED")) throw e;
    const still = await conn.backend.getTemplate(ref).catch(() => "unknown" as const);
    if (still !== undefined) throw e;
    await confirmGone(conn, ref);
  }
  log(name, `deleted template ${ref.id} "${ref.name}" (${ref.language})`);
}

/**
 * The promotion gate (provider/promotion.ts): the declared content, each FLOW button's flow named by the
 * program's reference to it, must be what the source stack's review approved. Values not known yet (a
 * flow matched by value only) leave it to the program-wide check, which runs once they are.
 */
function promotionRule(news: Partial<TemplateInputs>): string | undefined {
  const req = news.promotion;
  if (!req || isUnknown(req) || JSON.stringify(req).includes(UNKNOWN)) return undefined;
  const { name, language, category, components } = news;
  if (typeof name !== "string" || typeof language !== "string" || typeof category !== "string" || !Array.isArray(components))
    return undefined;
  if (isUnknown(name) || isUnknown(language) || isUnknown(category)) return undefined;
  const meta = toMetaComponents(components);
  const refs = req.flowRefs ?? [];
  // A flow id unknown now is fine where the program names its flow; anywhere else the content is not known yet.
  const buttons = flowButtons(meta);
  if (buttons.some((b, i) => typeof refs[i] !== "string" && String(b.flow_id) === UNKNOWN)) return undefined;
  const withoutFlows = structuredClone(meta);
  flowButtons(withoutFlows).forEach((b) => delete b.flow_id);
  if (JSON.stringify(withoutFlows).includes(UNKNOWN)) return undefined;
  return templatePromotionProblem(name, language, templateContentSha256({ name, language, category, components: meta }, refs), req);
}

type Plan = { kind: "none" } | { kind: "edit"; category?: string } | { kind: "replace"; liveName: string; generation: number; why: string };

/** What an update does, from the recorded (or live) status and the vendor's template capabilities. */
function planUpdate(olds: State, news: TemplateInputs, caps: TemplateCapabilities, vendorName: string, status: string): Plan {
  const oldMeta = metaOf(olds);
  const newMeta = metaOf(news);
  const nameChanged = olds.name !== news.name;
  const languageChanged = olds.language !== news.language;
  const contentChanged = !sameContent(oldMeta, newMeta);
  if (!nameChanged && !languageChanged && !contentChanged) return { kind: "none" };
  const generation = olds.generation ?? 1;
  if (nameChanged) return { kind: "replace", liveName: news.name, generation: 1, why: "the name of a template never changes" };
  if (languageChanged) {
    // Same name in another language: a new slot where one template can be deleted by id; elsewhere the
    // old name's deletion would take the new language too, so the successor gets a new name.
    if (caps.deleteBy === "id")
      return { kind: "replace", liveName: olds.liveName ?? olds.name, generation, why: "the language of a template never changes" };
    return {
      kind: "replace",
      liveName: templateLiveName(news.name, generation + 1),
      generation: generation + 1,
      why: "the language of a template never changes",
    };
  }
  const categoryChanged = olds.category !== news.category;
  const next = { kind: "replace" as const, liveName: templateLiveName(news.name, generation + 1), generation: generation + 1 };
  if (!caps.edit) return { ...next, why: `${vendorName} does not edit templates` };
  if (categoryChanged && status === "APPROVED") return { ...next, why: "the category of an APPROVED template cannot change" };
  if (status === "DISABLED") return { ...next, why: "a DISABLED template cannot be edited" };
  return { kind: "edit", ...(categoryChanged ? { category: news.category } : {}) };
}

const when = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/**
 * Preview of a flow replacement (issue 19 item 3): when FlowAssets / Flow `diff` (run before this one)
 * plans to replace a flow this template sends, says how the template is repointed before that flow is
 * deprecated (an edit, with Meta's budget left, or `<name>_v<N>`), and refuses, before any call, a
 * repoint that needs an edit Meta's budget cannot pay. True when it applied (the template will change).
 */
function describeRepoint(olds: State, news: TemplateInputs, entry: VendorEntry, status: string): boolean {
  if (isUnknown(news.waba)) return false;
  const account = accountOf(news.waba).canonical;
  const replaced = (olds.flowIds ?? []).filter((x) => plannedReplacementOf(account, x) !== undefined);
  if (replaced.length === 0) return false;
  const name = isUnknown(news.name) ? olds.name : news.name;
  const flows = replaced.map((x) => `flow ${x} ("${plannedReplacementOf(account, x)}")`).join(", ");
  const caps = entry.templates;
  const category = isUnknown(news.category) ? olds.category : news.category;
  const sameSlot = !isUnknown(news.name) && news.name === olds.name && !isUnknown(news.language) && news.language === olds.language;
  const canEdit =
    caps.edit && sameSlot && EDITABLE.includes(status) && status !== "DISABLED" && !(status === "APPROVED" && category !== olds.category);
  if (!canEdit) {
    const why = !caps.edit ? `${entry.displayName} cannot edit templates` : `a ${status} template cannot take this edit`;
    const next = templateLiveName(name, (olds.generation ?? 1) + 1);
    log(
      name,
      `template ${olds.templateId} "${olds.liveName ?? olds.name}" is replaced by "${next}" pointing at the successor of ${flows} (${why}), ` +
        "before that flow is deprecated: 1 create + 1 delete",
    );
    return true;
  }
  if (status !== "APPROVED") {
    log(
      name,
      `template ${olds.templateId} is repointed to the successor of ${flows} before it is deprecated: 1 edit (${status}: not counted by Meta)`,
    );
    return true;
  }
  const budget = editBudget(olds.approvedEdits ?? []);
  if (budget.day === 0 || budget.month === 0)
    throw new Error(
      `MessageTemplate "${name}": the replacement of ${flows} would leave template ${olds.templateId} "${olds.liveName ?? olds.name}" pointing at ` +
        `deprecated flow ${replaced.join(", ")}: repointing it needs an edit of the APPROVED template, and Meta allows 1 per 24 hours and 10 per 30 days ` +
        `(${budget.day} left today, ${budget.month} left in 30 days); next edit possible at ${when(budget.nextAt!)}. Nothing was called; ` +
        "revert the flow's change or apply it after that time.",
    );
  log(
    name,
    `template ${olds.templateId} is repointed to the successor of ${flows} before it is deprecated: 1 edit ` +
      `(${budget.month} of 10 left this 30 days, ${budget.day} today)`,
  );
  return true;
}

export const messageTemplateHooks = {
  async check(_olds: unknown, news: Partial<TemplateInputs> | undefined) {
    const failures = checkTemplateInputs(news ?? {});
    const gate = promotionRule(news ?? {});
    if (gate) failures.push({ property: "components", reason: gate });
    if (news?.adoptTemplateId !== undefined && !isUnknown(news.adoptTemplateId) && failures.length === 0)
      log(
        typeof news.name === "string" ? news.name : "(name not known yet)",
        `if it is created, \`pulumi up\` adopts template ${news.adoptTemplateId} (adoptTemplateId) instead: one read, no write, when its name, language and content are the declared ones`,
      );
    // The flow's JSON only serves the navigateScreen check, and the promotion requirement the gate, both done now: neither is kept in state.
    const { flowJson: _checked, promotion: _gated, ...inputs } = news ?? {};
    return { inputs, failures };
  },

  async diff(_id: string, olds: State, news: TemplateInputs) {
    const replaces: string[] = [];
    if (isUnknown(news.waba) || !sameAccount(olds.waba, news.waba)) replaces.push("waba");
    // Values known only at deploy time (a flow id of a flow not created yet) may hide anywhere in the components.
    const unknown = [news.name, news.language, news.category].some(isUnknown) || JSON.stringify(news.components ?? null).includes(UNKNOWN);
    // A replaced template whose deletion failed earlier is retried by the next update, even with nothing else to change.
    // So is a flow retirement an error interrupted. A change of `supersededFlowIds` alone is none.
    const flags =
      olds.waitForApproval !== news.waitForApproval ||
      olds.approvalTimeoutSeconds !== news.approvalTimeoutSeconds ||
      (olds.retired?.length ?? 0) > 0 ||
      (olds.retiringFlowIds?.length ?? 0) > 0;
    if (replaces.length > 0) return { changes: true, replaces, deleteBeforeReplace: false };
    const entry = vendorOf(accountOf(news.waba));
    // A template recorded PENDING may be APPROVED by the time `up` runs: its edit is budgeted as one.
    const status = olds.status === "PENDING" ? "APPROVED" : olds.status;
    // A flow this template sends is about to be replaced (its FlowAssets / Flow diff ran first): say how it is repointed.
    if (describeRepoint(olds, news, entry, status)) return { changes: true, replaces: [], deleteBeforeReplace: false };
    if (unknown) {
      log(
        isUnknown(news.name) ? olds.name : news.name,
        "its content depends on values known only during `up` (e.g. a flow id): what changes is decided then",
      );
      return { changes: true, replaces: [], deleteBeforeReplace: false };
    }
    const plan = planUpdate(olds, news, entry.templates, entry.displayName, status);
    if (plan.kind === "edit") {
      const budget = editBudget(olds.approvedEdits ?? []);
      if (status === "APPROVED" && (budget.day === 0 || budget.month === 0)) {
        throw new Error(
          `MessageTemplate "${news.name}": this change edits APPROVED template ${olds.templateId}, and Meta allows 1 edit per 24 hours and 10 per 30 days: ` +
            `${budget.day} left today, ${budget.month} left in 30 days (edits recorded at ${(olds.approvedEdits ?? []).map(when).join(", ")}). ` +
            `The next edit is possible after ${when(budget.nextAt!)}. Nothing was called; revert the change or apply it after that time.`,
        );
      }
      const left = status === "APPROVED" ? ` (spends one of Meta's edits: ${budget.day} left today, ${budget.month} in 30 days)` : "";
      log(news.name, `\`pulumi up\` edits template ${olds.templateId} in place${left}; it goes back to review`);
    } else if (plan.kind === "replace") {
      log(
        news.name,
        `\`pulumi up\` creates template "${plan.liveName}" (${news.language}) first, then deletes template ${olds.templateId} "${olds.liveName}": ${plan.why}`,
      );
    }
    return { changes: plan.kind !== "none" || flags, replaces: [], deleteBeforeReplace: false };
  },

  async create(inputs: TemplateInputs) {
    const conn = connect(inputs.waba);
    const { t, adopted } = inputs.adoptTemplateId
      ? await adoptById(conn, inputs, inputs.adoptTemplateId)
      : await createOrAdopt(conn, inputs, inputs.name);
    log(inputs.name, `${adopted ? "adopted" : "created"} template ${t.id} (${t.status})`);
    const extra = { liveName: inputs.name, generation: 1, approvedEdits: [] as number[] };
    if (!inputs.waitForApproval) return { id: t.id, outs: outputs(inputs, conn.backend.vendor, t, extra) };
    let verdict: { t: RemoteTemplate; failure?: string };
    try {
      verdict = await awaitVerdict(conn, inputs, t);
    } catch (e) {
      verdict = { t, failure: `its review could not be read: ${(e as Error).message}` };
    }
    const outs = outputs(inputs, conn.backend.vendor, verdict.t, extra);
    if (verdict.failure)
      throw new PartialTemplateError(t.id, outs, `MessageTemplate "${inputs.name}": template ${t.id} ${verdict.failure}`);
    return { id: t.id, outs };
  },

  async read(id: string, props: State) {
    const conn = connect(props.waba, props.vendor);
    const remote = await conn.backend.getTemplate(refOf(props));
    if (!remote) {
      await confirmGone(conn, refOf(props));
      log(props.name, `template ${props.templateId} no longer exists; it leaves the stack`);
      return { id: "", props: {} };
    }
    // Outputs show the vendor's verdict; content drift shows as a diff the next `up` repairs.
    const drifted = remote.components.length > 0 && !sameContent(remote, metaOf(props));
    const seen: TemplateInputs = {
      ...declared(props),
      ...(drifted ? { components: fromMetaComponents(remote.components), category: remote.category as TemplateInputs["category"] } : {}),
    };
    return {
      id,
      props: outputs(seen, conn.backend.vendor, remote, {
        liveName: props.liveName ?? props.name,
        generation: props.generation ?? 1,
        approvedEdits: props.approvedEdits ?? [],
        retired: props.retired,
      }),
    };
  },

  async update(id: string, olds: State, news: TemplateInputs) {
    const conn = connect(news.waba, olds.vendor);
    const oldRef = refOf(olds);
    const retired = await deleteRetired(conn, news.name, olds.retired);
    const base = {
      liveName: olds.liveName ?? olds.name,
      generation: olds.generation ?? 1,
      approvedEdits: olds.approvedEdits ?? [],
      retired,
    };
    // Flows this template sends no more that a replacement kept published for it: retired after the write.
    const superseded = supersededBy(olds, news);
    type Extra = typeof base & { retiring?: string[]; retiredFlows?: string[] };
    const retire = async (extra: Extra): Promise<Extra> => {
      if (superseded.length === 0) return extra;
      const r = await retireSuperseded(news.waba, superseded, news.name);
      return { ...extra, retiring: r.pending, retiredFlows: r.retired };
    };
    const retirementFailure = (extra: Extra) =>
      extra.retiring?.length
        ? `MessageTemplate "${news.name}": the template now sends flow ${flowIdsOf(toMetaComponents(news.components)).join(", ")}, but flow ` +
          `${extra.retiring.join(", ")} it sent before could not be deprecated yet (it stays published; the next \`pulumi up\` retries)`
        : undefined;
    const quick = planUpdate(olds, news, conn.caps, conn.entry.displayName, "APPROVED");
    if (quick.kind === "none") {
      const extra = await retire(base);
      const outs = outputs(
        news,
        conn.backend.vendor,
        { id: olds.templateId, status: olds.status, rejectedReason: olds.rejectedReason, qualityScore: olds.qualityScore },
        extra,
      );
      const failure = retirementFailure(extra);
      if (failure) throw new PartialTemplateError(id, outs, failure);
      return { outs };
    }

    const live = await conn.backend.getTemplate(oldRef);
    if (!live)
      throw new Error(
        `MessageTemplate "${news.name}": template ${olds.templateId} "${oldRef.name}" no longer exists in ${conn.account.canonical} (deleted outside Pulumi). ` +
          "Run `pulumi refresh` to drop it from the stack; the next `pulumi up` then creates it again.",
      );
    const plan = planUpdate(olds, news, conn.caps, conn.entry.displayName, live.status);
    let t: RemoteTemplate;
    let extra: Extra;
    const sameSlot = live.name === (plan.kind === "replace" ? plan.liveName : live.name) && live.language === news.language;
    if (sameSlot && live.components.length > 0 && sameContent(live, metaOf(news))) {
      // The vendor already holds the declared content: an edit whose answer was lost (an interrupted `up`).
      // Nothing to send; the edit is counted against Meta's budget if the template was APPROVED before it.
      log(news.name, `template ${olds.templateId} already holds the declared content (an earlier edit completed); no call`);
      t = live;
      // Conservatively counted when the template was (or may have been, if recorded PENDING) APPROVED before it.
      const counted = conn.caps.edit && (olds.status === "APPROVED" || olds.status === "PENDING");
      extra = { ...base, approvedEdits: counted ? [...(olds.approvedEdits ?? []), Date.now()] : base.approvedEdits };
    } else if (plan.kind === "edit" && EDITABLE.includes(live.status)) {
      const approved = live.status === "APPROVED";
      if (approved) {
        const budget = editBudget(olds.approvedEdits ?? []);
        if (budget.day === 0 || budget.month === 0)
          throw new Error(
            superseded.length > 0
              ? `MessageTemplate "${news.name}": repointing APPROVED template ${olds.templateId} to the successor of flow ${superseded.join(", ")} needs an edit, ` +
                  `and Meta's edit limit is spent; flow ${superseded.join(", ")} stays published (it is not deprecated while this template sends it). ` +
                  `Next edit possible at ${when(budget.nextAt!)}. Nothing was changed.`
              : `MessageTemplate "${news.name}": Meta's edit limit of APPROVED template ${olds.templateId} is spent; next edit after ${when(budget.nextAt!)}. Nothing was changed.`,
          );
      }
      await conn.backend.updateTemplate(oldRef, {
        ...(plan.category ? { category: plan.category } : {}),
        components: toMetaComponents(news.components),
      });
      log(
        news.name,
        `edited template ${olds.templateId}${approved ? " (one of Meta's edits of an APPROVED template)" : ""}; back to review`,
      );
      t = { ...live, status: "PENDING", rejectedReason: null };
      extra = { ...base, approvedEdits: approved ? [...(olds.approvedEdits ?? []), Date.now()] : base.approvedEdits };
    } else {
      // Replace: a PENDING template (Meta edits none) or a change the vendor cannot edit.
      const target =
        plan.kind === "replace"
          ? plan
          : {
              liveName: templateLiveName(news.name, (olds.generation ?? 1) + 1),
              generation: (olds.generation ?? 1) + 1,
              why: `a ${live.status} template cannot be edited`,
            };
      const newRef = { name: target.liveName, language: news.language };
      // Refuse before any write when deleting the old template would take languages this resource does not own.
      if (conn.caps.deleteBy === "name" && target.liveName !== oldRef.name) await guardNameDeletion(conn, oldRef, []);
      const made = await createOrAdopt(conn, news, target.liveName);
      log(
        news.name,
        `created template ${made.t.id} "${target.liveName}" (${made.t.status}) to replace template ${olds.templateId} (${target.why})`,
      );
      t = made.t;
      extra = { liveName: target.liveName, generation: target.generation, approvedEdits: [], retired };
      try {
        await deleteOne(conn, oldRef, [{ id: t.id, ...newRef }], news.name);
      } catch (e) {
        extra.retired = [...retired, oldRef];
        // The old template still sends the superseded flows: they stay published, retried with its deletion.
        extra.retiring = superseded;
        const outs = outputs(news, conn.backend.vendor, t, extra);
        throw new PartialTemplateError(
          id,
          outs,
          `MessageTemplate "${news.name}": replaced by template ${t.id}, but deleting the old template ${oldRef.id} failed (the next \`pulumi up\` retries): ${(e as Error).message}`,
        );
      }
    }
    // The template now sends its new flows: retire the ones a replacement kept published for it.
    extra = await retire(extra);
    const failure = retirementFailure(extra);
    if (news.waitForApproval) {
      const verdict = await awaitVerdict(conn, news, t).catch((e) => ({
        t,
        failure: `its review could not be read: ${(e as Error).message}`,
      }));
      const outs = outputs(news, conn.backend.vendor, verdict.t, extra);
      if (verdict.failure)
        throw new PartialTemplateError(id, outs, `MessageTemplate "${news.name}": template ${verdict.t.id} ${verdict.failure}`);
      if (failure) throw new PartialTemplateError(id, outs, failure);
      return { outs };
    }
    const outs = outputs(news, conn.backend.vendor, t, extra);
    if (failure) throw new PartialTemplateError(id, outs, failure);
    return { outs };
  },

  async delete(_id: string, props: State) {
    const conn = connect(props.waba, props.vendor);
    const left = await deleteRetired(conn, props.name, props.retired);
    if (left.length)
      throw new Error(`MessageTemplate "${props.name}": retired templates ${left.map((r) => r.id).join(", ")} could not be deleted`);
    await deleteOne(conn, refOf(props), [], props.name);
    // Removed in the `up` that replaced its flow: the flow kept published for it may go now (a failure is
    // left to the flow's resource, whose state keeps it).
    const account = conn.account.canonical;
    const named = new Set([...(props.supersededFlowIds ?? []), ...(props.retiringFlowIds ?? [])]);
    const kept = (props.flowIds ?? []).filter((x) => named.has(x) || retirementOf(account, x) !== undefined);
    if (kept.length > 0) await retireSuperseded(props.waba, kept, props.name);
  },
} satisfies Partial<pulumi.dynamic.ResourceProvider>;
