/** The per-deployment list of an account's flows, against the emulator through the real AWS SDK. */
import { DEV_WABA_ID } from "../../emulator";
import { VALID_FLOW_JSON } from "../../emulator/test-helpers";
import { connect } from "./context";
import { useEmulator } from "./test-helpers";

const suite = useEmulator();
const { ops } = suite;
const lists = () => ops().filter((o) => o === "ListWhatsAppFlows").length;

test("a deployment lists an account once, and its own writes keep the list right without listing again", async () => {
  const { backend } = connect(DEV_WABA_ID);
  expect(await backend.listFlows()).toEqual([]);
  const a = await backend.createFlow({ name: "a", categories: ["OTHER"] });
  const b = await backend.createFlow({ name: "b", categories: ["SIGN_UP"] });
  await backend.uploadFlowJson(a.id, VALID_FLOW_JSON);
  await backend.publish(a.id);
  // Another resource's connection shares the list.
  const other = connect(DEV_WABA_ID).backend;
  const byName = (flows: { name: string; status: string }[]) => Object.fromEntries(flows.map((f) => [f.name, f.status]));
  expect(byName(await other.listFlows())).toEqual({ a: "PUBLISHED", b: "DRAFT" });
  await other.updateMetadata(b.id, { name: "b2", current: { name: "b", categories: ["SIGN_UP"] } });
  await other.deprecate(a.id);
  expect(byName(await backend.listFlows())).toEqual({ a: "DEPRECATED", b2: "DRAFT" });
  await backend.deleteFlow(b.id);
  expect(byName(await backend.listFlows())).toEqual({ a: "DEPRECATED" });
  expect(lists()).toBe(1);
  // ... and the list is what the vendor says.
  expect(byName(await connect(DEV_WABA_ID).backend.listFlows())).toEqual(
    byName(suite.emu.flows().map((f) => ({ name: f.name, status: f.status }))),
  );
});

test("a create carrying the JSON and publish keeps the list right (PUBLISHED, or DRAFT when the vendor lists errors): one list for all new flows", async () => {
  const { backend } = connect(DEV_WABA_ID);
  await backend.listFlows();
  const ok = await backend.createFlow({ name: "ok", categories: ["OTHER"], flowJson: VALID_FLOW_JSON, publish: true });
  const bad = await backend.createFlow({ name: "bad", categories: ["OTHER"], flowJson: '{"version": "7.3"}', publish: true });
  const listed = Object.fromEntries((await backend.listFlows()).map((f) => [f.id, f.status]));
  expect(listed).toEqual({ [ok.id]: "PUBLISHED", [bad.id]: "DRAFT" });
  expect(listed).toEqual(Object.fromEntries(suite.emu.flows().map((f) => [f.flowId, f.status])));
  expect(lists()).toBe(1);
});

test("an edit whose effect depends on the vendor, or a failed write, makes the next reader list again", async () => {
  const { backend } = connect(DEV_WABA_ID);
  const a = await backend.createFlow({ name: "a", categories: ["OTHER"] });
  await backend.uploadFlowJson(a.id, VALID_FLOW_JSON);
  await backend.publish(a.id);
  await backend.listFlows();
  // An upload over a published flow re-drafts it on some vendors: the list is dropped.
  await backend.uploadFlowJson(a.id, VALID_FLOW_JSON);
  expect((await backend.listFlows()).find((f) => f.id === a.id)!.status).toBe(suite.emu.flow(a.id)!.status);
  expect(lists()).toBe(2);
  suite.emu.addFault({
    operation: "CreateWhatsAppFlow",
    times: 5,
    action: { kind: "apply-then-fail", status: 400, errorType: "ValidationException" },
  });
  await expect(backend.createFlow({ name: "b", categories: ["OTHER"] })).rejects.toThrow();
  // The vendor applied that create before failing: the next list shows it.
  expect((await backend.listFlows()).map((f) => f.name).sort()).toEqual(["a", "b"]);
  expect(lists()).toBe(3);
});
