/**
 * provider/budget.ts with a scripted backend: readings drive pacing and stops; a stopped account makes no
 * call; an edit that may re-draft a published flow never starts without room for its publish; "N of M
 * flows are done" counts flows from the hooks.
 */
import type { FlowBackend } from "./backends/types";
import { BackendError, FLOW_BACKEND_METHODS } from "./backends/types";
import { BudgetExhaustedError, resetBudgets, trackResource, withBudget, type BudgetReading } from "./budget";

const ACCOUNT = "meta:1234";

/** A backend whose every answer reports the next reading from `percents` (calls charged by the "vendor"). */
function scripted(limit: number, startCount = 0) {
  let count = startCount;
  const calls: string[] = [];
  const backend: any = { vendor: "meta" };
  const answer = async (name: string, ...args: unknown[]) => {
    calls.push(`${name}${typeof args[0] === "string" ? ` ${args[0]}` : ""}`);
    const exhausted = count >= limit;
    if (!exhausted) count++;
    const reading: BudgetReading = {
      budget: "Meta's hourly API budget for WABA 1234",
      usedPercent: Math.floor((count * 100) / limit),
      exhausted,
      regainSeconds: exhausted ? 34 * 60 : undefined,
      documented: "Meta allows 200 calls an hour without a registered phone number",
      assumedCalls: 200,
      windowSeconds: 3600,
    };
    backend.onBudgetReading?.(reading);
    if (exhausted) throw new BackendError("BUDGET_EXHAUSTED", "rate limit (code 80007)", "80007", 400);
    return name === "listFlows" ? [] : name === "uploadFlowJson" ? { validationErrors: [] } : name === "getFlow" ? undefined : undefined;
  };
  for (const m of FLOW_BACKEND_METHODS) {
    backend[m] = (...args: unknown[]) => answer(m, ...args);
  }
  return { backend: backend as FlowBackend, calls };
}

beforeEach(() => {
  resetBudgets();
  process.env.WHATSAPP_FLOWS_BUDGET_PACE_MS = "0";
});

test("the estimate stops the account before the vendor would: later calls fail at once, without a call", async () => {
  const { backend, calls } = scripted(3);
  const b = withBudget(ACCOUNT, backend);
  await b.getFlow("1");
  await b.getFlow("2");
  await b.getFlow("3").catch(() => undefined); // the estimate stops us before the vendor would
  const e = await b.listFlows().catch((x) => x);
  expect(e).toBeInstanceOf(BudgetExhaustedError);
  expect(e.message).toMatch(/^Meta's hourly API budget for WABA 1234 is (used up|nearly used up)/);
  expect(e.message).toMatch(/run pulumi up again then$/);
  const before = calls.length;
  await expect(b.publish("9")).rejects.toBeInstanceOf(BudgetExhaustedError);
  expect(calls.length).toBe(before);
});

test("a refusal we did not foresee (another caller used the budget) gives Meta's wait and stops every later call", async () => {
  const { backend, calls } = scripted(10, 10); // the window is already used up by someone else
  const b = withBudget(ACCOUNT, backend);
  const e = await b.getFlow("1").catch((x) => x);
  expect(e).toBeInstanceOf(BudgetExhaustedError);
  expect(e.message).toMatch(/is used up .*: 0 of 0 flows are done; access returns in about 34 minutes; run pulumi up again then/);
  await expect(b.createFlow({ name: "x", categories: ["OTHER"] })).rejects.toBeInstanceOf(BudgetExhaustedError);
  expect(calls).toEqual(["getFlow 1"]);
});

test("an upload starts only with room for its publish, and the reserved publish passes the stop we decide", async () => {
  const { backend, calls } = scripted(20);
  const b = withBudget(ACCOUNT, backend);
  // 17 calls: 85% used, calls now one at a time, the estimate exact (5% a call).
  for (let i = 0; i < 17; i++) await b.getFlow(String(i));
  await b.uploadFlowJson("A", "{}"); // 18th call; A's publish is reserved
  // 2 calls left for the vendor: B's upload and its publish would leave A's publish without room.
  await expect(b.uploadFlowJson("B", "{}")).rejects.toBeInstanceOf(BudgetExhaustedError);
  await b.publish("A"); // reserved: goes through although the account is stopped
  await expect(b.publish("B")).rejects.toBeInstanceOf(BudgetExhaustedError);
  expect(calls.slice(-2)).toEqual(["uploadFlowJson A", "publish A"]);
  expect(calls.filter((c) => c.endsWith(" B"))).toEqual([]);
});

test("N of M flows are done: flows seen by the hooks, done when their operations finished", async () => {
  const { backend } = scripted(5); // two flows of 2 calls each, then 1 call left: the third flow is refused before its create
  const b = withBudget(ACCOUNT, backend);
  const hooks = trackResource("FlowAssets", {
    check: async (_olds: any, news: any) => ({ inputs: news, failures: [] }),
    create: async (inputs: any) => {
      await b.createFlow({ name: inputs.name, categories: ["OTHER"] });
      await b.getFlow(inputs.name);
      return { id: inputs.name, outs: inputs };
    },
  });
  const names = ["a", "b", "c", "d"];
  for (const name of names) await hooks.check({}, { waba: ACCOUNT, name });
  const results = [];
  for (const name of names) results.push(await hooks.create({ waba: ACCOUNT, name }).catch((e: Error) => e));
  expect(results.slice(0, 2)).toEqual([expect.objectContaining({ id: "a" }), expect.objectContaining({ id: "b" })]);
  for (const e of results.slice(2)) {
    expect(e).toBeInstanceOf(BudgetExhaustedError);
    expect((e as Error).message).toMatch(
      /^Flow "[cd]": Meta's hourly API budget for WABA 1234 is .*: 2 of 4 flows are done; access returns in about \d+ minutes; run pulumi up again then$/,
    );
  }
});
