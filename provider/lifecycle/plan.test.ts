import type { FlowStatus } from "../model";
import { decideAdoption, planAssetsChange, planMetadataChange, planRemoval, PlanRefused } from "./plan";

const flow = (status: FlowStatus, extra: object = {}) => ({ id: "101", name: "signup", status, categories: ["SIGN_UP"], ...extra });
const calls = (plan: { steps: { call: string }[] }) => plan.steps.map((s) => s.call);

describe("planRemoval", () => {
  it("deletes a DRAFT flow", () => {
    expect(calls(planRemoval(flow("DRAFT")))).toEqual(["delete"]);
  });
  it.each(["PUBLISHED", "THROTTLED", "BLOCKED", "UNKNOWN"] as const)("deprecates a %s flow and never deletes it", (status) => {
    const plan = planRemoval(flow(status));
    expect(calls(plan)).toEqual(["deprecate"]);
    expect(plan.notes.join()).toMatch(/never deleted/);
  });
  it("does nothing for a DEPRECATED flow", () => {
    const plan = planRemoval(flow("DEPRECATED"));
    expect(calls(plan)).toEqual([]);
    expect(plan.notes.join()).toMatch(/already DEPRECATED/);
  });
  it("does nothing for a flow that is gone", () => {
    expect(calls(planRemoval(undefined))).toEqual([]);
  });
});

describe("planMetadataChange", () => {
  it("makes no call when nothing differs (categories compared as a set)", () => {
    const plan = planMetadataChange(flow("PUBLISHED", { categories: ["SURVEY", "OTHER"] }), {
      name: "signup",
      categories: ["OTHER", "SURVEY"],
    });
    expect(calls(plan)).toEqual([]);
  });
  it("updates a draft in place", () => {
    const plan = planMetadataChange(flow("DRAFT"), { name: "signup-v2", categories: ["SIGN_UP"] });
    expect(plan.steps).toEqual([{ call: "updateMetadata", name: "signup-v2" }]);
  });
  it("re-publishes a published flow right after the update", () => {
    const plan = planMetadataChange(flow("PUBLISHED"), { name: "signup", categories: ["SIGN_UP", "OTHER"] });
    expect(plan.steps).toEqual([{ call: "updateMetadata", categories: ["SIGN_UP", "OTHER"] }, { call: "republishIfRedrafted" }]);
  });
  it("refuses to edit a deprecated flow, saying it cannot be revived", () => {
    expect(() => planMetadataChange(flow("DEPRECATED"), { name: "x", categories: ["SIGN_UP"] })).toThrow(PlanRefused);
    expect(() => planMetadataChange(flow("DEPRECATED"), { name: "x", categories: ["SIGN_UP"] })).toThrow(
      /cannot be edited, published or revived/,
    );
  });
  it("refuses edits while Meta throttles or blocks the flow", () => {
    expect(() => planMetadataChange(flow("THROTTLED"), { name: "x", categories: ["SIGN_UP"] })).toThrow(/THROTTLED/);
  });
});

describe("planAssetsChange", () => {
  it("uploads and publishes a draft when asked to publish", () => {
    const plan = planAssetsChange({ ...flow("DRAFT"), remoteSha: null }, { sha: "a", publish: true });
    expect(calls(plan)).toEqual(["uploadFlowJson", "publish"]);
    expect(plan.snapshotBeforeUpload).toBe(false);
  });
  it("uploads without publishing when publish is false", () => {
    expect(calls(planAssetsChange({ ...flow("DRAFT"), remoteSha: "old" }, { sha: "new", publish: false }))).toEqual(["uploadFlowJson"]);
  });
  it("publishes an unchanged draft when publish flips to true", () => {
    expect(calls(planAssetsChange({ ...flow("DRAFT"), remoteSha: "a" }, { sha: "a", publish: true }))).toEqual(["publish"]);
  });
  it("re-publishes a published flow right after a JSON upload and keeps the old JSON for rollback", () => {
    const plan = planAssetsChange({ ...flow("PUBLISHED"), remoteSha: "old" }, { sha: "new", publish: true });
    expect(calls(plan)).toEqual(["uploadFlowJson", "publish"]);
    expect(plan.snapshotBeforeUpload).toBe(true);
  });
  it("keeps a live flow live even when publish is false", () => {
    const plan = planAssetsChange({ ...flow("PUBLISHED"), remoteSha: "old" }, { sha: "new", publish: false });
    expect(calls(plan)).toEqual(["uploadFlowJson", "publish"]);
    expect(plan.notes.join()).toMatch(/publishing cannot be undone/);
  });
  it("makes no call when the published JSON already matches", () => {
    expect(calls(planAssetsChange({ ...flow("PUBLISHED"), remoteSha: "a" }, { sha: "a", publish: true }))).toEqual([]);
  });
  it("refuses to change a deprecated flow", () => {
    expect(() => planAssetsChange({ ...flow("DEPRECATED"), remoteSha: "a" }, { sha: "b", publish: true })).toThrow(/DEPRECATED/);
  });
  it("refuses a JSON edit of a THROTTLED flow but accepts no-op", () => {
    expect(() => planAssetsChange({ ...flow("THROTTLED"), remoteSha: "a" }, { sha: "b", publish: true })).toThrow(/THROTTLED/);
    expect(calls(planAssetsChange({ ...flow("THROTTLED"), remoteSha: "a" }, { sha: "a", publish: true }))).toEqual([]);
  });
});

describe("decideAdoption", () => {
  const desired = { categories: ["SIGN_UP" as const], adoptExisting: false };
  it("adopts the bare draft an interrupted create of ours leaves behind", () => {
    expect(decideAdoption({ ...flow("DRAFT"), hasFlowJson: false }, desired, "waba-1").adopt).toBe(true);
  });
  it("refuses a draft that already has Flow JSON (someone else's work)", () => {
    const d = decideAdoption({ ...flow("DRAFT"), hasFlowJson: true }, desired, "waba-1");
    expect(d.adopt).toBe(false);
    expect(d.reason).toMatch(/adoptExisting: true/);
  });
  it("refuses a published flow unless adoptExisting is set", () => {
    expect(decideAdoption({ ...flow("PUBLISHED"), hasFlowJson: true }, desired, "waba-1").adopt).toBe(false);
    expect(decideAdoption({ ...flow("PUBLISHED"), hasFlowJson: true }, { ...desired, adoptExisting: true }, "waba-1").adopt).toBe(true);
  });
  it("never adopts a deprecated flow, and says its name stays taken", () => {
    const d = decideAdoption({ ...flow("DEPRECATED"), hasFlowJson: true }, { ...desired, adoptExisting: true }, "waba-1");
    expect(d.adopt).toBe(false);
    expect(d.reason).toMatch(/keep their names/);
  });
});
