/** The execution context both resources hand to the lifecycle executor: progress and failures name the flow. */
import type { FlowBackend, RemoteFlow } from "../backends/types";
import { onProcessReset, processClaims } from "../lifecycle/claims";
import type { ExecutionContext } from "../lifecycle/execute";
import type { PlanContext } from "../lifecycle/plan";
import type { FlowJsonProblem } from "../validation/types";
import { accountOf, vendorOf, type AccountRef } from "../vendors/registry";
import { backendFor, backendKey } from "../settings";
import { guardBackend } from "../lifecycle/critical";
import { withBudget } from "../budget";
import { withAccountFlows } from "./account-flows";
import { withGoneProof } from "./gone-proof";
import { describeProblems, FlowValidationError, progress } from "./messages";
import { templatesSending } from "./template-connection";

export interface ExecutionTarget {
  flowId: string;
  flowName: string;
  /** Where the Flow JSON came from, for file:line:column in vendor validation errors. */
  file: string;
  flowJson?: string;
  previousFlowJson?: string;
  remote?: RemoteFlow;
  /** The vendor already refused an in-place edit of this flow. */
  editsRefused?: boolean;
  /** The declared endpoint (a replacement must carry it). */
  endpoint?: { endpointUri?: string; applicationId?: string };
}

/**
 * Each account's wrapped backend, made once per settings (settings.backendKey) and reused by every call of
 * the process: making it took four wrappers with a closure per method on every hook call, about 0.1 ms and
 * as much garbage per resource in a refresh (docs/design.md, "Our own CPU"). Reuse changes nothing: the
 * backends hold only their account and settings, and every wrapper keeps its state per account at module
 * level (the account's list, its budget, its gone-proof, the critical sections), looked up at each call.
 */
const connected = new Map<string, FlowBackend>();
onProcessReset(() => connected.clear());

function wrappedBackend(account: AccountRef): FlowBackend {
  const key = backendKey(account);
  const known = key === undefined ? undefined : connected.get(key);
  if (known) return known;
  // A flow's not-found stands only once this credential has read the account (./gone-proof.ts); once the
  // engine is gone, only calls that finish a critical section are made (lifecycle/critical.ts).
  const backend = withGoneProof(
    account,
    guardBackend(withAccountFlows(account.canonical, withBudget(account.canonical, backendFor(account)))),
  );
  if (key !== undefined) connected.set(key, backend);
  return backend;
}

/** The account, its vendor's planning context and its backend, from an account reference (inputs or state). */
export function connect(waba: string, recordedVendor?: string): { account: AccountRef; backend: FlowBackend; planContext: PlanContext } {
  const account = accountOf(waba);
  if (recordedVendor && recordedVendor !== account.vendor) {
    throw new Error(
      `state records vendor "${recordedVendor}" for account ${waba}, which is a ${account.vendor} reference; the state was edited by hand?`,
    );
  }
  const entry = vendorOf(account);
  return {
    account,
    backend: wrappedBackend(account),
    planContext: { capabilities: entry.capabilities, vendorName: entry.displayName },
  };
}

export function executionContext(conn: ReturnType<typeof connect>, target: ExecutionTarget): ExecutionContext {
  const { file, editsRefused, ...rest } = target;
  return {
    backend: conn.backend,
    account: conn.account.canonical,
    planContext: { ...conn.planContext, editsRefused: editsRefused === true },
    claims: processClaims(),
    // A replacement keeps the old flow published while a template sends it (./retirement.ts retires it later).
    templatesSending: (flowId: string) => templatesSending(conn.account.canonical, flowId),
    ...rest,
    log: (m: string) => progress(`flow "${target.flowName}": ${m}`),
    validationFailure: (problems: FlowJsonProblem[], why: string) =>
      new FlowValidationError(describeProblems(target.flowName, file, problems, why), problems),
  };
}
