/**
 * An endpoint (data-exchange) flow: its Flow JSON (flows/appointment.json) asks the business's server
 * for the free slots (`data_exchange`), so the flow needs its endpoint URI before it can be published.
 * The endpoint server itself is out of scope here. See README.md beside this file.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { WhatsAppFlow } from "whatsapp-flows";

const config = new pulumi.Config();
const booking = new WhatsAppFlow("appointment-booking", {
  waba: config.require("waba"),
  categories: ["APPOINTMENT_BOOKING"],
  // Beside this program (compiled in place: index.js is next to index.ts).
  file: path.join(__dirname, "flows", "appointment.json"),
  endpointUri: config.require("endpointUri"),
  // Meta publishes an endpoint flow only with a connected app; 8x8 takes one too; 360dialog has none.
  applicationId: config.get("applicationId"),
});

export const flowId = booking.flowId;
export const endpointUri = booking.endpointUri;
export const health = booking.healthStatus;
