/**
 * What the per-vendor scenarios (./scenarios.ts, run for every vendor) do not cover: the rollback of a
 * rejected JSON on a live flow edited in place (AWS), and what preview prints for invalid JSON and for
 * warnings. Real Pulumi CLI, real program (tests/e2e/programs/flows), real AWS SDK, the emulator.
 */
import { e2eSuite } from "./harness";

const suite = e2eSuite();
const { program, flowNamed, lastSeq, opsSince } = suite;

test("a published flow whose new JSON the vendor rejects is restored and stays published", async () => {
  const spec = { key: "signup", name: "e2e-rollback", categories: ["SIGN_UP"], file: "fixtures/signup-v1.json", publish: true };
  const c = await program([spec]);
  expect((await c.up()).code).toBe(0);
  const [flow] = flowNamed(spec.name);
  suite.emu.addFault({
    operation: "UpdateWhatsAppFlowAssets",
    flowName: spec.name,
    action: {
      kind: "validation-errors",
      errors: [
        {
          error: "INVALID_PROPERTY_VALUE",
          error_type: "FLOW_JSON_ERROR",
          message: "rejected by Meta",
          line_start: 5,
          line_end: 5,
          column_start: 7,
          column_end: 9,
        },
      ],
    },
  });
  await c.setConfig({ flows: [{ ...spec, file: "fixtures/signup-v2.json" }] });
  const up = await c.up();
  expect(up.code).not.toBe(0);
  expect(up.output).toMatch(/previously published version was restored/);
  const now = suite.emu.flow(flow.flowId)!;
  expect(now.status).toBe("PUBLISHED");
  expect(now.flowJson).toContain("Get our weekly offers");
});

test("invalid Flow JSON fails preview with file:line:column before any call but the name lookup", async () => {
  const c = await program([{ key: "broken", name: "e2e-broken", categories: ["OTHER"], file: "fixtures/broken.json", publish: true }]);
  const seq = lastSeq();
  const preview = await c.preview();
  expect(preview.code).not.toBe(0);
  expect(preview.output).toContain('Flow "e2e-broken"');
  expect(preview.output).toMatch(/fixtures\/broken\.json:\d+:\d+/);
  // Only the Flow's read-only name lookup (a new flow: is its name free?); no call about the JSON.
  expect(opsSince(seq)).toEqual(["ListWhatsAppFlows"]);
  expect(flowNamed("e2e-broken")).toHaveLength(0);
});

test("Flow JSON warnings (display limits) are printed at preview and do not fail it", async () => {
  const c = await program([
    { key: "long", name: "e2e-warning", categories: ["OTHER"], file: "fixtures/signup-long-heading.json", publish: true },
  ]);
  const preview = await c.preview();
  expect(preview.code).toBe(0);
  expect(preview.output).toMatch(/fixtures\/signup-long-heading\.json:\d+:\d+ +warning +MAX_CHARS_EXCEEDED/);
  expect(preview.output).toMatch(/3 to create/);
});
