/**
 * `npm run demo`: deploys the quickstart (root Pulumi.yaml) to the local emulator with the real
 * `pulumi up`, shows the flows, changes one flow's JSON and shows it published again under the same id,
 * then destroys the stack (the published flows are deprecated, never deleted).
 *
 * Everything stays in ./.demo (state backend, Pulumi home, a copy of the Flow JSON files) and the
 * stack's Pulumi.demo.yaml, recreated on each run; nothing global is touched and no account is needed.
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../emulator";

const ROOT = path.resolve(__dirname, "..", "..");
const DEMO = path.join(ROOT, ".demo");

function banner(text: string): void {
  process.stdout.write(`\n\x1b[1m=== ${text}\x1b[0m\n`);
}

function showFlows(emu: RunningEmulator): void {
  const rows = emu
    .flows()
    .map((f) => ({ name: f.name, id: f.flowId, status: f.status, "json version": f.jsonVersion ?? "-", heading: headingOf(f.flowJson) }));
  console.table(rows);
}

function headingOf(json: string | null): string {
  try {
    const children: { type?: string; text?: string }[] = JSON.parse(json ?? "").screens[0].layout.children;
    return children.find((c) => c.type === "TextHeading")?.text ?? "-";
  } catch {
    return "-";
  }
}

async function main(): Promise<number> {
  const binDir = execFileSync("bash", [path.join(ROOT, "scripts", "ensure-pulumi.sh")], { encoding: "utf8" })
    .trim()
    .split("\n")
    .pop()!;
  fs.rmSync(DEMO, { recursive: true, force: true });
  // The demo stack's config file sits beside Pulumi.yaml (git-ignored); start it afresh too.
  fs.rmSync(path.join(ROOT, "Pulumi.demo.yaml"), { force: true });
  fs.mkdirSync(path.join(DEMO, "state"), { recursive: true });
  fs.mkdirSync(path.join(DEMO, "home"));
  fs.cpSync(path.join(ROOT, "examples", "quickstart", "flows"), path.join(DEMO, "flows"), { recursive: true });

  const emu = await startEmulator({ stateFile: path.join(DEMO, "emulator-state.json") });
  const env = {
    ...process.env,
    PATH: `${binDir}${path.delimiter}${process.env.PATH}`,
    PULUMI_HOME: path.join(DEMO, "home"),
    PULUMI_BACKEND_URL: `file://${path.join(DEMO, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? "demo",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
  // Asynchronous on purpose: the emulator lives in this process and must keep answering meanwhile.
  const pulumi = (...args: string[]) =>
    new Promise<void>((resolve, reject) => {
      process.stdout.write(`\n$ pulumi ${args.join(" ")}\n`);
      const child = spawn("pulumi", args, { cwd: ROOT, env, stdio: "inherit" });
      child.on("error", reject);
      child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`pulumi ${args[0]} failed (exit ${code})`))));
    });

  try {
    banner(`Emulator listening on ${emu.url} (AWS End User Messaging Social)`);
    await pulumi("stack", "select", "--create", "demo");
    await pulumi("config", "set", "whatsapp-flows:awsEndpoint", emu.url);
    await pulumi("config", "set", "flowsDir", path.relative(ROOT, path.join(DEMO, "flows")));

    banner("1. Deploy the quickstart: two flows, created, uploaded and published");
    await pulumi("up", "--yes", "--skip-preview");
    showFlows(emu);

    banner("2. Nothing changed: preview makes no API call");
    const before = emu.requests().length;
    await pulumi("preview", "--expect-no-changes");
    console.log(`vendor API calls during that preview: ${emu.requests().length - before}`);

    banner("3. Edit the signup flow's JSON: uploaded and published again, same flow id");
    const file = path.join(DEMO, "flows", "signup.json");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("Get our weekly offers", "Get our daily offers"));
    await pulumi("preview", "--diff");
    const seq = emu.requests().at(-1)?.seq ?? 0;
    await pulumi("up", "--yes", "--skip-preview");
    showFlows(emu);
    console.log(
      "calls:",
      emu
        .requests()
        .filter((r) => r.seq > seq)
        .map((r) => r.operation)
        .join(" -> "),
    );

    banner("4. Destroy: published flows are deprecated (never deleted) and stay listed");
    await pulumi("destroy", "--yes", "--skip-preview");
    showFlows(emu);
    banner("Done. State is in .demo/ (recreated on each run).");
    return 0;
  } finally {
    await emu.close();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (e) => {
    console.error(`demo failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  },
);
