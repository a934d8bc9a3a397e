// End-to-end test program, written as a user would: `require("whatsapp-flows")` and stack config.
// Config `flows` lists the flows: [{ key, name, categories, file?, publish?, preview?, adoptExisting?, adoptFlowId?, retain?, component? }].
// `component: true` declares the flow as one `WhatsAppFlow` (its children are `<key>` and `<key>-assets`).
"use strict";
const pulumi = require("@pulumi/pulumi");
const { Flow, FlowAssets, WhatsAppFlow } = require("whatsapp-flows");

const config = new pulumi.Config();
const waba = config.require("waba");
const flows = config.requireObject("flows");

const outputs = {};
const created = {};
for (const f of flows) {
  if (f.component) {
    const wf = new WhatsAppFlow(
      f.key,
      {
        waba,
        name: f.name,
        categories: f.categories,
        file: f.file,
        publish: f.publish === true,
        preview: f.preview,
        adoptExisting: f.adoptExisting,
        adoptFlowId: f.adoptFlowId,
        endpointUri: f.endpointUri,
        applicationId: f.applicationId,
      },
      f.retain ? { retainOnDelete: true } : undefined,
    );
    created[f.key] = wf.flow;
    outputs[f.key] = {
      flowId: wf.flow.flowId,
      liveFlowId: wf.flowId,
      liveName: wf.liveName,
      flowStatus: wf.flow.status,
      status: wf.status,
      previewUrl: wf.previewUrl,
    };
    continue;
  }
  // `nameAfter: <key>`: the name is only known once that flow exists (unknown at preview).
  const name = f.nameAfter ? created[f.nameAfter].flowId.apply(() => f.name) : f.name;
  const flow = new Flow(
    f.key,
    {
      waba,
      name,
      categories: f.categories,
      adoptExisting: f.adoptExisting,
      adoptFlowId: f.adoptFlowId,
      endpointUri: f.endpointUri,
      applicationId: f.applicationId,
    },
    f.retain ? { retainOnDelete: true } : undefined,
  );
  created[f.key] = flow;
  const assets = f.file
    ? new FlowAssets(`${f.key}-assets`, {
        flow,
        file: f.file,
        publish: f.publish === true,
        preview: f.preview,
        endpointUri: f.endpointUri ?? null,
        // As WhatsAppFlow does: lets the first preview say what changes about an adopted flow's JSON.
        adopt: f.adoptExisting || f.adoptFlowId ? { flowId: f.adoptFlowId, byName: f.adoptExisting } : undefined,
      })
    : undefined;
  outputs[f.key] = {
    flowId: flow.flowId,
    // The flow live with this JSON (a new id after a vendor that does not edit published flows replaced it).
    liveFlowId: assets ? assets.liveFlowId : flow.flowId,
    liveName: assets ? assets.liveName : flow.liveName,
    flowStatus: flow.status,
    status: assets ? assets.status : flow.status,
    previewUrl: assets ? assets.previewUrl : flow.previewUrl,
  };
}
module.exports = outputs;
