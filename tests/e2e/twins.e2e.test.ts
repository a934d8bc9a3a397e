/** Two resources must never manage one flow: a name declared twice fails, before any vendor call where it can. */
import { e2eSuite } from "./harness";

const suite = e2eSuite("aws");
const { program, flowNamed, lastSeq, actionsSince } = suite;
const flow = (key: string, name: string, extra: object = {}) => ({
  key,
  name,
  categories: ["SIGN_UP"],
  file: "fixtures/signup-v1.json",
  publish: true,
  ...extra,
});

test("a program declaring the same flow name twice fails at preview, naming both resources, with no vendor call but a name lookup", async () => {
  const c = await program([flow("first", "e2e-twin"), flow("second", "e2e-twin")]);
  const seq = lastSeq();
  const preview = await c.preview();
  expect(preview.code).not.toBe(0);
  expect(preview.output).toMatch(/Flow "e2e-twin" is declared twice for account .*: by resources "first" and "second"/);
  // At most the first Flow's read-only name lookup (when the engine checked it before the program failed).
  expect(actionsSince(seq).filter((a) => a !== "list")).toEqual([]);
  // `pulumi up` as users run it (its preview first): fails the same way, creating nothing.
  const up = await c.run(["up", "--yes", "--non-interactive"]);
  expect(up.code).not.toBe(0);
  expect(up.output).toMatch(/declared twice/);
  expect(flowNamed("e2e-twin")).toHaveLength(0);
});

test("a twin whose name is only known at deploy time fails the up; no flow is managed by two resources", async () => {
  const c = await program([flow("first", "e2e-twin-late"), flow("second", "e2e-twin-late", { nameAfter: "first" })]);
  const preview = await c.preview();
  expect(preview.code).toBe(0);
  const up = await c.up();
  expect(up.code).not.toBe(0);
  expect(up.output).toMatch(/declared twice/);
  expect(flowNamed("e2e-twin-late")).toHaveLength(1);
  // The state holds at most one Flow resource for that flow id.
  const resources = (await c.exportStack()).deployment.resources ?? [];
  const owners = resources.filter((r: any) => r.type.endsWith(":Flow") && r.outputs?.flowId === flowNamed("e2e-twin-late")[0].flowId);
  expect(owners.length).toBeLessThanOrEqual(1);
});
