/** The vendor-neutral core on its own: what every dialect relies on (kinds and Meta codes of refusals). */
import { VENDORS } from "../../provider/vendors/registry";
import { CoreError, META_TEXT } from "./errors";
import { FlowStore, makeWaba } from "./store";
import type { PersistedState } from "./types";
import { VALID_FLOW_JSON } from "../test-helpers";

const VALID = Buffer.from(VALID_FLOW_JSON);

function refusal(fn: () => unknown): Pick<CoreError, "kind" | "metaCode" | "message"> {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CoreError);
    const c = e as CoreError;
    return { kind: c.kind, metaCode: c.code, message: c.message };
  }
  throw new Error("expected a CoreError");
}

describe("FlowStore", () => {
  let store: FlowStore;
  let waba: string;
  beforeEach(() => {
    store = new FlowStore();
    waba = store.listWabas()[0].id;
  });

  test("refusals carry kind, Meta code and Meta text", () => {
    const draft = store.createFlow(waba, { name: "a", categories: ["OTHER"], json: VALID }, "aws");
    expect(refusal(() => store.createFlow(waba, { name: "a", categories: ["OTHER"] }, "aws"))).toEqual({
      kind: "NAME_TAKEN",
      metaCode: 100,
      message: META_TEXT.nameNotUnique,
    });
    expect(refusal(() => store.deprecateFlow(waba, draft.id))).toEqual({
      kind: "INVALID_STATE",
      metaCode: 139003,
      message: META_TEXT.deprecateUnpublished,
    });
    store.publishFlow(waba, draft.id);
    expect(refusal(() => store.publishFlow(waba, draft.id))).toEqual({
      kind: "INVALID_STATE",
      metaCode: 139002,
      message: META_TEXT.publishInvalidState,
    });
    expect(refusal(() => store.deleteFlow(waba, draft.id))).toEqual({
      kind: "INVALID_STATE",
      metaCode: 139004,
      message: META_TEXT.deletePublished,
    });
    store.deprecateFlow(waba, draft.id);
    expect(refusal(() => store.deprecateFlow(waba, draft.id))).toEqual({
      kind: "INVALID_STATE",
      metaCode: 139003,
      message: META_TEXT.alreadyDeprecated,
    });
    expect(refusal(() => store.updateFlow(waba, draft.id, { name: "b" }))).toEqual({
      kind: "INVALID_STATE",
      metaCode: 139001,
      message: META_TEXT.cantUpdate,
    });
    expect(refusal(() => store.getFlow(waba, "1"))).toEqual({ kind: "NOT_FOUND", metaCode: 100, message: META_TEXT.flowNotFound });
    expect(refusal(() => store.listFlows("waba-nope")).kind).toBe("WABA_NOT_FOUND");
    const bad = store.createFlow(waba, { name: "bad", categories: ["OTHER"], json: Buffer.from("{") }, "aws");
    expect(refusal(() => store.publishFlow(waba, bad.id))).toEqual({
      kind: "HAS_VALIDATION_ERRORS",
      metaCode: 139002,
      message: META_TEXT.publishValidationErrors,
    });
  });

  test("snapshot/load round trip keeps bytes, statuses and the id counter; onChange sees every mutation", () => {
    const snaps: PersistedState[] = [];
    const s1 = new FlowStore({ onChange: (s) => snaps.push(s) });
    const f = s1.createFlow(waba, { name: "x", categories: ["OTHER"], json: VALID, publish: true }, "aws");
    s1.patchFlow(f.id, { status: "THROTTLED" });
    expect(snaps).toHaveLength(2);
    const s2 = new FlowStore();
    s2.load(JSON.parse(JSON.stringify(snaps[1])), false);
    expect(s2.flowView(f.id)).toMatchObject({ status: "THROTTLED", flowJson: VALID.toString("utf8") });
    expect(BigInt(s2.createFlow(waba, { name: "y", categories: ["OTHER"] }, "aws").id)).toBeGreaterThan(BigInt(f.id));
  });

  test("previews expire after 30 days and are then replaced", () => {
    let now = Date.parse("2025-01-01T00:00:00Z");
    const s = new FlowStore({ now: () => now });
    const f = s.createFlow(waba, { name: "p", categories: ["OTHER"], json: VALID }, "aws");
    const p1 = s.preview(waba, f.id, false, "meta");
    expect(p1.expiresAt).toBe("2025-01-31T00:00:00+0000");
    now += 29 * 24 * 3600 * 1000;
    expect(s.preview(waba, f.id, false, "meta").previewUrl).toBe(p1.previewUrl);
    now += 2 * 24 * 3600 * 1000;
    const p2 = s.preview(waba, f.id, false, "meta");
    expect(p2.previewUrl).not.toBe(p1.previewUrl);
    expect(p2.expiresAt).toBe("2025-03-03T00:00:00+0000");
  });

  test("a preview minted through a vendor lives as long as the registry says that vendor documents (8x8: 48 hours)", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    const s = new FlowStore({ now: () => now });
    const f = s.createFlow(waba, { name: "p", categories: ["OTHER"], json: VALID }, "8x8");
    expect(VENDORS["8x8"].capabilities.previewLifetimeHours).toBe(48);
    expect(s.preview(waba, f.id, true, "8x8").expiresAt).toBe("2025-01-03T00:00:00+0000");
    expect(s.preview(waba, f.id, true, "aws").expiresAt).toBe("2025-01-31T00:00:00+0000");
  });

  test("makeWaba is deterministic", () => {
    expect(makeWaba({ name: "dev" }, 0)).toEqual(makeWaba({ name: "dev" }, 0));
    expect(makeWaba({ name: "dev" }, 0).id).toBe("waba-d087c4781397207cae3eed123864121a");
  });

  test("published edits follow the vendor's rule: redraft or refuse; legacy flows always refuse (139001)", () => {
    const f = store.createFlow(waba, { name: "e", categories: ["OTHER"], json: VALID, publish: true }, "aws");
    expect(refusal(() => store.updateFlow(waba, f.id, { name: "e2" }, "refuse"))).toEqual({
      kind: "NOT_EDITABLE",
      metaCode: 139001,
      message: META_TEXT.cantUpdate,
    });
    expect(refusal(() => store.updateAssets(waba, f.id, VALID, "aws", undefined, "refuse")).kind).toBe("NOT_EDITABLE");
    expect(store.flowView(f.id)?.status).toBe("PUBLISHED");
    store.patchFlow(f.id, { legacy: true });
    expect(store.flowView(f.id)?.legacy).toBe(true);
    const legacy = (() => {
      try {
        store.updateAssets(waba, f.id, VALID, "meta", undefined, "redraft");
      } catch (e) {
        return e as CoreError;
      }
    })();
    expect(legacy).toMatchObject({ kind: "NOT_EDITABLE", code: 139001, reason: "legacy", message: "Flow can't be updated" });
    store.patchFlow(f.id, { legacy: false });
    expect(store.updateFlow(waba, f.id, { name: "e2" }, "redraft").status).toBe("DRAFT");
    // A legacy DRAFT is editable.
    store.patchFlow(f.id, { legacy: true });
    expect(store.updateAssets(waba, f.id, VALID, "meta").status).toBe("DRAFT");
  });

  test("migrateFlows copies with new ids, keeps PUBLISHED, drafts the rest, reports clashes", () => {
    const prod = store.listWabas()[1].id;
    const a = store.createFlow(waba, { name: "a", categories: ["OTHER"], json: VALID, publish: true }, "aws");
    store.createFlow(waba, { name: "b", categories: ["OTHER"] }, "aws");
    store.createFlow(prod, { name: "b", categories: ["OTHER"] }, "aws");
    const r = store.migrateFlows(waba, prod, undefined, "meta");
    expect(r[0]).toMatchObject({ ok: true, sourceName: "a", sourceId: a.id });
    expect(r[1]).toEqual({ ok: false, sourceName: "b", errorCode: 4233041, errorMessage: META_TEXT.migrateNameExists });
    expect(store.allFlows(prod).map((f) => [f.name, f.status])).toEqual([
      ["b", "DRAFT"],
      ["a", "PUBLISHED"],
    ]);
    expect(refusal(() => store.migrateFlows(waba, waba, undefined, "meta")).kind).toBe("INVALID_ARGUMENT");
  });

  test("accounts carry every vendor's ids; findWaba takes any of them or an account reference", () => {
    const [dev] = store.listWabas();
    expect(dev.eightByEight.accountId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    for (const key of [
      dev.id,
      dev.arn,
      dev.metaWabaId,
      `meta:${dev.metaWabaId}`,
      `360dialog:${dev.dialog360.partnerId}/${dev.dialog360.wabaAccountId}`,
      `8x8:${dev.eightByEight.accountId}/${dev.eightByEight.channelId}`,
    ]) {
      expect(store.findWaba(key)?.name).toBe("dev");
    }
    const custom = makeWaba({ name: "x", dialog360: { wabaAccountId: "myWA" }, eightByEight: { channelId: "chan" } }, 3);
    expect(custom).toMatchObject({
      dialog360: { wabaAccountId: "myWA" },
      eightByEight: { channelId: "chan" },
      metaWabaId: "100000000000004",
    });
  });

  test("a state file of the first release (no 360dialog / 8x8 ids) loads with derived ids", () => {
    const old = JSON.parse(JSON.stringify(new FlowStore().snapshot()));
    for (const w of old.wabas) {
      delete w.dialog360;
      delete w.eightByEight;
    }
    const s = new FlowStore();
    s.load(old, false);
    expect(s.listWabas()).toEqual(new FlowStore().listWabas());
  });
});
