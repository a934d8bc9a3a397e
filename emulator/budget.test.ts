/**
 * Meta's hourly budgets in the emulator: `metaBudget` calls an hour per token and WABA (HTTP 400, code
 * 80007 past it), `metaAppBudget` per token (HTTP 400, code 4), the usage headers on every Graph answer,
 * and the admin clock that opens the next window without waiting an hour.
 */
import { request } from "undici";
import { DEFAULT_CREDENTIALS, DEV_META_WABA_ID, emulatorAdmin, PROD_META_WABA_ID, startEmulator, type RunningEmulator } from "./index";
import { runEmulatorCli } from "./cli";

const TOKEN = DEFAULT_CREDENTIALS.meta;

async function list(emu: RunningEmulator, waba = DEV_META_WABA_ID, token = TOKEN) {
  const res = await request(`${emu.url}/v23.0/${waba}/flows`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await res.body.json()) as any;
  const usage = (name: string) => {
    const v = res.headers[name];
    return v === undefined ? undefined : JSON.parse(String(v));
  };
  return { status: res.statusCode, body, buc: usage("x-business-use-case-usage"), app: usage("x-app-usage") };
}

describe("Meta budget (metaBudget: 4 calls an hour per token and WABA)", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ metaBudget: 4 });
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  it("reports usage on every answer, refuses the 5th call with Meta's 80007 (HTTP 400) and the wait, and the clock opens a new window", async () => {
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await list(emu);
      expect(r.status).toBe(200);
      const [entry] = r.buc[DEV_META_WABA_ID];
      expect(entry).toEqual({
        type: "whatsapp_business_management",
        call_count: expect.any(Number),
        total_cputime: 0,
        total_time: 0,
        estimated_time_to_regain_access: expect.any(Number),
      });
      expect(r.app).toEqual({ call_count: 0, total_cputime: 0, total_time: 0 });
      seen.push(entry.call_count);
    }
    expect(seen).toEqual([25, 50, 75, 100]);
    const refused = await list(emu);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toEqual({
      message: expect.stringMatching(/^\(#80007\) There have been too many calls to this WhatsApp Business account/),
      type: "OAuthException",
      code: 80007,
      is_transient: false,
      fbtrace_id: expect.any(String),
    });
    expect(refused.buc[DEV_META_WABA_ID][0]).toMatchObject({ call_count: 100, estimated_time_to_regain_access: 60 });
    // The refused call charged nothing and was logged as what it was.
    expect(emu.requests({ action: "list" }).map((r) => r.status)).toEqual([200, 200, 200, 200, 400]);

    // Another WABA has a budget of its own.
    expect((await list(emu, PROD_META_WABA_ID)).status).toBe(200);

    emu.advanceClock(30 * 60);
    const half = await list(emu);
    expect(half.status).toBe(400);
    expect(half.buc[DEV_META_WABA_ID][0].estimated_time_to_regain_access).toBe(30);

    await emulatorAdmin(emu.url).advanceClock(30 * 60);
    const next = await list(emu);
    expect(next.status).toBe(200);
    expect(next.buc[DEV_META_WABA_ID][0]).toMatchObject({ call_count: 25, estimated_time_to_regain_access: 0 });
  });

  it("message-template calls spend the same WABA budget as flow calls, with the usage headers and 80007 past it", async () => {
    const templates = async () => {
      const res = await request(`${emu.url}/v23.0/${DEV_META_WABA_ID}/message_templates`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      const body = (await res.body.json()) as any;
      const buc = res.headers["x-business-use-case-usage"];
      return { status: res.statusCode, body, buc: buc === undefined ? undefined : JSON.parse(String(buc)) };
    };
    await list(emu);
    const first = await templates();
    expect(first.status).toBe(200);
    expect(first.buc[DEV_META_WABA_ID][0].call_count).toBe(50);
    await list(emu);
    expect((await templates()).buc[DEV_META_WABA_ID][0].call_count).toBe(100);
    const refused = await templates();
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 80007, type: "OAuthException" });
    expect((await list(emu)).status).toBe(400);
  });

  it("reset forgets the windows; the admin clock refuses a body without advanceSeconds", async () => {
    for (let i = 0; i < 4; i++) await list(emu);
    emu.reset();
    expect((await list(emu)).status).toBe(200);
    const res = await request(`${emu.url}/_emulator/clock`, { method: "POST", body: JSON.stringify({ advance: 1 }) });
    expect(res.statusCode).toBe(400);
    await res.body.text();
  });
});

describe("Meta app budget (metaAppBudget: 3 calls an hour per token)", () => {
  it("counts every WABA's calls against the app and refuses with code 4 (HTTP 400)", async () => {
    const emu = await startEmulator({ metaAppBudget: 3 });
    try {
      expect((await list(emu, DEV_META_WABA_ID)).app.call_count).toBe(33);
      expect((await list(emu, PROD_META_WABA_ID)).app.call_count).toBe(66);
      expect((await list(emu, DEV_META_WABA_ID)).status).toBe(200);
      const refused = await list(emu, PROD_META_WABA_ID);
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ code: 4, message: "(#4) Application request limit reached", is_transient: true });
      expect(refused.app.call_count).toBe(100);
    } finally {
      await emu.close();
    }
  });

  it("without budgets the headers still come, at 0%", async () => {
    const emu = await startEmulator();
    try {
      const r = await list(emu);
      expect(r.buc[DEV_META_WABA_ID][0].call_count).toBe(0);
      expect(r.app.call_count).toBe(0);
    } finally {
      await emu.close();
    }
  });
});

describe("emulator CLI budget flags", () => {
  it("rejects a budget that is not a positive number", async () => {
    let err = "";
    expect(await runEmulatorCli(["--meta-budget", "0"], { out: () => undefined, err: (s) => (err += s) })).toBe(2);
    expect(err).toMatch(/invalid --meta-budget 0/);
  });

  it("starts with --meta-budget and says so", async () => {
    let out = "";
    let stop!: () => void;
    const stopSignal = new Promise<void>((r) => (stop = r));
    const run = runEmulatorCli(["--port", "0", "--meta-budget", "200"], {
      out: (s) => ((out += s), s.includes("budget:") && stop()),
      err: () => undefined,
      stopSignal,
    });
    expect(await run).toBe(0);
    expect(out).toMatch(/budget: {4}Meta 200 calls an hour per token and WABA/);
  });
});
