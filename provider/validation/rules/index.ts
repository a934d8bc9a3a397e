/**
 * Semantic validation of a parsed Flow JSON document, laid out like a linter: one module per concern in this
 * folder, each a set of rule functions `(ctx, node…) => void` reporting through `ctx.r` with a typed `ProblemCode`.
 * `FlowValidator.run()` is the order they run in (see ../README.md, "Rules").
 */
import type { Reporter } from "../report";
import { DATA_SOURCE_ITEM_SINCE, documentSchema } from "../schemas";
import type { ValidateOptions } from "../types";
import { checkAction } from "./actions";
import { RuleContext, isObj, typeName } from "./context";
import { checkDocument, checkVersion } from "./document";
import { checkRouting } from "./routing";
import { zod } from "./schema";
import { checkScreen, checkScreenSet, collectScreen } from "./screens";

export { conditionProblem } from "./references";

export class FlowValidator {
  private readonly ctx: RuleContext;

  constructor(
    private readonly doc: unknown,
    r: Reporter,
    options: ValidateOptions,
  ) {
    this.ctx = new RuleContext(r, options);
  }

  run(): void {
    const { doc, ctx } = this;
    if (!isObj(doc)) {
      ctx.r.add("INVALID_PROPERTY_TYPE", `Flow JSON must be an object, found ${typeName(doc)}`, [], { value: true });
      return;
    }
    // document and versions
    checkVersion(ctx, doc);
    ctx.dsSince = Object.entries(DATA_SOURCE_ITEM_SINCE).filter(([, since]) => !ctx.since(since));
    zod(ctx, documentSchema(ctx.v), doc, [], "document");
    checkDocument(ctx, doc);
    const screens = doc.screens;
    if (!Array.isArray(screens)) return;
    // screens: collect every screen first (references and navigate targets may point forward), then check them
    screens.forEach((s, i) => collectScreen(ctx, s, i));
    for (const info of ctx.screens) checkScreen(ctx, info);
    checkScreenSet(ctx, doc);
    // actions, then routing
    for (const info of ctx.screens) for (const a of info.actions) checkAction(ctx, info, a);
    checkRouting(ctx, doc);
  }
}
