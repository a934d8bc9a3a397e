/**
 * `whatsapp-flows import` against the real emulator (in-process), through each vendor's real backend:
 * flows seeded in the account's store, then imported as a user would (the CLI entry, argv in, exit code out).
 */
import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { ACCOUNT_REFS, DEV_WABA_ID, startEmulator, type RunningEmulator } from "../../emulator";
import { VALID_FLOW } from "../../emulator/test-helpers";
import { emulatorSettings } from "../hooks/test-helpers";
import { setSettings } from "../settings";
import { accountOf, VENDORS as VENDOR_ENTRIES } from "../vendors/registry";
import { runImportCli } from "./cli";
import { STAGING_SUFFIX, type ImportIo } from "./run";

const REPO = path.resolve(__dirname, "..", "..");
type Vendor = "aws" | "meta" | "360dialog" | "8x8";

let emu: RunningEmulator;
let tmp: string;

beforeAll(async () => {
  emu = await startEmulator();
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), "wf-import-"));
});
afterAll(async () => {
  await emu.close();
  await fs.rm(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  emu.reset();
  setSettings(emulatorSettings(emu.url));
});

/** Exact bytes the vendor must hand back: not what JSON.stringify would produce (4-space indent, CRLF-free, trailing newline, non-ASCII). */
const jsonText = (title: string) => JSON.stringify({ ...VALID_FLOW, screens: [{ ...VALID_FLOW.screens[0], title }] }, null, 4) + "\n";

interface Seeded {
  published: string;
  draft: string;
  deprecated: string;
  throttled: string;
  collision: string;
  bare: string;
  json: Record<string, string>;
  /** Templates: the one sending the published flow (en_US, pt_BR), one sending the deprecated flow, one with no flow. */
  templates: { invite: string; invitePt: string; oldSurvey: string; plain: string };
}

/** A WABA as people leave it: published, draft, deprecated, throttled flows, two names with one slug, a draft without JSON. */
function seed(vendor: Vendor): Seeded {
  const store = emu.server.store;
  const json: Record<string, string> = {};
  const make = (name: string, categories: string[], opts: { publish?: boolean; title?: string; noJson?: boolean } = {}) => {
    const text = opts.noJson ? undefined : jsonText(opts.title ?? name);
    const f = store.createFlow(
      DEV_WABA_ID,
      { name, categories, json: text === undefined ? undefined : Buffer.from(text, "utf8"), publish: opts.publish },
      vendor,
    );
    if (text !== undefined) json[f.id] = text;
    return f.id;
  };
  const template = (name: string, language: string, flowId?: string) =>
    emu.server.templates.create(DEV_WABA_ID, {
      name,
      language,
      category: flowId ? "MARKETING" : "UTILITY",
      components: [
        { type: "BODY", text: "Hello {{1}}", example: { body_text: [["Ana"]] } },
        ...(flowId
          ? [
              {
                type: "BUTTONS",
                buttons: [{ type: "FLOW", text: "Open", flow_id: flowId, navigate_screen: "WELCOME", flow_action: "navigate" }],
              },
            ]
          : []),
      ],
    }).id;
  const published = make("Newsletter signup", ["SIGN_UP"], { publish: true, title: "Café ☕" });
  const draft = make("Contact us", ["CONTACT_US", "CUSTOMER_SUPPORT"]);
  const deprecated = make("Old survey", ["SURVEY"], { publish: true });
  // A template sent it while it was published: it stays bound to the deprecated flow.
  const oldSurvey = template("old_survey", "en_US", deprecated);
  emu.patchFlow(deprecated, { status: "DEPRECATED" });
  const throttled = make("Booking", ["APPOINTMENT_BOOKING"], { publish: true });
  emu.patchFlow(throttled, { status: "THROTTLED" });
  const collision = make("newsletter-signup", ["OTHER"]);
  const bare = make("Empty draft", ["OTHER"], { noJson: true });
  const templates = {
    invite: template("signup_invite", "en_US", published),
    invitePt: template("signup_invite", "pt_BR", published),
    oldSurvey,
    plain: template("order_update", "en_US"),
  };
  return { published, draft, deprecated, throttled, collision, bare, json, templates };
}

function capture(): { io: Partial<ImportIo>; out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    io: { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, cwd: tmp },
    out: () => out,
    err: () => err,
  };
}

async function runImport(args: string[], extra: Partial<ImportIo> = {}) {
  const c = capture();
  const code = await runImportCli(args, { ...c.io, ...extra });
  return { code, stdout: c.out(), stderr: c.err() };
}

const read = (...p: string[]) => fs.readFile(path.join(...p), "utf8");
const exists = (p: string) =>
  fs.stat(p).then(
    () => true,
    () => false,
  );
const writeOps = (e: RunningEmulator) =>
  e.requests().filter((r) => !["list", "get", "download", "preview", "account", "ListTemplates", "GetTemplate"].includes(r.action));

const canonical = (ref: string) => accountOf(ref).canonical;

const VENDORS: Vendor[] = ["aws", "360dialog", "8x8", "meta"];

describe.each(VENDORS)("import from %s", (vendor) => {
  it("downloads every non-deprecated flow's JSON byte for byte and declares one adopting resource per flow", async () => {
    const s = seed(vendor);
    const out = `out-${vendor}`;
    const r = await runImport(["--waba", ACCOUNT_REFS.dev[vendor], "--out", out]);
    expect(r.stderr).not.toMatch(/stopped/);
    expect(r.code).toBe(0);
    const dir = path.join(tmp, out);

    // Flow JSON files: exact bytes; deprecated and JSON-less flows get none.
    expect((await fs.readdir(path.join(dir, "flows"))).sort()).toEqual(
      ["booking.json", "contact-us.json", "newsletter-signup-2.json", "newsletter-signup.json"].sort(),
    );
    expect(await read(dir, "flows", "newsletter-signup.json")).toBe(s.json[s.published]);
    expect(await read(dir, "flows", "contact-us.json")).toBe(s.json[s.draft]);
    expect(await read(dir, "flows", "booking.json")).toBe(s.json[s.throttled]);
    // "Newsletter signup" < "newsletter-signup" in code-point order: the second gets the suffix.
    expect(await read(dir, "flows", "newsletter-signup-2.json")).toBe(s.json[s.collision]);

    const program = await read(dir, "index.ts");
    expect(program).toContain(
      [
        `  "newsletter-signup": new WhatsAppFlow("newsletter-signup", {`,
        `    waba,`,
        `    name: "Newsletter signup",`,
        `    categories: ["SIGN_UP"],`,
        `    file: flowFile("newsletter-signup.json"),`,
        `    publish: true,`,
        `    adoptFlowId: adopt("${s.published}"),`,
      ].join("\n"),
    );
    expect(program).toMatch(
      new RegExp(
        `"contact-us": new WhatsAppFlow[^]*?categories: \\["CONTACT_US","CUSTOMER_SUPPORT"\\][^]*?publish: false,\\n    adoptFlowId: adopt\\("${s.draft}"\\)`,
      ),
    );
    expect(program).toMatch(
      new RegExp(
        `THROTTLED by Meta[^\\n]*\\n  "booking": new WhatsAppFlow[^]*?publish: true,\\n    adoptFlowId: adopt\\("${s.throttled}"\\)`,
      ),
    );
    expect(program).toMatch(new RegExp(`"empty-draft": new Flow\\("empty-draft", \\{[^}]*adoptFlowId: adopt\\("${s.bare}"\\)`));
    expect(program).not.toMatch(/new \w+\("old-survey"/);
    // The deprecated flow: in the header comment and the report, not managed.
    expect(program).toMatch(new RegExp(`Not managed \\(DEPRECATED[^\\n]*\\n \\*   - "Old survey" \\(flow ${s.deprecated}\\)`));
    // The account is stack config, not code.
    expect(program).toContain('config.require("waba")');
    expect(program).not.toContain(ACCOUNT_REFS.dev[vendor]);

    const report = await read(dir, "IMPORT-REPORT.md");
    expect(report).toMatch(new RegExp(`## Deprecated flows \\(not managed\\)[^]*\\| Old survey \\| ${s.deprecated} \\| SURVEY \\|`));
    expect(report).toMatch(/5 flow\(s\) managed: 1 published, 3 draft, 1 throttled/);
    expect(report).toContain(`pulumi config set waba '${canonical(ACCOUNT_REFS.dev[vendor])}'`);

    expect(await read(dir, "Pulumi.yaml")).toMatch(/^name: out-[a-z0-9]+\nruntime:\n {2}name: nodejs/);
    const pkg = JSON.parse(await read(dir, "package.json"));
    expect(Object.keys(pkg.dependencies).sort()).toEqual(["@pulumi/pulumi", "whatsapp-flows"]);
    // Nothing left behind, nothing written remotely.
    expect(await exists(path.join(tmp, `.${out}${STAGING_SUFFIX}`))).toBe(false);
    expect(await exists(path.join(dir, "journal.json"))).toBe(false);
    expect(writeOps(emu)).toEqual([]);
    expect(r.stderr).toMatch(/\[1\/5\] [^]*\[5\/5\]/);

    // Message templates: those sending a managed flow, wired to its resource's output, adopted by id.
    // (8x8's API shows no template id: its id is `<name>/<language>`.)
    const tid = (id: string, nameLanguage: string) => (vendor === "8x8" ? nameLanguage : id);
    expect(program).toContain(
      [
        `  "signup_invite-en_US": new MessageTemplate("signup_invite-en_US", {`,
        `    waba,`,
        `    name: "signup_invite",`,
        `    language: "en_US",`,
        `    category: "MARKETING",`,
      ].join("\n"),
    );
    expect(program).toMatch(
      /\{\s+type: "FLOW",\s+text: "Open",\s+navigateScreen: "WELCOME",\s+flowAction: "navigate",\s+flowId: managed\["newsletter-signup"\]\.flowId,\s+\}/,
    );
    expect(program).toContain(`adoptTemplateId: adopt("${tid(s.templates.invite, "signup_invite/en_US")}"),`);
    expect(program).not.toMatch(/"flowId": "/);
    expect(program).not.toMatch(/old_survey|order_update/);
    // Where the vendor deletes by name (every language), one language per name is managed; the other is reported.
    const byName = VENDOR_ENTRIES[vendor].templates.deleteBy === "name";
    expect(program.includes(`adoptTemplateId: adopt("${tid(s.templates.invitePt, "signup_invite/pt_BR")}")`)).toBe(!byName);
    if (byName) expect(report).toMatch(new RegExp(`\\| \\(not written\\) \\| signup_invite \\| pt_BR \\|[^\\n]*deletes templates by name`));
    expect(report).toMatch(
      new RegExp(
        `\\| signup_invite-en_US \\| signup_invite \\| en_US \\| MARKETING \\| APPROVED \\| ${tid(s.templates.invite, "signup_invite/en_US")} \\| newsletter-signup \\|`,
      ),
    );
    // The cost: one list; where the list carries no components (AWS), one get per template.
    const reads = emu.requests().map((x) => x.action);
    expect(reads.filter((a) => a === "ListTemplates")).toHaveLength(1);
    expect(reads.filter((a) => a === "GetTemplate")).toHaveLength(vendor === "aws" ? 4 : 0);
    expect(r.stdout).toMatch(/imported 6 flow\(s\)[^\n]*: 5 managed, 1 deprecated/);
  });
});

describe("output formats", () => {
  it("writes a data file with --format data, and both generated programs compile against the SDK", async () => {
    const s = seed("aws");
    expect((await runImport(["--waba", ACCOUNT_REFS.dev.aws, "--out", "prog"])).code).toBe(0);
    const r = await runImport(["--waba", ACCOUNT_REFS.dev.aws, "--out", "data", "--format=data", "--include-deprecated-report"]);
    expect(r.code).toBe(0);
    const data = JSON.parse(await read(tmp, "data", "flows.json"));
    expect(data.format).toBe("whatsapp-flows-import/1");
    expect(data.flows.map((f: any) => [f.resource, f.adoptFlowId, f.publish, f.file])).toEqual([
      ["booking", s.throttled, true, "flows/booking.json"],
      ["contact-us", s.draft, false, "flows/contact-us.json"],
      ["empty-draft", s.bare, false, null],
      ["newsletter-signup", s.published, true, "flows/newsletter-signup.json"],
      ["newsletter-signup-2", s.collision, false, "flows/newsletter-signup-2.json"],
    ]);
    expect(data.deprecated).toEqual([{ name: "Old survey", id: s.deprecated, categories: ["SURVEY"], file: "deprecated/old-survey.json" }]);
    // Templates: a FLOW button names the flow it opens by resource; the generic program wires its id.
    expect(data.templates.map((t: any) => [t.resource, t.adoptTemplateId])).toEqual([
      ["signup_invite-en_US", s.templates.invite],
      ["signup_invite-pt_BR", s.templates.invitePt],
    ]);
    expect(data.templates[0].components[1].buttons[0]).toEqual({
      type: "FLOW",
      text: "Open",
      navigateScreen: "WELCOME",
      flowAction: "navigate",
      flow: "newsletter-signup",
    });
    // --include-deprecated-report: the deprecated flow's JSON for reference, not referenced by the program.
    expect(await read(tmp, "data", "deprecated", "old-survey.json")).toBe(s.json[s.deprecated]);
    expect(await read(tmp, "data", "IMPORT-REPORT.md")).toMatch(/\| Old survey \| \d+ \| SURVEY \| deprecated\/old-survey\.json \|/);

    // Type-check both programs with their own tsconfig, whatsapp-flows resolved to this repository's SDK.
    const check = path.join(tmp, "tsconfig.check.json");
    await fs.writeFile(
      check,
      JSON.stringify({
        extends: path.join(tmp, "prog", "tsconfig.json"),
        compilerOptions: {
          noEmit: true,
          baseUrl: REPO,
          paths: { "whatsapp-flows": ["sdk/index.ts"], "@pulumi/pulumi": ["node_modules/@pulumi/pulumi"] },
          typeRoots: [path.join(REPO, "node_modules", "@types")],
          types: ["node"],
        },
        files: [path.join(tmp, "prog", "index.ts"), path.join(tmp, "data", "index.ts")],
      }),
    );
    const tsc = path.join(REPO, "node_modules", "typescript", "bin", "tsc");
    const run = await promisify(execFile)(process.execPath, [tsc, "-p", check], { cwd: tmp }).then(
      () => ({ code: 0, out: "" }),
      (e: any) => ({ code: e.code, out: `${e.stdout}${e.stderr}` }),
    );
    expect(run).toEqual({ code: 0, out: "" });
  }, 180_000);
});

describe("bad input: a clear error, exit 2, nothing written, no vendor call", () => {
  const noWrite = async (args: string[], message: RegExp, out = "never") => {
    if (!emu.flows().length) seed("aws");
    emu.clearRequests();
    const before = (await fs.readdir(tmp)).sort();
    const r = await runImport(args);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect((await fs.readdir(tmp)).sort()).toEqual(before);
    expect(await exists(path.join(tmp, out))).toBe(before.includes(out));
    return r;
  };
  it("a malformed account reference names --waba and the formats", async () => {
    await noWrite(
      ["--waba", "360dialog:only-one-part", "--out", "never"],
      /--waba: account reference .*not a valid 360dialog Partner API reference; expected 360dialog:<partner_id>\/<waba_account_id>/,
    );
    await noWrite(["--waba", "acme:123", "--out", "never"], /names no known vendor; expected one of aws:waba-<id>/);
    expect(emu.requests()).toEqual([]);
  });
  it("a missing credential names the environment variable and says why not an argument", async () => {
    const saved = process.env.WHATSAPP_FLOWS_360DIALOG_API_KEY;
    delete process.env.WHATSAPP_FLOWS_360DIALOG_API_KEY;
    try {
      const { "360dialogApiKey": _dropped, ...rest } = emulatorSettings(emu.url);
      setSettings(rest);
      await noWrite(
        ["--waba", ACCOUNT_REFS.dev["360dialog"], "--out", "never"],
        /needs its 360dialog API key: set the environment variable WHATSAPP_FLOWS_360DIALOG_API_KEY \(.*never from arguments, which would land in shell history\)/,
      );
      expect(emu.requests()).toEqual([]);
    } finally {
      if (saved !== undefined) process.env.WHATSAPP_FLOWS_360DIALOG_API_KEY = saved;
    }
  });
  it("refuses credentials given as arguments", async () => {
    await noWrite(
      ["--waba", ACCOUNT_REFS.dev.meta, "--out", "never", "--token", "abc"],
      /--token: credentials are never taken from arguments/,
    );
  });
  it("a rejected credential is reported at the list call, before any write", async () => {
    setSettings({ ...emulatorSettings(emu.url), "8x8ApiKey": "wrong" });
    await noWrite(
      ["--waba", ACCOUNT_REFS.dev["8x8"], "--out", "never"],
      /cannot list the flows of 8x8:[^\n]*ACCESS_DENIED[^]*WHATSAPP_FLOWS_8X8_API_KEY/,
    );
  });
  it("a non-empty --out without --force, a file as --out, a file as its parent", async () => {
    await fs.mkdir(path.join(tmp, "full"), { recursive: true });
    await fs.writeFile(path.join(tmp, "full", "keep.txt"), "mine");
    await fs.writeFile(path.join(tmp, "a-file"), "x");
    await noWrite(["--waba", ACCOUNT_REFS.dev.aws, "--out", "full"], /--out full: is not empty; .*--force/, "full");
    await noWrite(["--waba", ACCOUNT_REFS.dev.aws, "--out", "a-file"], /--out a-file: exists and is not a directory/, "a-file");
    await noWrite(["--waba", ACCOUNT_REFS.dev.aws, "--out", "a-file/sub"], /--out a-file\/sub: one of its parents is a file/);
    expect(emu.requests()).toEqual([]);
    expect(await read(tmp, "full", "keep.txt")).toBe("mine");
  });
  it("an --out that cannot be written (EACCES)", async () => {
    await fs.mkdir(path.join(tmp, "locked"), { recursive: true });
    // Tests may run as root, which chmod does not stop: the permission answer is simulated.
    const real = fs.access;
    const spy = jest.spyOn(fs, "access").mockImplementation(async (p, mode) => {
      if (String(p).endsWith(`${path.sep}locked`)) throw Object.assign(new Error("EACCES"), { code: "EACCES" });
      return real(p, mode);
    });
    try {
      await noWrite(["--waba", ACCOUNT_REFS.dev.aws, "--out", "locked"], /--out locked: is not readable and writable \(EACCES\)/, "locked");
      await noWrite(
        ["--waba", ACCOUNT_REFS.dev.aws, "--out", "locked/new"],
        /--out locked\/new: its parent directory .*locked is not writable \(EACCES\)/,
      );
    } finally {
      spy.mockRestore();
    }
  });
  it("usage errors", async () => {
    await noWrite(["--out", "never"], /--waba is required/);
    await noWrite(["--waba", ACCOUNT_REFS.dev.aws], /--out is required/);
    await noWrite(["--waba", ACCOUNT_REFS.dev.aws, "--out", "never", "--format", "yaml"], /--format must be program or data/);
    await noWrite(["--waba", ACCOUNT_REFS.dev.aws, "--out", "never", "--frobnicate"], /unknown option --frobnicate/);
    const help = await runImport(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(
      /never from arguments \(they would land in shell history\)[^]*WHATSAPP_FLOWS_META_TOKEN[^]*WHATSAPP_FLOWS_360DIALOG_API_KEY[^]*WHATSAPP_FLOWS_8X8_API_KEY/,
    );
  });
});

describe("a failure midway", () => {
  it("leaves --out untouched, says how to resume, and the re-run re-verifies what was downloaded", async () => {
    const s = seed("360dialog");
    // A download that keeps failing, at the fourth flow in resource order: booking, contact-us, empty-draft, newsletter-signup…
    // (The JSON fetch from the vendor's download URL retries with the HTTP layer's default attempts, not `maxAttempts`:
    // the fault outlasts them.)
    emu.addFault({ operation: "download", flowName: "Newsletter signup", times: 20, action: { kind: "error", status: 500 } });
    const args = ["--waba", ACCOUNT_REFS.dev["360dialog"], "--out", "resumed"];
    const first = await runImport(args);
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(
      /import stopped at flow 4 of 5, "Newsletter signup" \(flow \d+\): [^\n]*HTTP 500[^]*Nothing was written to .*resumed; [^]*Re-run the same command to resume/,
    );
    expect(await exists(path.join(tmp, "resumed"))).toBe(false);
    const staging = path.join(tmp, `.resumed${STAGING_SUFFIX}`);
    expect((await fs.readdir(path.join(staging, "flows"))).sort()).toEqual(["booking.json", "contact-us.json"]);

    // A file damaged meanwhile is caught by the re-verification and downloaded again.
    await fs.writeFile(path.join(staging, "flows", "contact-us.json"), "{ truncated");
    emu.clearFaults();
    emu.clearRequests();
    const second = await runImport(args);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/resuming the interrupted import/);
    expect(second.stderr).toMatch(/\[1\/5\] "Booking" [^\n]*: already downloaded, verified/);
    expect(second.stderr).toMatch(/\[2\/5\] "Contact us" [^\n]*does not match its journal; downloading again/);
    const downloads = emu.requests({ action: "download" }).length;
    expect(downloads).toBe(3); // contact-us again and the two never reached; not booking (empty-draft has nothing to download)
    expect(await read(tmp, "resumed", "flows", "contact-us.json")).toBe(s.json[s.draft]);
    expect(await read(tmp, "resumed", "flows", "booking.json")).toBe(s.json[s.throttled]);
    expect(await exists(staging)).toBe(false);
  });

  it("a single failed download is retried by the backend and the import completes", async () => {
    const s = seed("aws");
    emu.addFault({ operation: "download", times: 1, action: { kind: "error", status: 500 } });
    const r = await runImport(["--waba", ACCOUNT_REFS.dev.aws, "--out", "retried"]);
    expect(r.code).toBe(0);
    expect(emu.faults()).toEqual([]);
    expect(await read(tmp, "retried", "flows", "booking.json")).toBe(s.json[s.throttled]);
  });

  it("an interruption between two files (the process killed) resumes the same way", async () => {
    seed("8x8");
    const args = ["--waba", ACCOUNT_REFS.dev["8x8"], "--out", "killed"];
    const first = await runImport(args, {
      beforeDownload: (n) => {
        if (n === 4) throw new Error("simulated interruption");
      },
    });
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/stopped at flow 4 of 5/);
    emu.clearRequests();
    const second = await runImport(args);
    expect(second.code).toBe(0);
    expect(second.stderr.match(/already downloaded, verified/g)).toHaveLength(2); // the JSON-less draft is simply asked again
    expect((await fs.readdir(path.join(tmp, "killed", "flows"))).length).toBe(4);
  });

  it("--force replaces the generated files of an earlier import and keeps the user's own", async () => {
    seed("aws");
    const args = ["--waba", ACCOUNT_REFS.dev.aws, "--out", "again"];
    expect((await runImport(args)).code).toBe(0);
    await fs.writeFile(path.join(tmp, "again", "NOTES.md"), "mine");
    await fs.writeFile(path.join(tmp, "again", "flows", "stale.json"), "{}");
    const r = await runImport([...args, "--force", "--stack", "dev"]);
    expect(r.code).toBe(0);
    expect(await read(tmp, "again", "NOTES.md")).toBe("mine");
    expect(await exists(path.join(tmp, "again", "flows", "stale.json"))).toBe(false);
    expect(await read(tmp, "again", "Pulumi.dev.yaml")).toBe(`config:\n  again:waba: "${canonical(ACCOUNT_REFS.dev.aws)}"\n`);
    expect((await fs.readdir(tmp)).filter((n) => n.includes(STAGING_SUFFIX))).toEqual([]);
  });
});
