/** Shared setup of the hook tests: one emulator per file, the provider pointed at it, a clean store per test. */
import { DEFAULT_CREDENTIALS, startEmulator, type RunningEmulator } from "../../emulator";
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
    setSettings(emulatorSettings(ctx.emu.url));
  });
  afterAll(() => ctx.emu.close());
  beforeEach(() => {
    ctx.emu.reset();
    // Each test is a deployment of its own (one provider process per deployment).
    resetClaims();
  });
  return ctx;
}

/** Provider settings that point every vendor at the emulator, with its accepted credentials. */
export function emulatorSettings(url: string): Record<string, string | number> {
  return {
    awsEndpoint: url,
    awsRegion: "us-east-1",
    maxAttempts: 2,
    "360dialogBaseUrl": url,
    "360dialogApiKey": DEFAULT_CREDENTIALS["360dialog"],
    "8x8BaseUrl": url,
    "8x8ApiKey": DEFAULT_CREDENTIALS["8x8"],
    metaBaseUrl: url,
    metaToken: DEFAULT_CREDENTIALS.meta,
  };
}
