/**
 * Fault matrix of a cancelled job (issue 17, item 3): `npm run bench:kill -- [options]`.
 *
 * Per vendor, in a fresh temp folder (offline file backend, own PULUMI_HOME), against the emulator in
 * this process: N published `WhatsAppFlow`s (scripts/bench/ours) are deployed; then a JSON change of every
 * flow runs with `--latency-ms` on every vendor call, and once `--kill-after` JSON writes (uploads, and
 * the creates of replacing vendors) have reached the vendor, the job is killed as a CI runner cancels
 * one: `kill -9` of the CLI's process group (the provider host, in a group of its own, survives).
 * Reported per vendor:
 *   - not live at +2 s: declared flows with no PUBLISHED version 2 s after the kill (a DRAFT left by an
 *     upload whose publish never came; on replacing vendors the old flow stays live, so 0 is expected);
 *   - not live after exit: the same once every process of the run has exited;
 *   - provider exit: seconds from the kill until no provider process of the run is left;
 *   - calls after kill: vendor calls that arrived after the kill (the provider's, until it saw the engine
 *     gone, then the sections it finished), by action.
 *
 * Options:
 *   --n 20                  flows per vendor (default 20)
 *   --vendors aws,meta      vendors (aws, meta, 360dialog, 8x8; default all four)
 *   --latency-ms 300        latency of every vendor call during the killed run (default 300)
 *   --kill-after K          JSON writes at the vendor before the kill (default N/2)
 *   --grace-ms G            WHATSAPP_FLOWS_KILL_GRACE_MS for the provider (0: exit as soon as the engine
 *                           is seen gone, finishing nothing); default: the provider's own (10 s)
 *   --package DIR           the whatsapp-flows build to run (a folder with package.json and dist/; e.g. an
 *                           older commit built with `tsc`): compare before/after a change; default this one
 *   --json FILE             also write the figures as JSON
 *   --keep                  keep the temp folder and print its path
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ACCOUNT_REFS, DEFAULT_CREDENTIALS, startEmulator, type RunningEmulator } from "../emulator";

const ROOT = path.resolve(__dirname, "..", "..");
const VENDORS = ["aws", "meta", "360dialog", "8x8"] as const;
type Vendor = (typeof VENDORS)[number];
const CREDENTIAL_ENV: Record<Exclude<Vendor, "aws">, string> = {
  meta: "WHATSAPP_FLOWS_META_TOKEN",
  "360dialog": "WHATSAPP_FLOWS_360DIALOG_API_KEY",
  "8x8": "WHATSAPP_FLOWS_8X8_API_KEY",
};

interface Options {
  n: number;
  vendors: Vendor[];
  latencyMs: number;
  killAfter?: number;
  graceMs?: number;
  packageRoot: string;
  json?: string;
  keep: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { n: 20, vendors: [...VENDORS], latencyMs: 300, packageRoot: ROOT, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--n") o.n = Number(next());
    else if (a === "--vendors") o.vendors = next().split(",").filter(Boolean) as Vendor[];
    else if (a === "--latency-ms") o.latencyMs = Number(next());
    else if (a === "--kill-after") o.killAfter = Number(next());
    else if (a === "--grace-ms") o.graceMs = Number(next());
    else if (a === "--package") o.packageRoot = path.resolve(next());
    else if (a === "--json") o.json = next();
    else if (a === "--keep") o.keep = true;
    else throw new Error(`unknown option ${a}`);
  }
  for (const v of o.vendors) if (!VENDORS.includes(v)) throw new Error(`unknown vendor ${v}`);
  return o;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Processes whose working directory is `dir` (the CLI, the language host, the provider). */
function processesIn(dir: string): Array<{ pid: number; cmdline: string }> {
  const out: Array<{ pid: number; cmdline: string }> = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readlinkSync(`/proc/${entry}/cwd`) !== dir) continue;
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")) continue;
      out.push({ pid: Number(entry), cmdline: fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ") });
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}
const isProvider = (p: { cmdline: string }) => /cmd[\\/]dynamic-provider|pulumi-resource-pulumi-nodejs/.test(p.cmdline);

function run(dir: string, env: NodeJS.ProcessEnv, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", args, { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, output }));
  });
}
async function ok(dir: string, env: NodeJS.ProcessEnv, args: string[]): Promise<string> {
  const r = await run(dir, env, args);
  if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} failed (${r.code}):\n${r.output.slice(-4000)}`);
  return r.output;
}

interface Figures {
  vendor: Vendor;
  n: number;
  killedAfterWrites: number;
  notLiveAt2s: number;
  notLiveAfterExit: number;
  providerExitSeconds: number | null;
  callsAfterKill: Record<string, number>;
}

async function measure(emu: RunningEmulator, o: Options, vendor: Vendor, root: string, binDir: string): Promise<Figures> {
  emu.reset();
  const dir = path.join(root, vendor, "program");
  fs.mkdirSync(path.join(root, vendor, "state"), { recursive: true });
  fs.mkdirSync(path.join(root, vendor, "home"), { recursive: true });
  fs.cpSync(path.join(ROOT, "scripts", "bench", "ours"), dir, { recursive: true });
  // node_modules as in a user's project, with a copy of the chosen whatsapp-flows build (as bench-deploy does).
  const modules = path.join(dir, "node_modules");
  fs.mkdirSync(modules);
  for (const entry of fs.readdirSync(path.join(ROOT, "node_modules"))) {
    if (entry === "whatsapp-flows" || entry.startsWith(".")) continue;
    fs.symlinkSync(path.join(ROOT, "node_modules", entry), path.join(modules, entry));
  }
  const pkg = path.join(modules, "whatsapp-flows");
  fs.mkdirSync(pkg);
  fs.copyFileSync(path.join(o.packageRoot, "package.json"), path.join(pkg, "package.json"));
  for (const d of ["sdk", "provider", "emulator"])
    fs.cpSync(path.join(o.packageRoot, "dist", d), path.join(pkg, "dist", d), { recursive: true });
  const template = fs
    .readFileSync(path.join(ROOT, "tests", "e2e", "fixtures", "signup-v1.json"), "utf8")
    .replace("Get our weekly offers", "__BENCH__");
  fs.writeFileSync(path.join(dir, "flow.json"), template);

  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(base)) if (k.startsWith("PULUMI_") || k.startsWith("AWS_") || k.startsWith("WHATSAPP_FLOWS_")) delete base[k];
  const env: NodeJS.ProcessEnv = {
    ...base,
    PATH: `${binDir}${path.delimiter}${process.env.PATH}`,
    PULUMI_HOME: path.join(root, vendor, "home"),
    PULUMI_BACKEND_URL: `file://${path.join(root, vendor, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: "kill",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
    AWS_ENDPOINT_URL_SOCIALMESSAGING: emu.url,
    AWS_REGION: "us-east-1",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    WHATSAPP_FLOWS_META_BASE_URL: emu.url,
    WHATSAPP_FLOWS_360DIALOG_BASE_URL: emu.url,
    WHATSAPP_FLOWS_8X8_BASE_URL: emu.url,
    ...(vendor === "aws" ? {} : { [CREDENTIAL_ENV[vendor]]: DEFAULT_CREDENTIALS[vendor] }),
    ...(o.graceMs !== undefined ? { WHATSAPP_FLOWS_KILL_GRACE_MS: String(o.graceMs) } : {}),
    NO_COLOR: "1",
  };
  await ok(dir, env, ["stack", "select", "--create", "dev"]);
  for (const [k, v] of Object.entries({ waba: ACCOUNT_REFS.dev[vendor], n: o.n, variant: "v1" }))
    await ok(dir, env, ["config", "set", k, String(v)]);
  await ok(dir, env, ["up", "--yes", "--skip-preview", "--non-interactive"]);
  await ok(dir, env, ["config", "set", "variant", "v2"]);

  const keys = Array.from({ length: o.n }, (_, i) => `bench-${String(i).padStart(4, "0")}`);
  const notLive = () => {
    const flows = emu.flows();
    return keys.filter((k) => !flows.some((f) => (f.name === k || f.name.startsWith(`${k} (v`)) && f.status === "PUBLISHED")).length;
  };
  if (notLive() !== 0) throw new Error(`${vendor}: the first up left flows not live`);

  if (o.latencyMs > 0) emu.addFault({ times: 1e9, action: { kind: "latency", ms: o.latencyMs } });
  const newest = () => Math.max(0, ...emu.requests().map((r) => r.seq));
  const start = newest();
  const jsonWrites = () => emu.requests().filter((r) => r.seq > start && (r.action === "upload" || r.action === "create")).length;
  const killAfter = o.killAfter ?? Math.ceil(o.n / 2);
  const cli = spawn("pulumi", ["up", "--yes", "--skip-preview", "--non-interactive"], {
    cwd: dir,
    env,
    stdio: ["ignore", "ignore", "ignore"],
    detached: true,
  });
  const exited = new Promise((r) => cli.on("close", r));
  // The log lists a request once answered: the kill comes when K JSON writes were answered, with the
  // ones after them (their publishes, other flows' uploads) in flight.
  const deadline = Date.now() + 300_000;
  while (jsonWrites() < killAfter) {
    if (Date.now() > deadline) throw new Error(`${vendor}: the run never reached ${killAfter} JSON writes`);
    await sleep(20);
  }
  const killTime = Date.now();
  process.kill(-cli.pid!, "SIGKILL");
  await exited;
  const killedAt = Date.now();
  let providerExitSeconds: number | null = null;
  const watching = (async () => {
    while (Date.now() - killedAt < 20_000) {
      if (processesIn(dir).filter(isProvider).length === 0) {
        providerExitSeconds = (Date.now() - killedAt) / 1000;
        return;
      }
      await sleep(50);
    }
  })();
  await sleep(2000);
  const notLiveAt2s = notLive();
  await watching;
  for (const p of processesIn(dir)) {
    try {
      process.kill(p.pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
  await sleep(o.latencyMs + 200); // calls still in flight at the vendor land
  emu.clearFaults();
  const callsAfterKill: Record<string, number> = {};
  for (const r of emu.requests()) if (Date.parse(r.time) > killTime) callsAfterKill[r.action] = (callsAfterKill[r.action] ?? 0) + 1;
  return { vendor, n: o.n, killedAfterWrites: killAfter, notLiveAt2s, notLiveAfterExit: notLive(), providerExitSeconds, callsAfterKill };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const binDir = execFileSync("bash", [path.join(ROOT, "scripts", "ensure-pulumi.sh")], { encoding: "utf8" })
    .trim()
    .split("\n")
    .pop()!;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "wf-kill-"));
  const emu = await startEmulator();
  const figures: Figures[] = [];
  try {
    for (const vendor of o.vendors) {
      const f = await measure(emu, o, vendor, root, binDir);
      figures.push(f);
      const calls = Object.entries(f.callsAfterKill)
        .map(([a, c]) => `${a} ${c}`)
        .join(", ");
      console.log(
        `${vendor.padEnd(9)} N=${f.n} killed after ${f.killedAfterWrites} JSON writes: not live at +2 s ${f.notLiveAt2s}, after exit ${f.notLiveAfterExit}; ` +
          `provider exit ${f.providerExitSeconds === null ? "> 20 s" : `${f.providerExitSeconds.toFixed(1)} s`}; calls after the kill: ${calls || "none"}`,
      );
    }
  } finally {
    await emu.close();
    if (o.keep) console.log(`kept ${root}`);
    else fs.rmSync(root, { recursive: true, force: true });
  }
  if (o.json)
    fs.writeFileSync(
      o.json,
      JSON.stringify({ options: { ...o, packageRoot: path.relative(ROOT, o.packageRoot) || "." }, figures }, null, 2),
    );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
