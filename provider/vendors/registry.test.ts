import { ACCOUNT_FORMATS, isVendorName, parseAccountRef, validationTargetOf, VENDOR_NAMES, VENDORS } from "./registry";

describe("the vendor registry", () => {
  it("names each entry by its key", () => {
    for (const v of VENDOR_NAMES) expect(VENDORS[v].name).toBe(v);
  });

  it("gives every vendor a validation target that is a registry name", () => {
    for (const v of VENDOR_NAMES) expect(isVendorName(validationTargetOf(VENDORS[v]))).toBe(true);
  });

  it("parses what it formats, for every vendor", () => {
    const ids: Record<string, Record<string, string>> = {
      aws: { id: "waba-0123456789abcdef" },
      meta: { wabaId: "102290129340398" },
      "360dialog": { partnerId: "abcPA", wabaAccountId: "xyzWA" },
      "8x8": { accountId: "0f8fad5b-d9cb-469f-a165-70867728950e", channelId: "chan-1" },
    };
    for (const v of VENDOR_NAMES) {
      const ref = VENDORS[v].formatAccount(ids[v]);
      expect(parseAccountRef(ref)).toEqual({ account: { vendor: v, canonical: ref, ids: ids[v] } });
    }
  });

  it("names every vendor's format when a reference is malformed", () => {
    const parsed = parseAccountRef("nope:1");
    expect("error" in parsed && ACCOUNT_FORMATS.every((f) => parsed.error.includes(f))).toBe(true);
  });
});
