/**
 * 360dialog Partner API: two WhatsApp Flows from flows/*.json, published (see README.md beside this file).
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { accounts, WhatsAppFlow } from "whatsapp-flows";

const config = new pulumi.Config();
const waba = accounts.dialog360(config.require("partnerId"), config.require("wabaAccountId"));
// The Flow JSON files sit beside this program (compiled in place: index.js is next to index.ts).
const flows = path.join(__dirname, "flows");

const signup = new WhatsAppFlow("newsletter-signup", { waba, categories: ["SIGN_UP"], file: path.join(flows, "signup.json") });
const contact = new WhatsAppFlow("contact-us", { waba, categories: ["CONTACT_US"], file: path.join(flows, "contact-us.json") });

export const flowIds = { signup: signup.flowId, contactUs: contact.flowId };
export const liveNames = { signup: signup.liveName, contactUs: contact.liveName };
