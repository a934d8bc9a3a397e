import { graphFlow, graphPreview, graphSummary } from "./graph";

describe("the Graph flow mapper (Meta and 360dialog)", () => {
  const answer = {
    id: "9001",
    name: "signup",
    status: "PUBLISHED",
    categories: ["SIGN_UP"],
    validation_errors: [],
    json_version: "7.2",
    preview: { preview_url: "https://p", expires_at: "2026-03-01T00:00:00+0000" },
    health_status: { can_send_message: "AVAILABLE" },
    endpoint_uri: "https://e.example/x",
    application: { id: "77" },
  };

  it("maps Meta's answer, with health and application", () => {
    expect(graphFlow(answer, "9001", { health: true, application: true })).toEqual({
      id: "9001",
      name: "signup",
      status: "PUBLISHED",
      categories: ["SIGN_UP"],
      validationErrors: [],
      jsonVersion: "7.2",
      previewUrl: "https://p",
      previewExpiresAt: "2026-03-01T00:00:00+0000",
      healthStatus: "AVAILABLE",
      endpointUri: "https://e.example/x",
      applicationId: "77",
    });
  });

  it("leaves what a vendor does not report undefined (360dialog: no health, no application)", () => {
    const f = graphFlow(answer, "9001", { health: false, application: false });
    expect(f).not.toHaveProperty("healthStatus");
    expect(f).not.toHaveProperty("applicationId");
  });

  it("never fails on an answer of the wrong shape: absent, empty or UNKNOWN instead", () => {
    const odd = { id: 9001, name: ["x"], status: "SOMETHING_NEW", categories: "SIGN_UP", preview: "soon", application: null };
    expect(graphFlow(odd, "1", { health: true, application: true })).toEqual({
      id: "9001",
      name: "",
      status: "UNKNOWN",
      categories: [],
      validationErrors: [],
      jsonVersion: null,
      previewUrl: null,
      previewExpiresAt: null,
      healthStatus: null,
      endpointUri: null,
      applicationId: null,
    });
    expect(graphFlow("not json", "1", { health: false, application: false }).id).toBe("1");
    expect(graphSummary(null)).toEqual({ id: "", name: "", status: "UNKNOWN", categories: [] });
  });

  it("reads a preview nested, or flat where the vendor allows it", () => {
    const p = { preview_url: "https://p", expires_at: "t" };
    expect(graphPreview({ preview: p })).toEqual({ url: "https://p", expiresAt: "t" });
    expect(graphPreview(p)).toBeUndefined();
    expect(graphPreview(p, "flat-allowed")).toEqual({ url: "https://p", expiresAt: "t" });
    expect(graphPreview({ preview: null })).toBeUndefined();
  });
});
