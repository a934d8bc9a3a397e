/**
 * A WhatsApp Flow and the message template that sends it (Meta's Cloud API; see README.md beside this file).
 * The template's FLOW button takes the flow's id, so the template is created once the flow is published.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { accounts, MessageTemplate, WhatsAppFlow } from "whatsapp-flows";

const config = new pulumi.Config();
const waba = accounts.meta(config.require("wabaId"));
// The Flow JSON sits beside this program (compiled in place: index.js is next to index.ts).
const flowJson = fs.readFileSync(path.join(__dirname, "flows", "signup.json"), "utf8");

const signup = new WhatsAppFlow("newsletter-signup", { waba, categories: ["SIGN_UP"], flowJson });

const invite = new MessageTemplate("signup-invite", {
  waba,
  name: "signup_invite",
  language: "en_US",
  category: "MARKETING",
  components: [
    { type: "BODY", text: "Join our newsletter, {{1}}", example: { bodyText: [["Ana"]] } },
    {
      type: "BUTTONS",
      buttons: [{ type: "FLOW", text: "Sign up", flowId: signup.flowId, navigateScreen: "SIGN_UP", flowAction: "navigate" }],
    },
  ],
  // Wait for Meta's review in `up` (progress is shown; a rejection fails `up` with Meta's reason).
  waitForApproval: true,
  // Lets `preview` check that navigateScreen is a screen of this flow.
  flowJson,
});

export const flowIds = { signup: signup.flowId };
export const template = { id: invite.templateId, name: invite.liveName, status: invite.status, flowIds: invite.flowIds };
