/** The executor's critical sections (lifecycle/critical.ts) with a backend in memory whose calls the test holds. */
import type { FlowBackend, RemoteFlow } from "../backends/types";
import { EngineGoneError, guardBackend, sections } from "./critical";
import { executePlan, type ExecutionContext } from "./execute";
import { planAssetsChange } from "./plan";

const flow = (id: string, name: string, status: RemoteFlow["status"]): RemoteFlow => ({
  id,
  name,
  status,
  categories: ["SIGN_UP"],
  validationErrors: [],
  jsonVersion: "7.3",
  previewUrl: null,
  previewExpiresAt: null,
});

/** A vendor in memory; `hold(op)` makes the next call of `op` wait until the test releases it. */
function memoryVendor(flows: RemoteFlow[]) {
  const calls: string[] = [];
  const held = new Map<string, { arrived: () => void; release: Promise<void> }>();
  const holds: Record<string, { arrived: Promise<void>; release: () => void }> = {};
  const call = async (op: string, detail: string) => {
    calls.push(`${op} ${detail}`);
    const h = held.get(op);
    if (h) {
      held.delete(op);
      h.arrived();
      await h.release;
    }
  };
  let next = 100;
  const backend: FlowBackend = {
    vendor: "memory",
    async createFlow(req) {
      await call("create", req.name);
      const f = flow(String(next++), req.name, req.publish ? "PUBLISHED" : "DRAFT");
      flows.push(f);
      return { id: f.id, validationErrors: [] };
    },
    async getFlow(id) {
      await call("get", id);
      return flows.find((f) => f.id === id);
    },
    async listFlows() {
      await call("list", "");
      return flows.map(({ id, name, status, categories }) => ({ id, name, status, categories }));
    },
    async updateMetadata(id) {
      await call("update", id);
    },
    async uploadFlowJson(id) {
      await call("upload", id);
      flows.find((f) => f.id === id)!.status = "DRAFT";
      return { validationErrors: [] };
    },
    async downloadFlowJson(id) {
      await call("download", id);
      return undefined;
    },
    async publish(id) {
      await call("publish", id);
      flows.find((f) => f.id === id)!.status = "PUBLISHED";
    },
    async deprecate(id) {
      await call("deprecate", id);
      flows.find((f) => f.id === id)!.status = "DEPRECATED";
    },
    async deleteFlow(id) {
      await call("delete", id);
    },
    async getPreview() {
      return undefined;
    },
  };
  return {
    backend: guardBackend(backend),
    calls,
    hold(op: string) {
      let arrived!: () => void;
      let release!: () => void;
      const h = { arrived: new Promise<void>((r) => (arrived = r)), release: () => release() };
      held.set(op, { arrived: () => arrived(), release: new Promise<void>((r) => (release = r)) });
      holds[op] = h;
      return h;
    },
  };
}

function context(backend: FlowBackend, remote: RemoteFlow, publishedEdits: "redraft" | "refuse"): ExecutionContext {
  return {
    backend,
    account: "memory:1",
    flowId: remote.id,
    flowName: "signup",
    flowJson: '{"version":"7.3","screens":[]}',
    previousFlowJson: '{"version":"7.2","screens":[]}',
    remote,
    planContext: { capabilities: { publishedEdits, publishOnCreate: false, clone: false }, vendorName: "Memory" },
    log: () => undefined,
    validationFailure: (_p, why) => new Error(why),
  };
}

afterEach(() => sections.reset());

test("engine gone during the upload over a published flow: its publish is still made, inside the open section", async () => {
  const live = flow("1", "signup", "PUBLISHED");
  const vendor = memoryVendor([live]);
  const plan = planAssetsChange(
    { ...live, remoteSha: "old" },
    { sha: "new", publish: true },
    { capabilities: { publishedEdits: "redraft", publishOnCreate: false, clone: false }, vendorName: "Memory" },
  );
  const upload = vendor.hold("upload");
  const running = executePlan(context(vendor.backend, live, "redraft"), plan);
  await upload.arrived;
  expect(sections.openSections()).toEqual(["edit and re-publish of flow 1"]);
  sections.engineGone("engine process 10 exited");
  upload.release();
  await running;
  expect(vendor.calls).toEqual(["upload 1", "publish 1"]);
  expect(live.status).toBe("PUBLISHED");
  expect(sections.openSections()).toEqual([]);
});

test("engine gone before the upload: nothing is sent", async () => {
  const live = flow("1", "signup", "PUBLISHED");
  const vendor = memoryVendor([live]);
  const plan = planAssetsChange(
    { ...live, remoteSha: "old" },
    { sha: "new", publish: true },
    { capabilities: { publishedEdits: "redraft", publishOnCreate: false, clone: false }, vendorName: "Memory" },
  );
  sections.engineGone("engine process 10 exited");
  await expect(executePlan(context(vendor.backend, live, "redraft"), plan)).rejects.toBeInstanceOf(EngineGoneError);
  expect(vendor.calls).toEqual([]);
});

test("a draft's upload and publish are no section: once the engine is gone the publish is not sent", async () => {
  const draft = flow("1", "signup", "DRAFT");
  const vendor = memoryVendor([draft]);
  const plan = planAssetsChange(
    { ...draft, remoteSha: "old" },
    { sha: "new", publish: true },
    { capabilities: { publishedEdits: "redraft", publishOnCreate: false, clone: false }, vendorName: "Memory" },
  );
  const upload = vendor.hold("upload");
  const running = executePlan(context(vendor.backend, draft, "redraft"), plan);
  await upload.arrived;
  expect(sections.openSections()).toEqual([]);
  sections.engineGone("engine process 10 exited");
  upload.release();
  await expect(running).rejects.toBeInstanceOf(EngineGoneError);
  expect(vendor.calls).toEqual(["upload 1"]);
});

test("replacement: engine gone during the successor's upload, the successor is published, the old flow is not deprecated", async () => {
  const live = flow("1", "signup", "PUBLISHED");
  const vendor = memoryVendor([live]);
  const ctx = context(vendor.backend, live, "refuse");
  const plan = planAssetsChange({ ...live, remoteSha: "old" }, { sha: "new", publish: true }, ctx.planContext);
  expect(plan.steps.map((s) => s.call)).toEqual(["replace"]);
  const upload = vendor.hold("upload");
  const running = executePlan(ctx, plan);
  await upload.arrived;
  expect(sections.openSections()).toEqual(["replacement of flow 1"]);
  sections.engineGone("engine process 10 exited");
  upload.release();
  await expect(running).rejects.toThrow(/not starting deprecating flow 1: engine process 10 exited/);
  // No list first (issue 18): the successor's name is created straight away.
  expect(vendor.calls).toEqual(["create signup (v2)", "upload 100", "publish 100"]);
  expect(live.status).toBe("PUBLISHED");
});

test("replacement: engine gone before the successor's create: no create", async () => {
  const live = flow("1", "signup", "PUBLISHED");
  const vendor = memoryVendor([live]);
  const ctx = context(vendor.backend, live, "refuse");
  const plan = planAssetsChange({ ...live, remoteSha: "old" }, { sha: "new", publish: true }, ctx.planContext);
  // The engine is gone before the replacement starts its successor: that is new work, refused.
  sections.engineGone("engine process 10 exited");
  await expect(executePlan(ctx, plan)).rejects.toBeInstanceOf(EngineGoneError);
  expect(vendor.calls.filter((c) => c.startsWith("create"))).toEqual([]);
});
