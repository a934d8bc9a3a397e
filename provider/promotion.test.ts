/**
 * The promotion gate on message templates (issue 19 item 5): the content compared is the canonical
 * template with each FLOW button's flow named, never its id; MessageTemplate's check applies it with no
 * vendor call and keeps the requirement out of the state.
 */
import { UNKNOWN } from "./model";
import { templateContentSha256, templatePromotionProblem } from "./promotion";
import { toMetaComponents, type TemplateComponentInput } from "./templates/model";
import { messageTemplateHooks } from "./hooks/message-template";

const components = (flowId: string, over: { body?: string; text?: string; screen?: string } = {}): TemplateComponentInput[] => [
  { type: "BODY", text: over.body ?? "Join our newsletter, {{1}}", example: { bodyText: [["Ana"]] } },
  {
    type: "BUTTONS",
    buttons: [{ type: "FLOW", text: over.text ?? "Sign up", flowId, navigateScreen: over.screen ?? "SIGN_UP", flowAction: "navigate" }],
  },
];
const sha = (flowId: string, refs: (string | null)[], over: Parameters<typeof components>[1] = {}, category = "MARKETING") =>
  templateContentSha256(
    { name: "signup_invite", language: "en_US", category, components: toMetaComponents(components(flowId, over)) },
    refs,
  );

describe("templateContentSha256", () => {
  const dev = sha("1111", ["newsletter-signup"]);

  it("ignores the flow ids when the flows are named: two accounts, same template", () => {
    expect(sha("9999", ["newsletter-signup"])).toBe(dev);
    // Key order and number-vs-string ids are no difference either.
    const reordered = templateContentSha256(
      {
        name: "signup_invite",
        language: "en_US",
        category: "marketing",
        components: [
          { example: { body_text: [["Ana"]] }, text: "Join our newsletter, {{1}}", type: "BODY" },
          {
            buttons: [{ flow_action: "navigate", navigate_screen: "SIGN_UP", flow_id: 42, text: "Sign up", type: "FLOW" }],
            type: "BUTTONS",
          },
        ],
      },
      ["newsletter-signup"],
    );
    expect(reordered).toBe(dev);
  });

  it("changes with the body, the button text, navigateScreen, the category, the bound flow, the name or the language", () => {
    const variants = [
      sha("1111", ["newsletter-signup"], { body: "Join us, {{1}}" }),
      sha("1111", ["newsletter-signup"], { text: "Join" }),
      sha("1111", ["newsletter-signup"], { screen: "WELCOME" }),
      sha("1111", ["newsletter-signup"], {}, "UTILITY"),
      sha("1111", ["contact-us"]),
      templateContentSha256(
        { name: "signup_invite_2", language: "en_US", category: "MARKETING", components: toMetaComponents(components("1")) },
        ["newsletter-signup"],
      ),
      templateContentSha256(
        { name: "signup_invite", language: "pt_BR", category: "MARKETING", components: toMetaComponents(components("1")) },
        ["newsletter-signup"],
      ),
    ];
    expect(new Set([dev, ...variants]).size).toBe(variants.length + 1);
  });

  it("keeps the id of a flow the program does not name (so two different ids differ)", () => {
    expect(sha("1111", [null])).not.toBe(sha("2222", [null]));
    expect(sha("1111", [null])).toBe(sha("1111", []));
  });
});

describe("templatePromotionProblem", () => {
  const here = "a".repeat(64);
  it("passes on the same content APPROVED in the source stack", () => {
    expect(
      templatePromotionProblem("signup_invite", "en_US", here, { stack: "acme/flows/dev", contentSha256: here, status: "APPROVED" }),
    ).toBe(undefined);
  });
  it("names the template, the stack and both hashes, in the flows' message shape", () => {
    expect(
      templatePromotionProblem("signup_invite", "en_US", here, {
        stack: "acme/flows/dev",
        contentSha256: "b".repeat(64),
        status: "APPROVED",
      }),
    ).toBe(
      `MessageTemplate "signup_invite" (en_US): promotion gate: this template's content differs from what stack acme/flows/dev has approved ` +
        `(acme/flows/dev: ${"b".repeat(64)}, here: ${here}); deploy it to acme/flows/dev first, or opt out for this template`,
    );
    expect(templatePromotionProblem("signup_invite", "en_US", here, { stack: "dev", contentSha256: null, status: null })).toMatch(
      /^MessageTemplate "signup_invite" \(en_US\): promotion gate: stack dev has no template "signup_invite" \(en_US\)/,
    );
    expect(templatePromotionProblem("signup_invite", "en_US", here, { stack: "dev", contentSha256: null, status: "PENDING" })).toMatch(
      /stack dev has no APPROVED "signup_invite" \(en_US\) \(its status there: PENDING\); let its review approve it there first/,
    );
  });
});

describe("MessageTemplate check with a promotion requirement", () => {
  const base = (flowId: string, over: Parameters<typeof components>[1] = {}) => ({
    waba: "meta:100000000000001",
    name: "signup_invite",
    language: "en_US",
    category: "MARKETING",
    components: components(flowId, over),
  });
  const approved = sha("1111", ["newsletter-signup"]);
  const req = { stack: "acme/flows/dev", contentSha256: approved, status: "APPROVED", flowRefs: ["newsletter-signup"] };

  it("passes the same content with another flow id, or with the flow not created yet (its id unknown at preview)", async () => {
    for (const flowId of ["9999", UNKNOWN]) {
      const r = await messageTemplateHooks.check({}, { ...base(flowId), promotion: req } as any);
      expect(r.failures).toEqual([]);
      // The requirement did its work; the state keeps none of it.
      expect(r.inputs).not.toHaveProperty("promotion");
    }
  });

  it("refuses a changed navigateScreen, naming the template and both hashes", async () => {
    const r = await messageTemplateHooks.check({}, { ...base("9999", { screen: "WELCOME" }), promotion: req } as any);
    expect(r.failures).toEqual([
      {
        property: "components",
        reason: expect.stringMatching(
          new RegExp(
            `^MessageTemplate "signup_invite" \\(en_US\\): promotion gate: this template's content differs from what stack acme/flows/dev has approved \\(acme/flows/dev: ${approved}, here: [0-9a-f]{64}\\)`,
          ),
        ),
      },
    ]);
  });

  it("leaves content not known yet to the program-wide check (no false refusal)", async () => {
    const unknownBody = await messageTemplateHooks.check({}, { ...base("9999", { body: UNKNOWN }), promotion: req } as any);
    expect(unknownBody.failures).toEqual([]);
    const unnamedUnknownFlow = await messageTemplateHooks.check({}, { ...base(UNKNOWN), promotion: { ...req, flowRefs: [null] } } as any);
    expect(unnamedUnknownFlow.failures).toEqual([]);
    expect((await messageTemplateHooks.check({}, { ...base("9999"), promotion: UNKNOWN } as any)).failures).toEqual([]);
  });
});
