/**
 * An account's template backend, as the MessageTemplate hooks and the flows' replacements use it: the
 * vendor's TemplateBackend (registry `createTemplateBackend`), under the account's budget like the flow
 * calls (admitted, paced, stopped: ../budget.ts `withTemplateBudget`), and dropping this deployment's cached template list (../templates/retirements.ts) on every write.
 * Also the one question a flow's replacement asks about templates: which of them still send a flow.
 */
import { accountOf, vendorOf, type AccountRef, type TemplateCapabilities, type VendorEntry } from "../vendors/registry";
import { missingSettings, settingValue } from "../settings";
import type { RemoteTemplate, TemplateBackend } from "../backends/templates/types";
import { flowIdsOf } from "../templates/model";
import { cachedTemplateList, dropTemplateList, knownComponents, rememberComponents } from "../templates/retirements";
import { withTemplateBudget } from "../budget";

type TemplateBackendFactory = (account: AccountRef) => TemplateBackend;
let factoryOverride: TemplateBackendFactory | undefined;

/** Tests may substitute a backend; production code never calls this. */
export function overrideTemplateBackendFactory(factory: TemplateBackendFactory | undefined): void {
  factoryOverride = factory;
}

export interface TemplateConn {
  account: AccountRef;
  entry: VendorEntry;
  caps: TemplateCapabilities;
  backend: TemplateBackend;
}

/**
 * Writes drop the account's cached list (applied or not: a failed write may have been applied). What a
 * successful write or a read says of one template's components is remembered (./retirements.ts), for
 * vendors whose list carries none; a failed write forgets it.
 */
function droppingListOnWrites(account: string, backend: TemplateBackend): TemplateBackend {
  const write =
    <A extends unknown[], R>(f: (...a: A) => Promise<R>, after: (a: A, done: { r: R } | undefined) => void) =>
    async (...a: A): Promise<R> => {
      let done: { r: R } | undefined;
      try {
        done = { r: await f(...a) };
        return done.r;
      } finally {
        dropTemplateList(account);
        after(a, done);
      }
    };
  const read = (t: RemoteTemplate | undefined) => {
    if (t) rememberComponents(account, t.id, t.components);
    return t;
  };
  return {
    get vendor() {
      return backend.vendor;
    },
    createTemplate: write(
      (def) => backend.createTemplate(def),
      ([def], done) => done?.r.id && rememberComponents(account, done.r.id, def.components),
    ),
    updateTemplate: write(
      (ref, change) => backend.updateTemplate(ref, change),
      // Components are replaced wholesale: what we sent is what the template holds (failed: may be applied, forget).
      ([ref, change], done) =>
        rememberComponents(account, ref.id, done ? (change.components ?? knownComponents(account, ref.id)) : undefined),
    ),
    deleteTemplate: write(
      (ref) => backend.deleteTemplate(ref),
      ([ref]) => rememberComponents(account, ref.id, undefined),
    ),
    getTemplate: async (ref) => read(await backend.getTemplate(ref)),
    findTemplate: async (name, language) => read(await backend.findTemplate(name, language)),
    listTemplates: () => backend.listTemplates(),
  };
}

export function templateConnection(waba: string, recordedVendor?: string): TemplateConn {
  const account = accountOf(waba);
  if (recordedVendor && recordedVendor !== account.vendor)
    throw new Error(
      `state records vendor "${recordedVendor}" for account ${waba}, which is a ${account.vendor} reference; the state was edited by hand?`,
    );
  const entry = vendorOf(account);
  let backend: TemplateBackend;
  if (factoryOverride) backend = factoryOverride(account);
  else {
    const problem = missingSettings(entry);
    if (problem) throw new Error(problem);
    backend = entry.createTemplateBackend(account, (role) => (entry.settings[role] ? settingValue(entry.settings[role]) : undefined));
  }
  // Template calls spend the account's budget as flow calls do: admitted, paced and stopped with them (../budget.ts).
  return {
    account,
    entry,
    caps: entry.templates,
    backend: droppingListOnWrites(account.canonical, withTemplateBudget(account.canonical, backend)),
  };
}

/**
 * The account's templates with their components (one list per deployment until a write of ours), for
 * reading only. Where the vendor's list carries no components (AWS), each listed template is read once
 * more, unless this process read or wrote it already: 1 + N calls the first time, 1 + (new templates) later.
 */
export function listTemplatesCached(conn: TemplateConn): Promise<RemoteTemplate[]> {
  return cachedTemplateList(conn.account.canonical, async () => {
    const listed = await conn.backend.listTemplates();
    const out: RemoteTemplate[] = [];
    for (const t of listed) {
      const known = t.components.length > 0 ? undefined : knownComponents(conn.account.canonical, t.id);
      if (t.components.length > 0) out.push(t);
      // Read or written by this process already (this deployment): not read again.
      else if (known) out.push({ ...t, components: known });
      else out.push((await conn.backend.getTemplate({ id: t.id, name: t.name, language: t.language })) ?? t);
    }
    return out;
  });
}

/** The templates of the account that send this flow (a FLOW button with its id), named `name (language)`. */
export async function templatesSending(waba: string, flowId: string): Promise<string[]> {
  const listed = await listTemplatesCached(templateConnection(waba));
  return listed.filter((t) => flowIdsOf(t.components).includes(flowId)).map((t) => `${t.name} (${t.language})`);
}
