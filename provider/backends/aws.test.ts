/**
 * The AWS backend against the emulator's AWS dialect, through the real SDK: exceptions classified by name
 * (docs/errors.md), CreateWhatsAppFlow never resent by the SDK (only a throttled answer is retried),
 * other calls still retried, and the endpoint URI GetWhatsAppFlow reports.
 */
import { DEV_WABA_ID, startEmulator, type RunningEmulator } from "../../emulator";
import { AwsBackend, classifyAwsError, closeAwsClients } from "./aws";
import { BackendError } from "./types";

let emu: RunningEmulator;
let backend: AwsBackend;
beforeAll(async () => {
  emu = await startEmulator();
  backend = new AwsBackend(DEV_WABA_ID, { endpoint: emu.url, region: "us-east-1", maxAttempts: 3 });
});
afterAll(async () => {
  closeAwsClients();
  await emu.close();
});
beforeEach(() => emu.reset());

const creates = () => emu.requests().filter((r) => r.operation === "CreateWhatsAppFlow");
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: unknown) => e as BackendError,
  );

describe("CreateWhatsAppFlow is never resent by the SDK", () => {
  it.each([
    ["DependencyException 502", { kind: "error", status: 502, errorType: "DependencyException" }],
    ["InternalServiceException 500 after applying", { kind: "apply-then-fail", status: 500 }],
    ["a dropped connection", { kind: "drop-connection" }],
  ])("%s: one request, and the failure is reported (the lifecycle looks the name up)", async (_what, action) => {
    emu.addFault({ operation: "create", action: action as any });
    const e = await failure(backend.createFlow({ name: "once", categories: ["OTHER"] }));
    expect(e).toBeInstanceOf(BackendError);
    expect(e.kind).toBe("TRANSIENT");
    expect(creates()).toHaveLength(1);
  });

  it("a throttled create (refused before anything was done) is retried and succeeds", async () => {
    emu.addFault({ operation: "create", action: { kind: "throttle", retryAfterSeconds: 0 } });
    const { id } = await backend.createFlow({ name: "throttled", categories: ["OTHER"] });
    expect(creates().map((r) => r.status)).toEqual([429, 200]);
    expect(emu.flow(id)!.name).toBe("throttled");
  });

  it("other calls are still retried by the SDK (DependencyException on publish)", async () => {
    const { id } = await backend.createFlow({ name: "pub", categories: ["OTHER"] });
    emu.patchFlow(id, { flowJson: { version: "7.3", screens: [] } });
    emu.addFault({ operation: "publish", action: { kind: "error", status: 502, errorType: "DependencyException" } });
    await expect(backend.publish(id)).rejects.toThrow(); // the empty screen list is invalid: the second answer is Meta's refusal
    expect(
      emu
        .requests()
        .filter((r) => r.operation === "PublishWhatsAppFlow")
        .map((r) => r.status),
    ).toEqual([502, 400]);
  });
});

describe("exceptions classified by name", () => {
  it("AccessDeniedException: ACCESS_DENIED, not retried", async () => {
    emu.addFault({ operation: "get", times: 5, action: { kind: "error", status: 403, errorType: "AccessDeniedException" } });
    const e = await failure(backend.getFlow("123"));
    expect(e.kind).toBe("ACCESS_DENIED");
    expect(e.message).toMatch(/AccessDeniedException, HTTP 403/);
    expect(emu.requests()).toHaveLength(1);
  });

  it("ResourceNotFoundException on the account's list names the WABA, never a gone flow", async () => {
    emu.addFault({ vendor: "aws", action: { kind: "no-access" } });
    const e = await failure(backend.listFlows());
    expect(e.kind).toBe("OTHER");
    expect(e.message).toContain(`AWS does not know WABA ${DEV_WABA_ID} here`);
  });

  it("Meta's refusals inside AWS's 400s: matched on Meta's documented descriptions", () => {
    const as = (name: string, message: string, status = 400) =>
      classifyAwsError(Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } })).kind;
    expect(as("InvalidParametersException", "Flow name is not unique")).toBe("NAME_TAKEN");
    expect(as("InvalidParametersException", "Publishing Flow with validation errors")).toBe("VALIDATION");
    expect(as("ValidationException", "Flow is already deprecated")).toBe("ALREADY_DEPRECATED");
    expect(as("DependencyException", "Flow can't be updated", 502)).toBe("EDIT_REFUSED");
    expect(as("DependencyException", "upstream timeout", 502)).toBe("TRANSIENT");
    // A not-found text inside an access error stays an access error (the name decides, not the text).
    expect(as("AccessDeniedException", "Flow does not exist or you have no access", 403)).toBe("ACCESS_DENIED");
    expect(as("ResourceNotFoundException", "The resource was not found.", 404)).toBe("NOT_FOUND");
  });
});

it("GetWhatsAppFlow's endpointUri is reported", async () => {
  const { id } = await backend.createFlow({ name: "endpoint", categories: ["OTHER"] });
  expect((await backend.getFlow(id))!.endpointUri).toBeNull();
  emu.patchFlow(id, { endpointUri: "https://api.example.com/flows" });
  expect((await backend.getFlow(id))!.endpointUri).toBe("https://api.example.com/flows");
});
