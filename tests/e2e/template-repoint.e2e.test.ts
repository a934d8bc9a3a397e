/**
 * A flow's replacement never strands the template that sends it (issue 19 item 3), with the real Pulumi
 * CLI on tests/e2e/programs/templates (a WhatsAppFlow and a MessageTemplate whose FLOW button opens it):
 *
 * - 360dialog and 8x8 (every change of a published flow is a replacement): from the emulator's request
 *   log, the successor is published before the template is repointed (`<name>_v2`), and the old flow is
 *   deprecated only after; preview names the template; every template points at the live flow.
 * - Meta, legacy flow: the repoint is an edit; the next one, with Meta's edits spent, is refused at
 *   preview with no call.
 * - The fault matrix (360dialog): the `up` stopped at each call of the sequence (a vendor error, and a
 *   kill -9 of the CLI); after each stop no template points at a DEPRECATED flow, and the next `up`
 *   converges: old flow DEPRECATED, one template, pointing at the live flow, no duplicate flow.
 */
import { DEV_WABA_ID } from "../../emulator";
import { e2eSuite, expectOk, type Checkout, type E2eVendor } from "./harness";
import { killLeftovers, sleep, startUp, waitFor } from "./processes";

const FILES = ["fixtures/signup-v1.json", "fixtures/signup-v2.json"];

function suiteFor(vendor: E2eVendor) {
  const suite = e2eSuite(vendor);
  // One emulator per file: each test deploys a flow name of its own.
  const names = { flowName: `e2e-repoint-${vendor}` };
  const devTemplates = () => suite.emu.templates().filter((t) => t.wabaId === DEV_WABA_ID);
  const family = () => suite.family(names.flowName);
  /** At no moment a template points at a flow that is not live. */
  const noTemplateStranded = () => {
    for (const t of devTemplates())
      for (const f of t.flowIds)
        expect({ template: t.name, flow: f, status: suite.emu.flow(f)?.status }).toMatchObject({ status: "PUBLISHED" });
  };
  /** Converged: one live flow of the family, every older one DEPRECATED, one template pointing at the live flow. */
  const converged = () => {
    const live = suite.liveOf(names.flowName);
    expect(family().filter((f) => f.flowId !== live.flowId && f.status !== "DEPRECATED")).toEqual([]);
    const templates = devTemplates();
    expect(templates.map((t) => t.flowIds)).toEqual([[live.flowId]]);
    return { live, template: templates[0] };
  };
  const deploy = async (suffix = ""): Promise<Checkout> => {
    // A clean account (an earlier test's deleted template name is blocked for 30 days, as on Meta).
    suite.emu.reset();
    names.flowName = `e2e-repoint-${vendor}${suffix}`;
    const c = await suite.ws.checkout("templates");
    await c.setConfig({ waba: suite.waba, flowName: names.flowName, flowFile: FILES[0] });
    expectOk(await c.up());
    converged();
    return c;
  };
  return { suite, names, devTemplates, noTemplateStranded, converged, deploy };
}

describe.each(["360dialog", "8x8"] as E2eVendor[])("%s", (vendor) => {
  const { suite, deploy, converged, devTemplates, noTemplateStranded } = suiteFor(vendor);

  test(`${vendor}: a JSON change publishes the successor, replaces the template by _v2 pointing at it, then deprecates the old flow`, async () => {
    const c = await deploy();
    const before = converged();
    await c.setConfig({ flowFile: FILES[1] });

    const preview = await c.preview();
    expectOk(preview);
    expect(preview.output).toMatch(/deprecates flow \d+ once no template sends it any more/);
    expect(preview.output).toMatch(
      new RegExp(
        `template "signup_invite": template \\S+ "signup_invite" is replaced by "signup_invite_v2" pointing at the successor of flow ${before.live.flowId}`,
      ),
    );

    const seq = suite.lastSeq();
    const up = expectOk(await c.up());
    const log = suite.emu.requests().filter((r) => r.seq > seq);
    const after = converged();
    expect(after.live.flowId).not.toBe(before.live.flowId);
    expect(after.template.name).toBe("signup_invite_v2");
    expect(suite.emu.flow(before.live.flowId)!.status).toBe("DEPRECATED");
    const at = (pred: (r: (typeof log)[number]) => boolean) => log.findIndex(pred);
    // 360dialog publishes the successor by a call of its own; 8x8 creates it with `publish` in one call.
    const published = vendor === "8x8" ? at((r) => r.action === "create") : at((r) => r.action === "publish");
    const repointed = at((r) => r.action === "CreateTemplate");
    const oldTemplateGone = at((r) => r.action === "DeleteTemplate");
    const deprecated = at((r) => r.action === "deprecate");
    expect(published).toBeGreaterThanOrEqual(0);
    expect(repointed).toBeGreaterThan(published);
    expect(oldTemplateGone).toBeGreaterThan(repointed);
    expect(deprecated).toBeGreaterThan(oldTemplateGone);
    expect(log.filter((r) => r.action === "deprecate")).toHaveLength(1);
    expect(up.output).toMatch(new RegExp(`flow ${before.live.flowId} deprecated: its templates now send flow ${after.live.flowId}`));
    // The per-vendor cost of the replacement with its template (docs/design.md): every call of this `up`.
    process.stderr.write(`[repoint ${vendor}] ${log.length} calls: ${log.map((r) => r.action).join(", ")}\n`);
    expect(devTemplates()).toHaveLength(1);
    noTemplateStranded();
    // Nothing left to do: the next preview says no change, with no call.
    const quiet = suite.lastSeq();
    expectOk(await c.preview(["--expect-no-changes"]));
    expect(suite.actionsSince(quiet)).toEqual([]);
  });
});

describe("meta", () => {
  const { suite, deploy, converged } = suiteFor("meta");

  test("meta: a legacy flow's replacement edits the template in place to the successor, then deprecates the old flow; the next one is refused at preview once Meta's edits are spent", async () => {
    const c = await deploy();
    const before = converged();
    suite.emu.patchFlow(before.live.flowId, { legacy: true } as any);
    await c.setConfig({ flowFile: FILES[1] });
    const seq = suite.lastSeq();
    const up = expectOk(await c.up());
    const log = suite.emu.requests().filter((r) => r.seq > seq);
    const after = converged();
    expect(after.live.flowId).not.toBe(before.live.flowId);
    expect(after.template).toMatchObject({ templateId: before.template.templateId, name: "signup_invite" });
    expect(suite.emu.template(before.template.templateId)!.edits).toHaveLength(1);
    const edited = log.findIndex((r) => r.action === "UpdateTemplate");
    const deprecated = log.findIndex((r) => r.action === "deprecate");
    expect(edited).toBeGreaterThan(log.findIndex((r) => r.action === "publish" || r.action === "create"));
    expect(deprecated).toBeGreaterThan(edited);
    expect(up.output).toMatch(new RegExp(`flow ${before.live.flowId} deprecated: its templates now send flow ${after.live.flowId}`));
    process.stderr.write(`[repoint meta legacy] ${log.length} calls: ${log.map((r) => r.action).join(", ")}\n`);

    // The next JSON change the same day: a replacement again (the refusal is remembered), whose repoint
    // needs an edit Meta's budget (1 per 24 hours) no longer allows: refused at preview, before any call.
    await c.setConfig({ flowFile: FILES[0] });
    const since = suite.lastSeq();
    const refused = await c.preview();
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(
      new RegExp(
        `would leave template \\S+ "signup_invite" pointing at deprecated flow ${after.live.flowId}: .*next edit possible at \\d{4}-`,
        "s",
      ),
    );
    expect(suite.actionsSince(since)).toEqual([]);
  });
});

describe("aws", () => {
  const { suite, deploy, converged, noTemplateStranded } = suiteFor("aws");

  test("aws: a legacy flow's replacement edits the template in place to the successor, then deprecates the old flow", async () => {
    const c = await deploy();
    const before = converged();
    suite.emu.patchFlow(before.live.flowId, { legacy: true } as any);
    await c.setConfig({ flowFile: FILES[1] });
    const seq = suite.lastSeq();
    const up = expectOk(await c.up());
    const log = suite.emu.requests().filter((r) => r.seq > seq);
    const after = converged();
    expect(after.live.flowId).not.toBe(before.live.flowId);
    expect(after.template).toMatchObject({ templateId: before.template.templateId, name: "signup_invite" });
    expect(suite.emu.template(before.template.templateId)!.edits).toHaveLength(1);
    expect(suite.emu.flow(before.live.flowId)!.status).toBe("DEPRECATED");
    // Order: successor published < template edited < old flow deprecated.
    const at = (pred: (r: (typeof log)[number]) => boolean) => log.findIndex(pred);
    const published = at((r) => r.action === "publish" || (r.action === "create" && (r.body as any)?.publish === true));
    const edited = at((r) => r.action === "UpdateTemplate");
    const deprecated = at((r) => r.action === "deprecate");
    expect(published).toBeGreaterThanOrEqual(0);
    expect(edited).toBeGreaterThan(published);
    expect(deprecated).toBeGreaterThan(edited);
    expect(log.filter((r) => r.action === "deprecate")).toHaveLength(1);
    expect(up.output).toMatch(new RegExp(`flow ${before.live.flowId} deprecated: its templates now send flow ${after.live.flowId}`));
    // AWS's template list carries no components: the first look at the templates is 1 list + 1 get per
    // template (N = 1 here); the second, before deprecating, lists again but reads no template this `up`
    // already read or wrote. Then the template's own read before its edit, and its review after.
    const actions = log.map((r) => r.action);
    process.stderr.write(`[repoint aws legacy] ${log.length} calls: ${actions.join(", ")}\n`);
    // (No list of the flows: the check that the flow is still live is the preview's, provider/hooks/not-live.ts.)
    expect(actions).toEqual([
      "upload", // refused: a legacy flow
      "get",
      "upload", // refused again, confirmed by the read: replacement
      "create", // the successor, created and published in one call
      "ListTemplates",
      "GetTemplate",
      "GetTemplate",
      "UpdateTemplate",
      "ListTemplates",
      "deprecate",
      "GetTemplate",
    ]);
    noTemplateStranded();
  });
});

describe("360dialog kept predecessor", () => {
  const { suite, deploy, converged, devTemplates, noTemplateStranded, names } = suiteFor("360dialog");

  /** A template outside the stack, created through 360dialog's own API, whose FLOW button opens `flowId`. */
  async function outsideTemplate(flowId: string) {
    const [partner, account] = suite.waba.slice("360dialog:".length).split("/");
    const res = await fetch(`${suite.emu.url}/api/v2/partners/${partner}/waba_accounts/${account}/waba_templates`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": suite.credential! },
      body: JSON.stringify({
        name: "outside_invite",
        category: "MARKETING",
        language: "en_US",
        components: [
          { type: "BODY", text: "Sign up for our offers" },
          {
            type: "BUTTONS",
            buttons: [{ type: "FLOW", text: "Sign up", flow_id: flowId, flow_action: "navigate", navigate_screen: "SIGN_UP" }],
          },
        ],
      }),
    });
    expect(res.status).toBeLessThan(300);
  }

  test("a flow kept for a template outside the stack is never taken for the live one: a later categories change replaces the live flow, with its JSON", async () => {
    const c = await deploy("-kept");
    const x = converged().live;
    await outsideTemplate(x.flowId);

    // A JSON change: Y published, the stack's template repointed to it; X stays published for the outside template.
    await c.setConfig({ flowFile: FILES[1] });
    const json = expectOk(await c.up());
    const y = suite.family(names.flowName).find((f) => f.flowId !== x.flowId)!;
    expect(json.output).toMatch(new RegExp(`flow ${x.flowId} stays published`));
    expect(suite.emu.flow(x.flowId)!.status).toBe("PUBLISHED");
    expect(y).toMatchObject({ name: `${names.flowName} (v2)`, status: "PUBLISHED" });
    const stackTemplate = devTemplates().find((t) => t.name.startsWith("signup_invite"))!;
    expect(stackTemplate.flowIds).toEqual([y.flowId]);
    noTemplateStranded();

    // A categories change of the Flow (its state still records X): the preview names the stack's template,
    // sending Y; `up` replaces Y (not X) by v3, holding Y's JSON; Y is retired, X stays for the outside template.
    await c.setConfig({ categories: ["SURVEY"] });
    const preview = expectOk(await c.preview());
    expect(preview.output).toMatch(new RegExp(`template "signup_invite": .*successor of flow ${y.flowId}`));
    const seq = suite.lastSeq();
    const up = expectOk(await c.up());
    const log = suite.emu.requests().filter((r) => r.seq > seq);
    process.stderr.write(`[kept predecessor 360dialog] ${log.length} calls: ${log.map((r) => r.action).join(", ")}\n`);
    const fam = suite
      .family(names.flowName)
      .map((f) => [f.name, f.status])
      .sort((a, b) => (a[0] < b[0] ? -1 : 1));
    expect(fam).toEqual([
      [names.flowName, "PUBLISHED"],
      [`${names.flowName} (v2)`, "DEPRECATED"],
      [`${names.flowName} (v3)`, "PUBLISHED"],
    ]);
    const v3 = suite.family(names.flowName).find((f) => f.name === `${names.flowName} (v3)`)!;
    expect(v3.categories).toEqual(["SURVEY"]);
    expect(suite.emu.flow(v3.flowId)!.flowJson).toBe(suite.emu.flow(y.flowId)!.flowJson);
    expect(suite.emu.flow(v3.flowId)!.flowJson).not.toBe(suite.emu.flow(x.flowId)!.flowJson);
    // Only one successor was made, and nothing deprecated X, which the outside template still sends.
    expect(log.filter((r) => r.action === "create")).toHaveLength(1);
    expect(log.filter((r) => r.action === "deprecate")).toHaveLength(1);
    expect(up.output).toMatch(new RegExp(`flow ${x.flowId} was replaced by flow ${y.flowId}`));
    const templates = devTemplates()
      .map((t) => [t.name, t.flowIds])
      .sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1));
    expect(templates).toEqual([
      ["outside_invite", [x.flowId]],
      [expect.stringMatching(/^signup_invite/), [v3.flowId]],
    ]);
    noTemplateStranded();
    // Nothing left to do but X, kept: the next preview says no change.
    expectOk(await c.preview(["--expect-no-changes"]));
  });
});

describe.each(["360dialog", "8x8"] as E2eVendor[])("%s fault matrix", (vendor) => {
  const { suite, deploy, converged, noTemplateStranded, devTemplates, names } = suiteFor(vendor);
  // Every call of the sequence: the successor's create (8x8: with its JSON and publish), upload and publish,
  // the look at the templates, the template's _v2 create, the old template's delete, the old flow's deprecation.
  const STOPS =
    vendor === "8x8"
      ? ["create", "ListTemplates", "CreateTemplate", "DeleteTemplate", "deprecate"]
      : ["create", "upload", "publish", "ListTemplates", "CreateTemplate", "DeleteTemplate", "deprecate"];

  test("stopped at each call of the replacement and repoint (vendor error), no template ever points at a deprecated flow, and the next up converges", async () => {
    const c = await deploy();
    let file = 0;
    for (const stop of STOPS) {
      const before = converged();
      file = 1 - file;
      await c.setConfig({ flowFile: FILES[file] });
      // Not applied, and more failures than any retry absorbs: this `up` stops there.
      suite.emu.addFault({ operation: stop, action: { kind: "error", status: 500 }, times: 20 });
      const seq = suite.lastSeq();
      const stopped = await c.up();
      const hit = suite.emu.requests().some((r) => r.seq > seq && r.action === stop && r.status === 500);
      suite.emu.clearFaults();
      expect({ stop, hit }).toEqual({ stop, hit: true });
      noTemplateStranded();
      // Until the template points elsewhere, the old flow stays live.
      if (devTemplates().some((t) => t.flowIds.includes(before.live.flowId)))
        expect(suite.emu.flow(before.live.flowId)!.status).toBe("PUBLISHED");
      process.stderr.write(`[fault matrix] stop at ${stop}: first up exit ${stopped.code}\n`);

      expectOk(await c.up());
      const after = converged();
      expect({ stop, old: suite.emu.flow(before.live.flowId)!.status }).toEqual({ stop, old: "DEPRECATED" });
      expect(after.live.flowId).not.toBe(before.live.flowId);
      noTemplateStranded();
    }
    // One successor per change: no duplicate flow was ever made.
    expect(suite.family(names.flowName)).toHaveLength(STOPS.length + 1);
  });
});

describe("360dialog kill -9", () => {
  const { suite, deploy, converged, noTemplateStranded, names } = suiteFor("360dialog");

  test("kill -9 of `pulumi up` while the template's _v2 is being created: the old flow stays live, and the next up finishes", async () => {
    const c = await deploy("-kill");
    const before = converged();
    await c.setConfig({ flowFile: FILES[1] });
    suite.emu.addFault({ operation: "CreateTemplate", action: { kind: "latency", ms: 4000 } });
    const run = startUp(c);
    try {
      await waitFor("the template create to reach the vendor", () => suite.emu.faults().length === 0, 180_000).catch((e) => {
        throw new Error(`${e.message}\n${run.output()}`);
      });
      await sleep(300);
      await run.kill();
      // The vendor applies the create after its latency; the provider exits without deprecating anything.
      await sleep(5000);
    } finally {
      killLeftovers(c.dir);
    }
    noTemplateStranded();
    expect(suite.emu.flow(before.live.flowId)!.status).toBe("PUBLISHED");

    await c.ok(["cancel", "--yes"]);
    const up = expectOk(await c.up());
    const after = converged();
    expect(after.template.name).toBe("signup_invite_v2");
    expect(suite.emu.flow(before.live.flowId)!.status).toBe("DEPRECATED");
    expect(suite.family(names.flowName)).toHaveLength(2);
    noTemplateStranded();
    expect(up.output).toMatch(/adopted template \S+ "signup_invite_v2"/);
  });
});
