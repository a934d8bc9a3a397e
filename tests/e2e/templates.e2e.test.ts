/**
 * Message templates end to end (issue 19), on every vendor: the real Pulumi CLI runs
 * tests/e2e/programs/templates (a WhatsAppFlow and a MessageTemplate whose FLOW button opens it)
 * against the emulator. One test per vendor, kept short: created and approved; a bad navigateScreen
 * refused at preview with no call; a second content change refused at preview once Meta's edit budget
 * is spent (Meta, AWS) or applied as `<name>_v2` created first (360dialog, 8x8: no edits); destroy
 * deletes the template (by id where the vendor can).
 */
import { DEV_WABA_ID } from "../../emulator";
import { VENDORS } from "../../provider/vendors/registry";
import { e2eSuite, expectOk, type E2eVendor } from "./harness";

const VENDOR_LIST: E2eVendor[] = ["meta", "aws", "360dialog", "8x8"];

describe.each(VENDOR_LIST)("%s", (vendor) => {
  // A distinctive credential: it must appear in nothing a user or the state sees (template calls use the flows' transport).
  const canary = vendor === "aws" ? undefined : `canary-${vendor}-tmpl-Zq7rT0ken-8c2d`;
  const suite = e2eSuite(vendor, { canary });
  const caps = VENDORS[vendor].templates;
  const devTemplates = () => suite.emu.templates().filter((t) => t.wabaId === DEV_WABA_ID);

  test(`${vendor}: flow + template created and approved; checks at preview; edit budget or _v2; destroy deletes the template`, async () => {
    const c = await suite.ws.checkout("templates");
    await c.setConfig({ waba: suite.waba, flowName: `e2e-tmpl-${vendor}` });

    if (vendor === "meta") {
      // A navigateScreen that is not a screen of the flow's JSON: refused at preview, before any template call.
      // The check is vendor-neutral (provider/templates/checks.test.ts covers each rule): one vendor keeps the file short.
      await c.setConfig({ screen: "WELCOME" });
      const before = suite.lastSeq();
      const bad = await c.preview();
      expect(bad.code).not.toBe(0);
      expect(bad.output).toMatch(/navigateScreen names no screen of the flow's JSON: "WELCOME" \(screens: SIGN_UP\)/);
      // (The new Flow's own preview looks the account's flows up once: its adoption check.)
      expect(suite.actionsSince(before).filter((a) => a.endsWith("Template") || a.endsWith("Templates"))).toEqual([]);
      await c.ok(["config", "rm", "screen"]);
    }

    const first = expectOk(await c.up());
    expect(first.output).toMatch(/template "signup_invite": created template \S+ \(PENDING\)/);
    const flow = suite.liveOf(`e2e-tmpl-${vendor}`);
    let outs = await c.outputs();
    expect(outs).toMatchObject({ flowId: flow.flowId, status: "APPROVED", liveName: "signup_invite", flowIds: [flow.flowId] });
    const [t] = devTemplates();
    expect(t).toMatchObject({ name: "signup_invite", language: "en_US", status: "APPROVED", flowIds: [flow.flowId] });

    // First content change.
    await c.setConfig({ body: "Hello {{1}}, join our newsletter" });
    expectOk(await c.up());
    outs = await c.outputs();
    if (caps.edit) {
      expect(outs).toMatchObject({ templateId: t.templateId, status: "APPROVED", liveName: "signup_invite" });
      expect(suite.emu.template(t.templateId)!.edits).toHaveLength(1);
      // Second change the same day: Meta's budget (1 edit / 24 h) is spent; preview refuses it, no call made.
      await c.setConfig({ body: "Hi {{1}}! Join us" });
      const since = suite.lastSeq();
      const refused = await c.preview();
      expect(refused.code).not.toBe(0);
      expect(refused.output).toMatch(/0 left today, 9 left in 30 days/);
      expect(refused.output).toMatch(/The next edit is possible after \d{4}-\d\d-\d\dT/);
      expect(suite.actionsSince(since)).toEqual([]);
      await c.setConfig({ body: "Hello {{1}}, join our newsletter" });
    } else {
      // No edits on this vendor: the successor is created first, the old template deleted after.
      expect(outs).toMatchObject({ status: "APPROVED", liveName: "signup_invite_v2" });
      expect(devTemplates().map((x) => x.name)).toEqual(["signup_invite_v2"]);
    }

    if (canary) expect(JSON.stringify(await c.exportStack()) + first.output).not.toContain(canary);

    const live = devTemplates()[0];
    const since = suite.lastSeq();
    expectOk(await c.destroy());
    expect(devTemplates()).toEqual([]);
    const deletes = suite.emu.requests().filter((r) => r.seq > since && r.action === "DeleteTemplate");
    expect(deletes).toHaveLength(1);
    if (caps.deleteBy === "id") expect(JSON.stringify(deletes[0])).toContain(live.templateId);
  });
});
