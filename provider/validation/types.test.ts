import { defineFlow, FLOW_JSON_VERSIONS, validateFlowJson, type FlowJson } from "./index";

describe("defineFlow and the inferred types", () => {
  it("returns the flow unchanged, and the result validates", () => {
    const flow = defineFlow({
      version: "7.3",
      screens: [
        {
          id: "ONLY",
          title: "Only",
          terminal: true,
          layout: {
            type: "SingleColumnLayout",
            children: [
              { type: "TextInput", name: "n", label: "Name", "input-type": "text" },
              { type: "If", condition: "${form.n} != ''", then: [{ type: "TextBody", text: "hi" }] },
              { type: "Footer", label: "Send", "on-click-action": { name: "complete", payload: { n: "${form.n}" } } },
            ],
          },
        },
      ],
    });
    expect(flow.screens[0].id).toBe("ONLY");
    expect(validateFlowJson(JSON.stringify(flow)).errors).toEqual([]);
  });

  it("rejects wrong shapes at compile time", () => {
    const bad: FlowJson = {
      version: "7.3",
      screens: [
        {
          id: "X",
          layout: {
            type: "SingleColumnLayout",
            // @ts-expect-error "input-type" must be one of the documented values
            children: [{ type: "TextInput", name: "n", label: "N", "input-type": "url" }],
          },
        },
      ],
    };
    // @ts-expect-error a Footer needs on-click-action
    const footer: FlowJson["screens"][0]["layout"]["children"][0] = { type: "Footer", label: "x" };
    expect([bad, footer]).toHaveLength(2);
  });

  it("exposes the version table as data", () => {
    const active = FLOW_JSON_VERSIONS.filter((v) => v.status === "active").map((v) => v.version);
    expect(active).toEqual(["5.1", "6.0", "6.1", "6.2", "6.3", "7.0", "7.1", "7.2", "7.3"]);
    expect(FLOW_JSON_VERSIONS.filter((v) => v.aws).map((v) => v.version)).toEqual(active);
  });
});
