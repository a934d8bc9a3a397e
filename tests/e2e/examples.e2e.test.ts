/**
 * The examples as users run them (examples/{aws,meta,360dialog,8x8,endpoint,templates}): each folder copied on
 * its own into a new directory outside this repository, the `npm pack` tarball installed there with
 * the folder's own package.json, compiled with the folder's own tsconfig.json and the project's `tsc`,
 * then the real `pulumi up` (the Pulumi.yaml defaults point at the emulator's "dev" accounts) and
 * `pulumi destroy` against the emulator. A path that leaves the example folder fails here.
 *
 * One `npm install` serves all six: the first example is installed for real; the others have the same
 * dependencies (asserted) and link its node_modules,  so the test costs one install, not six.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_CREDENTIALS, DEV_WABA_ID, startEmulator, type RunningEmulator } from "../../emulator";
import { Checkout, expectOk, REPO, sdkVersion, Workspace } from "./harness";

interface Ran {
  code: number;
  output: string;
}

/** Runs a command without blocking this process (the emulator serves from it). */
function run(cmd: string, args: string[], cwd: string): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: process.env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, output }));
  });
}

async function ok(cmd: string, args: string[], cwd: string): Promise<string> {
  const r = await run(cmd, args, cwd);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.code}):\n${r.output}`);
  return r.output;
}

const EXAMPLES = ["aws", "meta", "360dialog", "8x8", "endpoint", "templates"] as const;
type Example = (typeof EXAMPLES)[number];

/** What each example deploys with its Pulumi.yaml defaults (plus the config its README asks for). */
const EXPECTED: Record<Example, { config?: Record<string, string>; flows: string[]; outputs: (ids: Record<string, string>) => object }> = {
  aws: {
    flows: ["newsletter-signup", "contact-us"],
    outputs: (ids) => ({ flowIds: { signup: ids["newsletter-signup"], contactUs: ids["contact-us"] } }),
  },
  meta: {
    flows: ["newsletter-signup", "contact-us"],
    outputs: (ids) => ({ flowIds: { signup: ids["newsletter-signup"], contactUs: ids["contact-us"] } }),
  },
  "360dialog": {
    flows: ["newsletter-signup", "contact-us"],
    outputs: (ids) => ({ flowIds: { signup: ids["newsletter-signup"], contactUs: ids["contact-us"] } }),
  },
  "8x8": {
    flows: ["newsletter-signup", "contact-us"],
    outputs: (ids) => ({ flowIds: { signup: ids["newsletter-signup"], contactUs: ids["contact-us"] } }),
  },
  // Meta publishes an endpoint flow only with a connected app (the example's README sets one).
  endpoint: {
    config: { applicationId: "900000000000042" },
    flows: ["appointment-booking"],
    outputs: (ids) => ({ flowId: ids["appointment-booking"], endpointUri: "https://api.example.com/whatsapp/flows" }),
  },
  // A flow and the message template that sends it (Meta), approved by the emulator's review.
  templates: {
    flows: ["newsletter-signup"],
    outputs: (ids) => ({
      flowIds: { signup: ids["newsletter-signup"] },
      template: { name: "signup_invite", status: "APPROVED", flowIds: [ids["newsletter-signup"]] },
    }),
  },
};

let emu: RunningEmulator;
let ws: Workspace;
let root: string;
let installed: string | undefined;
let tarball: string;

beforeAll(async () => {
  emu = await startEmulator();
  ws = new Workspace(emu.url, "dev", {
    WHATSAPP_FLOWS_META_TOKEN: DEFAULT_CREDENTIALS.meta,
    WHATSAPP_FLOWS_360DIALOG_API_KEY: DEFAULT_CREDENTIALS["360dialog"],
    WHATSAPP_FLOWS_8X8_API_KEY: DEFAULT_CREDENTIALS["8x8"],
  });
  root = path.join(ws.root, "user-projects");
  fs.mkdirSync(root);
  // The tarball, as `npm publish` would make it (dist/ is built by the test setup).
  const packed = JSON.parse(await ok("npm", ["pack", "--json", "--pack-destination", ws.root], REPO).then((o) => o.slice(o.indexOf("["))));
  tarball = path.join(ws.root, packed[0].filename);
});
afterAll(async () => {
  await emu.close();
  ws.dispose();
});
beforeEach(() => emu.reset());

/** A copy of the example folder as a user takes it: its tracked files only (no node_modules, no build output). */
function copyExample(name: Example): string {
  const from = path.join(REPO, "examples", name);
  const dir = path.join(root, name);
  fs.cpSync(from, dir, {
    recursive: true,
    filter: (src) => !/(^|\/)(node_modules|index\.js(\.map)?)$/.test(path.relative(from, src)),
  });
  return dir;
}

const deps = (dir: string) => {
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  return { dependencies: pkg.dependencies, devDependencies: pkg.devDependencies };
};

test.each(EXAMPLES)("examples/%s copied into a new project: npm install, npm run build, pulumi up, destroy", async (name) => {
  const dir = copyExample(name);
  // Nothing in the folder reaches outside it (the flows it deploys are beside its program).
  expect(fs.readFileSync(path.join(dir, "index.ts"), "utf8")).not.toMatch(/\.\.\/|"\.\."/);

  if (!installed) {
    // `npm install <tarball>` as a user does before the package is published; the Pulumi SDK pinned to
    // the version under test (the newest @pulumi/pulumi needs Node.js 22; on Node.js 20 users pin 3.248).
    await ok("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball, `@pulumi/pulumi@${sdkVersion()}`], dir);
    expect(fs.lstatSync(path.join(dir, "node_modules", "whatsapp-flows")).isSymbolicLink()).toBe(false);
    installed = dir;
  } else {
    // Same dependencies as the installed example (the tarball replaces the registry range there).
    expect(deps(dir)).toEqual(deps(path.join(REPO, "examples", EXAMPLES[0])));
    fs.symlinkSync(path.join(installed, "node_modules"), path.join(dir, "node_modules"));
  }
  await ok("npm", ["run", "build"], dir);
  expect(fs.existsSync(path.join(dir, "index.js"))).toBe(true);

  const c = new Checkout(ws, dir);
  await c.ok(["stack", "select", "--create", `dev-${name}`]);
  if (EXPECTED[name].config) await c.setConfig(EXPECTED[name].config!);
  expectOk(await c.up());
  const flows = emu.flows();
  expect(flows.map((f) => [f.name, f.status]).sort()).toEqual(EXPECTED[name].flows.map((n) => [n, "PUBLISHED"]).sort());
  // Each vendor example deploys into that vendor's "dev" account (the Pulumi.yaml defaults).
  const vendor = name === "endpoint" || name === "templates" ? "meta" : name;
  expect(flows.every((f) => f.wabaId === DEV_WABA_ID)).toBe(true);
  const ids = Object.fromEntries(flows.map((f) => [f.name, f.flowId]));
  expect(await c.outputs()).toMatchObject(EXPECTED[name].outputs(ids));
  expect(emu.requests().every((r) => r.vendor === vendor)).toBe(true);
  if (name === "templates") {
    // Installed from the tarball, the template's provider is a `require` of its shim (the state contract), and
    // the Flow JSON the template's checks read is not kept in its state.
    const resources: any[] = (await c.exportStack()).deployment.resources;
    const template = resources.find((r) => String(r.urn).endsWith("::signup-invite"));
    expect(template.inputs.__provider).toMatch(/require\("whatsapp-flows\/dist\/sdk\/shims\/message-template(\.js)?"\)/);
    expect(template.inputs.flowJson).toBeUndefined();
    expect(template.outputs).toMatchObject({ status: "APPROVED", liveName: "signup_invite" });
  }

  expectOk(await c.destroy());
  expect(emu.flows().map((f) => f.status)).toEqual(EXPECTED[name].flows.map(() => "DEPRECATED"));
  expect(emu.templates()).toEqual([]);
});
