/**
 * Flow JSON downloads through the emulator when its download links redirect (`redirectDownloads`): to
 * another path of the same origin, and to another origin (`localhost` instead of `127.0.0.1`) whose
 * path refuses any credential header, as a presigned-URL store does. Every vendor's refresh reads the
 * JSON changed outside Pulumi through the redirect; the credential never reaches the other origin.
 */
import { DEFAULT_CREDENTIALS, accountRef, startEmulator, type RunningEmulator, type Vendor } from "../../emulator";
import { flowJsonSha256 } from "../hash";
import { resetClaims } from "../lifecycle/claims";
import { setSettings } from "../settings";
import { flowHooks } from "./flow";
import { flowAssetsHooks } from "./flow-assets";
import { emulatorSettings } from "./test-helpers";
import { VALID_FLOW_JSON } from "../../emulator/test-helpers";

const V1 = VALID_FLOW_JSON;
const V2 = V1.replace("Hello", "Hello again");
const VENDORS: Vendor[] = ["aws", "meta", "360dialog", "8x8"];

describe.each([
  ["another path of the same origin", true as const],
  ["another origin (credential headers refused there)", { host: "localhost" }],
])("downloads redirected to %s", (_label, redirectDownloads) => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ redirectDownloads });
    setSettings(emulatorSettings(emu.url));
  });
  afterAll(() => emu.close());
  beforeEach(() => {
    emu.reset();
    resetClaims();
  });

  test.each(VENDORS)("%s: refresh reads JSON edited outside Pulumi through the 302", async (vendor) => {
    const waba = accountRef(vendor, "dev");
    const flowId = (await flowHooks.create({ waba, name: "dl", categories: ["SIGN_UP"] })).id;
    const created = await flowAssetsHooks.create({
      waba,
      flowId,
      flowName: "dl",
      flowJson: V1,
      sourcePath: "flows/dl.json",
      publish: false,
    });
    emu.patchFlow(flowId, { flowJson: V2 });
    resetClaims(); // `pulumi refresh` is a deployment of its own
    emu.clearRequests();
    const r = await flowAssetsHooks.read(created.id, created.outs);
    expect(r.props).toMatchObject({ flowJsonSha256: flowJsonSha256(V2) });
    const downloads = emu.requests({ operation: "DownloadFlowAsset" });
    expect(downloads.map((d) => [d.status, d.path.split("/")[2]])).toEqual([
      [302, "assets"],
      [200, "cdn"],
    ]);
    expect(JSON.stringify(emu.requests())).not.toContain(DEFAULT_CREDENTIALS.meta);
  });
});

test("the other origin refuses a download that carries a credential (the emulator's check can fail)", async () => {
  const emu = await startEmulator({ redirectDownloads: { host: "localhost" } });
  try {
    const port = new URL(emu.url).port;
    const res = await fetch(`http://localhost:${port}/_emulator/cdn/meta/1/${"0".repeat(64)}/flow.json`, {
      headers: { authorization: `Bearer ${DEFAULT_CREDENTIALS.meta}` },
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Only one auth mechanism allowed");
  } finally {
    await emu.close();
  }
});
