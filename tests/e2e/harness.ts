/**
 * Drives real Pulumi programs with the real Pulumi CLI in child processes (never inside jest's module
 * system, which breaks closure serialization), against the emulator running in this process.
 * Every run is offline: local file:// backend, passphrase secrets, no update checks, no plugin downloads.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { credentialEnv, VENDOR_NAMES, type VendorName } from "../../provider/vendors/registry";

export const REPO = path.resolve(__dirname, "..", "..");

let pulumiBinDir: string | undefined;
export function pulumiBin(): string {
  if (!pulumiBinDir) {
    pulumiBinDir = execFileSync("bash", [path.join(REPO, "scripts", "ensure-pulumi.sh")], { encoding: "utf8" })
      .trim()
      .split("\n")
      .pop()!;
  }
  return pulumiBinDir;
}

/**
 * Where program checkouts take their node_modules from: this repository's, or, with
 * WF_PULUMI_SDK_MODULES set (.ci/run's second toolchain), that folder's entries first (another
 * @pulumi/pulumi and its dependencies, installed in a prefix of its own) and this repository's for the rest.
 */
export const SDK_MODULES = process.env.WF_PULUMI_SDK_MODULES ? path.resolve(process.env.WF_PULUMI_SDK_MODULES) : undefined;

/** Fills `dir` with symlinks to the node_modules entries programs see (never whatsapp-flows itself). */
export function linkModules(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const sources = [SDK_MODULES, path.join(REPO, "node_modules")].filter((d): d is string => !!d);
  for (const from of sources) {
    for (const entry of fs.readdirSync(from)) {
      if (entry === "whatsapp-flows" || entry.startsWith(".") || fs.existsSync(path.join(dir, entry))) continue;
      if (sources.length > 1 && entry.startsWith("@")) {
        // A scope both may have (@grpc, @opentelemetry…): merged package by package, the SDK's first.
        fs.mkdirSync(path.join(dir, entry));
        for (const s of sources) {
          if (!fs.existsSync(path.join(s, entry))) continue;
          for (const pkg of fs.readdirSync(path.join(s, entry))) {
            if (!fs.existsSync(path.join(dir, entry, pkg))) fs.symlinkSync(path.join(s, entry, pkg), path.join(dir, entry, pkg));
          }
        }
        continue;
      }
      fs.symlinkSync(path.join(from, entry), path.join(dir, entry));
    }
  }
}

/** The @pulumi/pulumi version programs run with. */
export function sdkVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(SDK_MODULES ?? path.join(REPO, "node_modules"), "@pulumi", "pulumi", "package.json"), "utf8"))
    .version;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout + stderr, for assertions on what a user sees. */
  output: string;
}

/** Waits for a child process and returns what it printed. */
function collect(child: ChildProcess): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d) => (stdout += d));
    child.stderr!.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr, output: stdout + stderr }));
  });
}

/**
 * A checkout of a program: its own folder (a "clone") with node_modules resolving whatsapp-flows to
 * `packageRoot`, sharing a state backend and PULUMI_HOME with other checkouts of the same Workspace.
 */
export class Checkout {
  constructor(
    readonly workspace: Workspace,
    readonly dir: string,
  ) {}

  run(args: string[], extraEnv: Record<string, string> = {}): Promise<RunResult> {
    return collect(
      spawn("pulumi", args, { cwd: this.dir, env: { ...this.workspace.env(), ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] }),
    );
  }

  /** Runs node with these arguments in the checkout (e.g. the package's CLI), with the same environment. */
  runNode(args: string[]): Promise<RunResult> {
    return collect(spawn(process.execPath, args, { cwd: this.dir, env: this.workspace.env(), stdio: ["ignore", "pipe", "pipe"] }));
  }

  async ok(args: string[], extraEnv?: Record<string, string>): Promise<RunResult> {
    const r = await this.run(args, extraEnv);
    if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} failed (${r.code}):\n${r.output}`);
    return r;
  }

  async setConfig(values: Record<string, unknown>): Promise<void> {
    for (const [k, v] of Object.entries(values)) {
      await this.ok(["config", "set", k, typeof v === "string" ? v : JSON.stringify(v)]);
    }
  }

  up(extraEnv?: Record<string, string>): Promise<RunResult> {
    return this.run(["up", "--yes", "--skip-preview", "--non-interactive", "--diff"], extraEnv);
  }
  preview(extra: string[] = []): Promise<RunResult> {
    return this.run(["preview", "--non-interactive", "--diff", ...extra]);
  }
  refresh(): Promise<RunResult> {
    return this.run(["refresh", "--yes", "--skip-preview", "--non-interactive"]);
  }
  destroy(): Promise<RunResult> {
    return this.run(["destroy", "--yes", "--skip-preview", "--non-interactive"]);
  }
  async outputs(): Promise<Record<string, any>> {
    return JSON.parse((await this.ok(["stack", "output", "--json", "--show-secrets"])).stdout);
  }
  async exportStack(): Promise<any> {
    return JSON.parse((await this.ok(["stack", "export", "--show-secrets"])).stdout);
  }
  async importStack(deployment: any): Promise<void> {
    const file = path.join(this.workspace.root, `import-${Date.now()}.json`);
    fs.writeFileSync(file, JSON.stringify(deployment));
    await this.ok(["stack", "import", "--file", file]);
  }
}

export class Workspace {
  readonly root: string;
  private checkouts = 0;

  constructor(
    readonly emulatorUrl: string,
    readonly stack = "dev",
    /** Vendor credentials in the environment (each vendor's documented variable). */
    readonly credentials: Record<string, string> = {},
  ) {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), "wf-e2e-"));
    fs.mkdirSync(path.join(this.root, "home"));
    fs.mkdirSync(path.join(this.root, "state"));
  }

  env(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith("PULUMI_") || k.startsWith("AWS_") || k.startsWith("WHATSAPP_FLOWS_")) delete env[k];
    return {
      ...env,
      PATH: `${pulumiBin()}${path.delimiter}${process.env.PATH}`,
      PULUMI_HOME: path.join(this.root, "home"),
      PULUMI_BACKEND_URL: `file://${path.join(this.root, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: "e2e",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_SKIP_CONFIRMATIONS: "true",
      AWS_ENDPOINT_URL_SOCIALMESSAGING: this.emulatorUrl,
      AWS_REGION: "us-east-1",
      // Every other vendor's base URL points at the same emulator; keys are the emulator's (or a test's canary).
      WHATSAPP_FLOWS_360DIALOG_BASE_URL: this.emulatorUrl,
      WHATSAPP_FLOWS_8X8_BASE_URL: this.emulatorUrl,
      WHATSAPP_FLOWS_META_BASE_URL: this.emulatorUrl,
      ...this.credentials,
      // Fast, deterministic retries against the emulator.
      AWS_MAX_ATTEMPTS: "3",
      NO_COLOR: "1",
    };
  }

  /**
   * A fresh copy of program `name` at a new path. With `packageCopy`, whatsapp-flows itself is also a
   * separate copy at another path (a second clone of this repository), not this repository.
   */
  async checkout(name: string, opts: { packageCopy?: boolean; init?: boolean; from?: string } = {}): Promise<Checkout> {
    const dir = path.join(this.root, `clone-${++this.checkouts}`, name);
    fs.mkdirSync(dir, { recursive: true });
    fs.cpSync(opts.from ?? path.join(REPO, "tests", "e2e", "programs", name), dir, { recursive: true });
    fs.cpSync(path.join(REPO, "tests", "e2e", "fixtures"), path.join(dir, "fixtures"), { recursive: true });
    const modules = path.join(dir, "node_modules");
    linkModules(modules);
    let packageRoot = REPO;
    // With another SDK, the package must be a copy too: from this repository it would load this
    // repository's @pulumi/pulumi, a second copy of the SDK beside the program's.
    if (opts.packageCopy || SDK_MODULES) {
      packageRoot = path.join(this.root, `clone-${this.checkouts}`, "whatsapp-flows");
      fs.mkdirSync(packageRoot);
      fs.cpSync(path.join(REPO, "dist"), path.join(packageRoot, "dist"), { recursive: true });
      fs.copyFileSync(path.join(REPO, "package.json"), path.join(packageRoot, "package.json"));
      if (SDK_MODULES) linkModules(path.join(packageRoot, "node_modules"));
      else fs.symlinkSync(path.join(REPO, "node_modules"), path.join(packageRoot, "node_modules"));
    }
    fs.symlinkSync(packageRoot, path.join(modules, "whatsapp-flows"));
    const checkout = new Checkout(this, dir);
    if (opts.init !== false) await checkout.ok(["stack", "select", "--create", this.stack]);
    return checkout;
  }

  dispose(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** Resource outputs by logical name from an exported deployment. */
export function resourcesOf(deployment: any): Record<string, any> {
  const out: Record<string, any> = {};
  for (const r of deployment.deployment.resources ?? []) {
    const name = String(r.urn).split("::").pop()!;
    out[name] = r;
  }
  return out;
}

export type E2eVendor = VendorName;

/** The environment variable carrying each HTTP vendor's credential, from the registry. */
export const CREDENTIAL_ENV = Object.fromEntries(
  VENDOR_NAMES.flatMap((v) => (v !== "aws" && credentialEnv(v) ? [[v, credentialEnv(v)!]] : [])),
) as Record<Exclude<E2eVendor, "aws">, string>;

/**
 * The per-file setup every end-to-end suite shares: one emulator for the file, a fresh Workspace
 * (state backend, PULUMI_HOME) per test, and the questions tests ask the emulator. `vendor` picks
 * the account reference the program's stack config gets; `canary` is the credential the emulator
 * accepts and the environment carries (a distinctive value tests search for in state and output).
 */
export function e2eSuite(vendor: E2eVendor = "aws", opts: { canary?: string } = {}) {
  const emulator = require("../../emulator") as typeof import("../../emulator");
  const credential = vendor === "aws" ? undefined : (opts.canary ?? emulator.DEFAULT_CREDENTIALS[vendor]);
  const waba = emulator.ACCOUNT_REFS.dev[vendor];
  const prodWaba = emulator.ACCOUNT_REFS.prod[vendor];
  const inDev = (f: { wabaId: string }) => f.wabaId === emulator.DEV_WABA_ID;
  const suite = {
    vendor,
    waba,
    prodWaba,
    credential,
    emu: undefined as unknown as import("../../emulator").RunningEmulator,
    ws: undefined as unknown as Workspace,
    /** A checkout of tests/e2e/programs/flows with its stack configured for the dev account. */
    async program(flows: object[], opts: { packageCopy?: boolean } = {}): Promise<Checkout> {
      const c = await suite.ws.checkout("flows", opts);
      await c.setConfig({ waba, flows });
      return c;
    },
    /** Flows of the dev account with exactly this name. */
    flowNamed: (name: string) => suite.emu.flows().filter((f) => inDev(f) && f.name === name),
    /** Flows of the dev account of this declared name's family (`name`, `name (v2)`, …). */
    family: (name: string) => suite.emu.flows().filter((f) => inDev(f) && (f.name === name || f.name.startsWith(`${name} (v`))),
    /** The one PUBLISHED member of a family (fails the test when there is not exactly one). */
    liveOf: (name: string) => {
      const live = suite.family(name).filter((f) => f.status === "PUBLISHED");
      if (live.length !== 1)
        throw new Error(
          `expected one live flow named ${name}, found ${live.length}: ${JSON.stringify(suite.family(name).map((f) => [f.name, f.status]))}`,
        );
      return live[0];
    },
    /** The request-log sequence number of the last vendor call so far. */
    lastSeq: () => suite.emu.requests().at(-1)?.seq ?? 0,
    /** Operations the provider sent after `since` (the vendor's own names). */
    opsSince: (since: number) =>
      suite.emu
        .requests()
        .filter((r) => r.seq > since)
        .map((r) => r.operation),
    /** Vendor-neutral actions the provider sent after `since` (create, upload, publish, deprecate, …). */
    actionsSince: (since: number) =>
      suite.emu
        .requests()
        .filter((r) => r.seq > since)
        .map((r) => r.action),
  };
  beforeAll(async () => {
    suite.emu = await emulator.startEmulator(credential ? { credentials: { [vendor]: credential } } : {});
  });
  afterAll(() => suite.emu.close());
  beforeEach(() => {
    suite.ws = new Workspace(suite.emu.url, "dev", vendor === "aws" || !credential ? {} : { [CREDENTIAL_ENV[vendor]]: credential });
  });
  afterEach(() => suite.ws.dispose());
  return suite;
}

/** Fails the test with what the command printed (the last part) when it did not succeed. */
export function expectOk(r: RunResult): RunResult {
  if (r.code !== 0) throw new Error(`command failed (exit ${r.code}); it printed:\n${r.output.slice(-8000)}`);
  return r;
}
