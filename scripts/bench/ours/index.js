// Benchmark program for `npm run bench:deploy`: N published flows, each one `WhatsAppFlow` (a Flow and
// its FlowAssets), written as a user would. Stack config: `waba` (account reference), `n`, `variant`
// (put into every flow's JSON, so changing it is "a JSON change of every flow"), `categories` (v2 adds a
// category to every flow: "a categories change of every flow"). The Flow JSON is
// flow.json beside this file (written by the benchmark), whose `__BENCH__` marker takes the flow's
// index and the variant.
"use strict";
const fs = require("fs");
const path = require("path");
const pulumi = require("@pulumi/pulumi");
const { WhatsAppFlow } = require("whatsapp-flows");

const config = new pulumi.Config();
const waba = config.require("waba");
const n = config.requireNumber("n");
const variant = config.get("variant") || "v1";
const categories = config.get("categories") === "v2" ? ["SIGN_UP", "LEAD_GENERATION"] : ["SIGN_UP"];
const template = fs.readFileSync(path.join(__dirname, "flow.json"), "utf8");

for (let i = 0; i < n; i++) {
  const key = `bench-${String(i).padStart(4, "0")}`;
  new WhatsAppFlow(key, { waba, categories, flowJson: template.split("__BENCH__").join(`Offer ${i} ${variant}`) });
}
