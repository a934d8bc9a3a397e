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
