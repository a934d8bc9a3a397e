/**
 * A cancelled job: `pulumi up` killed with SIGKILL mid-operation, as a CI runner cancelling a job does
 * (the job's process group: the CLI and everything that shares its group). The engine starts each
 * plugin in a process group of its own, so the provider host is not killed with it: it must notice on
 * its own that the engine is gone and exit (provider/watchdog.ts), and a later `up` must converge.
 */
import { e2eSuite } from "./harness";
import { isProvider, killLeftovers, processesIn, sleep, startUp, waitFor } from "./processes";

const suite = e2eSuite();
const { program, flowNamed } = suite;

test("kill -9 of `pulumi up` mid-operation: the provider exits within 5 s, and the next up converges", async () => {
  const name = "e2e-killed";
  const c = await program([{ key: "f", name, categories: ["SIGN_UP"], file: "fixtures/signup-v1.json", publish: true }]);
  // The create is slow: the vendor applies it after 8 s, long after the engine was killed.
  suite.emu.addFault({ operation: "CreateWhatsAppFlow", flowName: name, action: { kind: "latency", ms: 8000 } });

  // Its own process group, as a runner's job: killing the group kills the CLI and what shares its group.
  const run = startUp(c);

  // Mid-operation: the provider's create call is in flight at the vendor.
  await waitFor("the create call to reach the vendor", () => suite.emu.faults().length === 0, 120_000).catch((e) => {
    throw new Error(`${e.message}\n${run.output()}`);
  });
  await sleep(300);
  const before = processesIn(c.dir);
  expect(before.filter(isProvider).length).toBeGreaterThan(0);

  const killedAt = await run.kill();
  try {
    // Within 5 s of the engine's death no provider process of this run is alive.
    // (The language host, ours in these tests, exits the same way.)
    await waitFor("provider processes to exit", () => processesIn(c.dir).length === 0, 5000).catch(() => undefined);
    const left = processesIn(c.dir);
    const took = Date.now() - killedAt;
    process.stderr.write(
      `[kill test] before the kill: ${before.map((p) => `pid ${p.pid} group ${p.pgid}: ${p.cmdline.slice(0, 80)}`).join("; ")}\n`,
    );
    process.stderr.write(
      `[kill test] ${took} ms after the kill: ${left.filter(isProvider).length} provider process(es) alive, ${left.length} in all\n`,
    );
    expect(left.filter(isProvider).map((p) => p.cmdline)).toEqual([]);
    expect(left.map((p) => p.cmdline)).toEqual([]);
  } finally {
    // Whatever is left of this run (a provider that did not exit, the language host): end it by pid.
    killLeftovers(c.dir);
  }

  // The vendor applies the interrupted create; the next run must not duplicate the flow.
  await waitFor("the interrupted create to be applied", () => flowNamed(name).length === 1, 30_000);
  // What the user does after a cancelled job (README "A cancelled deployment"): the killed run left its
  // lock, so `up` refuses and names `pulumi cancel`; after it, `up` adopts the flow of the interrupted create.
  const locked = await c.up();
  expect(locked.code).not.toBe(0);
  expect(locked.output).toMatch(/locked.*pulumi cancel/s);
  await c.ok(["cancel", "--yes"]);
  const up = await c.up();
  expect({ code: up.code, output: up.output }).toMatchObject({ code: 0, output: expect.stringMatching(/adopting DRAFT flow/) });
  expect(flowNamed(name)).toHaveLength(1);
  expect(flowNamed(name)[0].status).toBe("PUBLISHED");
  expect((await c.preview(["--expect-no-changes"])).code).toBe(0);
});
