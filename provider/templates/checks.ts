/**
 * Offline checks of a MessageTemplate's inputs (issue 19 item 4): everything Meta documents about a
 * template's shape, checked in `check` (preview) with no vendor call. Sources: docs/templates.md
 * (Meta's template management page and each vendor's limits). Values unknown at preview pass.
 */
import { z } from "zod";
import { isUnknown } from "../model";
import { parseAccountRef, vendorOf } from "../vendors/registry";
import type { CheckFailure } from "../hooks/inputs";
import { TEMPLATE_CATEGORIES, type TemplateInputs } from "./model";

export const TEMPLATE_NAME = /^[a-z0-9_]{1,512}$/;
/** Meta's language codes: `en`, `en_US`, `zh_CN`, `es_MX`… (2–3 letters, optional region). */
export const TEMPLATE_LANGUAGE = /^[a-z]{2,3}(_[A-Z]{2,4})?$/;
export const MAX_BODY_CHARS = 1024;
export const MAX_HEADER_TEXT_CHARS = 60;
export const MAX_FOOTER_CHARS = 60;
export const MAX_BUTTONS = 10;
export const MAX_FLOW_BUTTONS = 1;
/** Meta's button text limit; a vendor may set a lower one (registry: templates.maxButtonText). */
export const MAX_BUTTON_TEXT_CHARS = 25;
export const FLOW_ACTIONS = ["navigate", "data_exchange"] as const;
const COMPONENT_TYPES = ["HEADER", "BODY", "FOOTER", "BUTTONS"];
const HEADER_FORMATS = ["TEXT", "IMAGE", "VIDEO", "DOCUMENT", "LOCATION"];
/** The longest `_v<N>` suffix a replacement adds stays within Meta's 512 characters. */
export const MAX_DECLARED_NAME = 505;

const known = (v: unknown) => v !== undefined && !isUnknown(v);

const shape = z.object({
  waba: z.string(),
  name: z.string(),
  language: z.string(),
  category: z.string(),
  components: z.array(z.record(z.string(), z.unknown())),
  waitForApproval: z.boolean().optional(),
  approvalTimeoutSeconds: z
    .number()
    .int()
    .min(1)
    .max(24 * 3600)
    .optional(),
  flowJson: z.string().optional(),
  adoptTemplateId: z.string().min(1).optional(),
});

/** `{{1}}`, `{{2}}`… in the order they appear. */
function variables(text: string): number[] {
  return [...text.matchAll(/\{\{\s*(\d+)\s*\}\}/g)].map((m) => Number(m[1]));
}

function checkVariables(text: string, examples: unknown, where: string, exampleKey: string, fail: (p: string, r: string) => void) {
  const vars = variables(text);
  if (/\{\{(?!\s*\d+\s*\}\})/.test(text)) fail(`${where}.text`, "variables must be numbered placeholders such as {{1}}");
  if (vars.length === 0) return;
  const expected = vars.map((_, i) => i + 1);
  if (vars.some((v, i) => v !== expected[i]))
    fail(`${where}.text`, `variables must be {{1}}, {{2}}… in order, each once; found ${vars.map((v) => `{{${v}}}`).join(", ")}`);
  const list = exampleKey === "bodyText" ? (Array.isArray(examples) ? examples[0] : undefined) : examples;
  if (!Array.isArray(list) || list.length !== vars.length || list.some((x) => typeof x !== "string" || x === ""))
    fail(
      `${where}.example.${exampleKey}`,
      `needs one example value per variable (${vars.length}): e.g. ${exampleKey === "bodyText" ? `[[${vars.map(() => '"…"').join(", ")}]]` : `["…"]`}`,
    );
}

/** The screen ids of a Flow JSON text, or undefined when it cannot be read (the flow's own checks report that). */
export function flowScreens(flowJson: string): string[] | undefined {
  try {
    const doc = JSON.parse(flowJson);
    if (!doc || !Array.isArray(doc.screens)) return undefined;
    return doc.screens.map((s: { id?: unknown }) => s?.id).filter((id: unknown): id is string => typeof id === "string");
  } catch {
    return undefined;
  }
}

/** All failures of a template's inputs; `property` is the input path, `reason` names the template. */
export function checkTemplateInputs(news: Partial<TemplateInputs>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const label = typeof news.name === "string" && !isUnknown(news.name) ? `template "${news.name}"` : "template";
  const fail = (property: string, reason: string) => failures.push({ property, reason: `${label}: ${property} ${reason}` });

  const parsed = shape.partial().safeParse(Object.fromEntries(Object.entries(news).filter(([, v]) => !isUnknown(v))));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) fail(issue.path.join(".") || "(inputs)", issue.message);
    return failures;
  }

  let maxButtonText = MAX_BUTTON_TEXT_CHARS;
  let vendorName: string | undefined;
  if (!known(news.waba)) {
    if (news.waba === undefined) fail("waba", "is required: an account reference such as meta:<WABA id>");
  } else {
    const ref = parseAccountRef(news.waba!);
    if ("error" in ref) fail("waba", ref.error);
    else {
      const entry = vendorOf(ref.account);
      maxButtonText = entry.templates.maxButtonText;
      vendorName = entry.displayName;
    }
  }
  if (known(news.name) && !TEMPLATE_NAME.test(news.name!))
    fail("name", "must be 1-512 lowercase letters, digits and underscores (Meta's rule), e.g. signup_invite");
  else if (known(news.name) && news.name!.length > MAX_DECLARED_NAME)
    fail("name", `must be at most ${MAX_DECLARED_NAME} characters, so a replacement's "_v<N>" suffix fits Meta's 512`);
  if (known(news.language) && !TEMPLATE_LANGUAGE.test(news.language!))
    fail("language", `must be a language code such as en_US, pt_BR or es (got "${news.language}")`);
  if (known(news.category) && !(TEMPLATE_CATEGORIES as readonly string[]).includes(news.category!))
    fail("category", `must be one of ${TEMPLATE_CATEGORIES.join(", ")} (got "${news.category}")`);
  if (!known(news.components)) return failures;

  const components = news.components!;
  if (components.length === 0) fail("components", "must list at least the BODY component");
  const screens = known(news.flowJson) ? flowScreens(news.flowJson!) : undefined;
  const seen = new Set<string>();
  let flowButtons = 0;
  components.forEach((c, i) => {
    const at = `components[${i}]`;
    if (isUnknown(c)) return;
    const type = typeof c.type === "string" ? c.type.toUpperCase() : "";
    if (!COMPONENT_TYPES.includes(type)) {
      fail(`${at}.type`, `must be one of ${COMPONENT_TYPES.join(", ")} (got ${JSON.stringify(c.type)})`);
      return;
    }
    if (seen.has(type)) fail(`${at}.type`, `repeats ${type}: a template has at most one ${type} component`);
    seen.add(type);
    const text = c.text;
    if (type === "BODY") {
      if (!known(text)) return;
      if (typeof text !== "string" || text === "") fail(`${at}.text`, "is required");
      else {
        if (text.length > MAX_BODY_CHARS) fail(`${at}.text`, `must be at most ${MAX_BODY_CHARS} characters (has ${text.length})`);
        checkVariables(text, c.example?.bodyText, at, "bodyText", fail);
      }
    }
    if (type === "HEADER") {
      const format = typeof c.format === "string" ? c.format.toUpperCase() : "TEXT";
      if (!HEADER_FORMATS.includes(format)) fail(`${at}.format`, `must be one of ${HEADER_FORMATS.join(", ")}`);
      if (format === "TEXT" && known(text)) {
        if (typeof text !== "string" || text === "") fail(`${at}.text`, "is required for a TEXT header");
        else {
          if (text.length > MAX_HEADER_TEXT_CHARS)
            fail(`${at}.text`, `must be at most ${MAX_HEADER_TEXT_CHARS} characters (has ${text.length})`);
          if (variables(text).length > 1) fail(`${at}.text`, "may hold at most one variable ({{1}})");
          else checkVariables(text, c.example?.headerText, at, "headerText", fail);
        }
      }
    }
    if (type === "FOOTER" && known(text)) {
      if (typeof text !== "string" || text === "") fail(`${at}.text`, "is required");
      else if (text.length > MAX_FOOTER_CHARS) fail(`${at}.text`, `must be at most ${MAX_FOOTER_CHARS} characters (has ${text.length})`);
    }
    if (type === "BUTTONS") {
      const buttons = c.buttons;
      if (!known(buttons)) return;
      if (!Array.isArray(buttons) || buttons.length === 0) {
        fail(`${at}.buttons`, "must list at least one button");
        return;
      }
      if (buttons.length > MAX_BUTTONS) fail(`${at}.buttons`, `must have at most ${MAX_BUTTONS} buttons (has ${buttons.length})`);
      buttons.forEach((b, j) => {
        const bt = `${at}.buttons[${j}]`;
        if (isUnknown(b)) return;
        const btype = typeof b.type === "string" ? b.type.toUpperCase() : "";
        if (!btype) fail(`${bt}.type`, "is required (FLOW, QUICK_REPLY, URL, PHONE_NUMBER…)");
        if (known(b.text)) {
          if (typeof b.text !== "string" || b.text === "") fail(`${bt}.text`, "is required");
          else if (b.text.length > maxButtonText)
            fail(
              `${bt}.text`,
              `must be at most ${maxButtonText} characters${maxButtonText < MAX_BUTTON_TEXT_CHARS && vendorName ? ` on ${vendorName}` : ""} (has ${b.text.length})`,
            );
        } else if (b.text === undefined && btype !== "OTP") fail(`${bt}.text`, "is required");
        if (btype !== "FLOW") return;
        flowButtons++;
        if (b.flowId === undefined) fail(`${bt}.flowId`, "is required: the id of the published flow the button opens (e.g. myFlow.flowId)");
        else if (known(b.flowId) && (typeof b.flowId !== "string" || !/^[0-9]{1,100}$/.test(b.flowId)))
          fail(`${bt}.flowId`, "must be a numeric flow id");
        for (const k of ["flowName", "flowJson"])
          if (b[k] !== undefined) fail(`${bt}.${k}`, "is not supported: bind the button to a flow by flowId (every vendor takes it)");
        if (known(b.flowAction) && !(FLOW_ACTIONS as readonly string[]).includes(b.flowAction as string))
          fail(`${bt}.flowAction`, `must be one of ${FLOW_ACTIONS.join(", ")} (got ${JSON.stringify(b.flowAction)})`);
        if (known(b.navigateScreen)) {
          if (typeof b.navigateScreen !== "string" || b.navigateScreen === "") fail(`${bt}.navigateScreen`, "must be a screen id");
          else if (screens && !screens.includes(b.navigateScreen))
            fail(`${bt}.navigateScreen`, `names no screen of the flow's JSON: "${b.navigateScreen}" (screens: ${screens.join(", ")})`);
        }
      });
    }
  });
  if (components.length > 0 && !seen.has("BODY") && components.every((c) => !isUnknown(c)))
    fail("components", "must contain a BODY component");
  if (flowButtons > MAX_FLOW_BUTTONS) fail("components", `may hold at most ${MAX_FLOW_BUTTONS} FLOW button (has ${flowButtons})`);
  return failures;
}
