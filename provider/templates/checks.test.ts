/** Offline checks of MessageTemplate inputs (issue 19 item 4): what preview refuses, naming the resource and the field. */
import { ACCOUNT_REFS } from "../../emulator";
import { UNKNOWN } from "../model";
import { checkTemplateInputs, flowScreens } from "./checks";
import { editBudget, EDIT_DAY_MS, fromMetaComponents, toMetaComponents } from "./model";

const FLOW_JSON = JSON.stringify({
  version: "6.0",
  screens: [
    { id: "SIGN_UP", layout: {} },
    { id: "DONE", layout: {} },
  ],
});

const good = (over: Record<string, unknown> = {}) => ({
  waba: ACCOUNT_REFS.dev.meta,
  name: "signup_invite",
  language: "en_US",
  category: "MARKETING",
  components: [
    { type: "BODY", text: "Join our newsletter, {{1}}", example: { bodyText: [["Ana"]] } },
    { type: "BUTTONS", buttons: [{ type: "FLOW", text: "Sign up", flowId: "1234", navigateScreen: "SIGN_UP", flowAction: "navigate" }] },
  ],
  flowJson: FLOW_JSON,
  ...over,
});

const reasons = (over: Record<string, unknown>) => checkTemplateInputs(good(over) as any).map((f) => `${f.property}: ${f.reason}`);
const body = (text: string, example?: unknown) => [{ type: "BODY", text, ...(example ? { example: { bodyText: example } } : {}) }];

test("a well-formed template passes", () => {
  expect(checkTemplateInputs(good() as any)).toEqual([]);
});

test.each([
  ["name with capitals", { name: "Signup" }, /name: template "Signup": name must be 1-512 lowercase letters/],
  ["name too long", { name: "a".repeat(513) }, /name must be 1-512/],
  ["language", { language: "english" }, /language: .*must be a language code such as en_US/],
  ["category", { category: "PROMO" }, /category: .*must be one of MARKETING, UTILITY, AUTHENTICATION/],
  ["account", { waba: "nope:1" }, /waba: .*names no known vendor/],
  ["body too long", { components: body("x".repeat(1025)) }, /components\[0\]\.text: .*at most 1024 characters \(has 1025\)/],
  ["variables out of order", { components: body("Hi {{2}} {{1}}", [["a", "b"]]) }, /variables must be \{\{1\}\}, \{\{2\}\}… in order/],
  [
    "variable without example",
    { components: body("Hi {{1}}") },
    /components\[0\]\.example\.bodyText: .*one example value per variable \(1\)/,
  ],
  ["no body", { components: [{ type: "FOOTER", text: "bye" }] }, /components: .*must contain a BODY component/],
  ["two bodies", { components: [...body("a"), ...body("b")] }, /components\[1\]\.type: .*at most one BODY/],
  [
    "header too long",
    { components: [{ type: "HEADER", format: "TEXT", text: "h".repeat(61) }, ...body("a")] },
    /components\[0\]\.text: .*at most 60/,
  ],
  ["footer too long", { components: [...body("a"), { type: "FOOTER", text: "f".repeat(61) }] }, /components\[1\]\.text: .*at most 60/],
  [
    "eleven buttons",
    {
      components: [
        ...body("a"),
        { type: "BUTTONS", buttons: Array.from({ length: 11 }, (_, i) => ({ type: "QUICK_REPLY", text: `b${i}` })) },
      ],
    },
    /components\[1\]\.buttons: .*at most 10 buttons \(has 11\)/,
  ],
  [
    "two FLOW buttons",
    {
      components: [...body("a"), { type: "BUTTONS", buttons: [1, 2].map((i) => ({ type: "FLOW", text: `go ${i}`, flowId: "12" })) }],
    },
    /components: .*at most 1 FLOW button \(has 2\)/,
  ],
  [
    "button text over 25",
    { components: [...body("a"), { type: "BUTTONS", buttons: [{ type: "QUICK_REPLY", text: "x".repeat(26) }] }] },
    /buttons\[0\]\.text: .*at most 25 characters \(has 26\)/,
  ],
  [
    "flowAction",
    { components: [...body("a"), { type: "BUTTONS", buttons: [{ type: "FLOW", text: "go", flowId: "1", flowAction: "open" }] }] },
    /flowAction: .*one of navigate, data_exchange/,
  ],
  [
    "FLOW without flowId",
    { components: [...body("a"), { type: "BUTTONS", buttons: [{ type: "FLOW", text: "go" }] }] },
    /flowId: .*is required/,
  ],
  [
    "navigateScreen not a screen of the flow",
    { components: [...body("a"), { type: "BUTTONS", buttons: [{ type: "FLOW", text: "go", flowId: "1", navigateScreen: "WELCOME" }] }] },
    /navigateScreen: .*names no screen of the flow's JSON: "WELCOME" \(screens: SIGN_UP, DONE\)/,
  ],
])("refuses %s", (_label, over, pattern) => {
  expect(reasons(over).join("\n")).toMatch(pattern);
});

test("button text is capped at 20 characters on 8x8 (its OpenAPI), 25 elsewhere", () => {
  const components = [...body("a"), { type: "BUTTONS", buttons: [{ type: "QUICK_REPLY", text: "x".repeat(21) }] }];
  expect(reasons({ waba: ACCOUNT_REFS.dev["8x8"], components }).join()).toMatch(/at most 20 characters on 8x8 Chat Apps \(has 21\)/);
  expect(reasons({ waba: ACCOUNT_REFS.dev.meta, components })).toEqual([]);
});

test("values unknown at preview pass; navigateScreen is not checked without the flow's JSON", () => {
  expect(checkTemplateInputs(good({ waba: UNKNOWN, name: UNKNOWN, flowJson: undefined }) as any)).toEqual([]);
  const components = [...body("a"), { type: "BUTTONS", buttons: [{ type: "FLOW", text: "go", flowId: UNKNOWN, navigateScreen: "ANY" }] }];
  expect(checkTemplateInputs(good({ components, flowJson: undefined }) as any)).toEqual([]);
});

test("flowScreens reads screen ids, and nothing from JSON it cannot read", () => {
  expect(flowScreens(FLOW_JSON)).toEqual(["SIGN_UP", "DONE"]);
  expect(flowScreens("{")).toBeUndefined();
});

test("camelCase inputs become Meta's template JSON and back", () => {
  const meta = toMetaComponents(good().components as any);
  expect(meta).toEqual([
    { type: "BODY", text: "Join our newsletter, {{1}}", example: { body_text: [["Ana"]] } },
    { type: "BUTTONS", buttons: [{ type: "FLOW", text: "Sign up", flow_id: "1234", navigate_screen: "SIGN_UP", flow_action: "navigate" }] },
  ]);
  expect(fromMetaComponents(meta)).toEqual(good().components);
});

test("Meta's edit budget: 1 per 24 hours, 10 per 30 days, with the time the next edit becomes possible", () => {
  const now = 100 * EDIT_DAY_MS;
  expect(editBudget([], now)).toEqual({ day: 1, month: 10 });
  expect(editBudget([now - 1000], now)).toEqual({ day: 0, month: 9, nextAt: now - 1000 + EDIT_DAY_MS });
  const ten = Array.from({ length: 10 }, (_, i) => now - (i + 2) * EDIT_DAY_MS);
  const b = editBudget(ten, now);
  expect(b).toMatchObject({ day: 1, month: 0 });
  expect(b.nextAt).toBe(Math.min(...ten) + 30 * EDIT_DAY_MS);
});
