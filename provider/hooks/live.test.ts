/**
 * `listedLive`: a replacing update plans from the state and the account's list alone only when the list
 * shows the recorded flow PUBLISHED and no newer PUBLISHED generation of its family; anything else is
 * left to `resolveLive`, which reads. A backend whose only answer is the list: any other call fails the test.
 */
import type { FlowBackend, RemoteFlow, RemoteFlowSummary } from "../backends/types";
import { listedLive } from "./live";

const recorded: RemoteFlow = {
  id: "10",
  name: "signup",
  status: "PUBLISHED",
  categories: ["SIGN_UP"],
  validationErrors: [],
  jsonVersion: "7.0",
  previewUrl: null,
  previewExpiresAt: null,
};

const listing = (flows: RemoteFlowSummary[] | Error): FlowBackend => {
  const refuse = () => {
    throw new Error("no call but the list");
  };
  return {
    vendor: "test",
    listFlows: async () => {
      if (flows instanceof Error) throw flows;
      return flows;
    },
    createFlow: refuse,
    getFlow: refuse,
    updateMetadata: refuse,
    uploadFlowJson: refuse,
    downloadFlowJson: refuse,
    publish: refuse,
    deprecate: refuse,
    deleteFlow: refuse,
    getPreview: refuse,
  };
};
const flow = (id: string, name: string, status: RemoteFlowSummary["status"], categories: string[] = []): RemoteFlowSummary => ({
  id,
  name,
  status,
  categories,
});

test("the recorded flow listed PUBLISHED, no newer generation: the state's flow with the listed name and status", async () => {
  const live = await listedLive(listing([flow("10", "signup", "PUBLISHED"), flow("3", "other", "PUBLISHED")]), recorded, "signup");
  // 8x8's list carries no categories: the state's stand.
  expect(live).toEqual({ remote: recorded, generation: 1, followed: false });
});

test("the listed categories where the list has them, the generation from the listed name, and a DRAFT state's errors dropped", async () => {
  const draft = { ...recorded, status: "DRAFT" as const, validationErrors: [{ message: "old" }] as never };
  const live = await listedLive(listing([flow("10", "signup (v3)", "PUBLISHED", ["SURVEY"])]), draft, "signup", 1);
  expect(live).toEqual({
    remote: { ...recorded, name: "signup (v3)", categories: ["SURVEY"], validationErrors: [] },
    generation: 3,
    followed: false,
  });
});

test("a predecessor kept for its templates, listed PUBLISHED below the recorded flow, is not a newer generation", async () => {
  const mine = { ...recorded, id: "11", name: "signup (v2)" };
  const live = await listedLive(listing([flow("10", "signup", "PUBLISHED"), flow("11", "signup (v2)", "PUBLISHED")]), mine, "signup", 2);
  expect(live?.remote).toMatchObject({ id: "11", name: "signup (v2)" });
  expect(live?.generation).toBe(2);
});

test.each([
  ["not listed", [flow("3", "other", "PUBLISHED")]],
  ["listed DRAFT", [flow("10", "signup", "DRAFT")]],
  ["listed DEPRECATED, no successor", [flow("10", "signup", "DEPRECATED")]],
  [
    "listed DEPRECATED, the newest successor a DRAFT (an interrupted replacement)",
    [flow("10", "signup", "DEPRECATED"), flow("11", "signup (v2)", "PUBLISHED"), flow("12", "signup (v3)", "DRAFT")],
  ],
  [
    "a newer generation PUBLISHED (kept for templates, or killed before the deprecate)",
    [flow("10", "signup", "PUBLISHED"), flow("12", "signup (v2)", "PUBLISHED")],
  ],
  ["listed THROTTLED (a health state)", [flow("10", "signup", "THROTTLED")]],
  ["the list failing", new Error("HTTP 500")],
] as const)("%s: undefined (the caller reads)", async (_what, flows) => {
  expect(await listedLive(listing(flows as RemoteFlowSummary[] | Error), recorded, "signup")).toBeUndefined();
});

test("a DRAFT successor is not live: the recorded flow is (the replacement resumes the draft)", async () => {
  const live = await listedLive(listing([flow("10", "signup", "PUBLISHED"), flow("12", "signup (v2)", "DRAFT")]), recorded, "signup");
  expect(live?.remote?.id).toBe("10");
});

test("listed DEPRECATED (the FlowAssets replaced it since): its PUBLISHED successor in the same list, without a read", async () => {
  const live = await listedLive(
    listing([flow("10", "signup", "DEPRECATED"), flow("11", "signup (v2)", "PUBLISHED"), flow("3", "signup-other", "PUBLISHED")]),
    { ...recorded, endpointUri: "https://example.com/x" },
    "signup",
  );
  // The list's name, id and status; the state's categories (8x8's list has none) and endpoint; no JSON version
  // (the FlowAssets' state knows the successor's JSON).
  expect(live).toEqual({
    remote: {
      ...recorded,
      endpointUri: "https://example.com/x",
      id: "11",
      name: "signup (v2)",
      jsonVersion: null,
      healthStatus: null,
    },
    generation: 2,
    followed: true,
  });
});

test("listed DEPRECATED: the listed categories of the successor where the list has them", async () => {
  const live = await listedLive(
    listing([flow("10", "signup", "DEPRECATED", ["SIGN_UP"]), flow("11", "signup (v2)", "PUBLISHED", ["SIGN_UP", "SURVEY"])]),
    recorded,
    "signup",
  );
  expect(live?.remote).toMatchObject({ id: "11", categories: ["SIGN_UP", "SURVEY"] });
});
