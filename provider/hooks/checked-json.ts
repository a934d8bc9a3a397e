/**
 * The Flow JSON text between `check` and `create`/`update` of one deployment, kept out of the state.
 *
 * Pulumi stores the inputs `check` returns in every checkpoint of the stack. With the whole Flow JSON in
 * them, a stack of 300 flows of 1 MB would rewrite 300 MB after every step. So `FlowAssets.check`
 * validates the text, hashes it, keeps it here (by hash) and returns only the hash; `create`, `update`
 * and `diff` take the text back from here. One provider process serves a whole deployment and the engine
 * always checks a resource before it diffs, creates or updates it in that deployment, so the text is
 * here when needed (docs/pulumi.md, "How a dynamic resource runs"). The text the program sent never reaches the state.
 */
import { onProcessReset } from "../lifecycle/claims";

const texts = new Map<string, string>();
onProcessReset(() => texts.clear());

export function keepCheckedJson(sha: string, flowJson: string): void {
  texts.set(sha, flowJson);
}

/** The checked text of this hash in this deployment, if `check` saw it. */
export function checkedJson(sha: string | undefined): string | undefined {
  return sha === undefined ? undefined : texts.get(sha);
}

type Validation = typeof import("../validation");
let validator: Validation | undefined;

/**
 * The offline validator's `validateFlowJson`, loaded on first use: a preview or `up` in which no Flow JSON
 * changed never validates (the text a resource checked before is known by its hash), and the provider
 * process then does not load the validator at all (docs/design.md, "Our own CPU").
 */
export function validateFlowJson(...args: Parameters<Validation["validateFlowJson"]>): ReturnType<Validation["validateFlowJson"]> {
  validator ??= require("../validation") as Validation;
  return validator.validateFlowJson(...args);
}

type Target = NonNullable<import("../validation/types").ValidateOptions["target"]>;
interface CheckedText {
  target: Target | undefined;
  result: import("../validation/types").ValidationResult;
  /** Set when the text has no errors. */
  sha?: string;
}
const checked = new Map<string, CheckedText>();
onProcessReset(() => checked.clear());

/**
 * Validates (offline) and hashes a Flow JSON text once per deployment: `WhatsAppFlow` hands the same text
 * to its Flow (which creates the flow with it) and to its FlowAssets, and both check it; the second check
 * costs a map lookup. The text is kept (by hash) when it has no errors.
 */
export function checkFlowJsonText(
  flowJson: string,
  target: Target | undefined,
  validate: (text: string, target: Target | undefined) => import("../validation/types").ValidationResult,
  hash: (text: string) => string,
): { result: import("../validation/types").ValidationResult; sha?: string; repeated: boolean } {
  const known = checked.get(flowJson);
  if (known && known.target === target) return { result: known.result, sha: known.sha, repeated: true };
  const result = validate(flowJson, target);
  const sha = result.errors.length === 0 ? hash(flowJson) : undefined;
  if (sha !== undefined) keepCheckedJson(sha, flowJson);
  checked.set(flowJson, { target, result, sha });
  return { result, sha, repeated: false };
}
