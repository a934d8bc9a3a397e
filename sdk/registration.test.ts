/**
 * What our resources' constructors do for the program's CPU (./registration.ts): Pulumi's per-promise
 * debug stacks are off only while `super(...)` runs, errors keep a useful stack, and every declared
 * output still exists on the resources.
 */
import * as pulumi from "@pulumi/pulumi";
import { VALID_FLOW_JSON } from "../emulator/test-helpers";
import { definedOnly, quietPromiseStacks } from "./registration";

describe("quietPromiseStacks", () => {
  const saved = process.env.PULUMI_DEBUG_PROMISE_LEAKS;
  afterEach(() => {
    if (saved === undefined) delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    else process.env.PULUMI_DEBUG_PROMISE_LEAKS = saved;
  });

  it("makes stacks empty until restored, then puts the previous limit back (once)", () => {
    delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    const before = Error.stackTraceLimit;
    const quiet = quietPromiseStacks();
    expect(new Error("x").stack).toBe("Error: x");
    quiet.restore();
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error("x").stack).toMatch(/\n\s+at /);
    Error.stackTraceLimit = 7;
    quiet.restore();
    expect(Error.stackTraceLimit).toBe(7);
    Error.stackTraceLimit = before;
  });

  it("gives an error thrown meanwhile a stack that leads to its caller", () => {
    delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    const before = Error.stackTraceLimit;
    function callerOfTheConstructor(): unknown {
      const quiet = quietPromiseStacks();
      try {
        throw new Error("Resource parent is not a valid Resource");
      } catch (e) {
        return quiet.failed(e);
      } finally {
        quiet.restore();
      }
    }
    const e = callerOfTheConstructor() as Error;
    expect(e.message).toBe("Resource parent is not a valid Resource");
    expect(e.stack).toMatch(/^Error: Resource parent is not a valid Resource\n\s+at callerOfTheConstructor/);
    expect(Error.stackTraceLimit).toBe(before);
  });

  it("keeps the stacks when PULUMI_DEBUG_PROMISE_LEAKS asks Pulumi to print them", () => {
    process.env.PULUMI_DEBUG_PROMISE_LEAKS = "true";
    const before = Error.stackTraceLimit;
    const quiet = quietPromiseStacks();
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error("x").stack).toMatch(/\n\s+at /);
    quiet.restore();
    expect(Error.stackTraceLimit).toBe(before);
  });
});

test("definedOnly drops undefined values only", () => {
  expect(definedOnly({ a: undefined, b: null, c: false, d: 0, e: "" })).toEqual({ b: null, c: false, d: 0, e: "" });
  expect(Object.keys(definedOnly({ a: undefined, b: 1 }))).toEqual(["b"]);
});

describe("resources registered with quiet stacks", () => {
  const registered: pulumi.runtime.MockResourceArgs[] = [];
  beforeAll(() =>
    pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push(args);
          return { id: `${args.name}-id`, state: { ...args.inputs, flowId: "1234", status: "PUBLISHED", liveFlowId: "1234" } };
        },
        call: () => ({}),
      },
      "project",
      "stack",
      true,
    ),
  );

  const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

  it("expose every declared output, send no undefined input, and leave the stack limit as it was", async () => {
    const { WhatsAppFlow } = await import("./whatsapp-flow");
    const before = Error.stackTraceLimit;
    const wf = new WhatsAppFlow("signup", { waba: "meta:100000000000001", categories: ["SIGN_UP"], flowJson: VALID_FLOW_JSON });
    expect(Error.stackTraceLimit).toBe(before);
    for (const key of ["waba", "name", "categories", "flowId", "liveName", "generation", "healthStatus", "endpointUri"] as const)
      expect(pulumi.Output.isInstance(wf.flow[key])).toBe(true);
    for (const key of ["status", "validationErrors", "jsonVersion", "previewUrl", "previewExpiresAt", "vendor", "applicationId"] as const)
      expect(pulumi.Output.isInstance(wf.flow[key])).toBe(true);
    for (const key of ["flowId", "liveFlowId", "liveName", "generation", "healthStatus", "flowName", "publish", "flowJsonSha256"] as const)
      expect(pulumi.Output.isInstance(wf.assets[key])).toBe(true);
    for (const key of ["status", "validationErrors", "jsonVersion", "previewUrl", "previewExpiresAt"] as const)
      expect(pulumi.Output.isInstance(wf.assets[key])).toBe(true);
    expect(await value(wf.flowId)).toBe("1234");
    expect(await value(wf.status)).toBe("PUBLISHED");
    const flow = registered.find((r) => r.type === "pulumi-nodejs:dynamic/whatsapp:Flow")!;
    const assets = registered.find((r) => r.type === "pulumi-nodejs:dynamic/whatsapp:FlowAssets")!;
    expect(flow.inputs).toMatchObject({ waba: "meta:100000000000001", name: "signup", categories: ["SIGN_UP"] });
    expect(flow.inputs.initialAssets).toMatchObject({ flowJson: VALID_FLOW_JSON, publish: true });
    expect(assets.inputs).toMatchObject({ flowJson: VALID_FLOW_JSON, publish: true, flowName: "signup" });
    for (const r of [flow, assets]) expect(Object.values(r.inputs)).not.toContain(undefined);
  });

  it("an error Pulumi throws while registering keeps the program's frames in its stack", async () => {
    const { Flow } = await import("./flow");
    const before = Error.stackTraceLimit;
    let caught: Error | undefined;
    try {
      new Flow(
        "bad",
        { waba: "meta:100000000000001", name: "bad", categories: ["SIGN_UP"] },
        {
          parent: {} as pulumi.Resource,
        },
      );
    } catch (e) {
      caught = e as Error;
    }
    expect(caught?.message).toMatch(/Resource parent is not a valid Resource/);
    expect(caught?.stack).toMatch(/\n\s+at new Flow /);
    expect(caught?.stack).toContain("registration.test.ts");
    expect(Error.stackTraceLimit).toBe(before);
  });
});
