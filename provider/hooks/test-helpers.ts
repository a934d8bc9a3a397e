/** Shared setup of the hook tests: one emulator per file, the provider pointed at it, a clean store per test. */
import { startEmulator, type RunningEmulator } from "../../emulator";
import { resetClaims } from "../lifecycle/claims";
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
  beforeEach(() => {
    ctx.emu.reset();
    // Each test is a deployment of its own (one provider process per deployment).
    resetClaims();
  });
  return ctx;
}
