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
