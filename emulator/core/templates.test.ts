/** The template store on its own, with a hand-moved clock: review timing, rolling edit windows, name blocks. */
import { VALID_FLOW_JSON } from "../test-helpers";
import { FlowStore } from "./store";
import { TemplateError, TemplateStore, type TemplateErrorKind } from "./templates";

const DAY = 24 * 3600 * 1000;

function refusal(fn: () => unknown): { kind: TemplateErrorKind; code: number; subcode?: number } {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TemplateError);
    const t = e as TemplateError;
    return { kind: t.kind, code: t.code, ...(t.subcode !== undefined ? { subcode: t.subcode } : {}) };
  }
  throw new Error("expected a TemplateError");
}

describe("TemplateStore", () => {
  let clock: number;
  let flows: FlowStore;
  let store: TemplateStore;
  let waba: string;
  let flowId: string;
  const components = (text: string) => [
    { type: "BODY", text },
    { type: "BUTTONS", buttons: [{ type: "FLOW", text: "Open", flow_id: flowId }] },
  ];
  beforeEach(() => {
    clock = Date.parse("2026-05-01T00:00:00Z");
    flows = new FlowStore({ now: () => clock });
    waba = flows.listWabas()[0].id;
    flowId = flows.createFlow(waba, { name: "f", categories: ["OTHER"], json: Buffer.from(VALID_FLOW_JSON), publish: true }, "meta").id;
    store = new TemplateStore(flows, { reviewMs: 5 * 60_000 });
  });

  test("the review approves exactly when due; edits reset it", () => {
    const t = store.create(waba, { name: "t", language: "en", category: "UTILITY", components: components("a") });
    clock += 5 * 60_000 - 1;
    expect(store.get(waba, t.id).status).toBe("PENDING");
    clock += 1;
    expect(store.get(waba, t.id).status).toBe("APPROVED");
    store.edit(waba, t.id, { components: components("b") });
    expect(store.get(waba, t.id).status).toBe("PENDING");
    expect(refusal(() => store.edit(waba, t.id, { components: components("c") }))).toEqual({ kind: "INVALID_STATE", code: 100 });
  });

  test("the 30-day window rolls: the 11th approved edit is possible once the first is 30 days old", () => {
    store.reviewMs = 0;
    const t = store.create(waba, { name: "t", language: "en", category: "UTILITY", components: components("a") });
    for (let i = 0; i < 10; i++) {
      clock += DAY;
      store.edit(waba, t.id, { components: components(`v${i}`) });
    }
    clock += DAY;
    expect(store.editsLeft(store.get(waba, t.id))).toEqual({ day: 1, month: 0 });
    expect(refusal(() => store.edit(waba, t.id, { components: components("x") })).kind).toBe("EDIT_LIMIT");
    clock += 20 * DAY; // the first edit (day 1) is now more than 30 days old
    expect(store.editsLeft(store.get(waba, t.id)).month).toBeGreaterThan(0);
    expect(store.edit(waba, t.id, { components: components("y") }).status).toBe("PENDING");
  });

  test("a flow that is deprecated or unknown cannot be bound; the name block ends after 30 days", () => {
    flows.deprecateFlow(waba, flowId);
    expect(refusal(() => store.create(waba, { name: "t", language: "en", category: "UTILITY", components: components("a") }))).toEqual({
      kind: "FLOW_NOT_PUBLISHED",
      code: 100,
    });
    const other = flows.createFlow(waba, { name: "g", categories: ["OTHER"], json: Buffer.from(VALID_FLOW_JSON), publish: true }, "meta");
    flowId = other.id;
    store.reviewMs = 0;
    const t = store.create(waba, { name: "t", language: "en", category: "UTILITY", components: components("a") });
    expect(store.get(waba, t.id).status).toBe("APPROVED");
    store.deleteById(waba, t.id);
    expect(refusal(() => store.create(waba, { name: "t", language: "es", category: "UTILITY", components: components("a") }))).toEqual({
      kind: "NAME_REUSE_BLOCKED",
      code: 100,
      subcode: 2388023,
    });
    clock += 30 * DAY - 1;
    expect(refusal(() => store.create(waba, { name: "t", language: "en", category: "UTILITY", components: components("a") })).kind).toBe(
      "NAME_REUSE_BLOCKED",
    );
    clock += 1;
    expect(store.create(waba, { name: "t", language: "en", category: "UTILITY", components: components("a") }).status).toBe("PENDING");
  });

  test("snapshot and load keep templates, edit history and blocked names", () => {
    store.reviewMs = 0;
    const t = store.create(waba, { name: "t", language: "en", category: "UTILITY", components: components("a") });
    store.get(waba, t.id);
    store.edit(waba, t.id, { components: components("b") });
    const gone = store.create(waba, { name: "u", language: "en", category: "UTILITY", components: components("a") });
    store.get(waba, gone.id);
    store.deleteByName(waba, "u");
    const copy = new TemplateStore(flows);
    copy.load(structuredClone(store.snapshot()));
    expect(copy.view(t.id)).toEqual(store.view(t.id));
    expect(copy.blockedNames()).toEqual(store.blockedNames());
    expect(copy.create(waba, { name: "v", language: "en", category: "UTILITY", components: components("a") }).id).not.toBe(t.id);
  });
});
