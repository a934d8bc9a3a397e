/**
 * provider/budget.ts with a scripted backend: readings drive pacing and stops; a stopped account makes no
 * call; an edit that may re-draft a published flow never starts without room for its publish; "N of M
 * flows are done" counts flows from the hooks.
 */
import type { FlowBackend } from "./backends/types";
import { BackendError, FLOW_BACKEND_METHODS } from "./backends/types";
import { TEMPLATE_BACKEND_METHODS, type TemplateBackend } from "./backends/templates/types";
import { BudgetExhaustedError, resetBudgets, trackResource, withBudget, withTemplateBudget, type BudgetReading } from "./budget";

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
  // The same vendor's template API, counted against the same budget (Meta's: the same app and WABA).
  const templates: any = { vendor: "meta" };
  const templateAnswer = async (name: string, ...args: unknown[]) => {
    const saved = backend.onBudgetReading;
    backend.onBudgetReading = templates.onBudgetReading;
    try {
      await answer(name, ...(typeof args[0] === "object" && args[0] ? [(args[0] as { name: string }).name] : args));
    } finally {
      backend.onBudgetReading = saved;
    }
    return name === "listTemplates" ? [] : name === "createTemplate" ? { id: "t1", status: "PENDING" } : undefined;
  };
  for (const m of TEMPLATE_BACKEND_METHODS) templates[m] = (...args: unknown[]) => templateAnswer(m, ...args);
  return { backend: backend as FlowBackend, templates: templates as TemplateBackend, calls };
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

test("template calls spend the same budget: admitted and stopped with the flows' calls, without a call once stopped", async () => {
  const { backend, templates, calls } = scripted(4);
  const flows = withBudget(ACCOUNT, backend);
  const t = withTemplateBudget(ACCOUNT, templates);
  await flows.getFlow("1");
  await t.createTemplate({ name: "welcome", language: "en_US", category: "MARKETING", components: [] });
  await flows.getFlow("2");
  // Three calls of both kinds spent three quarters of the budget (4 calls an hour; the estimate errs on the
  // safe side by a percent): every later call of either kind fails at once, without reaching the vendor.
  const before = calls.length;
  await expect(t.getTemplate({ id: "t1", name: "welcome", language: "en_US" })).rejects.toBeInstanceOf(BudgetExhaustedError);
  await expect(flows.getFlow("3")).rejects.toBeInstanceOf(BudgetExhaustedError);
  await expect(t.listTemplates()).rejects.toBeInstanceOf(BudgetExhaustedError);
  await expect(flows.listFlows()).rejects.toBeInstanceOf(BudgetExhaustedError);
  expect(calls.length).toBe(before);
  expect(calls).toEqual(["getFlow 1", "createTemplate welcome", "getFlow 2"]);
});

test("the message counts flows and templates apart: N of M flows and K of L templates are done", async () => {
  const { backend, templates } = scripted(3);
  const flows = withBudget(ACCOUNT, backend);
  const t = withTemplateBudget(ACCOUNT, templates);
  const flowHooks = trackResource("FlowAssets", {
    check: async (_olds: any, news: any) => ({ inputs: news, failures: [] }),
    create: async (inputs: any) => {
      await flows.createFlow({ name: inputs.name, categories: ["OTHER"] });
      return { id: inputs.name, outs: inputs };
    },
  });
  const templateHooks = trackResource("MessageTemplate", {
    check: async (_olds: any, news: any) => ({ inputs: news, failures: [] }),
    create: async (inputs: any) => {
      await t.createTemplate({ name: inputs.name, language: "en_US", category: "MARKETING", components: [] });
      return { id: inputs.name, outs: inputs };
    },
  });
  // A flow and a template may share a name: they are counted apart.
  const flowNames = ["a", "b", "c"];
  const templateNames = ["a", "t2", "t3"];
  for (const name of flowNames) await flowHooks.check({}, { waba: ACCOUNT, name });
  for (const name of templateNames) await templateHooks.check({}, { waba: ACCOUNT, name });
  // 3 calls an hour: flows a, b and template a go through; then the budget is spent.
  const ok = [await flowHooks.create({ waba: ACCOUNT, name: "a" }), await flowHooks.create({ waba: ACCOUNT, name: "b" })];
  ok.push(await templateHooks.create({ waba: ACCOUNT, name: "a" }));
  expect(ok.map((r: any) => r.id)).toEqual(["a", "b", "a"]);
  const flowFailure = await flowHooks.create({ waba: ACCOUNT, name: "c" }).catch((e: Error) => e);
  const templateFailure = await templateHooks.create({ waba: ACCOUNT, name: "t2" }).catch((e: Error) => e);
  expect(flowFailure).toBeInstanceOf(BudgetExhaustedError);
  expect(templateFailure).toBeInstanceOf(BudgetExhaustedError);
  expect((flowFailure as Error).message).toMatch(
    /^Flow "c": Meta's hourly API budget for WABA 1234 is .*: 2 of 3 flows and 1 of 3 templates are done; access returns in about \d+ minutes; run pulumi up again then$/,
  );
  expect((templateFailure as Error).message).toMatch(
    /^MessageTemplate "t2": Meta's hourly API budget for WABA 1234 is .*: 2 of 3 flows and 1 of 3 templates are done;/,
  );
});

test("a deployment of templates only counts templates", async () => {
  const { templates } = scripted(1);
  const t = withTemplateBudget(ACCOUNT, templates);
  const hooks = trackResource("MessageTemplate", {
    check: async (_olds: any, news: any) => ({ inputs: news, failures: [] }),
    create: async (inputs: any) => {
      await t.createTemplate({ name: inputs.name, language: "en_US", category: "MARKETING", components: [] });
      return { id: inputs.name, outs: inputs };
    },
  });
  for (const name of ["x", "y"]) await hooks.check({}, { waba: ACCOUNT, name });
  await hooks.create({ waba: ACCOUNT, name: "x" }).catch(() => undefined);
  const e = await hooks.create({ waba: ACCOUNT, name: "y" }).catch((x: Error) => x);
  expect(e).toBeInstanceOf(BudgetExhaustedError);
  expect((e as Error).message).toMatch(/: \d of 2 templates are done; /);
  expect((e as Error).message).not.toMatch(/flows/);
});

test("a flow whose check is still waiting (its name lookup queued behind other calls) is counted in a stop's message", async () => {
  const { templates } = scripted(1);
  const t = withTemplateBudget(ACCOUNT, templates);
  let lookedUp!: () => void;
  const lookup = new Promise<void>((r) => (lookedUp = r));
  const flowHooks = trackResource("Flow", {
    check: async (_olds: any, news: any) => {
      await lookup;
      return { inputs: news, failures: [] };
    },
  });
  const templateHooks = trackResource("MessageTemplate", {
    check: async (_olds: any, news: any) => ({ inputs: news, failures: [] }),
    create: async (inputs: any) => {
      await t.createTemplate({ name: inputs.name, language: "en_US", category: "MARKETING", components: [] });
      return { id: inputs.name, outs: inputs };
    },
  });
  const checking = flowHooks.check({}, { waba: ACCOUNT, name: "f" });
  for (const name of ["x", "y"]) await templateHooks.check({}, { waba: ACCOUNT, name });
  await templateHooks.create({ waba: ACCOUNT, name: "x" });
  const e = await templateHooks.create({ waba: ACCOUNT, name: "y" }).catch((x: Error) => x);
  expect((e as Error).message).toMatch(/: 0 of 1 flow and 1 of 2 templates are done; /);
  lookedUp();
  await checking;
});

test("a check that fails leaves its flow counted as not done", async () => {
  const { templates } = scripted(1);
  const t = withTemplateBudget(ACCOUNT, templates);
  const flowHooks = trackResource("Flow", {
    check: async (_olds: any, _news: any) => {
      throw new Error("lookup failed");
    },
  });
  const templateHooks = trackResource("MessageTemplate", {
    check: async (_olds: any, news: any) => ({ inputs: news, failures: [] }),
    create: async (inputs: any) => {
      await t.createTemplate({ name: inputs.name, language: "en_US", category: "MARKETING", components: [] });
      return { id: inputs.name, outs: inputs };
    },
  });
  await expect(flowHooks.check({}, { waba: ACCOUNT, name: "f" })).rejects.toThrow("lookup failed");
  for (const name of ["x", "y"]) await templateHooks.check({}, { waba: ACCOUNT, name });
  await templateHooks.create({ waba: ACCOUNT, name: "x" });
  const e = await templateHooks.create({ waba: ACCOUNT, name: "y" }).catch((x: Error) => x);
  expect((e as Error).message).toMatch(/: 0 of 1 flow and 1 of 2 templates are done; /);
});
