/**
 * One program, many environments: the same program deploys to a dev stack on one vendor and a prod
 * stack on another, by stack config alone; and a stack moved to another vendor by config alone gets
 * the flow created there first, then the old one retired.
 */
import { ACCOUNT_REFS, DEFAULT_CREDENTIALS, startEmulator, type RunningEmulator } from "../../emulator";
import { expectOk, Workspace } from "./harness";

let emu: RunningEmulator;
let ws: Workspace;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => {
  ws = new Workspace(emu.url, "dev", {
    WHATSAPP_FLOWS_META_TOKEN: DEFAULT_CREDENTIALS.meta,
    WHATSAPP_FLOWS_360DIALOG_API_KEY: DEFAULT_CREDENTIALS["360dialog"],
  });
});
afterEach(() => ws.dispose());

const flowsNamed = (name: string) => [{ key: "signup", name, categories: ["SIGN_UP"], file: "fixtures/signup-v1.json", publish: true }];
const named = (name: string) => emu.flows().filter((f) => f.name === name);

test("dev on AWS and prod on Meta from one program: same flows, different ids, outputs right", async () => {
  const flows = flowsNamed("e2e-env-signup");
  const c = await ws.checkout("flows");
  await c.setConfig({ waba: ACCOUNT_REFS.dev.aws, flows });
  expectOk(await c.up());
  await c.ok(["stack", "select", "--create", "prod"]);
  await c.setConfig({ waba: ACCOUNT_REFS.prod.meta, flows });
  expectOk(await c.up());
  const prodOuts = await c.outputs();
  await c.ok(["stack", "select", "dev"]);
  const devOuts = await c.outputs();
  const [dev, prod] = [
    named("e2e-env-signup").find((f) => f.wabaId === emu.wabas[0].id)!,
    named("e2e-env-signup").find((f) => f.wabaId === emu.wabas[1].id)!,
  ];
  expect(dev.status).toBe("PUBLISHED");
  expect(prod.status).toBe("PUBLISHED");
  expect(dev.flowId).not.toBe(prod.flowId);
  expect(devOuts.signup).toMatchObject({ liveFlowId: dev.flowId, status: "PUBLISHED" });
  expect(prodOuts.signup).toMatchObject({ liveFlowId: prod.flowId, status: "PUBLISHED" });
  expect(emu.requests().filter((r) => r.vendor === "meta").length).toBeGreaterThan(0);
});

test("moving a stack from AWS to 360dialog by config alone: the flow is live on the new account before the old one is retired", async () => {
  const flows = flowsNamed("e2e-env-moved");
  const c = await ws.checkout("flows");
  await c.setConfig({ waba: ACCOUNT_REFS.dev.aws, flows });
  expectOk(await c.up());
  const [before] = named("e2e-env-moved");
  await c.setConfig({ waba: ACCOUNT_REFS.prod["360dialog"] });
  const preview = await c.preview();
  expect(preview.output).toMatch(/replace/);
  expectOk(await c.up());
  const after = named("e2e-env-moved").find((f) => f.wabaId === emu.wabas[1].id)!;
  expect(after.status).toBe("PUBLISHED");
  expect(emu.flow(before.flowId)!.status).toBe("DEPRECATED");
  expectOk(await c.preview(["--expect-no-changes"]));
});

// Issue 19 item 5: templates promote with their flows. The gate compares the template's content with its
// flow named by its declared name (ids differ per account) against what dev's review approved.
test("a template promotes dev (AWS) → prod (Meta) with its flow; a template changed only in prod is refused at preview with 0 writes", async () => {
  const TEMPLATE_WRITES = new Set(["CreateTemplate", "UpdateTemplate", "DeleteTemplate"]);
  const writesSince = (seq: number) =>
    emu
      .requests()
      .filter(
        (r) =>
          r.seq > seq &&
          (TEMPLATE_WRITES.has(r.action) || ["create", "upload", "publish", "deprecate", "delete", "update"].includes(r.action)),
      )
      .map((r) => r.action);
  const c = await ws.checkout("templates");
  await c.setConfig({ waba: ACCOUNT_REFS.dev.aws, flowName: "e2e-env-tmpl" });
  expectOk(await c.up());
  const dev = await c.outputs();
  expect(dev.templates["signup_invite/en_US"]).toMatchObject({ status: "APPROVED", flows: ["e2e-env-tmpl"] });

  // prod: a new stack, its flow not created yet (its id unknown at preview): the gate still compares, and passes.
  await c.ok(["stack", "select", "--create", "prod"]);
  await c.setConfig({ waba: ACCOUNT_REFS.prod.meta, flowName: "e2e-env-tmpl", promoteFrom: "organization/e2e-templates/dev" });
  let seq = emu.requests().at(-1)?.seq ?? 0;
  expectOk(await c.preview());
  expect(writesSince(seq)).toEqual([]);
  expectOk(await c.up());
  const prod = await c.outputs();
  const devT = emu.templates(emu.wabas[0].id).find((t) => t.name === "signup_invite")!;
  const prodT = emu.templates(emu.wabas[1].id).find((t) => t.name === "signup_invite")!;
  expect(prodT.flowIds).toEqual([prod.flowId]);
  expect(prod.flowId).not.toBe(dev.flowId);
  expect(prodT.templateId).not.toBe(devT.templateId);
  // Same content, different ids: the hash the gate compares is the same in both stacks.
  expect(prod.templates["signup_invite/en_US"]).toMatchObject({
    status: "APPROVED",
    contentSha256: dev.templates["signup_invite/en_US"].contentSha256,
  });
  expect(prod.templates["signup_invite/en_US"].templateId).toBe(prodT.templateId);

  // A body changed only in prod's program: refused at preview, naming the template, both hashes; nothing written.
  await c.setConfig({ body: "Only in prod, {{1}}" });
  seq = emu.requests().at(-1)?.seq ?? 0;
  const refused = await c.preview();
  expect(refused.code).not.toBe(0);
  expect(refused.output).toMatch(
    /MessageTemplate "signup_invite" \(en_US\): promotion gate: this template's content differs from what stack organization\/e2e-templates\/dev has approved \(organization\/e2e-templates\/dev: [0-9a-f]{64}, here: [0-9a-f]{64}\)/,
  );
  expect(writesSince(seq)).toEqual([]);
  expect(emu.requests().filter((r) => r.seq > seq && r.action.endsWith("Template"))).toEqual([]);
  const up = await c.up();
  expect(up.code).not.toBe(0);
  expect(writesSince(seq)).toEqual([]);
  expect(emu.template(prodT.templateId)).toMatchObject({ status: "APPROVED", edits: [] });
});
