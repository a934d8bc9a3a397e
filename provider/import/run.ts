/**
 * `whatsapp-flows import`: brings every flow of one account under management.
 *
 * Order of work, so that bad input changes nothing and a failure midway leaves nothing half-written:
 *   1. Checks that need no write and no call: the reference parses, the vendor's credential is set, the
 *      output directory can be written (and is empty unless --force).
 *   2. Reads: the vendor's list of flows (and a get per flow whose list entry lacks categories); the list
 *      of message templates (and a get per template where the list carries no components: AWS), kept
 *      for the templates whose FLOW button opens one of the imported flows.
 *   3. Downloads into a staging directory beside the output directory (`.<out>.whatsapp-flows-import`),
 *      one file at a time, each written to a temporary name and renamed, with a journal (flow id → file,
 *      SHA-256, name, status) rewritten after each file.
 *   4. Writes the program files into the staging directory, then moves it into place: one rename when
 *      the output directory is new or empty; with --force, one rename per generated entry, the report last.
 *
 * A failure in 3 or 4 leaves the output directory as it was and the staging directory consistent;
 * re-running the same command resumes: each file already downloaded is re-verified (its SHA-256 against
 * the journal, its flow's name and status against the fresh list) and downloaded again only when that
 * check fails.
 */
import { createHash } from "node:crypto";
import { constants as fsc, promises as fs } from "node:fs";
import * as path from "node:path";
import { isBackendError, type FlowBackend, type RemoteFlowSummary } from "../backends/types";
import { backendFor, settingValue, templateBackendFor } from "../settings";
import type { RemoteTemplate, TemplateBackend } from "../backends/templates/types";
import { flowIdsOf } from "../templates/model";
import { parseAccountRef, vendorOf, type AccountRef } from "../vendors/registry";
import { projectNameOf, resourceNames } from "./naming";
import {
  renderData,
  renderDataProgram,
  renderPackageJson,
  renderProgram,
  renderPulumiYaml,
  renderReport,
  renderStackYaml,
  renderTsconfig,
  type ImportedFlow,
  type ImportedTemplate,
  type ImportResult,
} from "./render";

export interface ImportOptions {
  /** Account reference, as the resources take it. */
  waba: string;
  /** Output directory (relative to `cwd`). */
  out: string;
  format?: "program" | "data";
  /** Write into a non-empty output directory, replacing the generated files and `flows/` in it. */
  force?: boolean;
  /** Also download the JSON of deprecated flows into `deprecated/` (for reference; not managed). */
  includeDeprecatedReport?: boolean;
  /** Pulumi project name; default derived from the output directory's name. */
  project?: string;
  /** Also write `Pulumi.<stack>.yaml` setting `waba` (when that file does not exist yet). */
  stack?: string;
}

export interface ImportIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  cwd: string;
  /** Tests only: called before each download (n is 1-based), to simulate an interruption. */
  beforeDownload?: (n: number, flow: RemoteFlowSummary) => void | Promise<void>;
}

/** Bad input: reported before any write, exit code 2. */
export class ImportInputError extends Error {}

/** A failure after the checks (a vendor call, a write): exit code 1, resumable. */
export class ImportFailedError extends Error {}

export const STAGING_SUFFIX = ".whatsapp-flows-import";
const JOURNAL = "journal.json";
const JOURNAL_FORMAT = "whatsapp-flows-import-journal/1";

interface JournalEntry {
  file: string | null;
  sha256: string | null;
  name: string;
  status: string;
  categories: string[];
  categoriesFromGet?: boolean;
}

interface Journal {
  format: typeof JOURNAL_FORMAT;
  account: string;
  flows: Record<string, JournalEntry>;
}

const sha256 = (s: string | Buffer): string => createHash("sha256").update(s).digest("hex");
const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const code = (e: unknown): string | undefined => (e as NodeJS.ErrnoException)?.code;

async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch (e) {
    if (code(e) === "ENOENT" || code(e) === "ENOTDIR") return false;
    throw e;
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await fs.writeFile(tmp, text, "utf8");
  await fs.rename(tmp, file);
}

/** Step 1 for the account: parse it and check its credential is set (never read from arguments). */
export function checkAccount(ref: string): AccountRef {
  const parsed = parseAccountRef(ref);
  if ("error" in parsed) throw new ImportInputError(`--waba: account reference ${parsed.error}`);
  const entry = vendorOf(parsed.account);
  const credential = entry.settings.credential;
  if (credential && settingValue(credential) === undefined) {
    throw new ImportInputError(
      `${entry.displayName} needs its ${credential.description}: set the environment variable ${credential.env.join(" or ")} ` +
        `(the CLI takes credentials from the environment only, never from arguments, which would land in shell history)`,
    );
  }
  return parsed.account;
}

/** Step 1 for the directory: where things go, checked without writing anything. */
export async function checkOut(
  out: string,
  cwd: string,
  force: boolean,
): Promise<{ dir: string; parent: string; staging: string; existed: boolean; empty: boolean }> {
  if (!out) throw new ImportInputError("--out: give the output directory");
  const dir = path.resolve(cwd, out);
  const parent = path.dirname(dir);
  const base = path.basename(dir);
  if (parent === dir || !base) throw new ImportInputError(`--out ${out}: cannot write the program into the root directory`);
  const staging = path.join(parent, `.${base}${STAGING_SUFFIX}`);
  let stat;
  try {
    stat = await fs.stat(dir);
  } catch (e) {
    if (code(e) === "ENOTDIR") throw new ImportInputError(`--out ${out}: one of its parents is a file, not a directory`);
    if (code(e) !== "ENOENT") throw new ImportInputError(`--out ${out}: cannot read it (${code(e) ?? errText(e)})`);
  }
  if (stat) {
    if (!stat.isDirectory()) throw new ImportInputError(`--out ${out}: exists and is not a directory`);
    try {
      await fs.access(dir, fsc.R_OK | fsc.W_OK | fsc.X_OK);
    } catch (e) {
      throw new ImportInputError(`--out ${out}: is not readable and writable (${code(e) ?? errText(e)})`);
    }
    let entries: string[];
    try {
      entries = await fs.readdir(dir);
    } catch (e) {
      throw new ImportInputError(`--out ${out}: cannot be listed (${code(e) ?? errText(e)})`);
    }
    if (entries.length && !force) {
      throw new ImportInputError(
        `--out ${out}: is not empty; choose a new directory, or give --force to replace the generated files (index.ts, flows/, …) in it`,
      );
    }
    await checkWritableDir(parent, `--out ${out}: its parent directory ${parent}`, true);
    return { dir, parent, staging, existed: true, empty: entries.length === 0 };
  }
  // A new directory: the nearest existing ancestor must be a writable directory (missing parents are created).
  let ancestor = parent;
  while (!(await exists(ancestor))) {
    const up = path.dirname(ancestor);
    if (up === ancestor) break;
    ancestor = up;
  }
  await checkWritableDir(
    ancestor,
    `--out ${out}: ${ancestor === parent ? "its parent directory" : "its nearest existing parent"} ${ancestor}`,
    false,
  );
  return { dir, parent, staging, existed: false, empty: true };
}

async function checkWritableDir(dir: string, what: string, mustExist: boolean): Promise<void> {
  let stat;
  try {
    stat = await fs.stat(dir);
  } catch (e) {
    if (!mustExist && code(e) === "ENOENT") return;
    throw new ImportInputError(`${what} cannot be read (${code(e) ?? errText(e)})`);
  }
  if (!stat.isDirectory()) throw new ImportInputError(`${what} is not a directory`);
  try {
    await fs.access(dir, fsc.W_OK | fsc.X_OK);
  } catch (e) {
    throw new ImportInputError(`${what} is not writable (${code(e) ?? errText(e)}); the staging directory is created there`);
  }
}

async function readJournal(staging: string, account: string, log: (s: string) => void): Promise<Journal> {
  const fresh: Journal = { format: JOURNAL_FORMAT, account, flows: {} };
  if (!(await exists(staging))) return fresh;
  let j: Journal | undefined;
  try {
    j = JSON.parse(await fs.readFile(path.join(staging, JOURNAL), "utf8"));
  } catch {
    j = undefined;
  }
  if (j && j.format === JOURNAL_FORMAT && j.account === account && j.flows && typeof j.flows === "object") {
    log(`resuming the interrupted import kept in ${staging} (${Object.keys(j.flows).length} flow(s) recorded)\n`);
    return j;
  }
  log(`discarding ${staging}: ${j ? `it holds an import of ${j.account}` : "its journal is missing or unreadable"}\n`);
  await fs.rm(staging, { recursive: true, force: true });
  return fresh;
}

/** Finds this package's package.json (source and dist layouts differ) for the versions to depend on. */
async function ownVersions(): Promise<{ whatsappFlows: string; pulumi: string }> {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(await fs.readFile(path.join(dir, "package.json"), "utf8"));
      if (pkg.name === "whatsapp-flows")
        return { whatsappFlows: `^${pkg.version}`, pulumi: pkg.peerDependencies?.["@pulumi/pulumi"] ?? "^3.0.0" };
    } catch {
      /* keep looking */
    }
    dir = path.dirname(dir);
  }
  return { whatsappFlows: "*", pulumi: "^3.0.0" };
}

function describeCallFailure(e: unknown): string {
  if (isBackendError(e)) return `${e.kind}${e.httpStatus ? ` (HTTP ${e.httpStatus})` : ""}: ${e.message}`;
  return errText(e);
}

/** Runs the import. Throws ImportInputError (exit 2) or ImportFailedError (exit 1); returns the result on success. */
export async function runImport(opts: ImportOptions, io: ImportIo): Promise<ImportResult & { dir: string }> {
  const log = (s: string) => void io.stderr.write(s);
  const format = opts.format ?? "program";
  // --- 1. checks, no write, no call
  const account = checkAccount(opts.waba);
  const entry = vendorOf(account);
  const where = await checkOut(opts.out, io.cwd, opts.force === true);
  const project = opts.project ?? projectNameOf(path.basename(where.dir));
  if (opts.project !== undefined && projectNameOf(opts.project) !== opts.project) {
    throw new ImportInputError(`--project ${opts.project}: a Pulumi project name has letters, digits, -, _ and . only`);
  }
  if (opts.stack !== undefined && !/^[A-Za-z0-9_.-]{1,100}$/.test(opts.stack)) {
    throw new ImportInputError(`--stack ${opts.stack}: a stack name has letters, digits, -, _ and . only`);
  }
  let backend: FlowBackend;
  let templateBackend: TemplateBackend;
  try {
    backend = backendFor(account);
    templateBackend = templateBackendFor(account);
  } catch (e) {
    throw new ImportInputError(errText(e));
  }

  // --- 2. the one read that decides everything
  log(`listing the flows of ${account.canonical} (${entry.displayName})…\n`);
  let listed: RemoteFlowSummary[];
  try {
    listed = await backend.listFlows();
  } catch (e) {
    const msg = `cannot list the flows of ${account.canonical}: ${describeCallFailure(e)}`;
    if (isBackendError(e, "ACCESS_DENIED")) throw new ImportInputError(`${msg}\n(check the credential: ${credentialHint(account)})`);
    if (isBackendError(e, "NOT_FOUND")) throw new ImportInputError(`${msg}\n(check --waba: no such account for these credentials)`);
    if (!isBackendError(e)) throw new ImportInputError(msg);
    throw new ImportFailedError(`${msg}\nNothing was written. Re-run the same command to try again.`);
  }
  const active = listed.filter((f) => f.status !== "DEPRECATED");
  const deprecated = listed.filter((f) => f.status === "DEPRECATED");
  // The report names a deprecated flow's categories; a list without them (8x8) is completed by a get (a read).
  for (const [i, f] of deprecated.entries()) {
    if (f.categories.length) continue;
    try {
      const full = await backend.getFlow(f.id);
      if (full) deprecated[i] = { ...f, categories: full.categories };
    } catch (e) {
      throw new ImportFailedError(
        `cannot read deprecated flow ${f.id} ${JSON.stringify(f.name)}: ${describeCallFailure(e)}\nNothing was written. Re-run the same command to try again.`,
      );
    }
  }
  log(
    `found ${listed.length} flow(s): ${active.length} to manage` +
      `, ${deprecated.length} deprecated (${opts.includeDeprecatedReport ? "downloaded for the report" : "listed in the report"})\n`,
  );
  const activeNames = resourceNames(active);
  const deprecatedNames = resourceNames(deprecated);
  const { templates, skippedTemplates } = await readTemplates(templateBackend, account, activeNames, log);

  // --- 3. downloads into the staging directory (the first write)
  const journal = await readJournal(where.staging, account.canonical, log);
  const work: { flow: RemoteFlowSummary; dir: "flows" | "deprecated"; resourceName: string }[] = [
    ...active.map((flow) => ({ flow, dir: "flows" as const, resourceName: activeNames.get(flow.id)! })),
    ...(opts.includeDeprecatedReport
      ? deprecated.map((flow) => ({ flow, dir: "deprecated" as const, resourceName: deprecatedNames.get(flow.id)! }))
      : []),
  ].sort((a, b) => (a.dir === b.dir ? (a.resourceName < b.resourceName ? -1 : 1) : a.dir === "flows" ? -1 : 1));
  const resumeHint = () =>
    `Nothing was written to ${where.dir}; what was downloaded so far is kept in ${where.staging}.\n` +
    `Re-run the same command to resume: files already downloaded are re-verified (SHA-256, name and status), not downloaded again.`;
  const results = new Map<string, ImportedFlow>();
  try {
    await fs.mkdir(path.join(where.staging, "flows"), { recursive: true });
    if (opts.includeDeprecatedReport) await fs.mkdir(path.join(where.staging, "deprecated"), { recursive: true });
  } catch (e) {
    throw new ImportFailedError(`cannot create the staging directory ${where.staging}: ${code(e) ?? errText(e)}`);
  }
  const saveJournal = () => writeAtomically(path.join(where.staging, JOURNAL), JSON.stringify(journal, null, 2) + "\n");
  let n = 0;
  for (const { flow, dir, resourceName } of work) {
    n++;
    const progress = `[${n}/${work.length}] ${JSON.stringify(flow.name)} (flow ${flow.id}, ${flow.status})`;
    const rel = `${dir}/${resourceName}.json`;
    try {
      const known = journal.flows[flow.id];
      if (known && known.file === rel && known.sha256 && known.name === flow.name && known.status === flow.status) {
        const bytes = await fs.readFile(path.join(where.staging, rel)).catch(() => undefined);
        if (bytes && sha256(bytes) === known.sha256) {
          results.set(flow.id, {
            id: flow.id,
            name: flow.name,
            status: flow.status,
            categories: known.categories,
            resourceName,
            file: rel,
            bytes: bytes.length,
            sha256: known.sha256,
            categoriesFromGet: known.categoriesFromGet,
          });
          log(`${progress}: already downloaded, verified\n`);
          continue;
        }
        log(`${progress}: the file kept from the interrupted import does not match its journal; downloading again\n`);
      }
      await io.beforeDownload?.(n, flow);
      let categories = flow.categories;
      let categoriesFromGet = false;
      if (!categories.length) {
        const full = await backend.getFlow(flow.id);
        if (!full) throw new Error(`flow ${flow.id} was listed but no longer exists (deleted meanwhile?)`);
        categories = full.categories;
        categoriesFromGet = true;
      }
      const json = await backend.downloadFlowJson(flow.id);
      const file = path.join(where.staging, rel);
      if (json === undefined) {
        await fs.rm(file, { force: true });
        journal.flows[flow.id] = { file: null, sha256: null, name: flow.name, status: flow.status, categories, categoriesFromGet };
        results.set(flow.id, {
          id: flow.id,
          name: flow.name,
          status: flow.status,
          categories,
          resourceName,
          file: null,
          bytes: null,
          sha256: null,
          categoriesFromGet,
        });
        log(`${progress}: no Flow JSON\n`);
      } else {
        await writeAtomically(file, json);
        const digest = sha256(Buffer.from(json, "utf8"));
        journal.flows[flow.id] = { file: rel, sha256: digest, name: flow.name, status: flow.status, categories, categoriesFromGet };
        results.set(flow.id, {
          id: flow.id,
          name: flow.name,
          status: flow.status,
          categories,
          resourceName,
          file: rel,
          bytes: Buffer.byteLength(json),
          sha256: digest,
          categoriesFromGet,
        });
        log(`${progress}: downloaded ${Buffer.byteLength(json)} bytes\n`);
      }
      await saveJournal();
    } catch (e) {
      throw new ImportFailedError(
        `import stopped at flow ${n} of ${work.length}, ${JSON.stringify(flow.name)} (flow ${flow.id}): ${describeCallFailure(e)}\n${resumeHint()}`,
      );
    }
  }

  // --- 4. the program, then into place
  const imported = (f: RemoteFlowSummary, names: Map<string, string>): ImportedFlow =>
    results.get(f.id) ?? {
      id: f.id,
      name: f.name,
      status: f.status,
      categories: f.categories,
      resourceName: names.get(f.id)!,
      file: null,
      bytes: null,
      sha256: null,
    };
  const byResource = (a: ImportedFlow, b: ImportedFlow) => (a.resourceName < b.resourceName ? -1 : 1);
  const result: ImportResult = {
    account: account.canonical,
    vendor: account.vendor,
    vendorDisplayName: entry.displayName,
    managed: active.map((f) => imported(f, activeNames)).sort(byResource),
    deprecated: deprecated.map((f) => imported(f, deprecatedNames)).sort(byResource),
    templates,
    skippedTemplates,
    format,
    project,
  };
  const files: [string, string][] = [
    ["index.ts", format === "data" ? renderDataProgram(result) : renderProgram(result)],
    ...(format === "data" ? ([["flows.json", renderData(result)]] as [string, string][]) : []),
    ["Pulumi.yaml", renderPulumiYaml(result)],
    ["package.json", renderPackageJson(result, await ownVersions())],
    ["tsconfig.json", renderTsconfig()],
    [".gitignore", "node_modules/\nbin/\n"],
  ];
  const stackFile = opts.stack ? `Pulumi.${opts.stack}.yaml` : undefined;
  if (stackFile && !(where.existed && (await exists(path.join(where.dir, stackFile))))) files.push([stackFile, renderStackYaml(result)]);
  else if (stackFile)
    log(`${stackFile} exists in ${where.dir}: left as it is (set the account with \`pulumi config set waba '${account.canonical}'\`)\n`);
  // The report goes last: its presence in the output directory means the import completed.
  files.push(["IMPORT-REPORT.md", renderReport(result, { includeDeprecatedJson: opts.includeDeprecatedReport === true })]);
  try {
    for (const [name, text] of files) await writeAtomically(path.join(where.staging, name), text);
    await fs.rm(path.join(where.staging, JOURNAL), { force: true });
    await moveIntoPlace(
      where,
      files.map(([name]) => name),
      opts.includeDeprecatedReport === true,
    );
  } catch (e) {
    // The journal may be gone already: a re-run then downloads again, which is still consistent.
    throw new ImportFailedError(`writing the program failed: ${code(e) ?? errText(e)}\n${resumeHint()}`);
  }
  log(
    `wrote ${result.managed.length} managed flow(s), ${templates.length} message template(s) and ${files.length} file(s) to ${where.dir}\n`,
  );
  return { ...result, dir: where.dir };
}

/**
 * The message templates whose FLOW button opens one of the imported flows. Costs one list call (paged
 * by the backend) and, where the vendor's list carries no components (AWS: ListWhatsAppMessageTemplates
 * returns summaries), one get per template listed, since only its components tell which flow it opens.
 * Where the vendor deletes templates by name (every language at once), one language per name is
 * written, as MessageTemplate requires there; the others are listed in the report.
 */
async function readTemplates(
  backend: TemplateBackend,
  account: AccountRef,
  flowResources: Map<string, string>,
  log: (s: string) => void,
): Promise<{ templates: ImportedTemplate[]; skippedTemplates: { template: ImportedTemplate; reason: string }[] }> {
  const failed = (what: string, e: unknown) =>
    new ImportFailedError(
      `cannot read ${what} of ${account.canonical}: ${describeCallFailure(e)}\nNothing was written. Re-run the same command to try again.`,
    );
  let listed: RemoteTemplate[];
  try {
    listed = await backend.listTemplates();
  } catch (e) {
    if (isBackendError(e, "ACCESS_DENIED"))
      throw new ImportInputError(
        `cannot list the message templates of ${account.canonical}: ${describeCallFailure(e)}\n(check the credential: ${credentialHint(account)})`,
      );
    throw failed("the message templates", e);
  }
  // A template always has a BODY: an empty list of components means the list did not carry them.
  const gets = listed.filter((t) => t.components.length === 0).length;
  log(
    `found ${listed.length} message template(s)${gets ? `; reading each one's components (${gets} call(s): the list carries none)` : ""}\n`,
  );
  const full: RemoteTemplate[] = [];
  for (const t of listed) {
    if (t.components.length > 0) {
      full.push(t);
      continue;
    }
    try {
      const read = await backend.getTemplate({ id: t.id, name: t.name, language: t.language });
      if (read) full.push({ ...read, status: read.status || t.status });
    } catch (e) {
      throw failed(`message template ${t.id} ${JSON.stringify(t.name)} (${t.language})`, e);
    }
  }
  const bound = full
    .filter((t) => flowIdsOf(t.components).some((id) => flowResources.has(id)))
    .map((t): ImportedTemplate => ({
      id: t.id,
      name: t.name,
      language: t.language,
      category: t.category,
      status: t.status,
      components: t.components,
      resourceName: `${t.name}-${t.language}`,
      flowResources: flowIdsOf(t.components).map((id) => flowResources.get(id) ?? null),
    }))
    .sort((a, b) => (a.resourceName < b.resourceName ? -1 : 1));
  const templates: ImportedTemplate[] = [];
  const skippedTemplates: { template: ImportedTemplate; reason: string }[] = [];
  const entry = vendorOf(account);
  for (const t of bound) {
    const first = templates.find((x) => x.name === t.name);
    if (first && entry.templates.deleteBy === "name")
      skippedTemplates.push({
        template: t,
        reason:
          `${entry.displayName} deletes templates by name, every language at once: one language per name is managed ` +
          `(${first.language} is); declare this one under another name to manage it`,
      });
    else templates.push(t);
  }
  log(`${templates.length} message template(s) open an imported flow: written as MessageTemplate resources adopting them\n`);
  return { templates, skippedTemplates };
}

async function moveIntoPlace(
  where: { dir: string; staging: string; existed: boolean; empty: boolean },
  files: string[],
  deprecatedDir: boolean,
): Promise<void> {
  if (!where.existed || where.empty) {
    await fs.mkdir(path.dirname(where.dir), { recursive: true });
    if (where.existed) await fs.rmdir(where.dir);
    await fs.rename(where.staging, where.dir);
    return;
  }
  // --force into a non-empty directory: generated entries replace their namesakes, anything else stays.
  const old = path.join(where.staging, ".replaced");
  await fs.mkdir(old, { recursive: true });
  const entries = ["flows", ...(deprecatedDir ? ["deprecated"] : []), ...files];
  for (const name of entries) {
    const dest = path.join(where.dir, name);
    if (await exists(dest)) await fs.rename(dest, path.join(old, name));
    await fs.rename(path.join(where.staging, name), dest);
  }
  await fs.rm(where.staging, { recursive: true, force: true });
}

function credentialHint(account: AccountRef): string {
  const spec = vendorOf(account).settings.credential;
  if (!spec) return "the AWS SDK's default credential chain (AWS_PROFILE, AWS_ACCESS_KEY_ID…, SSO) and AWS_REGION";
  return `the environment variable ${spec.env.join(" or ")}`;
}
