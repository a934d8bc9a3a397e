/**
 * The lifecycle end to end: real Pulumi CLI, real program (tests/e2e/programs/flows), real AWS SDK in
 * the provider process, the emulator in this process. Each test has its own stack state and flow names.
 */
import { e2eSuite } from "./harness";

const suite = e2eSuite();
const { program, flowNamed, lastSeq, opsSince } = suite;

test("create + publish, then preview with nothing changed makes no call and shows no change", async () => {
  const c = await program([{ key: "signup", name: "e2e-create", categories: ["SIGN_UP"], file: "fixtures/signup-v1.json", publish: true }]);
  // Real-looking credentials in the environment: used by the SDK, never written to state or output.
  const credentials = { AWS_ACCESS_KEY_ID: "AKIAE2ETESTKEY000001", AWS_SECRET_ACCESS_KEY: "e2e/Secret+Key/That/Must/Not/Leak0000001" };
  const up = await c.up(credentials);
  expect(up.code).toBe(0);
  const state = JSON.stringify(await c.exportStack());
  for (const value of Object.values(credentials)) {
    expect(state).not.toContain(value);
    expect(up.output).not.toContain(value);
  }
  const [flow] = flowNamed("e2e-create");
  expect(flow.status).toBe("PUBLISHED");
  const outs = await c.outputs();
  expect(outs.signup.flowId).toBe(flow.flowId);
  expect(outs.signup.status).toBe("PUBLISHED");
  expect(outs.signup.previewUrl).toMatch(/^https?:\/\//);

  const before = lastSeq();
  const preview = await c.preview(["--expect-no-changes"]);
  expect(preview.code).toBe(0);
  expect(preview.output).toMatch(/3 unchanged/);
  expect(opsSince(before)).toEqual([]);
});

test("changing the JSON of a published flow uploads and re-publishes it back to back, same id", async () => {
  const spec = { key: "signup", name: "e2e-json-change", categories: ["SIGN_UP"], file: "fixtures/signup-v1.json", publish: true };
  const c = await program([spec]);
  expect((await c.up()).code).toBe(0);
  const [before] = flowNamed(spec.name);

  await c.setConfig({ flows: [{ ...spec, file: "fixtures/signup-v2.json" }] });
  const seq = lastSeq();
  const up = await c.up();
  expect(up.code).toBe(0);
  expect(up.output).toMatch(/1 updated/);
  const ops = opsSince(seq);
  const upload = ops.indexOf("UpdateWhatsAppFlowAssets");
  expect(upload).toBeGreaterThanOrEqual(0);
  // Nothing between the call that re-drafts the flow and the publish.
  expect(ops[upload + 1]).toBe("PublishWhatsAppFlow");
  const [after] = flowNamed(spec.name);
  expect(after.flowId).toBe(before.flowId);
  expect(after.status).toBe("PUBLISHED");
  expect(after.flowJson).toContain("Get our daily offers");
  expect(flowNamed(spec.name)).toHaveLength(1);
});

test("a metadata change updates in place and a published flow is published again", async () => {
  const spec = { key: "signup", name: "e2e-meta", categories: ["SIGN_UP"], file: "fixtures/signup-v1.json", publish: true };
  const c = await program([spec]);
  expect((await c.up()).code).toBe(0);
  const [before] = flowNamed("e2e-meta");

  await c.setConfig({ flows: [{ ...spec, name: "e2e-meta-renamed", categories: ["SIGN_UP", "LEAD_GENERATION"] }] });
  const up = await c.up();
  expect(up.code).toBe(0);
  const after = suite.emu.flow(before.flowId)!;
  expect(after.name).toBe("e2e-meta-renamed");
  expect(after.categories.sort()).toEqual(["LEAD_GENERATION", "SIGN_UP"]);
  expect(after.status).toBe("PUBLISHED");
  expect(flowNamed("e2e-meta")).toHaveLength(0);
});

test("server-side validation errors fail the up, list every error with the flow name, and publish nothing", async () => {
  suite.emu.addFault({
    operation: "UpdateWhatsAppFlowAssets",
    flowName: "e2e-server-invalid",
    action: {
      kind: "validation-errors",
      errors: [
        { error: "INVALID_PROPERTY_VALUE", error_type: "FLOW_JSON_ERROR", message: "Meta says the label is wrong", line_start: 12, line_end: 12, column_start: 11, column_end: 30, pointers: [{ path: "screens[0].layout.children[1].label", line_start: 12, line_end: 12, column_start: 11, column_end: 30 }] },
        { error: "UNAVAILABLE_FLOW_JSON_VERSION", error_type: "FLOW_JSON_ERROR", message: "Version 7.3 is not available for this WABA", line_start: 2, line_end: 2, column_start: 3, column_end: 19 },
      ],
    },
  });
  const c = await program([{ key: "signup", name: "e2e-server-invalid", categories: ["SIGN_UP"], file: "fixtures/signup-v1.json", publish: true }]);
  const seq = lastSeq();
  const up = await c.up();
  expect(up.code).not.toBe(0);
  expect(up.output).toContain('Flow "e2e-server-invalid"');
  expect(up.output).toContain("fixtures/signup-v1.json:12:11");
  expect(up.output).toContain("INVALID_PROPERTY_VALUE");
  expect(up.output).toContain("UNAVAILABLE_FLOW_JSON_VERSION");
  expect(opsSince(seq)).not.toContain("PublishWhatsAppFlow");
  const [flow] = flowNamed("e2e-server-invalid");
  expect(flow.status).toBe("DRAFT");

  // The next up (the vendor now accepts the JSON) repairs: same flow, published.
  const again = await c.up();
  expect(again.code).toBe(0);
  expect(flowNamed("e2e-server-invalid")).toHaveLength(1);
  expect(suite.emu.flow(flow.flowId)!.status).toBe("PUBLISHED");
});

test("a published flow whose new JSON the vendor rejects is restored and stays published", async () => {
  const spec = { key: "signup", name: "e2e-rollback", categories: ["SIGN_UP"], file: "fixtures/signup-v1.json", publish: true };
  const c = await program([spec]);
  expect((await c.up()).code).toBe(0);
  const [flow] = flowNamed(spec.name);
  suite.emu.addFault({
    operation: "UpdateWhatsAppFlowAssets",
    flowName: spec.name,
    action: { kind: "validation-errors", errors: [{ error: "INVALID_PROPERTY_VALUE", error_type: "FLOW_JSON_ERROR", message: "rejected by Meta", line_start: 5, line_end: 5, column_start: 7, column_end: 9 }] },
  });
  await c.setConfig({ flows: [{ ...spec, file: "fixtures/signup-v2.json" }] });
  const up = await c.up();
  expect(up.code).not.toBe(0);
  expect(up.output).toMatch(/previously published version was restored/);
  const now = suite.emu.flow(flow.flowId)!;
  expect(now.status).toBe("PUBLISHED");
  expect(now.flowJson).toContain("Get our weekly offers");
});

test("invalid Flow JSON fails preview with file:line:column before any API call", async () => {
  const c = await program([{ key: "broken", name: "e2e-broken", categories: ["OTHER"], file: "fixtures/broken.json", publish: true }]);
  const seq = lastSeq();
  const preview = await c.preview();
  expect(preview.code).not.toBe(0);
  expect(preview.output).toContain('Flow "e2e-broken"');
  expect(preview.output).toMatch(/fixtures\/broken\.json:\d+:\d+/);
  expect(opsSince(seq)).toEqual([]);
  expect(flowNamed("e2e-broken")).toHaveLength(0);
});

test("removing a draft deletes it; removing a published flow deprecates it and it stays listed", async () => {
  const draft = { key: "draft", name: "e2e-remove-draft", categories: ["OTHER"], file: "fixtures/signup-v1.json", publish: false };
  const live = { key: "live", name: "e2e-remove-live", categories: ["OTHER"], file: "fixtures/signup-v1.json", publish: true };
  const c = await program([draft, live]);
  expect((await c.up()).code).toBe(0);
  expect(flowNamed(draft.name)[0].status).toBe("DRAFT");

  await c.setConfig({ flows: [live] });
  expect((await c.up()).code).toBe(0);
  expect(flowNamed(draft.name)).toHaveLength(0);

  await c.setConfig({ flows: [] });
  const seq = lastSeq();
  expect((await c.up()).code).toBe(0);
  expect(opsSince(seq)).toContain("DeprecateWhatsAppFlow");
  expect(opsSince(seq)).not.toContain("DeleteWhatsAppFlow");
  const [deprecated] = flowNamed(live.name);
  expect(deprecated.status).toBe("DEPRECATED");
});

test("destroy handles drafts, published and already-deprecated flows without errors", async () => {
  const flows = [
    { key: "a", name: "e2e-destroy-draft", categories: ["OTHER"], file: "fixtures/signup-v1.json", publish: false },
    { key: "b", name: "e2e-destroy-live", categories: ["OTHER"], file: "fixtures/signup-v1.json", publish: true },
    { key: "c", name: "e2e-destroy-deprecated", categories: ["OTHER"], file: "fixtures/signup-v1.json", publish: true },
  ];
  const c = await program(flows);
  expect((await c.up()).code).toBe(0);
  suite.emu.patchFlow(flowNamed("e2e-destroy-deprecated")[0].flowId, { status: "DEPRECATED" });

  const destroy = await c.destroy();
  expect(destroy.code).toBe(0);
  expect(flowNamed("e2e-destroy-draft")).toHaveLength(0);
  expect(flowNamed("e2e-destroy-live")[0].status).toBe("DEPRECATED");
  expect(flowNamed("e2e-destroy-deprecated")[0].status).toBe("DEPRECATED");
  expect((await c.exportStack()).deployment.resources ?? []).toHaveLength(0);
});

test("Flow JSON warnings (display limits) are printed at preview and do not fail it", async () => {
  const c = await program([{ key: "long", name: "e2e-warning", categories: ["OTHER"], file: "fixtures/signup-long-heading.json", publish: true }]);
  const preview = await c.preview();
  expect(preview.code).toBe(0);
  expect(preview.output).toMatch(/fixtures\/signup-long-heading\.json:\d+:\d+ +warning +MAX_CHARS_EXCEEDED/);
  expect(preview.output).toMatch(/3 to create/);
});
