/** What a Flow's delete without a hand-over takes from the account's list (./removal-live.ts): when it is conclusive. */
import type { RemoteFlowSummary } from "../backends/types";
import { conclusive } from "./removal-live";

const flow = (id: string, name: string, status: RemoteFlowSummary["status"]): RemoteFlowSummary => ({
  id,
  name,
  status,
  categories: ["OTHER"],
});
const last = { jsonVersion: "7.0", validationErrors: [] };

describe("conclusive", () => {
  it("retires the recorded flow as listed when it is live and no newer generation is published", () => {
    const listed = [flow("1", "signup", "PUBLISHED"), flow("2", "other", "PUBLISHED"), flow("3", "signup (v2)", "DEPRECATED")];
    expect(conclusive(listed, "1", "signup", 1, last)).toMatchObject({
      remote: { id: "1", status: "PUBLISHED", jsonVersion: "7.0" },
      generation: 1,
      followed: false,
    });
    expect(conclusive([flow("1", "signup", "DRAFT")], "1", "signup", 1, last)?.remote?.status).toBe("DRAFT");
  });
  it("follows a deprecated recorded flow to the family's newest live generation, a draft included", () => {
    const listed = [flow("1", "signup", "DEPRECATED"), flow("2", "signup (v2)", "DEPRECATED"), flow("3", "signup (v3)", "DRAFT")];
    expect(conclusive(listed, "1", "signup", 1, last)).toMatchObject({
      remote: { id: "3", status: "DRAFT" },
      generation: 3,
      followed: true,
    });
  });
  it("does nothing for a deprecated flow without a live successor (another family's name does not count)", () => {
    const listed = [flow("1", "signup (v2)", "DEPRECATED"), flow("2", "signup-extra (v3)", "PUBLISHED"), flow("3", "signup", "PUBLISHED")];
    // Generation 1 is older than the recorded v2: not its successor.
    expect(conclusive(listed, "1", "signup", 2, last)).toMatchObject({ remote: { id: "1", status: "DEPRECATED" }, followed: false });
  });
  it("is not conclusive when the recorded flow is not listed, its status is unknown, or a newer generation is published", () => {
    expect(conclusive([flow("2", "signup (v2)", "PUBLISHED")], "1", "signup", 1, last)).toBeUndefined();
    expect(conclusive([flow("1", "signup", "UNKNOWN")], "1", "signup", 1, last)).toBeUndefined();
    expect(conclusive([flow("1", "signup", "PUBLISHED"), flow("2", "signup (v2)", "PUBLISHED")], "1", "signup", 1, last)).toBeUndefined();
    expect(conclusive([flow("1", "signup", "DRAFT"), flow("2", "signup (v2)", "PUBLISHED")], "1", "signup", 1, last)).toBeUndefined();
  });
});
