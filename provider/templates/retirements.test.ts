/** The process-wide records of flows kept for their templates (./retirements.ts). */
import { resetClaims } from "../lifecycle/claims";
import type { RemoteTemplate } from "../backends/templates/types";
import {
  cachedTemplateList,
  dropTemplateList,
  forgetRetirement,
  planReplacement,
  plannedReplacementOf,
  registerRetirement,
  retirementOf,
  withFlowLock,
} from "./retirements";

beforeEach(() => resetClaims());

test("retirements and planned replacements are per account and flow, and a new deployment forgets them", () => {
  registerRetirement("meta:1", "10", { successorId: "11", flowName: "signup" });
  planReplacement("meta:1", "11", "signup");
  expect(retirementOf("meta:1", "10")).toEqual({ successorId: "11", flowName: "signup" });
  expect(retirementOf("meta:2", "10")).toBeUndefined();
  expect(plannedReplacementOf("meta:1", "11")).toBe("signup");
  forgetRetirement("meta:1", "10");
  expect(retirementOf("meta:1", "10")).toBeUndefined();
  registerRetirement("meta:1", "12", { successorId: "13", flowName: "signup" });
  resetClaims();
  expect(retirementOf("meta:1", "12")).toBeUndefined();
  expect(plannedReplacementOf("meta:1", "11")).toBeUndefined();
});

test("one template list per account until a write drops it; a failed list is not kept", async () => {
  let calls = 0;
  const list = async (): Promise<RemoteTemplate[]> => {
    calls++;
    return [];
  };
  await Promise.all([cachedTemplateList("a", list), cachedTemplateList("a", list), cachedTemplateList("b", list)]);
  expect(calls).toBe(2);
  dropTemplateList("a");
  await cachedTemplateList("a", list);
  expect(calls).toBe(3);
  await expect(cachedTemplateList("c", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
  await cachedTemplateList("c", list);
  expect(calls).toBe(4);
});

test("decisions about one flow never interleave; other flows are not held up; a failure releases the lock", async () => {
  const events: string[] = [];
  const step = (name: string, ms: number) => async () => {
    events.push(`${name}:start`);
    await new Promise((r) => setTimeout(r, ms));
    events.push(`${name}:end`);
    if (name === "a1") throw new Error("a1 failed");
    return name;
  };
  const a1 = withFlowLock("acct", "1", step("a1", 30)).catch((e) => (e as Error).message);
  const a2 = withFlowLock("acct", "1", step("a2", 1));
  const b = withFlowLock("acct", "2", step("b", 1));
  expect(await Promise.all([a1, a2, b])).toEqual(["a1 failed", "a2", "b"]);
  expect(events.indexOf("a2:start")).toBeGreaterThan(events.indexOf("a1:end"));
  expect(events.indexOf("b:end")).toBeLessThan(events.indexOf("a1:end"));
});
