// The whole pipeline, one program for every environment: the stack's config names the vendor and the
// account; prod requires exactly the Flow JSON dev has published (the promotion gate, checked by
// `pulumi preview` with no vendor call). See README.md and .github/workflows/flows.yml.
"use strict";
const path = require("node:path");
const pulumi = require("@pulumi/pulumi");
const { WhatsAppFlow, PromotionGate, flowOutputs } = require("whatsapp-flows");

const config = new pulumi.Config();
const waba = config.require("waba");
// prod: `pulumi config set promoteFrom <org>/<project>/dev`; opt out with `pulumi config set promotionGate false`.
const promoteFrom = config.get("promoteFrom");
const gate = promoteFrom
  ? new PromotionGate(new pulumi.StackReference(promoteFrom), { enabled: config.getBoolean("promotionGate") ?? true })
  : undefined;
const dir = path.join(__dirname, "flows");

const flows = [
  new WhatsAppFlow("newsletter-signup", { waba, categories: ["SIGN_UP"], file: path.join(dir, "signup.json"), promotion: gate }),
  new WhatsAppFlow("contact-us", { waba, categories: ["CONTACT_US"], file: path.join(dir, "contact-us.json"), promotion: gate }),
];

// One documented shape for application code and other stacks: { [name]: { name, flowId, liveName, status, flowJsonSha256 } }.
exports.flows = flowOutputs(flows);
