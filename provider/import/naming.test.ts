import { projectNameOf, resourceNames, slugOf } from "./naming";

describe("slugOf", () => {
  it("keeps letters and digits, lower-cased, one dash between words", () => {
    expect(slugOf("Newsletter Signup (v2)")).toBe("newsletter-signup-v2");
    expect(slugOf("  Café / Crème brûlée  ")).toBe("cafe-creme-brulee");
  });
  it("never returns an empty or over-long name", () => {
    expect(slugOf("☕☕")).toBe("flow");
    expect(slugOf("x".repeat(300))).toHaveLength(60);
    expect(slugOf("a ".repeat(100))).not.toMatch(/-$/);
  });
});

describe("resourceNames", () => {
  const flows = [
    { id: "3", name: "sign-up" },
    { id: "1", name: "Sign up" },
    { id: "2", name: "Sign up 2" },
    { id: "4", name: "SIGN UP" },
  ];
  it("gives colliding slugs a suffix that no other flow's slug already is", () => {
    const names = resourceNames(flows);
    expect(Object.fromEntries(names)).toEqual({ "4": "sign-up", "1": "sign-up-3", "2": "sign-up-2", "3": "sign-up-4" });
    expect(new Set(names.values()).size).toBe(flows.length);
  });
  it("is stable whatever order the vendor lists the flows in", () => {
    const a = resourceNames(flows);
    const b = resourceNames([...flows].reverse());
    expect(Object.fromEntries(b)).toEqual(Object.fromEntries(a));
  });
  it("avoids reserved names", () => {
    expect(resourceNames([{ id: "1", name: "flows" }], ["flows"]).get("1")).toBe("flows-2");
  });
});

describe("projectNameOf", () => {
  it("makes a valid Pulumi project name", () => {
    expect(projectNameOf("my prod WABA!")).toBe("my-prod-WABA");
    expect(projectNameOf("...")).toBe("whatsapp-flows-import");
  });
});
