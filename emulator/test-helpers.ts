/** Shared test data: the smallest Flow JSON that validates and can be published (version 7.3). */
export const VALID_FLOW = {
  version: "7.3",
  screens: [
    {
      id: "WELCOME",
      title: "Welcome",
      terminal: true,
      success: true,
      data: {},
      layout: {
        type: "SingleColumnLayout",
        children: [
          { type: "TextHeading", text: "Hello" },
          { type: "Footer", label: "Done", "on-click-action": { name: "complete", payload: {} } },
        ],
      },
    },
  ],
};

/** VALID_FLOW as compact JSON text. */
export const VALID_FLOW_JSON = JSON.stringify(VALID_FLOW);
