/**
 * The SDK links a MessageTemplate to the flows its FLOW buttons open (./template-links.ts): under Pulumi's
 * mocks, the template's `supersededFlowIds` input is the union of the linked resources' `retiringFlowIds`.
 */
import * as pulumi from "@pulumi/pulumi";

const inputsOf = new Map<string, Record<string, unknown>>();

beforeAll(() => {
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        inputsOf.set(args.name, args.inputs);
        // The flow resources' outputs as a replacement that kept a predecessor leaves them.
        const retiring =
          args.name === "signup-assets" ? ["111"] : args.name === "signup" ? ["99"] : args.name === "solo" ? ["7"] : undefined;
        const flowId = args.name === "signup" ? "200" : args.name === "solo" ? "300" : undefined;
        return {
          id: `${args.name}-id`,
          state: { ...args.inputs, ...(retiring ? { retiringFlowIds: retiring } : {}), ...(flowId ? { flowId } : {}), liveFlowId: "201" },
        };
      },
      call: (args) => args.inputs,
    },
    "project",
    "stack",
    false,
  );
});

const settled = () => new Promise((r) => setTimeout(r, 200));
const input = async (name: string, key: string) => {
  for (let i = 0; i < 50 && !inputsOf.get(name); i++) await settled();
  return inputsOf.get(name)?.[key];
};

test("a FLOW button taking WhatsAppFlow.flowId, Flow.flowId or FlowAssets.liveFlowId passes their retiringFlowIds; an apply-built id is not linked", async () => {
  const { WhatsAppFlow, Flow, MessageTemplate } = await import("./index");
  const waba = "meta:123456789012345";
  const signup = new WhatsAppFlow("signup", { waba, categories: ["SIGN_UP"], flowJson: '{"version":"7.3","screens":[]}' });
  const solo = new Flow("solo", { waba, name: "solo", categories: ["OTHER"] });
  const body = { type: "BODY", text: "Hi" };
  const button = (flowId: pulumi.Input<string>) => ({ type: "BUTTONS", buttons: [{ type: "FLOW", text: "Go", flowId }] });
  new MessageTemplate("linked", { waba, language: "en_US", category: "MARKETING", components: [body, button(signup.flowId)] });
  new MessageTemplate("direct", { waba, language: "en_US", category: "MARKETING", components: [body, button(solo.flowId)] });
  new MessageTemplate("assets", { waba, language: "en_US", category: "MARKETING", components: [body, button(signup.assets.liveFlowId)] });
  new MessageTemplate("unlinked", {
    waba,
    language: "en_US",
    category: "MARKETING",
    components: [body, button(signup.flowId.apply((id) => id))],
  });
  expect(await input("linked", "supersededFlowIds")).toEqual(["111", "99"]);
  expect(await input("direct", "supersededFlowIds")).toEqual(["7"]);
  expect(await input("assets", "supersededFlowIds")).toEqual(["111"]);
  await input("unlinked", "name");
  expect(inputsOf.get("unlinked")).not.toHaveProperty("supersededFlowIds");
});
