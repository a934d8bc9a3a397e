/**
 * What the first preview says about flows being created (./adoption-preview.ts), against the emulator:
 * the three refusals, the adoption lines, the JSON comparison, degraded lookups, and no call for a
 * resource that already has state.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ACCOUNT_REFS, DEFAULT_CREDENTIALS, DEV_WABA_ID } from "../../emulator";
import { VALID_FLOW_JSON } from "../../emulator/test-helpers";
import { UNKNOWN } from "../model";
import type { FlowAssetsInputs } from "../model";
import { resetClaims } from "../lifecycle/claims";
import { flowHooks } from "./flow";
import { flowAssetsHooks } from "./flow-assets";
import { useEmulator } from "./test-helpers";

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "..", "..", "tests", "e2e", "fixtures", name), "utf8");
const V1 = fixture("signup-v1.json");
const V2 = fixture("signup-v2.json");

const suite = useEmulator();
const WRITES = new Set(["create", "update", "upload", "publish", "deprecate", "delete", "migrate"]);
const writes = () =>
  suite.emu
    .requests()
    .map((r) => r.action)
    .filter((a) => WRITES.has(a));

const inputs = (name = "signup", extra: object = {}, waba: string = DEV_WABA_ID) => ({
  waba,
  name,
  categories: ["SIGN_UP" as const],
  ...extra,
});

/** A flow that exists before the program runs (made by someone else), then a new deployment. */
async function existing(name: string, opts: { status?: "PUBLISHED" | "DEPRECATED"; json?: string; waba?: string } = {}): Promise<string> {
  const { id } = await flowHooks.create(inputs(name, {}, opts.waba));
  if (opts.json !== undefined || opts.status) suite.emu.patchFlow(id, { flowJson: opts.json ?? VALID_FLOW_JSON });
  if (opts.status === "PUBLISHED" || opts.status === "DEPRECATED") suite.emu.patchFlow(id, { status: "PUBLISHED" });
  if (opts.status === "DEPRECATED") suite.emu.patchFlow(id, { status: "DEPRECATED" });
  resetClaims(); // the program runs in a deployment (provider process) of its own
  suite.emu.clearRequests();
  return id;
}

/** What a hook printed to stderr (where Pulumi shows provider progress), and its result. */
async function printed<T>(run: () => Promise<T>): Promise<{ result: T; text: string }> {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stderr, "write").mockImplementation((c: any) => (chunks.push(String(c)), true));
  try {
    return { result: await run(), text: chunks.join("") };
  } finally {
    spy.mockRestore();
  }
}

describe("Flow.check of a new flow", () => {
  it("refuses an adoptFlowId that does not exist, naming the id and the account, with no write call", async () => {
    const r = await flowHooks.check({}, inputs("signup", { adoptFlowId: "999" }));
    expect(r.failures).toEqual([
      {
        property: "adoptFlowId",
        reason: expect.stringMatching(/^flow 999 \(adoptFlowId\) does not exist in aws:waba-\S+; check the id, or remove adoptFlowId/),
      },
    ]);
    // The not-found is believed once the credential is seen reading the account: one list (issue 17).
    expect(suite.ops()).toEqual(["GetWhatsAppFlow", "ListWhatsAppFlows"]);
    expect(writes()).toEqual([]);
  });

  it("refuses an adoptFlowId of a DEPRECATED flow", async () => {
    const id = await existing("old", { status: "DEPRECATED" });
    const r = await flowHooks.check({}, inputs("signup", { adoptFlowId: id }));
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]).toMatchObject({ property: "adoptFlowId" });
    expect(r.failures[0].reason).toMatch(
      new RegExp(`flow ${id} "old" \\(adoptFlowId\\) in aws:waba-\\S+ is DEPRECATED and cannot be revived`),
    );
    expect(writes()).toEqual([]);
  });

  it.each([{}, { adoptExisting: true }])("refuses a name owned by a deprecated flow (%o)", async (extra) => {
    const id = await existing("signup", { status: "DEPRECATED" });
    const r = await flowHooks.check({}, inputs("signup", extra));
    expect(r.failures).toEqual([
      {
        property: "name",
        reason: expect.stringMatching(
          new RegExp(
            `the name "signup" is owned by deprecated flow ${id} in aws:waba-\\S+; deprecated flows keep their names.*choose another name`,
          ),
        ),
      },
    ]);
    expect(suite.ops()).toEqual(["ListWhatsAppFlows"]);
    expect(writes()).toEqual([]);
  });

  it("says which flow adoptFlowId adopts and each metadata change up will make", async () => {
    const id = await existing("signup", { status: "PUBLISHED" });
    const { result, text } = await printed(() =>
      flowHooks.check({}, { ...inputs("signup-new", { adoptFlowId: id }), categories: ["SIGN_UP", "OTHER"] }),
    );
    expect(result.failures).toEqual([]);
    expect(text).toContain(
      `flow "signup-new": \`pulumi up\` will adopt flow ${id} "signup" (PUBLISHED) (adoptFlowId) instead of creating one; it aligns:`,
    );
    expect(text).toContain('  name "signup" → "signup-new"');
    expect(text).toContain("  categories [SIGN_UP] → [OTHER, SIGN_UP]");
    expect(text).toContain("  updated in place, and published again if the vendor re-drafts it");
    expect(writes()).toEqual([]);
  });

  it("says when the adopted flow's name and categories already match", async () => {
    const id = await existing("signup");
    const { text } = await printed(() => flowHooks.check({}, inputs("signup", { adoptExisting: true })));
    expect(text).toContain(
      `will adopt flow ${id} "signup" (DRAFT) (adoptExisting) instead of creating one; name and categories already match`,
    );
  });

  it("says so when adoptExisting finds nothing (the flow is created)", async () => {
    const { result, text } = await printed(() => flowHooks.check({}, inputs("fresh", { adoptExisting: true })));
    expect(result.failures).toEqual([]);
    expect(text).toMatch(/flow "fresh": no flow of this name in aws:waba-\S+: `pulumi up` creates it/);
  });

  it("warns (without failing) when another flow holds the name and no adoption is asked for", async () => {
    const id = await existing("signup", { status: "PUBLISHED" });
    const { result, text } = await printed(() => flowHooks.check({}, inputs("signup")));
    expect(result.failures).toEqual([]);
    expect(text).toContain(`a PUBLISHED flow of this name (id ${id}) already exists`);
    expect(text).toContain("set `adoptExisting: true` to take it over");
  });

  it("lists an account once for any number of new flows", async () => {
    await existing("a");
    for (const name of ["x", "y", "z"]) await flowHooks.check({}, inputs(name));
    await flowHooks.check({}, inputs("w", { adoptExisting: true }));
    expect(suite.ops()).toEqual(["ListWhatsAppFlows"]);
  });

  it("prints one line and passes when the lookup fails (no credentials in it)", async () => {
    suite.emu.addFault({ operation: "list", times: 10, action: { kind: "error", status: 500 } });
    const waba = ACCOUNT_REFS.dev.meta;
    const { result, text } = await printed(() => flowHooks.check({}, inputs("signup", {}, waba)));
    expect(result.failures).toEqual([]);
    expect(text).toMatch(/could not look up existing flows in meta:\S+ \(.+\); checked at `pulumi up` instead\n$/);
    expect(text).not.toContain(DEFAULT_CREDENTIALS.meta);
    expect(writes()).toEqual([]);
  });

  it("makes no call for a flow that already has state, nor for values still unknown", async () => {
    await existing("signup", { status: "DEPRECATED" });
    expect((await flowHooks.check(inputs("signup"), inputs("signup"))).failures).toEqual([]);
    expect((await flowHooks.check({}, inputs(UNKNOWN, { adoptExisting: true }))).failures).toEqual([]);
    expect(suite.ops()).toEqual([]);
  });
});

describe("FlowAssets.check of new assets whose Flow adopts", () => {
  const assets = (flowJson: string, adopt: FlowAssetsInputs["adopt"], extra: Partial<FlowAssetsInputs> = {}) => ({
    waba: DEV_WABA_ID,
    // Unknown at preview: the Flow is being created (adopted).
    flowId: UNKNOWN,
    flowName: "signup",
    flowJson,
    sourcePath: "flows/signup.json",
    publish: true,
    adopt,
    ...extra,
  });

  it("says the Flow JSON is identical: nothing uploaded", async () => {
    const id = await existing("signup", { status: "PUBLISHED", json: V1 });
    const { result, text } = await printed(() => flowAssetsHooks.check({}, assets(JSON.stringify(JSON.parse(V1)), { byName: true })));
    expect(result.failures).toEqual([]);
    expect(text).toContain(`flow "signup": adopted flow ${id} (PUBLISHED): Flow JSON identical: nothing uploaded`);
    // One list (found by name), one download of its JSON: reads only.
    expect(suite.ops()).toEqual(["ListWhatsAppFlows", "ListWhatsAppFlowAssets", "DownloadFlowAsset"]);
    expect(writes()).toEqual([]);
  });

  it("names the changed screens and components and what up will do (by id)", async () => {
    const id = await existing("signup", { status: "PUBLISHED", json: V1 });
    const { text } = await printed(() => flowAssetsHooks.check({}, assets(V2, { flowId: id })));
    expect(text).toMatch(
      new RegExp(`flow "signup": Flow JSON of adopted flow ${id} changes:\\n {2}screens: ~SIGN_UP \\(components: ~TextHeading\\[0\\]`),
    );
    expect(text).toContain(
      `flow ${id} is PUBLISHED: \`pulumi up\` uploads the new JSON in place and publishes it again right after (same id)`,
    );
    expect(writes()).toEqual([]);
  });

  it("says a vendor that will not edit published flows replaces the adopted flow", async () => {
    const waba = ACCOUNT_REFS.dev["360dialog"];
    const id = await existing("signup", { status: "PUBLISHED", json: V1, waba });
    const { text } = await printed(() => flowAssetsHooks.check({}, assets(V2, { byName: true }, { waba })));
    expect(text).toContain(`will not edit published flow ${id}: \`pulumi up\` publishes the new Flow JSON as a new flow "signup (v2)"`);
  });

  it("prints one line and passes when the download fails", async () => {
    await existing("signup", { status: "PUBLISHED", json: V1 });
    suite.emu.addFault({ operation: "download", times: 10, action: { kind: "error", status: 500 } });
    const { result, text } = await printed(() => flowAssetsHooks.check({}, assets(V2, { byName: true })));
    expect(result.failures).toEqual([]);
    expect(text).toMatch(/could not look up existing flows in aws:waba-\S+ \(.+\); checked at `pulumi up` instead/);
  });

  it("makes no call with state, nor without adopt; diff ignores adopt", async () => {
    await existing("signup", { status: "PUBLISHED", json: V1 });
    const olds = assets(V2, { byName: true }, { flowId: "1" });
    expect((await flowAssetsHooks.check(olds, olds)).failures).toEqual([]);
    expect((await flowAssetsHooks.check({}, assets(V2, undefined))).failures).toEqual([]);
    expect(suite.ops()).toEqual([]);
  });
});
