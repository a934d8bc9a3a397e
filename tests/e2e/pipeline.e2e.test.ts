/**
 * The pipeline example (examples/pipeline), run as its CI workflow runs it, in the same order, against
 * the emulator: dev on AWS, prod on Meta; prod's preview is gated on what dev has published.
 */
import * as path from "node:path";
import { ACCOUNT_REFS, DEFAULT_CREDENTIALS, startEmulator, type RunningEmulator } from "../../emulator";
import { expectOk, REPO, Workspace, type Checkout } from "./harness";

let emu: RunningEmulator;
let ws: Workspace;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => {
  ws = new Workspace(emu.url, "dev", { WHATSAPP_FLOWS_META_TOKEN: DEFAULT_CREDENTIALS.meta });
});
afterEach(() => ws.dispose());

const validate = (c: Checkout) =>
  c.runNode([path.join(REPO, "dist", "bin", "whatsapp-flows.js"), "validate", "flows/signup.json", "flows/contact-us.json"]);

test("validate, dev preview, prod preview (gated), dev up, prod preview passes, prod up; a new JSON is gated again; the opt-out works", async () => {
  const c = await ws.checkout("pipeline", { from: path.join(REPO, "examples", "pipeline") });
  await c.setConfig({ waba: ACCOUNT_REFS.dev.aws });
  await c.ok(["stack", "select", "--create", "prod"]);
  await c.setConfig({ waba: ACCOUNT_REFS.prod.meta, promoteFrom: "organization/whatsapp-flows-pipeline/dev" });

  // Pull request: validate and preview both stacks.
  expectOk(await validate(c));
  expectOk(await c.run(["preview", "--stack", "dev", "--non-interactive"]));
  let seq = emu.requests().at(-1)?.seq ?? 0;
  const gated = await c.run(["preview", "--stack", "prod", "--non-interactive"]);
  expect(gated.code).not.toBe(0);
  expect(gated.output).toMatch(/Flow "newsletter-signup": promotion gate: stack .*dev has no flow named "newsletter-signup"/);
  expect(gated.output).toMatch(/Flow "contact-us": promotion gate/);
  // The gate costs no vendor call: a WhatsAppFlow's Flow checks the JSON it will be created with (and so the
  // gate) before the preview's lookups of new flows, which a refused create never needs.
  expect(
    emu
      .requests()
      .filter((r) => r.seq > seq)
      .map((r) => r.action),
  ).toEqual([]);

  // Merge: dev up, prod preview (the gate now passes), prod up.
  expectOk(await c.run(["up", "--stack", "dev", "--yes", "--skip-preview", "--non-interactive"]));
  seq = emu.requests().at(-1)?.seq ?? 0;
  expectOk(await c.run(["preview", "--stack", "prod", "--non-interactive"]));
  expect(
    emu
      .requests()
      .filter((r) => r.seq > seq)
      .map((r) => r.action),
  ).toEqual(["list"]);
  expectOk(await c.run(["up", "--stack", "prod", "--yes", "--skip-preview", "--non-interactive"]));
  const prod = JSON.parse((await c.ok(["stack", "output", "flows", "--json", "--stack", "prod"])).stdout);
  const dev = JSON.parse((await c.ok(["stack", "output", "flows", "--json", "--stack", "dev"])).stdout);
  expect(prod["newsletter-signup"]).toMatchObject({
    name: "newsletter-signup",
    status: "PUBLISHED",
    flowJsonSha256: dev["newsletter-signup"].flowJsonSha256,
  });
  expect(prod["newsletter-signup"].flowId).not.toBe(dev["newsletter-signup"].flowId);

  // A new JSON that dev has not published yet: prod's preview names the flow and shows both hashes.
  const file = path.join(c.dir, "flows", "signup.json");
  const fs = await import("node:fs");
  fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/"text": "([^"]+)"/, '"text": "$1!"'));
  const differs = await c.run(["preview", "--stack", "prod", "--non-interactive"]);
  expect(differs.code).not.toBe(0);
  expect(differs.output).toMatch(
    /Flow "newsletter-signup": promotion gate: this Flow JSON differs from what stack .*dev has published \(.*dev: [0-9a-f]{64}, here: [0-9a-f]{64}\)/,
  );
  // The explicit opt-out.
  await c.ok(["config", "set", "--stack", "prod", "promotionGate", "false"]);
  expectOk(await c.run(["preview", "--stack", "prod", "--non-interactive"]));
});
