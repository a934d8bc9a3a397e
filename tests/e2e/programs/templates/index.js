// End-to-end test program, written as a user would: a WhatsAppFlow and a MessageTemplate whose FLOW
// button opens it. Config: waba, flowName, flowFile (the Flow JSON fixture), categories (the flow's), body (the template's body text),
// screen (navigateScreen), wait (waitForApproval), promoteFrom (a stack whose approved template and published
// flow this one must equal: the promotion gate).
"use strict";
const fs = require("node:fs");
const pulumi = require("@pulumi/pulumi");
const { WhatsAppFlow, MessageTemplate, PromotionGate, flowOutputs, templateOutputs } = require("whatsapp-flows");

const config = new pulumi.Config();
const waba = config.require("waba");
const flowJson = fs.readFileSync(config.get("flowFile") ?? "fixtures/signup-v1.json", "utf8");
const promoteFrom = config.get("promoteFrom");
const gate = promoteFrom ? new PromotionGate(new pulumi.StackReference(promoteFrom)) : undefined;

const signup = new WhatsAppFlow("signup", {
  waba,
  name: config.get("flowName") ?? "e2e-template-signup",
  categories: config.getObject("categories") ?? ["SIGN_UP"],
  flowJson,
  promotion: gate,
});

const invite = new MessageTemplate("signup-invite", {
  waba,
  name: "signup_invite",
  language: "en_US",
  category: "MARKETING",
  components: [
    { type: "BODY", text: config.get("body") ?? "Join our newsletter, {{1}}", example: { bodyText: [["Ana"]] } },
    {
      type: "BUTTONS",
      buttons: [
        { type: "FLOW", text: "Sign up", flowId: signup.flowId, navigateScreen: config.get("screen") ?? "SIGN_UP", flowAction: "navigate" },
      ],
    },
  ],
  waitForApproval: config.getBoolean("wait") ?? true,
  approvalTimeoutSeconds: 60,
  flowJson,
  promotion: gate,
});

module.exports = {
  flows: flowOutputs([signup]),
  templates: templateOutputs([invite]),
  flowId: signup.flowId,
  templateId: invite.templateId,
  liveName: invite.liveName,
  status: invite.status,
  flowIds: invite.flowIds,
};
