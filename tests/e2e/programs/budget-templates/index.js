// End-to-end test program for the budget with templates (issue 18): `flows` published WhatsAppFlows and
// `templates` message templates (MARKETING, a body only) in one account. Config: waba, flows, templates.
"use strict";
const fs = require("node:fs");
const pulumi = require("@pulumi/pulumi");
const { WhatsAppFlow, MessageTemplate } = require("whatsapp-flows");

const config = new pulumi.Config();
const waba = config.require("waba");
const flowJson = fs.readFileSync("fixtures/signup-v1.json", "utf8");
const pad = (i) => String(i).padStart(2, "0");

// The templates come after the flows (dependsOn): a WhatsAppFlow registers its Flow a moment after the program
// registers it, and without this the engine could create every template before it checked any flow, so a stop's
// message would have no flow to count yet.
const flows = [];
for (let i = 0; i < (config.getNumber("flows") ?? 0); i++) {
  flows.push(new WhatsAppFlow(`flow-${pad(i)}`, { waba, name: `bt-flow-${pad(i)}`, categories: ["SIGN_UP"], flowJson }));
}
for (let i = 0; i < (config.getNumber("templates") ?? 0); i++) {
  new MessageTemplate(
    `template-${pad(i)}`,
    {
      waba,
      name: `bt_template_${pad(i)}`,
      language: "en_US",
      category: "MARKETING",
      components: [{ type: "BODY", text: `Our offers of week ${i + 1} are here` }],
      waitForApproval: false,
    },
    { dependsOn: flows },
  );
}
