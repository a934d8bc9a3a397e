/** The execution context both resources hand to the lifecycle executor: progress and failures name the flow. */
import type { FlowBackend } from "../backends/types";
import type { ExecutionContext } from "../lifecycle/execute";
import type { FlowJsonProblem } from "../validation/types";
import { describeProblems, FlowValidationError, progress } from "./messages";

export interface ExecutionTarget {
  waba: string;
  flowId: string;
  flowName: string;
  /** Where the Flow JSON came from, for file:line:column in vendor validation errors. */
  file: string;
  flowJson?: string;
  previousFlowJson?: string;
}

export function executionContext(backend: FlowBackend, target: ExecutionTarget): ExecutionContext {
  const { file, ...rest } = target;
  return {
    backend,
    ...rest,
    log: (m: string) => progress(`flow "${target.flowName}": ${m}`),
    validationFailure: (problems: FlowJsonProblem[], why: string) =>
      new FlowValidationError(describeProblems(target.flowName, file, problems, why), problems),
  };
}
