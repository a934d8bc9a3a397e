/** The vendor-neutral core on its own: what every dialect relies on (kinds and Meta codes of refusals). */
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
    return { kind: c.kind, metaCode: c.metaCode, message: c.message };
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
    expect(refusal(() => store.createFlow(waba, { name: "a", categories: ["OTHER"] }, "aws"))).toEqual({ kind: "NAME_TAKEN", metaCode: 100, message: META_TEXT.nameNotUnique });
    expect(refusal(() => store.deprecateFlow(waba, draft.id))).toEqual({ kind: "INVALID_STATE", metaCode: 139003, message: META_TEXT.deprecateUnpublished });
    store.publishFlow(waba, draft.id);
    expect(refusal(() => store.publishFlow(waba, draft.id))).toEqual({ kind: "INVALID_STATE", metaCode: 139002, message: META_TEXT.publishInvalidState });
    expect(refusal(() => store.deleteFlow(waba, draft.id))).toEqual({ kind: "INVALID_STATE", metaCode: 139004, message: META_TEXT.deletePublished });
    store.deprecateFlow(waba, draft.id);
    expect(refusal(() => store.deprecateFlow(waba, draft.id))).toEqual({ kind: "INVALID_STATE", metaCode: 139003, message: META_TEXT.alreadyDeprecated });
    expect(refusal(() => store.updateFlow(waba, draft.id, { name: "b" }))).toEqual({ kind: "INVALID_STATE", metaCode: 139001, message: META_TEXT.cantUpdate });
    expect(refusal(() => store.getFlow(waba, "1"))).toEqual({ kind: "NOT_FOUND", metaCode: 100, message: META_TEXT.flowNotFound });
    expect(refusal(() => store.listFlows("waba-nope")).kind).toBe("WABA_NOT_FOUND");
    const bad = store.createFlow(waba, { name: "bad", categories: ["OTHER"], json: Buffer.from("{") }, "aws");
    expect(refusal(() => store.publishFlow(waba, bad.id))).toEqual({ kind: "HAS_VALIDATION_ERRORS", metaCode: 139002, message: META_TEXT.publishValidationErrors });
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
    const p1 = s.preview(waba, f.id, false);
    expect(p1.expiresAt).toBe("2025-01-31T00:00:00+0000");
    now += 29 * 24 * 3600 * 1000;
    expect(s.preview(waba, f.id, false).previewUrl).toBe(p1.previewUrl);
    now += 2 * 24 * 3600 * 1000;
    const p2 = s.preview(waba, f.id, false);
    expect(p2.previewUrl).not.toBe(p1.previewUrl);
    expect(p2.expiresAt).toBe("2025-03-03T00:00:00+0000");
  });

  test("makeWaba is deterministic", () => {
    expect(makeWaba({ name: "dev" }, 0)).toEqual(makeWaba({ name: "dev" }, 0));
    expect(makeWaba({ name: "dev" }, 0).id).toBe("waba-d087c4781397207cae3eed123864121a");
  });
});
