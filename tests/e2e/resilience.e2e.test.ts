/**
 * Drift, interrupted creates, throttling, and state that travels between clones and package upgrades.
 */
import { DEV_WABA_ID } from "../../emulator";
import { e2eSuite, expectOk, resourcesOf, Workspace } from "./harness";

const suite = e2eSuite();
const { program, flowNamed, lastSeq, opsSince } = suite;

const spec = (name: string, extra: object = {}) => ({
  key: "f",
  name,
  categories: ["SIGN_UP"],
  file: "fixtures/signup-v1.json",
  publish: true,
  ...extra,
});
test("a flow deleted outside Pulumi leaves the stack on refresh and the next up creates it again", async () => {
  const c = await program([spec("e2e-deleted")]);
  expect((await c.up()).code).toBe(0);
  const [flow] = flowNamed("e2e-deleted");
  suite.emu.deleteFlow(flow.flowId);

  expect((await c.refresh()).code).toBe(0);
  const state = resourcesOf(await c.exportStack());
  expect(state.f).toBeUndefined();
  expect(state["f-assets"]).toBeUndefined();

  expect((await c.up()).code).toBe(0);
  const [again] = flowNamed("e2e-deleted");
  expect(again.flowId).not.toBe(flow.flowId);
  expect(again.status).toBe("PUBLISHED");
});

test("a flow deprecated outside Pulumi is reported clearly: it cannot be revived", async () => {
  const c = await program([spec("e2e-deprecated-oob")]);
  expect((await c.up()).code).toBe(0);
  suite.emu.patchFlow(flowNamed("e2e-deprecated-oob")[0].flowId, { status: "DEPRECATED" });
  expect((await c.refresh()).code).toBe(0);
  const up = await c.up();
  expect(up.code).not.toBe(0);
  expect(up.output).toMatch(/DEPRECATED, and a deprecated flow cannot be edited, published or revived/);
});

test("an interrupted create that failed the whole up is adopted by the next up, not duplicated", async () => {
  // Fail every attempt after the vendor applied the first: `up` fails with nothing in state.
  suite.emu.addFault({ operation: "CreateWhatsAppFlow", flowName: "e2e-interrupted-2", action: { kind: "apply-then-fail", status: 500 } });
  suite.emu.addFault({ operation: "CreateWhatsAppFlow", flowName: "e2e-interrupted-2", times: 5, action: { kind: "error", status: 500 } });
  // Every list fails too (the Flow's check looks the name up first, then the create's recovery).
  suite.emu.addFault({ operation: "ListWhatsAppFlows", times: 20, action: { kind: "error", status: 500 } });
  const c = await program([spec("e2e-interrupted-2")]);
  const first = await c.up();
  expect(first.code).not.toBe(0);
  expect(flowNamed("e2e-interrupted-2")).toHaveLength(1);
  suite.emu.clearFaults();

  const second = await c.up();
  expect(second.code).toBe(0);
  expect(second.output).toMatch(/adopting DRAFT flow/);
  expect(flowNamed("e2e-interrupted-2")).toHaveLength(1);
  expect(flowNamed("e2e-interrupted-2")[0].status).toBe("PUBLISHED");
});

test("someone else's flow with the same name is not taken over without adoptExisting", async () => {
  const c1 = await program([spec("e2e-taken")]);
  expect((await c1.up()).code).toBe(0);
  // A second stack (another team) declares the same name.
  const other = new Workspace(suite.emu.url, "other");
  try {
    const c2 = await other.checkout("flows");
    await c2.setConfig({ waba: DEV_WABA_ID, flows: [spec("e2e-taken")] });
    const up = await c2.up();
    expect(up.code).not.toBe(0);
    expect(up.output).toMatch(/already exists in account aws:waba-.* Set `adoptExisting: true`/);
    expect(flowNamed("e2e-taken")).toHaveLength(1);

    await c2.setConfig({ flows: [spec("e2e-taken", { adoptExisting: true })] });
    const adopted = await c2.up();
    expect(adopted.code).toBe(0);
    expect(flowNamed("e2e-taken")).toHaveLength(1);
  } finally {
    other.dispose();
  }
});

test("state travels: a stack deployed from one clone is previewed, updated and destroyed from another", async () => {
  const a = await program([spec("e2e-travel")], { packageCopy: true });
  expect((await a.up()).code).toBe(0);
  const [flow] = flowNamed("e2e-travel");

  const b = await program([spec("e2e-travel")], { packageCopy: true });
  expect(b.dir).not.toBe(a.dir);
  const seq = lastSeq();
  expect((await b.preview(["--expect-no-changes"])).code).toBe(0);
  expect(opsSince(seq)).toEqual([]);

  await b.setConfig({ flows: [spec("e2e-travel", { file: "fixtures/signup-v2.json" })] });
  expect((await b.up()).code).toBe(0);
  expect(suite.emu.flow(flow.flowId)!.flowJson).toContain("Get our daily offers");
  expect(suite.emu.flow(flow.flowId)!.status).toBe("PUBLISHED");

  expect((await b.destroy()).code).toBe(0);
  expect(suite.emu.flow(flow.flowId)!.status).toBe("DEPRECATED");
});

test("state written by an older release is read by this one: no spurious diff, update and destroy work", async () => {
  const c = await program([spec("e2e-upgrade")]);
  expect((await c.up()).code).toBe(0);
  const [flow] = flowNamed("e2e-upgrade");

  // Simulate the previous release: different shim text, outputs without the fields added since.
  const deployment = await c.exportStack();
  for (const r of deployment.deployment.resources) {
    if (!String(r.type).startsWith("pulumi-nodejs:dynamic")) continue;
    const oldShim = r.inputs.__provider.replace("exports.handler", "/* whatsapp-flows 0.0.9 */ exports.handler");
    r.inputs.__provider = oldShim;
    r.outputs.__provider = oldShim;
    for (const k of ["schemaVersion", "previewExpiresAt", "vendor", "jsonVersion"]) delete r.outputs[k];
  }
  await c.importStack(deployment);

  const seq = lastSeq();
  expect((await c.preview(["--expect-no-changes"])).code).toBe(0);
  expect(opsSince(seq)).toEqual([]);
  await c.setConfig({ flows: [spec("e2e-upgrade", { file: "fixtures/signup-v2.json" })] });
  expect((await c.up()).code).toBe(0);
  expect(suite.emu.flow(flow.flowId)!.status).toBe("PUBLISHED");
  expect((await c.destroy()).code).toBe(0);
  expect(suite.emu.flow(flow.flowId)!.status).toBe("DEPRECATED");
});

/** Issue 8: the first preview says what up will adopt and change, and refuses what cannot work, with no write call. */
const WRITE_ACTIONS = new Set(["create", "upload", "publish", "deprecate", "delete", "update", "migrate"]);
const writesSince = (seq: number) => suite.actionsSince(seq).filter((a) => WRITE_ACTIONS.has(a));
/** A flow someone made by hand before the program existed. */
function handMade(name: string, file: string, opts: { publish: boolean; categories?: string[] }): string {
  const fs = require("node:fs") as typeof import("node:fs");
  const json = fs.readFileSync(require("node:path").join(__dirname, "fixtures", file));
  return suite.emu.server.store.createFlow(
    DEV_WABA_ID,
    { name, categories: opts.categories ?? ["SIGN_UP"], json, publish: opts.publish },
    "aws",
  ).id;
}

test("pulumi preview of an adopting program shows the flow it adopts and what changes (metadata and JSON screens); up does just that", async () => {
  const id = handMade("e2e-adopt-preview", "signup-v1.json", { publish: true });
  const byName = spec("e2e-adopt-preview", { adoptExisting: true, categories: ["SIGN_UP", "OTHER"], file: "fixtures/signup-v2.json" });
  const c = await program([byName]);
  const seq = lastSeq();
  const preview = expectOk(await c.preview());
  expect(preview.output).toContain(
    `\`pulumi up\` will adopt flow ${id} "e2e-adopt-preview" (PUBLISHED) (adoptExisting) instead of creating one; it aligns:`,
  );
  expect(preview.output).toContain("categories [SIGN_UP] → [OTHER, SIGN_UP]");
  expect(preview.output).toContain(`Flow JSON of adopted flow ${id} changes:`);
  expect(preview.output).toMatch(/screens: ~SIGN_UP \(components: ~TextHeading\[0\]/);
  expect(preview.output).toContain(
    `flow ${id} is PUBLISHED: \`pulumi up\` uploads the new JSON in place and publishes it again right after (same id)`,
  );
  expect(writesSince(seq)).toEqual([]);
  // What the lookups cost: one list (shared by the Flow and its assets), one download of the adopted JSON.
  expect(opsSince(seq)).toEqual(["ListWhatsAppFlows", "ListWhatsAppFlowAssets", "DownloadFlowAsset"]);

  // By id, renamed, with the JSON the flow already serves.
  const byId = spec("e2e-adopt-preview-renamed", { adoptFlowId: id });
  await c.setConfig({ flows: [byId] });
  const second = expectOk(await c.preview());
  expect(second.output).toContain(`will adopt flow ${id} "e2e-adopt-preview" (PUBLISHED) (adoptFlowId)`);
  expect(second.output).toContain('name "e2e-adopt-preview" → "e2e-adopt-preview-renamed"');
  expect(second.output).toContain(`adopted flow ${id} (PUBLISHED): Flow JSON identical: nothing uploaded`);
  expect(writesSince(seq)).toEqual([]);

  const before = suite.emu.flow(id)!.flowJsonSha256;
  const since = lastSeq();
  expectOk(await c.up());
  expect(suite.actionsSince(since).filter((a) => WRITE_ACTIONS.has(a) && a !== "update" && a !== "publish")).toEqual([]);
  expect(suite.emu.flow(id)).toMatchObject({ name: "e2e-adopt-preview-renamed", status: "PUBLISHED", flowJsonSha256: before });
  expect(flowNamed("e2e-adopt-preview-renamed")).toHaveLength(1);
});

test("a name owned by a deprecated flow fails pulumi preview with no write call, and pulumi up creates nothing", async () => {
  const id = handMade("e2e-deprecated-name", "signup-v1.json", { publish: true });
  suite.emu.patchFlow(id, { status: "DEPRECATED" });
  const c = await program([spec("e2e-deprecated-name")]);
  const seq = lastSeq();
  const preview = await c.preview();
  expect(preview.code).not.toBe(0);
  expect(preview.output).toMatch(
    new RegExp(`the name "e2e-deprecated-name" is owned by deprecated flow ${id} in aws:waba-\\S+; deprecated flows keep their names`),
  );
  expect(writesSince(seq)).toEqual([]);
  // `pulumi up` as users run it (its preview first): fails the same way, creating nothing.
  const up = await c.run(["up", "--yes", "--non-interactive"]);
  expect(up.code).not.toBe(0);
  expect(up.output).toMatch(/owned by deprecated flow/);
  expect(writesSince(seq)).toEqual([]);
  expect(flowNamed("e2e-deprecated-name").map((f) => f.flowId)).toEqual([id]);
  expect(resourcesOf(await c.exportStack()).f).toBeUndefined();
});
