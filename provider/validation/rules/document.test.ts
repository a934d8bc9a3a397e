/** Document and versions (rules/document.ts, rules/schema.ts on the document, validate.ts): syntax, versions, data_api_version. */
import { at, baseFlow, expectAt, run, S0, C1, kids0, kids1, flow } from "../test-helpers";

describe("base flow", () => {
  it("is valid with no warnings", () => {
    const r = run(baseFlow());
    expect(r.result.errors).toEqual([]);
    expect(r.result.warnings).toEqual([]);
  });
});

describe("eager positions", () => {
  it("gives the same problems as the lazy default", () => {
    const d = flow((d) => ((kids0(d)[1]["initial-text"] = "x"), (kids1(d)[0].text = "${data.missing}"), (d.screens[1].id = "LAST_1")));
    const lazy = run(d);
    const eager = run(d, { positions: "eager" });
    expect(lazy.result.errors.length).toBeGreaterThan(2);
    expect(eager.result).toEqual(lazy.result);
  });
});

describe("document and versions", () => {
  it("INVALID_FLOW_JSON: syntax error with its line and column", () => {
    const src = '{\n  "version": "7.3",\n  "screens": [],\n}';
    const r = run(src);
    expect(r.result.errors).toHaveLength(1);
    expectAt(r, "INVALID_FLOW_JSON", "", { line: 3, column: 16 });
  });

  it("INVALID_FLOW_JSON: unterminated string points at its start", () => {
    const r = run('{"version": "7.3",\n "screens": ["abc');
    expectAt(r, "INVALID_FLOW_JSON", "", { line: 2, column: 14 });
  });

  it("DUPLICATE_JSON_KEY: warning at the repeated key", () => {
    const src = JSON.stringify(baseFlow(), null, 2).replace('"title": "First",', '"title": "First",\n      "title": "Again",');
    const r = run(src);
    expect(r.result.errors).toEqual([]);
    expectAt(r, "DUPLICATE_JSON_KEY", `${S0}.title`, at(src, '"title": "Again"'), "warning");
  });

  it("INVALID_PROPERTY_TYPE: document is not an object", () => {
    const r = run("[1, 2]");
    expectAt(r, "INVALID_PROPERTY_TYPE", "", { line: 1, column: 1 });
  });

  it("MISSING_FLOW_JSON_VERSION", () => {
    const r = run(flow((d) => delete d.version));
    expectAt(r, "MISSING_FLOW_JSON_VERSION", "version", { line: 1, column: 1 });
  });

  it("INVALID_FLOW_JSON_VERSION: not major.minor", () => {
    const r = run(flow((d) => (d.version = "7")));
    expectAt(r, "INVALID_FLOW_JSON_VERSION", "version", at(r.src, '"7"'));
  });

  it("UNSUPPORTED_FLOW_JSON_VERSION: frozen version, kept apart as category version", () => {
    const r = run(flow((d) => (d.version = "5.0")));
    const p = expectAt(r, "UNSUPPORTED_FLOW_JSON_VERSION", "version", at(r.src, '"5.0"'));
    expect(p.category).toBe("version");
    expect(p.message).toContain("2025-09-10");
    expect(r.result.errors.filter((e) => e.category !== "version")).toEqual([]);
  });

  it("UNAVAILABLE_FLOW_JSON_VERSION: early 7.4 is a warning, an error for AWS", () => {
    const r = run(flow((d) => (d.version = "7.4")));
    expect(r.result.errors).toEqual([]);
    expectAt(r, "UNAVAILABLE_FLOW_JSON_VERSION", "version", at(r.src, '"7.4"'), "warning");
    const aws = run(
      flow((d) => (d.version = "7.4")),
      { target: "aws" },
    );
    expectAt(aws, "UNAVAILABLE_FLOW_JSON_VERSION", "version", at(aws.src, '"7.4"'));
    const unknown = run(
      flow((d) => (d.version = "9.0")),
      { target: "aws" },
    );
    expectAt(unknown, "UNAVAILABLE_FLOW_JSON_VERSION", "version", at(unknown.src, '"9.0"'));
    expect(
      run(
        flow((d) => (d.version = "6.3")),
        { target: "aws" },
      ).result.errors,
    ).toEqual([]);
  });

  it("UNSUPPORTED_FLOW_JSON_VERSION: a version older than any documented one, checked with the 2.1 schemas", () => {
    const r = run(
      flow(
        (d) => (
          (d.version = "1.0"),
          (kids0(d).splice(1, 1),
          (kids0(d)[1]["on-click-action"].payload = {}),
          (d.screens[1].data = {}),
          (kids1(d)[0].text = "Done"),
          (kids1(d)[1]["on-click-action"].payload = {}))
        ),
      ),
    );
    expect(r.result.errors.map((e) => e.error)).toEqual(["UNSUPPORTED_FLOW_JSON_VERSION"]);
    expectAt(r, "UNSUPPORTED_FLOW_JSON_VERSION", "version", at(r.src, '"1.0"'));
  });

  it("INVALID_PROPERTY_KEY: unknown top-level key", () => {
    const r = run(flow((d) => (d.colour = "red")));
    expectAt(r, "INVALID_PROPERTY_KEY", "colour", at(r.src, '"colour"'));
  });

  it("INVALID_PROPERTY_KEY: data_channel_uri from 3.0", () => {
    const r = run(flow((d) => (d.data_channel_uri = "https://x.example")));
    expectAt(r, "INVALID_PROPERTY_KEY", "data_channel_uri", at(r.src, '"data_channel_uri"'));
  });

  it("INVALID_PROPERTY_VALUE_FORMAT: data_channel_uri is not a URI (2.1)", () => {
    const r = run(flow((d) => ((d.version = "2.1"), (d.data_channel_uri = "not a uri"))));
    expectAt(r, "INVALID_PROPERTY_VALUE_FORMAT", "data_channel_uri", at(r.src, '"not a uri"'));
  });

  it("INVALID_FLOW_JSON: larger than 10 MB", () => {
    const src = JSON.stringify(baseFlow()) + " ".repeat(10 * 1024 * 1024);
    const r = run(src);
    expectAt(r, "INVALID_FLOW_JSON", "", { line: 1, column: 1 });
    expect(r.result.errors).toHaveLength(1);
  });

  it("MIN_ITEMS_REQUIRED: no screens", () => {
    const r = run({ version: "7.3", screens: [] });
    expectAt(r, "MIN_ITEMS_REQUIRED", "screens", at(r.src, '"screens"'));
  });

  it("MAX_SCREENS_NUMBER: 101 screens", () => {
    const d = baseFlow();
    for (let i = 0; i < 99; i++) d.screens.push({ ...d.screens[1], id: "X" + "A".repeat(i + 1) });
    const r = run(d);
    expectAt(r, "MAX_SCREENS_NUMBER", "screens", at(r.src, '"screens"'));
  });

  it("INVALID_DATA_API_VERSION and NO_SUPPORTED_DATA_API_VERSION", () => {
    const r = run(flow((d) => ((d.data_api_version = "2.0"), (d.routing_model = { FIRST: ["LAST"] }))));
    expectAt(r, "INVALID_DATA_API_VERSION", "data_api_version", at(r.src, '"2.0"'));
    const proto = run(flow((d) => ((d.data_api_version = "toString"), (d.routing_model = { FIRST: ["LAST"] }))));
    expectAt(proto, "INVALID_DATA_API_VERSION", "data_api_version", at(proto.src, '"toString"'));
    const r2 = run(flow((d) => ((d.version = "7.2"), (d.data_api_version = "4.0"), (d.routing_model = { FIRST: ["LAST"] }))));
    expectAt(r2, "NO_SUPPORTED_DATA_API_VERSION", "data_api_version", at(r2.src, '"4.0"'));
  });

  it("MISSING_REQUIRED_PROPERTY: routing_model when data_api_version is set", () => {
    const r = run(flow((d) => (d.data_api_version = "3.0")));
    expectAt(r, "MISSING_REQUIRED_PROPERTY", "routing_model", { line: 1, column: 1 });
  });

  it("MISSING_REQUIRED_PROPERTY: data_api_version when data_exchange is used", () => {
    const r = run(flow((d) => (kids1(d)[1]["on-click-action"] = { name: "data_exchange", payload: {} })));
    expectAt(r, "MISSING_REQUIRED_PROPERTY", `${C1}[1].on-click-action.name`, at(r.src, '"data_exchange"'));
  });
});

describe("byte-order mark", () => {
  it("INVALID_FLOW_JSON at 1:1, and the rest is still validated", () => {
    const src =
      "\uFEFF" +
      JSON.stringify(
        flow((d) => (d.colour = "red")),
        null,
        2,
      );
    const r = run(src);
    const p = expectAt(r, "INVALID_FLOW_JSON", "", { line: 1, column: 1 });
    expect(p.message).toMatch(/byte-order mark/);
    expect(p.category).toBe("syntax");
    expectAt(r, "INVALID_PROPERTY_KEY", "colour", at(src, '"colour"'));
  });
});
