/**
 * The end-to-end scenarios every vendor must pass: real Pulumi CLI, real program
 * (tests/e2e/programs/flows), the vendor's real client in the provider process (the AWS SDK; undici
 * for Meta, 360dialog and 8x8), the emulator's dialect of that vendor in this process. One file per
 * vendor calls `vendorScenarios(vendor)`, so jest can run vendors side by side.
 *
 * What differs between vendors is only what their capabilities say: AWS and Meta edit a published
 * flow in place (same id, published again right after); 360dialog and 8x8 refuse, so the flow is
 * replaced (the new flow is published first, the old one deprecated after).
 */
import { VENDORS } from "../../provider/vendors/registry";
import { e2eSuite, expectOk, resourcesOf, type E2eVendor } from "./harness";

export function vendorScenarios(vendor: E2eVendor): void {
  const canary = vendor === "aws" ? undefined : `canary-${vendor}-Zq7rT0ken-4f1e9b`;
  const suite = e2eSuite(vendor, { canary });
  const { program, flowNamed, family, liveOf, lastSeq, actionsSince } = suite;
  const inPlace = VENDORS[vendor].capabilities.publishedEdits === "redraft";
  // The vendor's create takes the Flow JSON and `publish` (360dialog's does not).
  const jsonOnCreate = VENDORS[vendor].capabilities.publishOnCreate;
  // 8x8's list carries no categories.
  const listHasCategories = vendor !== "8x8";
  const spec = (name: string, extra: object = {}) => ({
    key: "signup",
    name,
    categories: ["SIGN_UP"],
    file: "fixtures/signup-v1.json",
    publish: true,
    ...extra,
  });

  test(`${vendor}: create + publish; preview with nothing changed makes no call; the credential is nowhere in state or output`, async () => {
    const c = await program([spec(`e2e-${vendor}-create`, { preview: true })]);
    const credentials: Record<string, string> =
      vendor === "aws"
        ? { AWS_ACCESS_KEY_ID: "AKIAE2ETESTKEY000001", AWS_SECRET_ACCESS_KEY: "e2e/Secret+Key/That/Must/Not/Leak0000001" }
        : {};
    const up = await c.up(credentials);
    expect(up.code).toBe(0);
    const flow = liveOf(`e2e-${vendor}-create`);
    const outs = await c.outputs();
    expect(outs.signup).toMatchObject({ flowId: flow.flowId, liveFlowId: flow.flowId, status: "PUBLISHED" });
    expect(outs.signup.previewUrl).toMatch(/^https?:\/\//);

    const before = lastSeq();
    const preview = await c.preview(["--expect-no-changes"]);
    expect(preview.code).toBe(0);
    expect(preview.output).toMatch(/3 unchanged/);
    expect(actionsSince(before)).toEqual([]);

    // A refresh, a failing up, and a destroy: the secret appears in nothing a user or the state sees.
    const refresh = await c.refresh();
    expect(refresh.code).toBe(0);
    // The JSON change's first call (the state says what the flow is, nothing is read first): the upload,
    // or the replacement's create where the vendor will not edit a published flow.
    suite.emu.addFault({
      operation: inPlace ? "upload" : "create",
      times: 20,
      action: { kind: "error", status: 401, message: "token rejected" },
    });
    await c.setConfig({ flows: [spec(`e2e-${vendor}-create`, { file: "fixtures/signup-v2.json" })] });
    const failing = await c.up(credentials);
    suite.emu.clearFaults();
    expect(failing.code).not.toBe(0);
    const state = JSON.stringify(await c.exportStack());
    const history = (await c.run(["stack", "history", "--json", "--show-secrets"])).output;
    const destroy = await c.destroy();
    expect(destroy.code).toBe(0);
    const secrets = vendor === "aws" ? Object.values(credentials) : [canary!];
    for (const secret of secrets) {
      for (const text of [up.output, preview.output, refresh.output, failing.output, destroy.output, state, history])
        expect(text).not.toContain(secret);
    }
  });

  test(`${vendor}: calls per operation of a WhatsAppFlow, from the emulator's request log (issue 18)`, async () => {
    const name = `e2e-${vendor}-calls`;
    const declared = (extra: object = {}) => [spec(name, { component: true, ...extra })];
    const c = await program(declared());
    // The preview of a new flow: one list of the account (adoptions, names held by deprecated flows).
    let seq = lastSeq();
    expectOk(await c.preview());
    expect(actionsSince(seq)).toEqual(["list"]);
    // up: that list again (a new process), and the create carrying the JSON and publish where the vendor takes them.
    seq = lastSeq();
    expectOk(await c.up());
    expect(actionsSince(seq)).toEqual(jsonOnCreate ? ["list", "create"] : ["list", "create", "upload", "publish"]);
    const created = liveOf(name);
    expect(created.flowJson).toContain("Get our weekly offers");
    // Nothing changed: no call.
    seq = lastSeq();
    expectOk(await c.preview(["--expect-no-changes"]));
    expect(actionsSince(seq)).toEqual([]);
    // Refresh: one list of the account, shared by both resources (8x8's list has no categories: a read of the Flow there).
    seq = lastSeq();
    expectOk(await c.refresh());
    expect(actionsSince(seq).sort()).toEqual(listHasCategories ? ["list"] : ["get", "list"]);
    expectOk(await c.preview(["--expect-no-changes"]));
    // A JSON change: in place, the upload and the publish; where the vendor will not edit a published flow, the replacement.
    await c.setConfig({ flows: declared({ file: "fixtures/signup-v2.json" }) });
    seq = lastSeq();
    expectOk(await c.up());
    // No list: the check that a flow recorded PUBLISHED is still live is the preview's (./not-live.ts).
    // A replacement looks at the account's templates once before deprecating the old flow (none sends it here).
    expect(actionsSince(seq)).toEqual(
      inPlace
        ? ["upload", "publish"]
        : jsonOnCreate
          ? ["create", "ListTemplates", "deprecate"]
          : ["create", "upload", "publish", "ListTemplates", "deprecate"],
    );
    const changed = liveOf(name);
    expect(changed.flowJson).toContain("Get our daily offers");
    expect(changed.flowId === created.flowId).toBe(inPlace);
    // Destroy: one call per flow, on the flow that is live, and one list per account: the proof that the
    // credential still reaches the account before the state forgets the FlowAssets (provider/hooks/gone-proof.ts).
    seq = lastSeq();
    expectOk(await c.destroy());
    expect(actionsSince(seq)).toEqual(["list", "deprecate"]);
    expect(family(name).every((f) => f.status === "DEPRECATED")).toBe(true);
  });

  test(`${vendor}: a JSON change of several published WhatsAppFlows costs the minimum per flow, and no list in up (issue 18)`, async () => {
    const names = ["a", "b", "c", "d"].map((k) => `e2e-${vendor}-calls-many-${k}`);
    const declared = (file: string) => names.map((name, i) => spec(name, { key: `k${i}`, component: true, file }));
    const c = await program(declared("fixtures/signup-v1.json"));
    expectOk(await c.up());
    const before = names.map((n) => liveOf(n).flowId);
    await c.setConfig({ flows: declared("fixtures/signup-v2.json") });
    // The preview checks that the flows recorded PUBLISHED are still live (one list, where flows are edited in
    // place: ./not-live.ts); the program's preview flag that lets `up` skip it shows nowhere in its diff.
    let seq = lastSeq();
    const preview = expectOk(await c.preview(["--diff"]));
    expect(actionsSince(seq)).toEqual(inPlace ? ["list"] : []);
    expect(preview.output).toMatch(/flowJsonSha256/);
    expect(preview.output).not.toMatch(/dryRun/i);
    seq = lastSeq();
    const up = expectOk(await c.up());
    expect(up.output).not.toMatch(/dryRun/i);
    const actions = actionsSince(seq);
    const count = (a: string) => actions.filter((x) => x === a).length;
    const n = names.length;
    // Per flow: upload and publish in place; where the vendor will not edit a published flow, the replacement
    // (8x8: create with the JSON and publish, deprecate; 360dialog: create, upload, publish, deprecate).
    const perFlow: Record<string, number> = inPlace
      ? { upload: 1, publish: 1 }
      : jsonOnCreate
        ? { create: 1, deprecate: 1 }
        : { create: 1, upload: 1, publish: 1, deprecate: 1 };
    for (const [action, times] of Object.entries(perFlow)) expect([action, count(action)]).toEqual([action, times * n]);
    // Nothing else but the one list of the account's templates a replacement looks at before deprecating (once
    // per deployment); no list of the flows: the not-live check is the preview's, `up` publishes anyway.
    expect(actions.filter((a) => !(a in perFlow) && a !== "ListTemplates")).toEqual([]);
    expect(count("list")).toBe(0);
    expect(count("ListTemplates")).toBe(inPlace ? 0 : 1);
    for (const [i, name] of names.entries()) {
      expect(liveOf(name).flowJson).toContain("Get our daily offers");
      expect(liveOf(name).flowId === before[i]).toBe(inPlace);
    }
    // The flag is kept out of the state's inputs and outputs (only the SDK's own propertyDependencies name it, as
    // they name flowJson, which no state holds either), and changes nothing by itself.
    for (const r of Object.values(resourcesOf(await c.exportStack())))
      expect([r.urn, JSON.stringify([r.inputs ?? {}, r.outputs ?? {}])]).not.toEqual([r.urn, expect.stringMatching(/dryRun/i)]);
    seq = lastSeq();
    expectOk(await c.preview(["--expect-no-changes"]));
    expect(actionsSince(seq)).toEqual([]);

    // Where the FlowAssets replaced the flows, the Flows' states still record the old ones (DEPRECATED): a
    // categories change next finds the live ones in the account's one list, without a read.
    await c.setConfig({
      flows: names.map((name, i) =>
        spec(name, { key: `k${i}`, component: true, file: "fixtures/signup-v2.json", categories: ["SIGN_UP", "LEAD_GENERATION"] }),
      ),
    });
    seq = lastSeq();
    expectOk(await c.up());
    expect(actionsSince(seq).filter((a) => a === "get")).toEqual([]);
    for (const name of names) expect(liveOf(name).categories.sort()).toEqual(["LEAD_GENERATION", "SIGN_UP"]);
    expectOk(await c.preview(["--expect-no-changes"]));
  });

  test(`${vendor}: a metadata change of published WhatsAppFlows (issue 18: ${inPlace ? "the update and the publish" : "a replacement"} per flow)`, async () => {
    const names = ["a", "b", "c"].map((k) => `e2e-${vendor}-calls-meta-${k}`);
    const declared = (categories: string[]) => names.map((name, i) => spec(name, { key: `k${i}`, component: true, categories }));
    const c = await program(declared(["SIGN_UP"]));
    expectOk(await c.up());
    const before = names.map((n) => liveOf(n).flowId);
    await c.setConfig({ flows: declared(["SIGN_UP", "LEAD_GENERATION"]) });
    const seq = lastSeq();
    expectOk(await c.up());
    const actions = actionsSince(seq);
    const count = (a: string) => actions.filter((x) => x === a).length;
    // In place: the update and the publish right after it (the edit re-drafts), planned from the state. Replaced:
    // the successor created with the declared JSON and `publish` where the create takes them (8x8), else cloned
    // from the live flow and published (360dialog), then the old flow deprecated; which flow is live comes from
    // the account's one list (the FlowAssets may have replaced the recorded flow since), and the FlowAssets then
    // follows the successor without a read (it holds the JSON the state records).
    // A replacement also looks at the account's templates, once per deployment, before deprecating (none sends these flows).
    const perFlow: Record<string, number> = inPlace
      ? { update: 1, publish: 1 }
      : jsonOnCreate
        ? { create: 1, deprecate: 1 }
        : { create: 1, publish: 1, deprecate: 1 };
    for (const [action, times] of Object.entries(perFlow)) expect([action, count(action)]).toEqual([action, times * names.length]);
    // No read of any flow: where it is replaced, the account's one list shows the recorded flow live and no newer
    // generation of it (provider/hooks/live.ts listedLive), and the state says the rest.
    expect(actions.filter((a) => !(a in perFlow) && a !== "list" && a !== "ListTemplates")).toEqual([]);
    expect(count("get")).toBe(0);
    expect(count("list")).toBe(inPlace ? 0 : 1);
    expect(count("ListTemplates")).toBe(inPlace ? 0 : 1);
    for (const [i, name] of names.entries()) {
      const after = liveOf(name);
      expect(after.categories.sort()).toEqual(["LEAD_GENERATION", "SIGN_UP"]);
      expect(after.flowJson).toContain("Get our weekly offers");
      if (inPlace) expect(after.flowId).toBe(before[i]);
      else expect(suite.emu.flow(before[i])!.status).toBe("DEPRECATED");
    }
    expectOk(await c.preview(["--expect-no-changes"]));
  });

  test(`${vendor}: an interrupted create of a WhatsAppFlow is adopted only when the flow holds its JSON`, async () => {
    const name = `e2e-${vendor}-calls-interrupted`;
    suite.emu.addFault({ operation: "create", flowName: name, action: { kind: "apply-then-fail", status: 500 }, times: 1 });
    const c = await program([spec(name, { component: true })]);
    const first = await c.up();
    if (first.code !== 0) expectOk(await c.up());
    expect(flowNamed(name)).toHaveLength(1);
    expect(liveOf(name).flowJson).toContain("Get our weekly offers");
    expectOk(await c.preview(["--expect-no-changes"]));
    // Another stack declaring that name with other JSON: the flow is not its own, so it is reported, and left as it is.
    const e = await suite.ws.checkout("flows");
    await e.ok(["stack", "select", "--create", "other"]);
    await e.setConfig({ waba: suite.waba, flows: [spec(name, { component: true, file: "fixtures/signup-v2.json" })] });
    const seq = lastSeq();
    const refused = await e.up();
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/already exists in account .* was not created by this\s+resource/s);
    expect(actionsSince(seq).filter((a) => a === "download")).toHaveLength(1);
    expect(flowNamed(name)).toHaveLength(1);
    expect(liveOf(name).flowJson).toContain("Get our weekly offers");
  });

  test(`${vendor}: changing the JSON of a published flow ends with the new JSON live (${inPlace ? "same id, upload then publish back to back" : "replaced: new flow live first, old one deprecated after"})`, async () => {
    const name = `e2e-${vendor}-json`;
    const c = await program([spec(name)]);
    expectOk(await c.up());
    const before = liveOf(name);

    await c.setConfig({ flows: [spec(name, { file: "fixtures/signup-v2.json" })] });
    const preview = await c.preview();
    expect(preview.output).toMatch(/Flow JSON changes:\s+screens: ~SIGN_UP/);
    expect(preview.output).toMatch(
      inPlace ? /uploaded in place and published again/ : /will not edit published flow .*new flow ".* \(v2\)"/s,
    );
    const seq = lastSeq();
    const up = await c.up();
    expect(up.code).toBe(0);
    const actions = actionsSince(seq);
    const after = liveOf(name);
    expect(after.flowJson).toContain("Get our daily offers");
    if (inPlace) {
      expect(after.flowId).toBe(before.flowId);
      expect(actions[actions.indexOf("upload") + 1]).toBe("publish");
    } else {
      expect(after.flowId).not.toBe(before.flowId);
      expect(after.name).toBe(`${name} (v2)`);
      expect(suite.emu.flow(before.flowId)!.status).toBe("DEPRECATED");
      expect(actions.lastIndexOf("deprecate")).toBeGreaterThan(Math.max(actions.lastIndexOf("publish"), actions.lastIndexOf("create")));
    }
    expect(family(name).filter((f) => f.status !== "DEPRECATED")).toHaveLength(1);
    const outs = await c.outputs();
    expect(outs.signup).toMatchObject({ liveFlowId: after.flowId, liveName: after.name, status: "PUBLISHED" });
    // Nothing left to do: the Flow resource follows the live flow.
    expectOk(await c.refresh());
    expectOk(await c.preview(["--expect-no-changes"]));
  });

  test(`${vendor}: a metadata change of a published flow ends with it live under the new name and categories`, async () => {
    const name = `e2e-${vendor}-meta`;
    const c = await program([spec(name)]);
    expectOk(await c.up());
    const before = liveOf(name);
    await c.setConfig({ flows: [spec(`${name}-renamed`, { categories: ["SIGN_UP", "LEAD_GENERATION"] })] });
    expectOk(await c.up());
    const after = liveOf(`${name}-renamed`);
    expect(after.categories.sort()).toEqual(["LEAD_GENERATION", "SIGN_UP"]);
    if (inPlace) expect(after.flowId).toBe(before.flowId);
    else expect(suite.emu.flow(before.flowId)!.status).toBe("DEPRECATED");
    expectOk(await c.preview(["--expect-no-changes"]));
  });

  test(`${vendor}: server-side validation errors fail the up, list every error with the flow name, publish nothing; the next up repairs`, async () => {
    const name = `e2e-${vendor}-server-invalid`;
    suite.emu.addFault({
      operation: "upload",
      flowName: name,
      action: {
        kind: "validation-errors",
        errors: [
          {
            error: "INVALID_PROPERTY_VALUE",
            error_type: "FLOW_JSON_ERROR",
            message: "Meta says the label is wrong",
            line_start: 12,
            line_end: 12,
            column_start: 11,
            column_end: 30,
          },
          {
            error: "UNAVAILABLE_FLOW_JSON_VERSION",
            error_type: "FLOW_JSON_ERROR",
            message: "Version 7.3 is not available for this WABA",
            line_start: 2,
            line_end: 2,
            column_start: 3,
            column_end: 19,
          },
        ],
      },
    });
    const c = await program([spec(name)]);
    const up = await c.up();
    expect(up.code).not.toBe(0);
    expect(up.output).toContain(`Flow "${name}"`);
    expect(up.output).toContain("fixtures/signup-v1.json:12:11");
    expect(up.output).toContain("UNAVAILABLE_FLOW_JSON_VERSION");
    expect(flowNamed(name)).toHaveLength(1);
    expect(flowNamed(name)[0].status).toBe("DRAFT");
    expectOk(await c.up());
    expect(family(name)).toHaveLength(1);
    expect(liveOf(name).flowId).toBe(flowNamed(name)[0].flowId);
  });

  test(`${vendor}: removing a draft deletes it; removing a published flow deprecates it; destroy handles every state`, async () => {
    const draft = spec(`e2e-${vendor}-rm-draft`, { key: "draft", publish: false, categories: ["OTHER"] });
    const live = spec(`e2e-${vendor}-rm-live`, { key: "live", categories: ["OTHER"] });
    const gone = spec(`e2e-${vendor}-rm-deprecated`, { key: "dep", categories: ["OTHER"] });
    const c = await program([draft, live, gone]);
    expectOk(await c.up());
    expect(flowNamed(draft.name)[0].status).toBe("DRAFT");
    await c.setConfig({ flows: [live, gone] });
    expectOk(await c.up());
    expect(flowNamed(draft.name)).toHaveLength(0);
    suite.emu.patchFlow(flowNamed(gone.name)[0].flowId, { status: "DEPRECATED" });
    const seq = lastSeq();
    const destroy = await c.destroy();
    expect(destroy.code).toBe(0);
    expect(actionsSince(seq)).not.toContain("delete");
    expect(flowNamed(live.name)[0].status).toBe("DEPRECATED");
    expect(flowNamed(gone.name)[0].status).toBe("DEPRECATED");
    expect((await c.exportStack()).deployment.resources ?? []).toHaveLength(0);
  });

  test(`${vendor}: a credential without access: destroy and refresh fail, the state keeps every resource, the flows stay PUBLISHED; a flow deleted outside Pulumi leaves the stack at refresh`, async () => {
    const a = spec(`e2e-${vendor}-access-a`, { key: "a" });
    const b = spec(`e2e-${vendor}-access-b`, { key: "b" });
    const c = await program([a, b]);
    expectOk(await c.up());
    const urns = async () => ((await c.exportStack()).deployment.resources ?? []).map((r: any) => r.urn).sort();
    const kept = await urns();
    const ids = [liveOf(a.name).flowId, liveOf(b.name).flowId];

    // The vendor answers every call as it answers a credential without access to the account.
    suite.emu.addFault({ vendor, action: { kind: "no-access" } });
    const refresh = await c.refresh();
    expect(refresh.code).not.toBe(0);
    expect(await urns()).toEqual(kept);
    const destroy = await c.destroy();
    expect(destroy.code).not.toBe(0);
    // The FlowAssets' delete asks first (dependents go first), so no Flow's delete is even tried.
    expect(destroy.output).toMatch(new RegExp(`${VENDORS[vendor].displayName} did not let this credential read account`));
    expect(destroy.output).toMatch(vendor === "aws" ? /default credential chain/ : /whatsapp-flows:\w+(Token|ApiKey)/);
    // Every resource stays: the FlowAssets' delete proves access to the account before the state forgets it.
    expect(await urns()).toEqual(kept);
    expect(destroy.output).toMatch(/so the state keeps it: the flow may still be live/);
    for (const id of ids) expect(suite.emu.flow(id)!.status).toBe("PUBLISHED");
    suite.emu.clearFaults();

    // With access: a flow deleted outside Pulumi (as a draft could be) leaves the stack at refresh.
    suite.emu.patchFlow(ids[0], { status: "DRAFT" });
    expect(suite.emu.deleteFlow(ids[0])).toBe(true);
    expectOk(await c.refresh());
    const left = await urns();
    expect(left.filter((u: string) => /::a(-assets)?$/.test(u))).toEqual([]);
    expect(left.filter((u: string) => /::b$/.test(u))).toHaveLength(1);
    expect(suite.emu.flow(ids[1])!.status).toBe("PUBLISHED");
  });

  test(`${vendor}: refresh shows drift (renamed, re-categorised, JSON edited outside) and the next up repairs it`, async () => {
    const name = `e2e-${vendor}-drift`;
    const c = await program([spec(name, { publish: false })]);
    expectOk(await c.up());
    const [flow] = flowNamed(name);
    suite.emu.patchFlow(flow.flowId, {
      name: `${name}-by-hand`,
      categories: ["OTHER"],
      flowJson: JSON.parse(suite.emu.flow(flow.flowId)!.flowJson!.replace("Get our weekly offers", "Edited by hand")),
    });
    expectOk(await c.refresh());
    const drift = await c.preview(["--expect-no-changes"]);
    expect(drift.code).not.toBe(0);
    expectOk(await c.up());
    const now = suite.emu.flow(flow.flowId)!;
    expect(now).toMatchObject({ name, categories: ["SIGN_UP"] });
    expect(now.flowJson).toContain("Get our weekly offers");
    expectOk(await c.preview(["--expect-no-changes"]));
  });

  test(`${vendor}: an interrupted create (applied by the vendor, answered with an error) leaves no duplicate`, async () => {
    const name = `e2e-${vendor}-interrupted`;
    suite.emu.addFault({ operation: "create", flowName: name, action: { kind: "apply-then-fail", status: 500 } });
    const c = await program([spec(name)]);
    const first = await c.up();
    if (first.code !== 0) expectOk(await c.up());
    expect(flowNamed(name)).toHaveLength(1);
    expect(flowNamed(name)[0].status).toBe("PUBLISHED");
  });

  test(`${vendor}: throttling (429 with Retry-After) and 5xx are retried`, async () => {
    const name = `e2e-${vendor}-throttled`;
    suite.emu.addFault({ operation: "publish", flowName: name, action: { kind: "throttle", retryAfterSeconds: 1 } });
    suite.emu.addFault({ operation: "upload", flowName: name, action: { kind: "error", status: 503 } });
    const c = await program([spec(name)]);
    const up = await c.up();
    expect(up.code).toBe(0);
    expect(liveOf(name)).toBeDefined();
  });

  if (!inPlace) {
    test.each(["create", "upload", "publish", "deprecate"])(
      `${vendor}: a replacement interrupted at its %s call is finished by the next up: never zero live flows, never a duplicate`,
      async (action) => {
        const name = `e2e-${vendor}-replace-${action}`;
        const c = await program([spec(name)]);
        expectOk(await c.up());
        const original = liveOf(name);
        await c.setConfig({ flows: [spec(name, { file: "fixtures/signup-v2.json" })] });
        // The vendor applies the call, then the connection fails: as if the job was killed right after it.
        suite.emu.addFault({
          operation: action,
          action: { kind: "apply-then-fail", status: 500 },
          times: 1,
          ...(action === "create" ? {} : { flowName: action === "deprecate" ? name : `${name} (v2)` }),
        });
        const interrupted = await c.up();
        // Whatever happened, customers still have a live flow.
        expect(family(name).filter((f) => f.status === "PUBLISHED").length).toBeGreaterThanOrEqual(1);
        if (interrupted.code !== 0) expectOk(await c.up());
        const live = liveOf(name);
        expect(live.flowJson).toContain("Get our daily offers");
        expect(suite.emu.flow(original.flowId)!.status).toBe("DEPRECATED");
        expect(family(name).filter((f) => f.status !== "DEPRECATED")).toHaveLength(1);
        expectOk(await c.preview(["--expect-no-changes"]));
      },
    );
  }
}

/**
 * Meta's legacy flows (and any in-place vendor that refuses one flow's edit): the in-place edit is
 * tried, refused (139001), and the flow is replaced; the refusal is remembered so the next change goes
 * straight to replacement, and a crash between the replacement's steps is finished by the next up.
 */
export function legacyScenarios(vendor: E2eVendor): void {
  const suite = e2eSuite(vendor);
  const { program, family, liveOf, lastSeq, actionsSince } = suite;
  const spec = (name: string, file = "fixtures/signup-v1.json") => ({ key: "signup", name, categories: ["SIGN_UP"], file, publish: true });

  test(`${vendor}: a legacy flow refuses the in-place edit: replaced (new live first), remembered, and an interrupted replacement is finished`, async () => {
    const name = `e2e-${vendor}-legacy`;
    const c = await program([spec(name)]);
    expectOk(await c.up());
    const original = liveOf(name);
    suite.emu.patchFlow(original.flowId, { legacy: true } as any);

    // Preview cannot know yet: nothing says "replaced" before the vendor refused once.
    await c.setConfig({ flows: [spec(name, "fixtures/signup-v2.json")] });
    const preview = await c.preview();
    expect(preview.output).toMatch(/uploaded in place and published again/);
    // The replacement is interrupted right after its successor was published.
    suite.emu.addFault({ operation: "deprecate", flowName: name, action: { kind: "apply-then-fail", status: 500 }, times: 1 });
    const seq = lastSeq();
    const first = await c.up();
    const actions = actionsSince(seq);
    expect(actions[0]).not.toBe("deprecate");
    expect(family(name).filter((f) => f.status === "PUBLISHED").length).toBeGreaterThanOrEqual(1);
    if (first.code !== 0) expectOk(await c.up());
    const live = liveOf(name);
    expect(live.name).toBe(`${name} (v2)`);
    expect(live.flowJson).toContain("Get our daily offers");
    expect(suite.emu.flow(original.flowId)!.status).toBe("DEPRECATED");
    expect(family(name).filter((f) => f.status !== "DEPRECATED")).toHaveLength(1);

    // Now known: the preview of the next change says it will be replaced, and up makes no in-place attempt.
    await c.setConfig({ flows: [spec(name)] });
    const next = await c.preview();
    expect(next.output).toMatch(/will not edit published flow/);
    const seq2 = lastSeq();
    expectOk(await c.up());
    // No in-place upload to the live (legacy) flow was tried: every upload went to the new flow.
    const uploads = suite.emu.requests().filter((r) => r.seq > seq2 && r.action === "upload");
    expect(uploads.filter((r) => JSON.stringify(r).includes(live.flowId))).toEqual([]);
    expect(liveOf(name).name).toBe(`${name} (v3)`);
  });
}

/** Endpoint (data-exchange) flows on a vendor that supports them: create + publish, change the endpoint, preview refusals. */
export function endpointScenarios(vendor: Exclude<E2eVendor, "aws">): void {
  const suite = e2eSuite(vendor);
  const { program, liveOf, lastSeq, actionsSince } = suite;
  const appId = vendor === "360dialog" ? {} : { applicationId: "900000000000042" };
  const spec = (name: string, extra: object = {}) => ({
    key: "booking",
    name,
    categories: ["APPOINTMENT_BOOKING"],
    file: "fixtures/endpoint.json",
    publish: true,
    endpointUri: "https://api.example.com/flows",
    ...appId,
    ...extra,
  });

  test(`${vendor}: an endpoint flow is created with its endpoint and published; changing the endpoint ends with it live`, async () => {
    const name = `e2e-${vendor}-endpoint`;
    const c = await program([spec(name)]);
    expectOk(await c.up());
    expect(liveOf(name)).toMatchObject({ endpointUri: "https://api.example.com/flows" });
    expectOk(await c.preview(["--expect-no-changes"]));
    await c.setConfig({ flows: [spec(name, { endpointUri: "https://api.example.com/v2/flows" })] });
    expectOk(await c.up());
    expect(liveOf(name)).toMatchObject({ endpointUri: "https://api.example.com/v2/flows", status: "PUBLISHED" });
    expectOk(await c.preview(["--expect-no-changes"]));
  });

  test(`${vendor}: preview refuses an endpoint flow without an endpoint, and a non-https endpoint, with no call but the name lookup`, async () => {
    const name = `e2e-${vendor}-endpoint-refused`;
    const c = await program([spec(name, { endpointUri: undefined })]);
    const seq = lastSeq();
    const missing = await c.preview();
    expect(missing.code).not.toBe(0);
    expect(missing.output).toMatch(new RegExp(`Flow "${name}": fixtures/endpoint.json exchanges data with an endpoint`));
    await c.setConfig({ flows: [spec(name, { endpointUri: "http://api.example.com/flows" })] });
    const http = await c.preview();
    expect(http.code).not.toBe(0);
    expect(http.output).toMatch(/endpointUri.*must be an https URL/s);
    // The first preview's Flow looks its name up (read-only); the https rule fails the Flow's check before any lookup.
    expect(actionsSince(seq)).toEqual(["list"]);
  });
}
