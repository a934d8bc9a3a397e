/**
 * Properties of the lifecycle layer, over generated remote states, desired states and vendor
 * capabilities:
 * - no plan deletes a live flow;
 * - an upload to a live flow is always immediately followed by a publish (or is a replacement);
 * - a replacement never deprecates the old flow before the new one is published, and an interrupted
 *   replacement resumed by the next run creates no duplicate.
 *
 * The executor runs against a small in-memory account that enforces the vendors' common lifecycle
 * rules (edits of published flows redraft or are refused, only drafts are deleted, names are unique)
 * and records every call, so the order of calls is what is checked.
 */
import fc from "fast-check";
import type { CreateFlowRequest, FlowBackend, MetadataChange, RemoteFlow } from "../backends/types";
import { BackendError } from "../backends/types";
import { flowJsonSha256 } from "../hash";
import type { FlowCategory, FlowStatus } from "../model";
import { executePlan, replaceLiveFlow, type ExecutionContext } from "./execute";
import { isLive, liveNameFor, planAssetsChange, planMetadataChange, planRemoval, PlanRefused, type PlanContext } from "./plan";

const STATUSES = ["DRAFT", "PUBLISHED", "DEPRECATED", "THROTTLED", "BLOCKED"] as const;
const status = fc.constantFrom(...STATUSES);
const caps = fc.record({
  publishedEdits: fc.constantFrom("redraft" as const, "refuse" as const),
  publishOnCreate: fc.boolean(),
  clone: fc.boolean(),
});
const planContext = fc.record({ capabilities: caps, editsRefused: fc.boolean(), vendorName: fc.constant("Vendor") });

/** Runs a pure planner; a refusal (deprecated or health-state flows) is a valid answer. */
function planOrRefusal<T>(make: () => T): T | undefined {
  try {
    return make();
  } catch (e) {
    if (e instanceof PlanRefused) return undefined;
    throw e;
  }
}

describe("pure planners", () => {
  it("no removal plan deletes a live flow", () => {
    fc.assert(
      fc.property(status, (s) => {
        const plan = planRemoval({ id: "1", name: "f", status: s });
        if (s !== "DRAFT") expect(plan.steps.map((x) => x.call)).not.toContain("delete");
      }),
    );
  });

  it("an upload to a live flow is immediately followed by a publish, or the flow is replaced", () => {
    fc.assert(
      fc.property(status, fc.boolean(), fc.boolean(), planContext, (s, same, publish, ctx) => {
        const plan = planOrRefusal(() =>
          planAssetsChange({ id: "1", name: "f", status: s, remoteSha: "old" }, { sha: same ? "old" : "new", publish }, ctx),
        );
        if (!plan) return;
        const calls = plan.steps.map((x) => x.call);
        expect(calls).not.toContain("delete");
        expect(calls).not.toContain("deprecate");
        const upload = calls.indexOf("uploadFlowJson");
        if (isLive(s) && upload >= 0) expect(calls[upload + 1]).toBe("publish");
        if (s === "PUBLISHED" && !same && (ctx.capabilities.publishedEdits === "refuse" || ctx.editsRefused))
          expect(calls).toEqual(["replace"]);
      }),
    );
  });

  it("a metadata edit of a published flow is re-published right after, or replaced where the vendor refuses it", () => {
    fc.assert(
      fc.property(status, fc.boolean(), planContext, (s, rename, ctx) => {
        const plan = planOrRefusal(() =>
          planMetadataChange(
            { id: "1", name: "f", status: s, categories: ["OTHER"] },
            { name: rename ? "g" : "f", categories: ["SURVEY"] },
            ctx,
          ),
        );
        if (!plan) return;
        const calls = plan.steps.map((x) => x.call);
        expect(calls).not.toContain("delete");
        if (s === "PUBLISHED") {
          expect(calls).toEqual(
            ctx.capabilities.publishedEdits === "refuse" || ctx.editsRefused ? ["replace"] : ["updateMetadata", "republishIfRedrafted"],
          );
        }
      }),
    );
  });
});

// ------------------------------------------------------------------------------------ in-memory account

interface Call {
  op: string;
  id?: string;
}

class MemoryAccount implements FlowBackend {
  readonly vendor = "memory";
  flows = new Map<string, { name: string; status: FlowStatus; categories: string[]; json?: string }>();
  calls: Call[] = [];
  private seq = 100;
  /** Throw once this many more calls have been made (simulates `kill -9` at any point). */
  crashAfter = Infinity;

  constructor(private readonly publishedEdits: "redraft" | "refuse") {}

  private tick(op: string, id?: string) {
    if (this.crashAfter-- <= 0) throw new Error("killed");
    this.calls.push({ op, id });
  }
  private need(id: string) {
    const f = this.flows.get(id);
    if (!f) throw new BackendError("NOT_FOUND", `flow ${id} does not exist`);
    return f;
  }
  private editable(id: string) {
    const f = this.need(id);
    if (f.status === "DEPRECATED") throw new BackendError("INVALID_STATE", "deprecated");
    if (f.status !== "DRAFT" && this.publishedEdits === "refuse") throw new BackendError("EDIT_REFUSED", "Flow can't be updated");
    return f;
  }
  async createFlow(req: CreateFlowRequest) {
    this.tick("create");
    if ([...this.flows.values()].some((f) => f.name === req.name)) throw new BackendError("NAME_TAKEN", "Flow name is not unique");
    const id = String(++this.seq);
    const json = req.flowJson ?? (req.cloneFlowId ? this.flows.get(req.cloneFlowId)?.json : undefined);
    this.flows.set(id, { name: req.name, categories: [...req.categories], status: req.publish && json ? "PUBLISHED" : "DRAFT", json });
    return { id, validationErrors: [] };
  }
  async getFlow(id: string): Promise<RemoteFlow | undefined> {
    this.tick("get", id);
    const f = this.flows.get(id);
    if (!f) return undefined;
    return {
      id,
      name: f.name,
      status: f.status,
      categories: f.categories,
      validationErrors: [],
      jsonVersion: null,
      previewUrl: null,
      previewExpiresAt: null,
    };
  }
  async listFlows() {
    this.tick("list");
    return [...this.flows.entries()].map(([id, f]) => ({ id, name: f.name, status: f.status, categories: f.categories }));
  }
  async updateMetadata(id: string, change: MetadataChange) {
    this.tick("updateMetadata", id);
    const f = this.editable(id);
    if (change.name !== undefined) f.name = change.name;
    if (change.categories) f.categories = [...change.categories];
    f.status = "DRAFT";
  }
  async uploadFlowJson(id: string, json: string) {
    this.tick("upload", id);
    const f = this.editable(id);
    f.json = json;
    f.status = "DRAFT";
    return { validationErrors: [] };
  }
  async downloadFlowJson(id: string) {
    this.tick("download", id);
    return this.need(id).json;
  }
  async publish(id: string) {
    this.tick("publish", id);
    const f = this.need(id);
    if (f.status !== "DRAFT") throw new BackendError("INVALID_STATE", "Publishing Flow in invalid state");
    if (f.json === undefined) throw new BackendError("VALIDATION", "Publishing Flow with validation errors");
    f.status = "PUBLISHED";
  }
  async deprecate(id: string) {
    this.tick("deprecate", id);
    const f = this.need(id);
    if (f.status === "DEPRECATED") throw new BackendError("ALREADY_DEPRECATED", "Flow is already deprecated");
    if (f.status === "DRAFT") throw new BackendError("INVALID_STATE", "Can't deprecate unpublished flow");
    f.status = "DEPRECATED";
  }
  async deleteFlow(id: string) {
    this.tick("delete", id);
    const f = this.need(id);
    if (f.status !== "DRAFT") throw new BackendError("INVALID_STATE", "Can't delete published Flow");
    this.flows.delete(id);
  }
  async getPreview() {
    return undefined;
  }
  live(family: string) {
    return [...this.flows.entries()].filter(
      ([, f]) => f.status === "PUBLISHED" && (f.name === family || f.name.startsWith(`${family} (v`)),
    );
  }
}

const NEW_JSON = JSON.stringify({ version: "7.3", screens: [{ id: "NEW" }] });
const OLD_JSON = JSON.stringify({ version: "7.3", screens: [{ id: "OLD" }] });

function contextFor(account: MemoryAccount, flowId: string, ctxCaps: PlanContext["capabilities"], flowJson?: string): ExecutionContext {
  return {
    backend: account,
    account: "memory:1",
    flowId,
    flowName: "signup",
    flowJson,
    planContext: { capabilities: ctxCaps, vendorName: "Vendor" },
    log: () => undefined,
    validationFailure: (problems) => new Error(`validation: ${problems.length}`),
  };
}

describe("replacement (executor against an in-memory account)", () => {
  it("never deprecates before the new flow is published, never leaves zero live flows, and a resumed run makes no duplicate", async () => {
    await fc.assert(
      fc.asyncProperty(
        caps,
        fc.boolean(),
        fc.option(fc.nat({ max: 12 }), { nil: undefined }),
        fc.nat({ max: 3 }),
        // The templatesSending hook: absent, no template sends the flow, or one does (then it is never deprecated).
        fc.constantFrom("none" as const, "unsent" as const, "sent" as const),
        async (c, jsonChange, crashAt, generation, templates) => {
          const account = new MemoryAccount("refuse");
          account.flows.set("1", {
            name: liveNameFor("signup", generation + 1),
            status: "PUBLISHED",
            categories: ["SIGN_UP"],
            json: OLD_JSON,
          });
          const step = jsonChange
            ? { name: "signup", reason: "r" }
            : { name: "signup", categories: ["SURVEY" as FlowCategory], reason: "r" };
          const hook =
            templates === "none"
              ? {}
              : {
                  templatesSending: async (id: string) => {
                    account.calls.push({ op: "templates", id });
                    return templates === "sent" && id === "1" ? ["invite (en_US)"] : [];
                  },
                };
          const run = () => replaceLiveFlow({ ...contextFor(account, "1", c, jsonChange ? NEW_JSON : undefined), ...hook }, step);
          if (crashAt !== undefined) {
            account.crashAfter = crashAt;
            await run().catch((e) => {
              if ((e as Error).message !== "killed") throw e;
            });
            account.crashAfter = Infinity;
            // The flow stays live whatever point the run died at.
            expect(account.live("signup").length).toBeGreaterThanOrEqual(1);
          }
          const result = await run().catch(async (e) => {
            // A crash after the old flow was deprecated: the next run finds nothing live to replace.
            if (e instanceof PlanRefused || (e as BackendError).kind !== undefined) return undefined;
            throw e;
          });
          if (templates === "sent") {
            // The old flow is never deprecated while a template sends it: both stay live, the old one is handed back as retained.
            expect(account.flows.get("1")!.status).toBe("PUBLISHED");
            expect(account.calls.some((x) => x.op === "deprecate")).toBe(false);
            if (result) expect(result.retained).toEqual({ flowId: "1", templates: ["invite (en_US)"] });
            expect(account.live("signup")).toHaveLength(2);
            // The templates are asked only once the successor is live.
            const asked = account.calls.findIndex((x) => x.op === "templates");
            const successorId = account.live("signup").find(([i]) => i !== "1")![0];
            const live = account.calls.findIndex((x) => (x.op === "publish" && x.id === successorId) || x.op === "create");
            expect(asked).toBeGreaterThan(live);
            account.flows.get("1")!.status = "DEPRECATED"; // (what the template hook does once it is repointed)
          }
          const live = account.live("signup");
          expect(live).toHaveLength(1);
          const [id, flow] = live[0];
          if (result) expect(result.id).toBe(id);
          expect(flowJsonSha256(flow.json!)).toBe(flowJsonSha256(jsonChange ? NEW_JSON : OLD_JSON));
          if (!jsonChange) expect(flow.categories).toEqual(["SURVEY"]);
          // Exactly one successor was ever created: no duplicate across the crash and the resume.
          const nonDeprecated = [...account.flows.values()].filter((f) => f.status !== "DEPRECATED");
          expect(nonDeprecated).toHaveLength(1);
          // Order: the old flow is deprecated only after the successor's publish (or its publish-on-create).
          const deprecateAt = account.calls.findIndex((x) => x.op === "deprecate" && x.id === "1");
          const publishAt = account.calls.findIndex((x) => (x.op === "publish" && x.id === id) || x.op === "create");
          if (templates !== "sent") expect(deprecateAt).toBeGreaterThan(publishAt);
          // Asked right before the deprecation (no other call between the answer and the decision).
          if (templates === "unsent") expect(account.calls[deprecateAt - 1].op).toBe("templates");
          expect(account.calls.some((x) => x.op === "delete")).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("a vendor that redrafts but refuses this flow (legacy) falls back to replacement and says so", async () => {
    const account = new MemoryAccount("refuse");
    account.flows.set("1", { name: "signup", status: "PUBLISHED", categories: ["SIGN_UP"], json: OLD_JSON });
    const c = { publishedEdits: "redraft" as const, publishOnCreate: true, clone: true };
    const remote = (await account.getFlow("1"))!;
    const plan = planAssetsChange(
      { ...remote, remoteSha: flowJsonSha256(OLD_JSON) },
      { sha: flowJsonSha256(NEW_JSON), publish: true },
      { capabilities: c, vendorName: "Vendor" },
    );
    expect(plan.steps.map((s) => s.call)).toEqual(["uploadFlowJson", "publish"]);
    const result = await executePlan({ ...contextFor(account, "1", c, NEW_JSON), previousFlowJson: OLD_JSON, remote }, plan);
    expect(result.editsRefused).toBe(true);
    expect(result.replacement).toMatchObject({ name: "signup (v2)", generation: 2, replaced: "1" });
    expect(account.flows.get("1")!.status).toBe("DEPRECATED");
    expect(account.flows.get(result.replacement!.id)).toMatchObject({ status: "PUBLISHED", json: NEW_JSON });
  });
});
