/** Shared setup of the hook tests: one emulator per file, the provider pointed at it, a clean store per test. */
import { startEmulator, type RunningEmulator } from "../../emulator";
import { setSettings } from "../settings";

export function useEmulator(): { readonly emu: RunningEmulator; ops(): string[] } {
  const ctx = {
    emu: undefined as unknown as RunningEmulator,
    /** Operations the provider sent since the last reset or clearRequests. */
    ops: () => ctx.emu.requests().map((r) => r.operation),
  };
  beforeAll(async () => {
    ctx.emu = await startEmulator();
    setSettings({ awsEndpoint: ctx.emu.url, awsRegion: "us-east-1", maxAttempts: 2 });
  });
  afterAll(() => ctx.emu.close());
  beforeEach(() => ctx.emu.reset());
  return ctx;
}
