/**
 * Issue 8 §4 end to end: `whatsapp-flows import` (the built CLI, in a child process, credentials in
 * the environment only) on an account holding draft, published and deprecated flows and the message
 * template that sends the published flow (issue 19 item 5); the generated program, deployed with the
 * real Pulumi CLI, adopts them all with zero write calls (flows and templates), and the preview after
 * it is empty.
 *
 * The generated program is TypeScript; the language host of these machines runs compiled JavaScript
 * only (README, "About scripts/language-host/"), so the test compiles it into bin/ first, as a user
 * of a JavaScript-only host would, and points package.json's `main` there.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { Checkout, REPO, e2eSuite, type E2eVendor } from "./harness";

const run = promisify(execFile);
const WRITE_ACTIONS = new Set([
  "create",
  "upload",
  "publish",
  "deprecate",
  "delete",
  "update",
  "migrate",
  "CreateTemplate",
  "UpdateTemplate",
  "DeleteTemplate",
]);

/** Same Flow JSON bytes a person would leave behind: not the provider's canonical form. */
const flowJson = (title: string) =>
  JSON.stringify(
    {
      version: "7.3",
      screens: [
        {
          id: "WELCOME",
          title,
          terminal: true,
          success: true,
          data: {},
          layout: {
            type: "SingleColumnLayout",
            children: [
              { type: "TextHeading", text: title },
              { type: "Footer", label: "Done", "on-click-action": { name: "complete", payload: {} } },
            ],
          },
        },
      ],
    },
    null,
    4,
  ) + "\n";

/** node_modules for a generated program: this repository's dependencies, whatsapp-flows being this repository (as Workspace.checkout does). */
function linkModules(dir: string): void {
  const modules = path.join(dir, "node_modules");
  fs.mkdirSync(modules);
  for (const entry of fs.readdirSync(path.join(REPO, "node_modules"))) {
    if (entry === "whatsapp-flows" || entry.startsWith(".")) continue;
    fs.symlinkSync(path.join(REPO, "node_modules", entry), path.join(modules, entry));
  }
  fs.symlinkSync(REPO, path.join(modules, "whatsapp-flows"));
}

describe.each<E2eVendor>(["aws", "360dialog", "8x8", "meta"])("import on %s", (vendor) => {
  const suite = e2eSuite(vendor);

  it("the generated program (flows and the template sending one) deploys with zero changes and zero write calls; the next preview is empty", async () => {
    const store = suite.emu.server.store;
    const { DEV_WABA_ID } = require("../../emulator") as typeof import("../../emulator");
    const mk = (name: string, categories: string[], publish: boolean) =>
      store.createFlow(DEV_WABA_ID, { name, categories, json: Buffer.from(flowJson(name), "utf8"), publish }, vendor).id;
    const published = mk("Newsletter signup", ["SIGN_UP"], true);
    const draft = mk("Contact us", ["CONTACT_US"], false);
    const deprecated = mk("Old survey", ["SURVEY"], true);
    suite.emu.patchFlow(deprecated, { status: "DEPRECATED" });
    // The template that sends the published flow, APPROVED by the review.
    const invite = suite.emu.server.templates.create(DEV_WABA_ID, {
      name: "signup_invite",
      language: "en_US",
      category: "MARKETING",
      components: [
        { type: "BODY", text: "Join our newsletter, {{1}}", example: { body_text: [["Ana"]] } },
        {
          type: "BUTTONS",
          buttons: [{ type: "FLOW", text: "Sign up", flow_id: published, navigate_screen: "WELCOME", flow_action: "navigate" }],
        },
      ],
    });
    suite.emu.patchTemplate(invite.id, { status: "APPROVED" });
    const before = suite.emu.flows().map((f) => ({ id: f.flowId, name: f.name, status: f.status, sha: f.flowJsonSha256 }));
    const templatesBefore = suite.emu.templates();

    // The CLI as a user runs it: the workspace's environment carries the vendor's base URL and credential.
    const out = path.join(suite.ws.root, "imported");
    const cli = await run(
      process.execPath,
      [path.join(REPO, "dist", "bin", "whatsapp-flows.js"), "import", "--waba", suite.waba, "--out", out, "--stack", "dev"],
      {
        cwd: suite.ws.root,
        env: suite.ws.env(),
      },
    );
    expect(cli.stdout).toMatch(/2 managed, 1 deprecated/);
    expect(fs.readFileSync(path.join(out, "IMPORT-REPORT.md"), "utf8")).toContain(`| Old survey | ${deprecated} |`);

    // Installed as a user installs it (this repository as whatsapp-flows), then compiled.
    linkModules(out);
    await run(process.execPath, [path.join(REPO, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(out, "tsconfig.json")], {
      cwd: out,
    });
    const pkg = JSON.parse(fs.readFileSync(path.join(out, "package.json"), "utf8"));
    fs.writeFileSync(path.join(out, "package.json"), JSON.stringify({ ...pkg, main: "bin/index.js" }, null, 2));

    const program = new Checkout(suite.ws, out);
    await program.ok(["stack", "select", "--create", "dev"]);
    const since = suite.lastSeq();
    const up = await program.up();
    expect(up.code).toBe(0);
    const writes = suite.actionsSince(since).filter((a) => WRITE_ACTIONS.has(a));
    expect(writes).toEqual([]);
    // Nothing changed remotely: same flows, names, statuses and bytes.
    expect(suite.emu.flows().map((f) => ({ id: f.flowId, name: f.name, status: f.status, sha: f.flowJsonSha256 }))).toEqual(before);
    const outputs = await program.outputs();
    expect(outputs.flows).toEqual({
      "contact-us": { name: "Contact us", flowId: draft, status: "DRAFT" },
      "newsletter-signup": { name: "Newsletter signup", flowId: published, status: "PUBLISHED" },
    });
    // The template: adopted (8x8 shows no template id: `<name>/<language>` there), untouched, still sending the same flow.
    const templateId = vendor === "8x8" ? "signup_invite/en_US" : invite.id;
    expect(outputs.templates).toEqual({ "signup_invite-en_US": { name: "signup_invite", templateId, status: "APPROVED" } });
    expect(suite.emu.templates()).toEqual(templatesBefore);
    expect(suite.emu.template(invite.id)).toMatchObject({ flowIds: [published], edits: [] });

    const preview = await program.preview(["--expect-no-changes"]);
    expect(preview.code).toBe(0);
  });
});
