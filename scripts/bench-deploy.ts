/**
 * Deployment benchmark (issue 9): `npm run bench:deploy -- [options]`.
 *
 * For each N and vendor, two stacks in a fresh temp folder (offline file backend, own PULUMI_HOME):
 *   - ours:  scripts/bench/ours, N published `WhatsAppFlow` (a Flow + its FlowAssets each) against the
 *            emulator in this process, which adds `--latency-ms` to every vendor call;
 *   - floor: scripts/bench/floor, N components of two trivial dynamic resources (the second takes the
 *            first's id as input, as FlowAssets takes the Flow's), a provider that does nothing.
 * Each operation runs on ours, then at once on the floor (back to back, the machine is shared and noisy:
 * compare ratios, not seconds across runs): preview of a new stack, up (create), no-op preview
 * (--expect-no-changes), refresh, JSON change of every flow (config `variant`; floor: an input of every
 * second resource), categories change of every flow (config `categories`; floor: an input of every first
 * resource), destroy. Wall time of the whole CLI command (CLI start and program run included).
 * Vendor calls come from the emulator's request log, per operation, with the most common call sequence
 * per flow. After the up, `pulumi stack export` gives the state size per resource and what it is made of.
 *
 * Options:
 *   --n 100,300              flow counts (default 100)
 *   --vendors aws,360dialog  vendors (aws, meta, 360dialog, 8x8; default aws)
 *   --latency-ms 50          latency the emulator adds to every vendor call (default 50; 0 = none)
 *   --ops a,b                subset of preview-new,up,preview-noop,refresh,update,metadata,destroy (default all;
 *                            the up, and a final destroy, run anyway when needed, unreported)
 *   --parallel P             Pulumi's --parallel (default: the CLI's, 8 in 3.248)
 *   --flow-bytes B           size of each Flow JSON (default: the quickstart's signup flow, ~0.8 KB)
 *   --skip-checkpoints       PULUMI_SKIP_CHECKPOINTS=true for both stacks (engine setting, experiment)
 *   --pulumi-args "A B"      extra CLI arguments for every timed command of both stacks, e.g.
 *                            "--disable-integrity-checking" (engine setting, experiment)
 *   --json FILE              also write every figure as JSON
 *   --keep                   keep the temp folder (stacks, CLI logs) and print its path
 *   --rate-limit R           the emulator admits R calls per second (token bucket, burst R) and answers
 *                            the rest 429 with Retry-After, as a vendor's rate limit; the latency still applies
 *   --meta-budget N          the emulator keeps Meta's hourly budget: N Graph calls an hour per token and WABA
 *                            (HTTP 400, code 80007 past it). An operation the budget stops is run again after
 *                            advancing the emulator's clock an hour, until it succeeds: the table then says how
 *                            many runs and budget windows it took (its time is the sum of the runs)
 *   --pace-ms M              the provider's spacing of calls above 80% of a budget (default the provider's, 500)
 *
 *   --baseline DIR           compare with another build of ours: DIR is a package root (package.json and a built
 *                            dist/, e.g. a checkout of main after `npx tsc -p tsconfig.json`). A third stack runs it on
 *                            every operation beside ours (after it in odd rounds, before it in even ones), then the
 *                            floor, on the emulator's other WABA (its calls are not counted)
 *   --repeat R               each (vendor, N) R times with fresh stacks, then the minimum and median of each ratio
 *
 * With GNU time (/usr/bin/time) each command's CPU seconds (user + system of the CLI, the program and the
 * providers) are measured too: a steadier figure than wall time on a shared machine.
 *
 * Every table also gives the physical minimum of vendor calls for the operation (issue 18) beside the calls made.
 *   --cpu-prof DIR           diagnostics: V8 CPU profiles (scripts/bench/cpu-prof.js) of the Node.js processes of
 *                            both stacks' commands (program, provider) into DIR/<vendor>-<n>/{ours,floor}, one
 *                            file per process, named <command number>-<role>-<pid>; open them in Chrome DevTools.
 *                            Profiling slows both down: the ratios of such a run mean little
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ACCOUNT_REFS, DEFAULT_CREDENTIALS, startEmulator, type RequestLogEntry, type RunningEmulator } from "../emulator";
import { credentialEnv, VENDOR_NAMES, type VendorName } from "../provider/vendors/registry";
import { generateFlow } from "./bench-validate";

const ROOT = path.resolve(__dirname, "..", "..");
const OPS = ["preview-new", "up", "preview-noop", "refresh", "update", "metadata", "destroy"] as const;
type Op = (typeof OPS)[number];
const OP_LABEL: Record<Op, string> = {
  "preview-new": "preview of a new stack",
  up: "up (create)",
  "preview-noop": "no-op preview",
  refresh: "refresh",
  update: "JSON change of every flow",
  metadata: "categories change of every flow",
  destroy: "destroy",
};
const VENDOR_LIST = VENDOR_NAMES;
type Vendor = VendorName;

interface Options {
  n: number[];
  vendors: Vendor[];
  latencyMs: number;
  ops: Op[];
  parallel?: number;
  flowBytes?: number;
  skipCheckpoints: boolean;
  pulumiArgs: string[];
  json?: string;
  keep: boolean;
  rateLimit?: number;
  metaBudget?: number;
  paceMs?: number;
  /** Diagnostics: write V8 CPU profiles of every Node.js process of our stack's commands (provider included) here. */
  cpuProf?: string;
  /** A package root (package.json + dist/) of another build of ours, run as a third stack after ours on every operation. */
  baseline?: string;
  /** Each (vendor, N) this many times (fresh stacks each time), then a summary of the ratios. */
  repeat: number;
}

/**
 * The physical minimum of vendor calls per operation and vendor (issue 18): per flow, or one list of the
 * account ("list"). 8x8's list has no categories: its refresh reads every flow (the price of seeing category drift).
 */
const MINIMUM: Record<Op, Record<Vendor, number | "list" | "list+read">> = {
  "preview-new": { aws: "list", meta: "list", "360dialog": "list", "8x8": "list" },
  up: { aws: 1, meta: 1, "360dialog": 3, "8x8": 1 },
  "preview-noop": { aws: 0, meta: 0, "360dialog": 0, "8x8": 0 },
  refresh: { aws: "list", meta: "list", "360dialog": "list", "8x8": "list+read" },
  update: { aws: 2, meta: 2, "360dialog": 4, "8x8": 2 },
  // In place: the update and the publish (the edit re-drafts); replaced: 8x8 2 (create with JSON and publish,
  // deprecate), 360dialog 4 (create, upload, publish, deprecate: its clone makes it 3).
  metadata: { aws: 2, meta: 2, "360dialog": 4, "8x8": 2 },
  destroy: { aws: 1, meta: 1, "360dialog": 1, "8x8": 1 },
};

function minimumText(op: Op, vendor: Vendor, n: number): string {
  const m = MINIMUM[op][vendor];
  if (m === "list") return "1 list";
  if (m === "list+read") return `1 list + ${n} reads`;
  return String(m * n);
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    n: [100],
    vendors: ["aws"],
    latencyMs: 50,
    ops: [...OPS],
    skipCheckpoints: false,
    pulumiArgs: [],
    keep: false,
    repeat: 1,
  };
  const list = (v: string | undefined) =>
    (v ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case "--n":
        o.n = list(value()).map((s) => {
          const n = Number(s);
          if (!Number.isInteger(n) || n < 1) throw new Error(`--n: not a positive integer: ${s}`);
          return n;
        });
        break;
      case "--vendors":
        o.vendors = list(value()).map((s) => {
          if (!(VENDOR_LIST as readonly string[]).includes(s))
            throw new Error(`--vendors: unknown vendor ${s} (have ${VENDOR_LIST.join(", ")})`);
          return s as Vendor;
        });
        break;
      case "--latency-ms":
        o.latencyMs = Number(value());
        if (!(o.latencyMs >= 0)) throw new Error("--latency-ms must be >= 0");
        break;
      case "--ops":
        o.ops = list(value()).map((s) => {
          if (!(OPS as readonly string[]).includes(s)) throw new Error(`--ops: unknown operation ${s} (have ${OPS.join(", ")})`);
          return s as Op;
        });
        break;
      case "--cpu-prof":
        o.cpuProf = path.resolve(value());
        break;
      case "--baseline":
        o.baseline = path.resolve(value());
        for (const dir of ["sdk", "provider", "emulator"])
          if (!fs.existsSync(path.join(o.baseline, "dist", dir)))
            throw new Error(`--baseline: ${o.baseline} has no dist/${dir} (build it first: npx tsc -p tsconfig.json there)`);
        break;
      case "--repeat":
        o.repeat = Number(value());
        if (!Number.isInteger(o.repeat) || o.repeat < 1) throw new Error("--repeat must be a positive integer");
        break;
      case "--parallel":
        o.parallel = Number(value());
        if (!Number.isInteger(o.parallel) || o.parallel < 1) throw new Error("--parallel must be a positive integer");
        break;
      case "--flow-bytes":
        o.flowBytes = Number(value());
        if (!Number.isInteger(o.flowBytes) || o.flowBytes < 100) throw new Error("--flow-bytes must be an integer >= 100");
        break;
      case "--skip-checkpoints":
        o.skipCheckpoints = true;
        break;
      case "--pulumi-args":
        o.pulumiArgs = (value() ?? "").split(/\s+/).filter(Boolean);
        break;
      case "--json":
        o.json = path.resolve(value());
        break;
      case "--meta-budget":
        o.metaBudget = Number(value());
        if (!Number.isInteger(o.metaBudget) || o.metaBudget < 1)
          throw new Error("--meta-budget must be a positive integer (calls an hour)");
        break;
      case "--pace-ms":
        o.paceMs = Number(value());
        if (!(o.paceMs >= 0)) throw new Error("--pace-ms must be >= 0");
        break;
      case "--rate-limit":
        o.rateLimit = Number(value());
        if (!(o.rateLimit > 0)) throw new Error("--rate-limit must be > 0 (calls per second)");
        break;
      case "--keep":
        o.keep = true;
        break;
      case "--help":
      case "-h":
        process.stdout.write(
          fs
            .readFileSync(__filename, "utf8")
            .match(/\/\*\*([\s\S]*?)\*\//)?.[1]
            .replace(/^ \* ?/gm, "") ?? "",
        );
        process.exit(0);
      // eslint-disable-next-line no-fallthrough
      default:
        throw new Error(`unknown option ${a} (see --help)`);
    }
  }
  return o;
}

// ---------------------------------------------------------------------------------------------- stacks

interface CliRun {
  seconds: number;
  /** CPU seconds (user + system) of the command and every process it waited for (program, providers); undefined without /usr/bin/time. */
  cpu?: number;
  code: number;
  stdout: string;
  /** stdout + stderr. */
  output: string;
}

/** GNU time, when installed: the CPU figures need it (the wall times do not). */
const TIME_BIN = fs.existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

/** User + system seconds from GNU time's `-f "%U %S"` output (its last line; a failed command may print more above). */
function cpuOf(file: string): number | undefined {
  try {
    const last = fs.readFileSync(file, "utf8").trim().split("\n").pop() ?? "";
    const [u, sys] = last.split(/\s+/).map(Number);
    return Number.isFinite(u) && Number.isFinite(sys) ? u + sys : undefined;
  } catch {
    return undefined;
  }
}

class Stack {
  readonly dir: string;
  private runs = 0;
  constructor(
    readonly label: string,
    readonly root: string,
    program: "ours" | "floor",
    private readonly env: NodeJS.ProcessEnv,
    private readonly parallel: number | undefined,
    private readonly extraArgs: string[] = [],
    /** Where the package's files come from (package.json and dist/): this checkout, or --baseline. */
    packageRoot: string = ROOT,
  ) {
    this.dir = path.join(root, "program");
    fs.mkdirSync(path.join(root, "state"), { recursive: true });
    fs.cpSync(path.join(ROOT, "scripts", "bench", program), this.dir, { recursive: true });
    // node_modules as in a user's project. `whatsapp-flows` is a copy of this checkout's package files
    // (package.json and the dist/ folders it ships), not a link: installed under node_modules, Pulumi
    // stores its provider as a `require` (docs/design.md), which is what users' state holds.
    const modules = path.join(this.dir, "node_modules");
    fs.mkdirSync(modules);
    for (const entry of fs.readdirSync(path.join(ROOT, "node_modules"))) {
      if (entry === "whatsapp-flows" || entry.startsWith(".")) continue;
      fs.symlinkSync(path.join(ROOT, "node_modules", entry), path.join(modules, entry));
    }
    const pkg = path.join(modules, "whatsapp-flows");
    fs.mkdirSync(pkg);
    fs.copyFileSync(path.join(packageRoot, "package.json"), path.join(pkg, "package.json"));
    for (const dir of ["sdk", "provider", "emulator"]) {
      fs.cpSync(path.join(packageRoot, "dist", dir), path.join(pkg, "dist", dir), { recursive: true, filter: (f) => !f.endsWith(".map") });
    }
    this.env = { ...env, PULUMI_BACKEND_URL: `file://${path.join(root, "state")}` };
  }

  /** Runs the CLI asynchronously (the emulator in this process must keep answering); logs its output. */
  run(args: string[]): Promise<CliRun> {
    const started = process.hrtime.bigint();
    const runTag = `${String(++this.runs).padStart(2, "0")}-${args[0]}`;
    const log = path.join(this.root, `${runTag}.log`);
    // WF_CPU_PROF_RUN names the CPU profiles of this command (--cpu-prof; ignored otherwise).
    const env = { ...this.env, WF_CPU_PROF_RUN: runTag };
    // GNU time gives the CPU of the whole process tree (the CLI waits for its plugins and the program),
    // a steadier figure than wall time on a shared machine.
    const timeFile = TIME_BIN ? path.join(this.root, `${runTag}.time`) : undefined;
    const [cmd, cmdArgs] = timeFile ? [TIME_BIN!, ["-f", "%U %S", "-o", timeFile, "pulumi", ...args]] : ["pulumi", args];
    return new Promise((resolve, reject) => {
      const child = spawn(cmd, cmdArgs, { cwd: this.dir, env, stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      let stdout = "";
      child.stdout.on("data", (d) => ((stdout += d), (output += d)));
      child.stderr.on("data", (d) => (output += d));
      child.on("error", reject);
      child.on("close", (code) => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        fs.writeFileSync(log, `$ pulumi ${args.join(" ")}\n${output}\n(exit ${code}, ${seconds.toFixed(2)} s)\n`);
        resolve({ seconds, cpu: timeFile ? cpuOf(timeFile) : undefined, code: code ?? -1, stdout, output });
      });
    });
  }

  async ok(args: string[]): Promise<CliRun> {
    const r = await this.run(args);
    if (r.code !== 0) {
      throw new Error(`${this.label}: pulumi ${args.join(" ")} failed (exit ${r.code}):\n${r.output.split("\n").slice(-40).join("\n")}`);
    }
    return r;
  }

  private p(): string[] {
    return [...(this.parallel ? ["--parallel", String(this.parallel)] : []), ...this.extraArgs];
  }

  op(op: Op, mayFail = false): Promise<CliRun> {
    const ni = "--non-interactive";
    const run = (args: string[]) => (mayFail ? this.run(args) : this.ok(args));
    switch (op) {
      case "preview-new":
        return run(["preview", ni, ...this.p()]);
      case "preview-noop":
        return run(["preview", ni, "--expect-no-changes", ...this.p()]);
      case "up":
      case "update":
      case "metadata":
        return run(["up", "--yes", "--skip-preview", ni, ...this.p()]);
      case "refresh":
        return run(["refresh", "--yes", "--skip-preview", ni, ...this.p()]);
      case "destroy":
        return run(["destroy", "--yes", "--skip-preview", ni, ...this.p()]);
    }
  }

  async config(values: Record<string, string | number>): Promise<void> {
    for (const [k, v] of Object.entries(values)) await this.ok(["config", "set", k, String(v)]);
  }

  async exportState(): Promise<StackExport> {
    return JSON.parse((await this.ok(["stack", "export", "--show-secrets"])).stdout);
  }

  /** Bytes of the checkpoint file the file backend rewrites after every step. */
  checkpointBytes(): number {
    const dir = path.join(this.root, "state", ".pulumi", "stacks");
    let best = 0;
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith(".json")) best = Math.max(best, fs.statSync(p).size);
      }
    };
    if (fs.existsSync(dir)) walk(dir);
    return best;
  }
}

// ---------------------------------------------------------------------------------------------- analysis

interface StateFigures {
  /** `pulumi stack export` bytes (compact JSON) / number of resources (stack, providers, components included). */
  exportBytes: number;
  resources: number;
  bytesPerResource: number;
  /** Per resource type: count, mean bytes, and the mean bytes of its largest properties (inputs+outputs). */
  byType: Record<string, { count: number; meanBytes: number; largest: Record<string, number> }>;
  checkpointFileBytes: number;
}

/** What `pulumi stack export` prints, as far as these figures read it. */
interface StackExport {
  deployment?: { resources?: { type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }[] };
}

function stateFigures(deployment: StackExport, checkpointFileBytes: number): StateFigures {
  const resources = deployment.deployment?.resources ?? [];
  const exportBytes = Buffer.byteLength(JSON.stringify(deployment));
  const byType: StateFigures["byType"] = {};
  const acc: Record<string, { count: number; bytes: number; props: Record<string, number> }> = {};
  for (const r of resources) {
    const t = (acc[r.type] ??= { count: 0, bytes: 0, props: {} });
    t.count++;
    t.bytes += Buffer.byteLength(JSON.stringify(r));
    for (const where of ["inputs", "outputs"] as const) {
      for (const [k, v] of Object.entries(r[where] ?? {})) {
        const key = `${where}.${k}`;
        t.props[key] = (t.props[key] ?? 0) + Buffer.byteLength(JSON.stringify(v));
      }
    }
  }
  for (const [type, t] of Object.entries(acc)) {
    const largest = Object.entries(t.props)
      .map(([k, b]) => [k, Math.round(b / t.count)] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5);
    byType[type] = { count: t.count, meanBytes: Math.round(t.bytes / t.count), largest: Object.fromEntries(largest) };
  }
  return {
    exportBytes,
    resources: resources.length,
    bytesPerResource: Math.round(exportBytes / Math.max(1, resources.length)),
    byType,
    checkpointFileBytes,
  };
}

interface CallFigures {
  total: number;
  perFlow: number;
  byOperation: Record<string, number>;
  /** Answers >= 400 (throttles, errors) among them. */
  failed: number;
  /** The most common sequences of operations on one flow (count of flows having each). */
  sequences: Array<{ count: number; sequence: string }>;
  /** Calls that concern no single known flow (account lookups, list calls). */
  unattributed: number;
}

/** Strings anywhere in a request (path segments, query values, body values). */
function stringsOf(e: RequestLogEntry): string[] {
  const out = e.path.split("/").filter(Boolean);
  out.push(...Object.values(e.query));
  const walk = (v: unknown, depth: number) => {
    if (depth > 3 || v === null || v === undefined) return;
    if (typeof v === "string") out.push(v);
    else if (Array.isArray(v)) v.forEach((x) => walk(x, depth + 1));
    else if (typeof v === "object") Object.values(v as object).forEach((x) => walk(x, depth + 1));
  };
  walk(e.body, 0);
  return out;
}

function callFigures(entries: RequestLogEntry[], n: number, emu: RunningEmulator): CallFigures {
  const byOperation: Record<string, number> = {};
  for (const e of entries) byOperation[e.operation] = (byOperation[e.operation] ?? 0) + 1;
  // Attribute each call to a flow: by a flow id it mentions, else by the flow name it carries (create).
  const flows = emu.flows();
  const ids = new Set(flows.map((f) => f.flowId));
  const byName = new Map<string, string>();
  for (const f of flows) byName.set(f.name, f.flowId);
  const perFlow = new Map<string, string[]>();
  let unattributed = 0;
  for (const e of entries) {
    const s = stringsOf(e);
    let id = s.find((x) => ids.has(x));
    if (!id) {
      const embedded = s.map((x) => [...ids].find((i) => x.includes(i))).find(Boolean);
      id = embedded ?? s.map((x) => byName.get(x)).find(Boolean);
    }
    if (!id) {
      unattributed++;
      continue;
    }
    const list = perFlow.get(id) ?? [];
    list.push(e.status >= 400 ? `${e.operation}!${e.status}` : e.operation);
    perFlow.set(id, list);
  }
  const seqCount = new Map<string, number>();
  for (const list of perFlow.values()) {
    const k = list.join(" > ");
    seqCount.set(k, (seqCount.get(k) ?? 0) + 1);
  }
  const sequences = [...seqCount.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([sequence, count]) => ({ count, sequence }));
  return {
    total: entries.length,
    perFlow: Math.round((entries.length / n) * 100) / 100,
    byOperation: Object.fromEntries(Object.entries(byOperation).sort((a, b) => b[1] - a[1])),
    failed: entries.filter((e) => e.status >= 400 || e.status === 0).length,
    sequences,
    unattributed,
  };
}

// ---------------------------------------------------------------------------------------------- main

interface Row {
  op: Op;
  ours: number;
  floor: number;
  ratio: number;
  /** CPU seconds of the commands (GNU time), when measured, and ours / floor. */
  oursCpu?: number;
  floorCpu?: number;
  cpuRatio?: number;
  /** --baseline: the other build's wall and CPU seconds, and their ratios to the floor of the same round. */
  baseline?: number;
  baselineRatio?: number;
  baselineCpu?: number;
  baselineCpuRatio?: number;
  calls: CallFigures;
  /** `up` runs (or refresh/preview/destroy runs) it took, and budget windows waited (emulator clock). */
  runs: number;
  windows: number;
  minimum: string;
}

interface Result {
  vendor: Vendor;
  n: number;
  /** 1-based round of --repeat. */
  round: number;
  latencyMs: number;
  rateLimit: number | null;
  metaBudget: number | null;
  parallel: number | null;
  flowJsonBytes: number;
  skipCheckpoints: boolean;
  pulumiArgs: string[];
  rows: Row[];
  state?: { ours: StateFigures; floor: StateFigures };
}

function flowTemplate(bytes: number | undefined): string {
  if (bytes === undefined) {
    const text = fs.readFileSync(path.join(ROOT, "examples", "quickstart", "flows", "signup.json"), "utf8");
    return text.replace("Get our weekly offers", "__BENCH__");
  }
  // The validator benchmark's generator: a navigate chain whose first heading is "Step 1".
  return generateFlow(bytes).replace('"text": "Step 1"', '"text": "__BENCH__"');
}

function fmtSeconds(s: number): string {
  return `${s.toFixed(1)} s`;
}

function printResult(r: Result): void {
  const out: string[] = [];
  out.push("");
  const hasBaseline = r.rows.some((row) => row.baseline !== undefined);
  out.push(
    `### ${r.vendor}, N = ${r.n}${r.round > 1 ? `, round ${r.round}` : ""} (latency ${r.latencyMs} ms/call${r.rateLimit ? `, rate limit ${r.rateLimit}/s` : ""}${r.metaBudget && r.vendor === "meta" ? `, Meta budget ${r.metaBudget} calls/h` : ""}, parallel ${r.parallel ?? "default"}, Flow JSON ${r.flowJsonBytes} B` +
      `${r.skipCheckpoints ? ", PULUMI_SKIP_CHECKPOINTS" : ""}${r.pulumiArgs.length ? `, pulumi ${r.pulumiArgs.join(" ")}` : ""}; ours${hasBaseline ? ", baseline" : ""} then floor, back to back)`,
  );
  out.push("");
  const cpu = (x: number | undefined) => (x === undefined ? "-" : fmtSeconds(x));
  const times = (x: number | undefined) => (x === undefined ? "-" : `${x.toFixed(2)}x`);
  out.push(
    `| operation | ours | floor | ratio | CPU ours | CPU floor | CPU ratio |${hasBaseline ? " baseline | ratio | CPU ratio |" : ""} runs | budget windows | vendor calls | minimum | per flow | calls by operation |`,
  );
  out.push(`|---|---|---|---|---|---|---|${hasBaseline ? "---|---|---|" : ""}---|---|---|---|---|---|`);
  for (const row of r.rows) {
    const ops =
      Object.entries(row.calls.byOperation)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ") || "-";
    const failed = row.calls.failed ? ` (${row.calls.failed} failed)` : "";
    const base = hasBaseline ? ` ${cpu(row.baseline)} | ${times(row.baselineRatio)} | ${times(row.baselineCpuRatio)} |` : "";
    out.push(
      `| ${OP_LABEL[row.op]} | ${fmtSeconds(row.ours)} | ${fmtSeconds(row.floor)} | ${row.ratio.toFixed(2)}x | ${cpu(row.oursCpu)} | ${cpu(row.floorCpu)} | ${times(row.cpuRatio)} |${base} ${row.runs} | ${row.windows} | ${row.calls.total}${failed} | ${row.minimum} | ${row.calls.perFlow} | ${ops} |`,
    );
  }
  out.push("");
  out.push("Calls per flow, most common sequences (flows having it):");
  for (const row of r.rows) {
    if (!row.calls.total) continue;
    const seqs = row.calls.sequences.map((s) => `${s.count}x [${s.sequence}]`).join("; ");
    out.push(`- ${OP_LABEL[row.op]}: ${seqs}${row.calls.unattributed ? `; ${row.calls.unattributed} calls on no single flow` : ""}`);
  }
  if (r.state) {
    const s = r.state;
    out.push("");
    out.push(
      `State after the up: ours ${s.ours.exportBytes} B exported / ${s.ours.resources} resources = ${s.ours.bytesPerResource} B per resource ` +
        `(checkpoint file ${s.ours.checkpointFileBytes} B); floor ${s.floor.exportBytes} B / ${s.floor.resources} = ${s.floor.bytesPerResource} B ` +
        `(checkpoint file ${s.floor.checkpointFileBytes} B).`,
    );
    for (const [who, f] of [
      ["ours", s.ours],
      ["floor", s.floor],
    ] as const) {
      for (const [type, t] of Object.entries(f.byType)) {
        if (t.count < r.n) continue;
        const largest = Object.entries(t.largest)
          .map(([k, b]) => `${k} ${b}`)
          .join(", ");
        out.push(`- ${who} ${type}: ${t.count} x ${t.meanBytes} B (largest: ${largest})`);
      }
    }
  }
  process.stdout.write(out.join("\n") + "\n");
}

async function bench(
  o: Options,
  emu: RunningEmulator,
  binDir: string,
  root: string,
  vendor: Vendor,
  n: number,
  round: number,
): Promise<Result> {
  emu.reset();
  if (o.rateLimit) emu.addFault({ action: { kind: "rate-limit", perSecond: o.rateLimit, ms: o.latencyMs } });
  else if (o.latencyMs > 0) emu.addFault({ times: 1e9, action: { kind: "latency", ms: o.latencyMs } });
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(base)) if (k.startsWith("PULUMI_") || k.startsWith("AWS_") || k.startsWith("WHATSAPP_FLOWS_")) delete base[k];
  const env: NodeJS.ProcessEnv = {
    ...base,
    PATH: `${binDir}${path.delimiter}${process.env.PATH}`,
    PULUMI_HOME: path.join(root, "home"),
    PULUMI_CONFIG_PASSPHRASE: "bench",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
    ...(o.skipCheckpoints ? { PULUMI_SKIP_CHECKPOINTS: "true" } : {}),
    AWS_ENDPOINT_URL_SOCIALMESSAGING: emu.url,
    AWS_REGION: "us-east-1",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    WHATSAPP_FLOWS_META_BASE_URL: emu.url,
    WHATSAPP_FLOWS_360DIALOG_BASE_URL: emu.url,
    WHATSAPP_FLOWS_8X8_BASE_URL: emu.url,
    ...(vendor === "aws" ? {} : { [credentialEnv(vendor)!]: DEFAULT_CREDENTIALS[vendor] }),
    ...(o.paceMs !== undefined ? { WHATSAPP_FLOWS_BUDGET_PACE_MS: String(o.paceMs) } : {}),
    NO_COLOR: "1",
  };
  fs.mkdirSync(env.PULUMI_HOME!, { recursive: true });
  const tag = `${vendor}-${n}${round > 1 ? `-r${round}` : ""}`;
  // Every stack is profiled alike (ours and the floor), so where our extra time goes reads as a difference.
  const profiled = (who: "ours" | "baseline" | "floor"): NodeJS.ProcessEnv =>
    o.cpuProf
      ? {
          ...env,
          // Node.js refuses --cpu-prof in NODE_OPTIONS: a preloaded script profiles through the inspector instead.
          NODE_OPTIONS: `${env.NODE_OPTIONS ?? ""} --require ${path.join(ROOT, "scripts", "bench", "cpu-prof.js")}`.trim(),
          WF_CPU_PROF_DIR: path.join(o.cpuProf, tag, who),
        }
      : env;
  const ours = new Stack(`ours ${tag}`, path.join(root, tag, "ours"), "ours", profiled("ours"), o.parallel, o.pulumiArgs);
  // The other build manages flows of the emulator's other WABA (same names, no clash with ours).
  const baseline = o.baseline
    ? new Stack(`baseline ${tag}`, path.join(root, tag, "baseline"), "ours", profiled("baseline"), o.parallel, o.pulumiArgs, o.baseline)
    : undefined;
  const floor = new Stack(`floor ${tag}`, path.join(root, tag, "floor"), "floor", profiled("floor"), o.parallel, o.pulumiArgs);
  const template = flowTemplate(o.flowBytes);
  for (const s of baseline ? [ours, baseline] : [ours]) fs.writeFileSync(path.join(s.dir, "flow.json"), template);
  for (const s of [ours, baseline, floor]) await s?.ok(["stack", "select", "--create", "bench"]);
  await ours.config({ waba: ACCOUNT_REFS.dev[vendor], n, variant: "v1" });
  await baseline?.config({ waba: ACCOUNT_REFS.prod[vendor], n, variant: "v1" });
  await floor.config({ n, variant: "v1" });

  const result: Result = {
    vendor,
    n,
    round,
    latencyMs: o.latencyMs,
    rateLimit: o.rateLimit ?? null,
    metaBudget: o.metaBudget ?? null,
    parallel: o.parallel ?? null,
    flowJsonBytes: Buffer.byteLength(template.split("__BENCH__").join(`Offer ${n} v1`)),
    skipCheckpoints: o.skipCheckpoints,
    pulumiArgs: o.pulumiArgs,
    rows: [],
  };
  // Under a budget, an operation the budget stops runs again once the window has passed (emulator clock).
  const untilDone = async (stack: Stack, op: Op) => {
    let runs = 0;
    let windows = 0;
    let a: CliRun | undefined;
    const add = (r: CliRun): CliRun =>
      a ? { ...r, seconds: a.seconds + r.seconds, cpu: a.cpu !== undefined && r.cpu !== undefined ? a.cpu + r.cpu : undefined } : r;
    for (;;) {
      runs++;
      const r = await stack.op(op, true);
      if (r.code === 0) return { run: add(r), runs, windows };
      if (!/API budget .* (is used up|is nearly used up)/.test(r.output) || runs >= 50) {
        throw new Error(`${stack.label}: ${op} failed (exit ${r.code}):\n${r.output.split("\n").slice(-40).join("\n")}`);
      }
      a = add(r);
      windows++;
      emu.advanceClock(3600);
      process.stderr.write(` stopped by the budget (run ${runs}); clock +1 h…`);
    }
  };
  const ratio = (x: number | undefined, y: number | undefined) => (x !== undefined && y !== undefined && y > 0 ? x / y : undefined);
  const wanted = new Set(o.ops);
  const lastWanted = Math.max(...o.ops.map((x) => OPS.indexOf(x)));
  let deployed = false;
  for (const op of OPS) {
    const needed = wanted.has(op) || (op === "up" && lastWanted > OPS.indexOf("up")) || (op === "destroy" && deployed);
    if (!needed) continue;
    if (op === "update") {
      await ours.config({ variant: "v2" });
      await baseline?.config({ variant: "v2" });
      await floor.config({ variant: "v2" });
    }
    if (op === "metadata") {
      await ours.config({ categories: "v2" });
      await baseline?.config({ categories: "v2" });
      await floor.config({ categories: "v2" });
    }
    process.stderr.write(`[bench] ${tag}: ${op}`);
    // The baseline goes first in even rounds, so neither build always follows the other.
    let c: CliRun | undefined;
    const runBaseline = async () => {
      if (!baseline) return;
      process.stderr.write(" baseline…");
      c = (await untilDone(baseline, op)).run;
      process.stderr.write(` ${c.seconds.toFixed(1)} s;`);
    };
    if (round % 2 === 0) await runBaseline();
    const since = emu.requests().at(-1)?.seq ?? 0;
    process.stderr.write(" ours…");
    const { run: a, runs, windows } = await untilDone(ours, op);
    // Attribute calls before destroy removes flows from the listing (destroy deprecates, flows stay).
    const calls = callFigures(emu.requests({ since }), n, emu);
    process.stderr.write(` ${a.seconds.toFixed(1)} s;`);
    if (round % 2 === 1) await runBaseline();
    process.stderr.write(" floor…");
    const b = await floor.op(op);
    process.stderr.write(` ${b.seconds.toFixed(1)} s\n`);
    if (op === "up") deployed = true;
    if (op === "destroy") deployed = false;
    if (wanted.has(op))
      result.rows.push({
        op,
        ours: a.seconds,
        floor: b.seconds,
        ratio: a.seconds / b.seconds,
        oursCpu: a.cpu,
        floorCpu: b.cpu,
        cpuRatio: ratio(a.cpu, b.cpu),
        ...(c
          ? { baseline: c.seconds, baselineRatio: c.seconds / b.seconds, baselineCpu: c.cpu, baselineCpuRatio: ratio(c.cpu, b.cpu) }
          : {}),
        calls,
        runs,
        windows,
        minimum: minimumText(op, vendor, n),
      });
    if (op === "up") {
      result.state = {
        ours: stateFigures(await ours.exportState(), ours.checkpointBytes()),
        floor: stateFigures(await floor.exportState(), floor.checkpointBytes()),
      };
    }
  }
  return result;
}

/** --repeat: per (vendor, N, operation), the minimum and median of each ratio over the rounds. */
function printSummary(results: Result[]): void {
  const groups = new Map<string, Result[]>();
  for (const r of results) {
    const k = `${r.vendor}\u0000${r.n}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const stat = (xs: (number | undefined)[]) => {
    const v = xs.filter((x): x is number => x !== undefined).sort((a, b) => a - b);
    if (v.length === 0) return "-";
    const median = v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    return `${v[0].toFixed(2)}x / ${median.toFixed(2)}x`;
  };
  const withBaseline = results.some((r) => r.rows.some((row) => row.baseline !== undefined));
  const out: string[] = ["", "## Summary over the rounds: minimum / median of each ratio to the floor of the same round", ""];
  out.push(
    `| vendor | N | operation | rounds | wall ours | CPU ours |${withBaseline ? " wall baseline | CPU baseline |" : ""}`,
    `|---|---|---|---|---|---|${withBaseline ? "---|---|" : ""}`,
  );
  for (const rs of groups.values()) {
    for (const op of OPS) {
      const rows = rs.flatMap((r) => r.rows.filter((row) => row.op === op));
      if (rows.length === 0) continue;
      out.push(
        `| ${rs[0].vendor} | ${rs[0].n} | ${OP_LABEL[op]} | ${rows.length} | ${stat(rows.map((x) => x.ratio))} | ${stat(rows.map((x) => x.cpuRatio))} |` +
          (withBaseline ? ` ${stat(rows.map((x) => x.baselineRatio))} | ${stat(rows.map((x) => x.baselineCpuRatio))} |` : ""),
      );
    }
  }
  process.stdout.write(out.join("\n") + "\n");
}

async function main(): Promise<number> {
  const o = parseArgs(process.argv.slice(2));
  const binDir = execFileSync("bash", [path.join(ROOT, "scripts", "ensure-pulumi.sh")], { encoding: "utf8" })
    .trim()
    .split("\n")
    .pop()!;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "wf-bench-"));
  const emu = await startEmulator(o.metaBudget ? { metaBudget: o.metaBudget } : {});
  const results: Result[] = [];
  process.stdout.write(
    `Deployment benchmark: ${os.cpus().length} CPUs, load ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}, node ${process.version}, emulator ${emu.url}\n` +
      `Each row: ours${o.baseline ? `, the baseline (${o.baseline})` : ""}, then the floor at once (shared machine: read the ratios). ` +
      `Times are wall seconds of the whole CLI command${TIME_BIN ? "; CPU is user + system seconds of the command and its processes" : ""}.\n`,
  );
  try {
    for (const n of o.n) {
      for (let round = 1; round <= o.repeat; round++) {
        for (const vendor of o.vendors) {
          try {
            const r = await bench(o, emu, binDir, root, vendor, n, round);
            results.push(r);
            printResult(r);
          } catch (e) {
            process.stdout.write(
              `\n### ${vendor}, N = ${n}${round > 1 ? `, round ${round}` : ""}: FAILED\n${e instanceof Error ? e.message : String(e)}\n`,
            );
          }
          if (o.json) fs.writeFileSync(o.json, JSON.stringify({ options: o, results }, null, 2));
        }
      }
    }
    if (o.repeat > 1 || o.baseline) printSummary(results);
  } finally {
    await emu.close();
    if (o.keep) process.stdout.write(`\nStacks and CLI logs kept in ${root}\n`);
    else fs.rmSync(root, { recursive: true, force: true });
  }
  return results.length === o.n.length * o.vendors.length * o.repeat ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (e) => {
    console.error(`bench:deploy failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  },
);
