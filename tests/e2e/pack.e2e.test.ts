/**
 * Installed as users install it: `npm pack`, a new empty Pulumi TypeScript project outside this
 * repository, the tarball and @pulumi/pulumi installed there from the npm registry (or npm's cache), a
 * typed program compiled with that project's `tsc`, then the real `pulumi up`, a no-change preview and
 * `destroy` against the emulator, and the `whatsapp-flows` command through `npx`. This checks what no
 * other test does: the `files` list, the `bin` entry, the type declarations and the peer dependency.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { DEV_WABA_ID } from "../../emulator";
import { Checkout, e2eSuite, REPO, sdkVersion } from "./harness";

const suite = e2eSuite();

interface Ran {
  code: number;
  output: string;
}

/** Runs a command without blocking this process (the emulator serves from it). */
function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, output }));
  });
}

async function ok(cmd: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<string> {
  const r = await run(cmd, args, cwd, env);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.code}):\n${r.output}`);
  return r.output;
}

const versionOf = (pkg: string) => JSON.parse(fs.readFileSync(path.join(REPO, "node_modules", pkg, "package.json"), "utf8")).version;

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { WhatsAppFlow, type WhatsAppFlowArgs, type FlowStatus } from "whatsapp-flows";

const config = new pulumi.Config();
const args: WhatsAppFlowArgs = {
  waba: config.require("waba"),
  name: "pack-signup",
  categories: ["SIGN_UP"],
  file: "flows/signup.json",
};
const signup = new WhatsAppFlow("signup", args);
const status: pulumi.Output<FlowStatus> = signup.status;

export const flowId = signup.flowId;
export const flowStatus = status;
`;

test("npm pack → a new Pulumi TypeScript project installs the tarball, compiles a typed program, and up / preview / destroy work", async () => {
  const project = path.join(suite.ws.root, "user-project");
  fs.mkdirSync(path.join(project, "flows"), { recursive: true });
  const t0 = Date.now();
  const step = (what: string) => process.stderr.write(`[pack test] ${what} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);

  // The tarball, as `npm publish` would make it (dist/ is built by the test setup).
  const packed = JSON.parse(
    await ok("npm", ["pack", "--json", "--pack-destination", suite.ws.root], REPO).then((o) => o.slice(o.indexOf("["))),
  );
  const tarball = path.join(suite.ws.root, packed[0].filename);
  const files: string[] = packed[0].files.map((f: { path: string }) => f.path);
  expect(files).toEqual(
    expect.arrayContaining([
      "package.json",
      "README.md",
      "dist/sdk/index.js",
      "dist/sdk/index.d.ts",
      "dist/provider/runtime.js",
      "dist/bin/whatsapp-flows.js",
    ]),
  );
  // No tests, test helpers, sources or build-only leftovers in what users download.
  expect(
    files.filter((f) =>
      /\.test\.|test-helpers|^(sdk|provider|emulator|bin|tests|scripts\/language-host|examples)\/|^dist\/(scripts|examples|tests)\//.test(
        f,
      ),
    ),
  ).toEqual([]);
  step(`packed ${packed[0].filename}: ${files.length} files, ${packed[0].size} bytes`);

  // A new, empty Pulumi TypeScript project, like the official template (compiled with tsc here: the
  // language host our machines have runs JavaScript).
  fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: pack-user\nruntime: nodejs\nmain: index.js\n");
  fs.writeFileSync(
    path.join(project, "tsconfig.json"),
    JSON.stringify(
      {
        compilerOptions: {
          strict: true,
          target: "ES2022",
          module: "commonjs",
          moduleResolution: "node",
          esModuleInterop: true,
          types: ["node"],
        },
        files: ["index.ts"],
      },
      null,
      2,
    ),
  );
  fs.writeFileSync(path.join(project, "index.ts"), PROGRAM);
  fs.copyFileSync(path.join(REPO, "tests", "e2e", "fixtures", "signup-v1.json"), path.join(project, "flows", "signup.json"));
  fs.copyFileSync(path.join(REPO, "tests", "e2e", "fixtures", "broken.json"), path.join(project, "flows", "broken.json"));

  // What `npm install <tarball> @pulumi/pulumi` and `npm install -D typescript @types/node` record.
  const pkg = {
    name: "pack-user",
    private: true,
    main: "index.js",
    dependencies: { "@pulumi/pulumi": sdkVersion(), "whatsapp-flows": `file:${tarball}` },
    devDependencies: { typescript: versionOf("typescript"), "@types/node": versionOf("@types/node") },
  };
  fs.writeFileSync(path.join(project, "package.json"), JSON.stringify(pkg, null, 2));
  await ok("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], project);
  step("installed the tarball, @pulumi/pulumi, typescript and @types/node");
  // A real install: no link back into this repository.
  expect(fs.lstatSync(path.join(project, "node_modules", "whatsapp-flows")).isSymbolicLink()).toBe(false);
  expect(JSON.parse(fs.readFileSync(path.join(project, "node_modules", "whatsapp-flows", "package.json"), "utf8")).version).toBe(
    JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).version,
  );

  // Types: the program type-checks against the installed declarations (no skipLibCheck, as in
  // Pulumi's template), and a wrong category does not.
  await ok("node", [path.join(project, "node_modules", "typescript", "bin", "tsc"), "-p", "."], project);
  expect(fs.existsSync(path.join(project, "index.js"))).toBe(true);
  fs.writeFileSync(
    path.join(project, "wrong.ts"),
    `import { WhatsAppFlow } from "whatsapp-flows";\nnew WhatsAppFlow("x", { waba: "w", categories: ["NOT_A_CATEGORY"], file: "f" });\n`,
  );
  const wrong = await run(
    "node",
    [
      path.join(project, "node_modules", "typescript", "bin", "tsc"),
      "--noEmit",
      "--strict",
      "--skipLibCheck",
      "--types",
      "node",
      "wrong.ts",
    ],
    project,
  );
  expect(wrong.code).not.toBe(0);
  expect(wrong.output).toMatch(/NOT_A_CATEGORY/);
  fs.rmSync(path.join(project, "wrong.ts"));
  step("compiled with tsc");

  // The command, through npx from the project (the `bin` entry and its shebang).
  const valid = await run("npx", ["--no-install", "whatsapp-flows", "validate", "flows/signup.json"], project);
  expect(valid).toMatchObject({ code: 0 });
  const broken = await run("npx", ["--no-install", "whatsapp-flows", "validate", "flows/broken.json"], project);
  expect(broken.code).toBe(1);
  expect(broken.output).toMatch(/flows\/broken\.json:\d+:\d+/);
  const help = await run("npx", ["--no-install", "whatsapp-flows", "emulator", "--help"], project);
  expect(help.code).toBe(0);
  expect(help.output).toMatch(/--port/);
  step("npx whatsapp-flows validate / emulator --help");

  // The real CLI against the emulator, with this project's own node_modules only.
  const c = new Checkout(suite.ws, project);
  await c.ok(["stack", "select", "--create", "dev"]);
  await c.setConfig({ waba: DEV_WABA_ID });
  const up = await c.up();
  expect({ code: up.code, output: up.output }).toMatchObject({ code: 0 });
  const [flow] = suite.flowNamed("pack-signup");
  expect(flow.status).toBe("PUBLISHED");
  expect(await c.outputs()).toMatchObject({ flowId: flow.flowId, flowStatus: "PUBLISHED" });
  // Installed under node_modules, the provider Pulumi stores is a `require` of the shim module, not its code
  // (issue 9: state size), and it is the same text in every resource's inputs and outputs.
  const resources: any[] = (await c.exportStack()).deployment.resources;
  const dynamic = resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"));
  expect(dynamic.length).toBeGreaterThanOrEqual(2);
  for (const r of dynamic) {
    for (const text of [r.inputs.__provider, r.outputs.__provider]) {
      expect(text).toMatch(/require\("whatsapp-flows\/dist\/sdk\/shims\/(flow|flow-assets)(\.js)?"\)/);
      expect(text.length).toBeLessThan(600);
    }
    // The Flow JSON text is not kept in the state's inputs (only its hash); see docs/design.md.
    expect(r.inputs.flowJson).toBeUndefined();
  }
  const seq = suite.lastSeq();
  const preview = await c.preview(["--expect-no-changes"]);
  expect({ code: preview.code, output: preview.output }).toMatchObject({ code: 0 });
  expect(suite.opsSince(seq)).toEqual([]);
  const destroy = await c.destroy();
  expect({ code: destroy.code, output: destroy.output }).toMatchObject({ code: 0 });
  expect(suite.emu.flow(flow.flowId)!.status).toBe("DEPRECATED");
  step("pulumi up / preview --expect-no-changes / destroy");
});
