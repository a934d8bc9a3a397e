/** Admin HTTP API (emulatorAdmin), out-of-band control, persistence across restarts, WABA config, CLI. */
import {
  CreateWhatsAppFlowCommand,
  GetWhatsAppFlowCommand,
  ListLinkedWhatsAppBusinessAccountsCommand,
  ListWhatsAppFlowAssetsCommand,
  ListWhatsAppFlowsCommand,
  SocialMessagingClient,
} from "@aws-sdk/client-socialmessaging";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runEmulatorCli } from "./cli";
import { ACCOUNT_REFS, DEFAULT_WABAS, DEV_WABA_ID, PROD_WABA_ID, emulatorAdmin, startEmulator, type RunningEmulator } from "./index";
import { VALID_FLOW_JSON } from "./test-helpers";

const VALID_JSON = VALID_FLOW_JSON;

function sdk(url: string) {
  return new SocialMessagingClient({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: "x", secretAccessKey: "y" },
    maxAttempts: 1,
  });
}
const create = (c: SocialMessagingClient, name: string, waba = DEV_WABA_ID) =>
  c.send(
    new CreateWhatsAppFlowCommand({ id: waba, flowName: name, categories: ["OTHER"], flowJson: Buffer.from(VALID_JSON), publish: true }),
  );

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "wf-emulator-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("seeded WABAs are deterministic constants", () => {
  expect(DEV_WABA_ID).toMatch(/^waba-[0-9a-f]{32}$/);
  expect(PROD_WABA_ID).toMatch(/^waba-[0-9a-f]{32}$/);
  expect(DEFAULT_WABAS.map((w) => [w.name, w.id])).toEqual([
    ["dev", DEV_WABA_ID],
    ["prod", PROD_WABA_ID],
  ]);
});

describe("admin HTTP API", () => {
  let emu: RunningEmulator;
  let client: SocialMessagingClient;
  beforeAll(async () => {
    emu = await startEmulator();
    client = sdk(emu.url);
  });
  afterAll(async () => {
    client.destroy();
    await emu.close();
  });

  test("health, state, flows, patch, delete, requests, faults, reset over HTTP", async () => {
    const admin = emulatorAdmin(emu.url);
    expect(await admin.health()).toMatchObject({ ok: true, vendors: ["aws", "meta", "360dialog", "8x8"] });
    const { flowId } = await create(client, "menu");
    await create(client, "menu", PROD_WABA_ID);

    expect((await admin.flows(DEV_WABA_ID)).map((f) => f.name)).toEqual(["menu"]);
    expect(await admin.flows()).toHaveLength(2);
    const state = await admin.state();
    expect(state.wabas.map((w) => w.id)).toEqual([DEV_WABA_ID, PROD_WABA_ID]);
    expect(state.flows[0]).toMatchObject({ flowId, wabaId: DEV_WABA_ID, status: "PUBLISHED", flowJson: VALID_JSON, jsonVersion: "7.3" });

    // Meta monitoring throttles the flow; a human renames and re-categorises it in WhatsApp Manager.
    const patched = await admin.patchFlow(flowId!, { status: "THROTTLED", name: "menu-v2", categories: ["SURVEY"] });
    expect(patched).toMatchObject({ status: "THROTTLED", name: "menu-v2", categories: ["SURVEY"] });
    expect(await client.send(new GetWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId: flowId! }))).toMatchObject({
      flowStatus: "THROTTLED",
      flowName: "menu-v2",
      categories: ["SURVEY"],
      healthStatus: { canSendMessage: "LIMITED" },
    });

    // JSON edited in the Builder: the download serves the new bytes.
    const edited = JSON.stringify(JSON.parse(VALID_JSON), null, 4);
    await admin.patchFlow(flowId!, { flowJson: edited, status: "DRAFT" });
    const assets = await client.send(new ListWhatsAppFlowAssetsCommand({ id: DEV_WABA_ID, flowId: flowId! }));
    expect(await (await fetch(assets.flowAssets![0].downloadUrl!)).text()).toBe(edited);
    expect((await admin.flow(flowId!))?.status).toBe("DRAFT");

    // Object JSON and explicit validation errors.
    await admin.patchFlow(flowId!, { flowJson: { version: "7.3", screens: [] } });
    expect((await admin.flow(flowId!))!.validationErrors.length).toBeGreaterThan(0);

    // Bad patches are refused.
    await expect(admin.patchFlow(flowId!, { status: "GONE" as never })).rejects.toThrow(/400/);
    await create(client, "taken");
    await expect(admin.patchFlow(flowId!, { name: "taken" })).rejects.toThrow(/409: Flow name is not unique/);
    await expect(admin.patchFlow("1", { name: "x" })).rejects.toThrow(/404/);

    // Requests and faults.
    const reqs = await admin.requests({ operation: "GetWhatsAppFlow" });
    expect(reqs).toHaveLength(1);
    expect(reqs[0]).toMatchObject({ vendor: "aws", status: 200 });
    await admin.addFault({ operation: "ListWhatsAppFlows", action: { kind: "throttle", retryAfterSeconds: 1 } });
    expect(await admin.faults()).toEqual([expect.objectContaining({ operation: "ListWhatsAppFlows", remaining: 1 })]);
    await expect(client.send(new ListWhatsAppFlowsCommand({ id: DEV_WABA_ID }))).rejects.toMatchObject({
      name: "ThrottledRequestException",
    });
    await admin.addFault([{ action: { kind: "error", status: 500 } }, { action: { kind: "error", status: 502 } }]);
    await admin.clearFaults();
    expect(await admin.faults()).toEqual([]);
    await expect(admin.addFault({ action: { kind: "bogus" } } as never)).rejects.toThrow(/400/);

    // Out-of-band delete works whatever the status.
    expect(await admin.deleteFlow(flowId!)).toBe(true);
    expect(await admin.deleteFlow(flowId!)).toBe(false);
    expect(await admin.flow(flowId!)).toBeUndefined();
    await expect(client.send(new GetWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId: flowId! }))).rejects.toMatchObject({
      name: "ResourceNotFoundException",
    });

    await admin.clearRequests();
    expect(await admin.requests()).toEqual([]);
    await admin.reset();
    expect(await admin.flows()).toEqual([]);
    // Admin calls are not logged as vendor requests.
    expect(await admin.requests()).toEqual([]);
    // Ids are never reused after a reset.
    const { flowId: next } = await create(client, "menu");
    expect(BigInt(next!)).toBeGreaterThan(BigInt(flowId!));
  });

  test("unknown admin endpoint → 404 JSON", async () => {
    const res = await fetch(`${emu.url}/_emulator/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: expect.any(String) });
  });
});

describe("persistence", () => {
  test("flows, statuses, JSON bytes and id counter survive a restart; writes are atomic", async () => {
    const file = join(dir, "nested", "state.json");
    const first = await startEmulator({ stateFile: file });
    const c1 = sdk(first.url);
    const { flowId } = await create(c1, "kept");
    first.patchFlow(flowId!, { status: "BLOCKED" });
    c1.destroy();
    await first.close();
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, "utf8")).format).toBe("whatsapp-flows-emulator/1");

    const second = await startEmulator({ stateFile: file });
    const c2 = sdk(second.url);
    try {
      expect(await c2.send(new GetWhatsAppFlowCommand({ id: DEV_WABA_ID, flowId: flowId! }))).toMatchObject({
        flowName: "kept",
        flowStatus: "BLOCKED",
      });
      expect(second.flow(flowId!)?.flowJson).toBe(VALID_JSON);
      const { flowId: next } = await create(c2, "new-one");
      expect(BigInt(next!)).toBeGreaterThan(BigInt(flowId!));
      await expect(create(c2, "kept")).rejects.toMatchObject({ message: "Flow name is not unique" });
    } finally {
      c2.destroy();
      await second.close();
    }
  });
});

describe("configurable WABAs", () => {
  test("custom linked accounts replace the defaults", async () => {
    const emu = await startEmulator({ wabas: [{ name: "staging" }, { name: "eu", id: "waba-0123456789abcdef0123456789abcdef" }] });
    const c = sdk(emu.url);
    try {
      const l = await c.send(new ListLinkedWhatsAppBusinessAccountsCommand({}));
      expect(l.linkedAccounts!.map((a) => a.wabaName)).toEqual(["staging", "eu"]);
      expect(l.linkedAccounts![1].id).toBe("waba-0123456789abcdef0123456789abcdef");
      expect(l.linkedAccounts![0].id).toMatch(/^waba-[0-9a-f]{32}$/);
      await expect(c.send(new ListWhatsAppFlowsCommand({ id: DEV_WABA_ID }))).rejects.toMatchObject({ name: "ResourceNotFoundException" });
      const paged = await c.send(new ListLinkedWhatsAppBusinessAccountsCommand({ maxResults: 1 }));
      expect(paged.linkedAccounts).toHaveLength(1);
      const rest = await c.send(new ListLinkedWhatsAppBusinessAccountsCommand({ maxResults: 1, nextToken: paged.nextToken }));
      expect(rest.linkedAccounts![0].wabaName).toBe("eu");
      expect(rest.nextToken).toBeUndefined();
    } finally {
      c.destroy();
      await emu.close();
    }
  });
});

describe("CLI", () => {
  test("--port 0 prints the URL and WABA ids, serves until stopped, then resolves 0", async () => {
    let printed = "";
    let stop!: () => void;
    const stopSignal = new Promise<void>((r) => (stop = r));
    const file = join(dir, "cli-state.json");
    const done = runEmulatorCli(["--port", "0", "--state", file], { out: (s) => (printed += s), err: (s) => (printed += s), stopSignal });
    for (let i = 0; i < 100 && !/admin:/.test(printed); i++) await new Promise((r) => setTimeout(r, 20));
    const url = /listening on (http:\/\/\S+)/.exec(printed)![1];
    expect(printed).toContain(DEV_WABA_ID);
    expect(printed).toContain(PROD_WABA_ID);
    const c = sdk(url);
    await create(c, "from-cli");
    c.destroy();
    expect(await emulatorAdmin(url).flows()).toHaveLength(1);
    stop();
    await expect(done).resolves.toBe(0);
    expect(JSON.parse(readFileSync(file, "utf8")).flows).toHaveLength(1);
    await expect(fetch(`${url}/_emulator/health`)).rejects.toThrow();
  });

  test("SIGTERM stops it", async () => {
    let printed = "";
    const before = new Set(process.listeners("SIGTERM"));
    const done = runEmulatorCli(["--port=0"], { out: (s) => (printed += s) });
    for (let i = 0; i < 100 && !/admin:/.test(printed); i++) await new Promise((r) => setTimeout(r, 20));
    // Call only the handler the CLI installed (emitting the signal would reach jest's own handlers too).
    const added = process.listeners("SIGTERM").filter((l) => !before.has(l));
    expect(added).toHaveLength(1);
    (added[0] as (s: NodeJS.Signals) => void)("SIGTERM");
    await expect(done).resolves.toBe(0);
    expect(process.listeners("SIGTERM").filter((l) => !before.has(l))).toHaveLength(0);
  });

  test("credential flags replace the defaults and are printed with the account references", async () => {
    let printed = "";
    let stop!: () => void;
    const stopSignal = new Promise<void>((r) => (stop = r));
    const done = runEmulatorCli(
      ["--port=0", "--8x8-key", "ci-key", "--8x8-key=ci-key-2", "--360dialog-key", "d-key", "--meta-token", "m-token"],
      {
        out: (s) => (printed += s),
        stopSignal,
      },
    );
    for (let i = 0; i < 100 && !/admin:/.test(printed); i++) await new Promise((r) => setTimeout(r, 20));
    const url = /listening on (http:\/\/\S+)/.exec(printed)![1];
    expect(printed).toContain(ACCOUNT_REFS.dev["8x8"]);
    expect(printed).toContain(ACCOUNT_REFS.prod["360dialog"]);
    expect(printed).toContain(ACCOUNT_REFS.dev.meta);
    expect(printed).toMatch(/8x8 key ci-key, ci-key-2/);
    const [, dev] = [0, DEFAULT_WABAS[0]];
    const path = `/api/v1/accounts/${dev.eightByEight.accountId}/channels/${dev.eightByEight.channelId}/flows`;
    expect((await fetch(url + path, { headers: { authorization: "Bearer ci-key-2" } })).status).toBe(200);
    expect((await fetch(url + path, { headers: { authorization: "Bearer emulator-8x8-key" } })).status).toBe(401);
    stop();
    await expect(done).resolves.toBe(0);
    expect(await runEmulatorCli(["--8x8-key="], { err: () => undefined })).toBe(2);
  });

  test("bad options exit 2; --help exits 0", async () => {
    let err = "";
    expect(await runEmulatorCli(["--port", "abc"], { err: (s) => (err += s), out: () => undefined })).toBe(2);
    expect(err).toMatch(/invalid --port/);
    expect(await runEmulatorCli(["--bogus"], { err: () => undefined })).toBe(2);
    let out = "";
    expect(await runEmulatorCli(["--help"], { out: (s) => (out += s) })).toBe(0);
    expect(out).toMatch(/usage: whatsapp-flows emulator/);
  });
});

describe("download URLs", () => {
  test("expire after an hour and are logged as DownloadFlowAsset", async () => {
    let now = Date.now();
    const emu = await startEmulator({ now: () => now });
    const c = sdk(emu.url);
    try {
      const { flowId } = await create(c, "dl");
      const res = await c.send(new ListWhatsAppFlowAssetsCommand({ id: DEV_WABA_ID, flowId: flowId! }));
      const url = res.flowAssets![0].downloadUrl!;
      expect((await fetch(url)).status).toBe(200);
      now += 3601 * 1000;
      expect((await fetch(url)).status).toBe(403);
      expect(emu.requests({ operation: "DownloadFlowAsset" }).map((e) => e.status)).toEqual([200, 403]);
    } finally {
      c.destroy();
      await emu.close();
    }
  });
});
