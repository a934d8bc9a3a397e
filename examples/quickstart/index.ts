/**
 * Quickstart: two WhatsApp Flows from version-controlled Flow JSON, published.
 *
 * Against the local emulator: `npm run demo` (starts the emulator and runs this program with the real
 * `pulumi up`). Against your AWS account: set `waba` to your linked WABA id (`waba-…`), leave
 * `whatsapp-flows:awsEndpoint` unset, and use your usual AWS credentials and region.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { WhatsAppFlow } from "whatsapp-flows";

// Pulumi runs a program in the folder of its `main` (dist/examples/quickstart here); files are named
// from the project root instead, where Pulumi.yaml is.
const projectRoot = path.resolve(__dirname, "..", "..", "..");
const config = new pulumi.Config();
const waba = config.require("waba");
const flowsDir = path.resolve(projectRoot, config.get("flowsDir") ?? path.join("examples", "quickstart", "flows"));

const signup = new WhatsAppFlow("newsletter-signup", {
  waba,
  categories: ["SIGN_UP"],
  file: path.join(flowsDir, "signup.json"),
});

const contact = new WhatsAppFlow("contact-us", {
  waba,
  categories: ["CONTACT_US", "CUSTOMER_SUPPORT"],
  file: path.join(flowsDir, "contact-us.json"),
});

export const flows = {
  signup: { id: signup.flowId, status: signup.status, preview: signup.previewUrl },
  contactUs: { id: contact.flowId, status: contact.status, preview: contact.previewUrl },
};
