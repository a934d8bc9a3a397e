/**
 * "Gone" only when proven (./gone-proof.ts), on every vendor, through the hooks against the emulator: with
 * the `no-access` fault (each vendor's answer to a credential without access), delete and read fail naming
 * the vendor, the account and the credential's setting, and the flow stays; without it, a flow deleted
 * outside Pulumi is gone, with no more calls than before.
 */
import { ACCOUNT_REFS, DEV_WABA_ID } from "../../emulator";
import { VALID_FLOW_JSON } from "../../emulator/test-helpers";
import { resetClaims } from "../lifecycle/claims";
import { VENDORS, accountOf, type VendorName } from "../vendors/registry";
import { flowHooks } from "./flow";
import { useEmulator } from "./test-helpers";

const suite = useEmulator();
const inDev = (f: { wabaId: string }) => f.wabaId === DEV_WABA_ID;

const CREDENTIAL: Record<VendorName, RegExp> = {
  aws: /AWS SDK's default credential chain/,
  meta: /whatsapp-flows:metaToken/,
  "360dialog": /whatsapp-flows:360dialogApiKey/,
  "8x8": /whatsapp-flows:8x8ApiKey/,
};

describe.each(Object.keys(VENDORS) as VendorName[])("%s", (vendor) => {
  const waba = ACCOUNT_REFS.dev[vendor];
  const canonical = accountOf(waba).canonical;

  /** A published flow made in an earlier deployment; the test then runs as a new deployment. */
  async function published(name: string) {
    const { id, outs } = await flowHooks.create({ waba, name, categories: ["SIGN_UP"] });
    suite.emu.patchFlow(id, { flowJson: VALID_FLOW_JSON });
    suite.emu.patchFlow(id, { status: "PUBLISHED" });
    resetClaims();
    suite.emu.clearRequests();
    return { id, props: { ...outs, status: "PUBLISHED" } as any };
  }

  it("no access: destroy and refresh fail naming the vendor, the account and the credential; the flow stays PUBLISHED", async () => {
    const { id, props } = await published(`gone-${vendor}-noaccess`);
    suite.emu.addFault({ vendor, action: { kind: "no-access" } });
    const failure = new RegExp(`${VENDORS[vendor].displayName} answered that flow ${id} does not exist`);
    await expect(flowHooks.delete(id, props)).rejects.toThrow(failure);
    await expect(flowHooks.delete(id, props)).rejects.toThrow(CREDENTIAL[vendor]);
    await expect(flowHooks.delete(id, props)).rejects.toThrow(canonical);
    await expect(flowHooks.read(id, props)).rejects.toThrow();
    expect(suite.emu.flow(id)!.status).toBe("PUBLISHED");
    // Every answer was the vendor's no-access answer; nothing was written.
    expect(suite.emu.requests().every((r) => r.fault === "no-access")).toBe(true);
    expect(suite.emu.requests().filter((r) => ["delete", "deprecate"].includes(r.action) && r.status < 300)).toEqual([]);
  });

  it("a flow deleted outside Pulumi is gone: read drops it and delete succeeds, with no call beyond the list it already made", async () => {
    const { id, props } = await published(`gone-${vendor}-deleted`);
    suite.emu.patchFlow(id, { status: "DRAFT" } as any);
    expect(suite.emu.deleteFlow(id)).toBe(true);
    const read = await flowHooks.read(id, props);
    expect(read.id).toBe("");
    resetClaims();
    suite.emu.clearRequests();
    await flowHooks.delete(id, props);
    // The read of the flow (Meta's log names an unknown id's route "unknown"), then the one list: the
    // proof, which the successor lookup reuses.
    const actions = suite.emu.requests().map((r) => r.action);
    expect(actions).toEqual([vendor === "meta" ? "unknown" : "get", "list"]);
    expect(suite.emu.flows().filter(inDev)).toEqual([]);
  });
});
