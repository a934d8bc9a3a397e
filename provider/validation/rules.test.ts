import { at, baseFlow, elem, expectAt, find, run, type Doc } from "./test-helpers";

const S0 = "screens[0]";
const S1 = "screens[1]";
const C0 = `${S0}.layout.children`;
const C1 = `${S1}.layout.children`;

/** Shortcuts into baseFlow(). */
const kids0 = (d: Doc) => d.screens[0].layout.children as Doc[];
const kids1 = (d: Doc) => d.screens[1].layout.children as Doc[];
const flow = (mutate: (d: Doc) => void): Doc => {
  const d = baseFlow();
  mutate(d);
  return d;
};

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

describe("screens", () => {
  it("PATTERN_MISMATCH: screen id with a digit", () => {
    const r = run(flow((d) => ((d.screens[1].id = "LAST_1"), (kids0(d)[2]["on-click-action"].next.name = "LAST_1"))));
    expectAt(r, "PATTERN_MISMATCH", `${S1}.id`, at(r.src, '"id"', 1));
  });

  it("MIN_CHARS_REQUIRED: empty screen id", () => {
    const r = run(flow((d) => (d.screens[1].id = "")));
    expectAt(r, "MIN_CHARS_REQUIRED", `${S1}.id`, at(r.src, '"id"', 1));
  });

  it("DUPLICATE_SCREEN_IDS", () => {
    const r = run(flow((d) => (d.screens[1].id = "FIRST")));
    expectAt(r, "DUPLICATE_SCREEN_IDS", `${S1}.id`, at(r.src, '"id"', 1));
  });

  it("SCREEN_ID_IS_RESERVED_KEYWORD: SUCCESS, case-insensitively", () => {
    const r = run(flow((d) => ((d.screens[1].id = "Success"), (kids0(d)[2]["on-click-action"].next.name = "Success"))));
    expectAt(r, "SCREEN_ID_IS_RESERVED_KEYWORD", `${S1}.id`, at(r.src, '"id"', 1));
  });

  it("PATTERN_MISMATCH (builder): id made of underscores only from 7.0", () => {
    const r = run(flow((d) => ((d.screens[1].id = "___"), (kids0(d)[2]["on-click-action"].next.name = "___"))));
    expectAt(r, "PATTERN_MISMATCH", `${S1}.id`, at(r.src, '"id"', 1));
  });

  it("MISSING_TERMINAL_SCREEN", () => {
    const r = run(flow((d) => delete d.screens[1].terminal));
    expectAt(r, "MISSING_TERMINAL_SCREEN", "screens", at(r.src, '"screens"'));
  });

  it("MISSING_FOOTER_ON_TERMINAL_SCREEN", () => {
    const r = run(flow((d) => kids1(d).pop()));
    expectAt(r, "MISSING_FOOTER_ON_TERMINAL_SCREEN", `${S1}.terminal`, at(r.src, '"terminal"'));
  });

  it("NOT_KEYWORD_SCHEMA_VALIDATION_FAILED: success on a non-terminal screen", () => {
    const r = run(flow((d) => (d.screens[0].success = true)));
    expectAt(r, "NOT_KEYWORD_SCHEMA_VALIDATION_FAILED", `${S0}.success`, at(r.src, '"success"'));
  });

  it("INVALID_PROPERTY_VALUE: no terminal screen with success true", () => {
    const r = run(flow((d) => (d.screens[1].success = false)));
    expectAt(r, "INVALID_PROPERTY_VALUE", `${S1}.success`, at(r.src, '"success"'));
  });

  it("INVALID_PROPERTY_VALUE: refresh_on_back without data_api_version", () => {
    const r = run(flow((d) => (d.screens[1].refresh_on_back = true)));
    expectAt(r, "INVALID_PROPERTY_VALUE", `${S1}.refresh_on_back`, at(r.src, '"refresh_on_back"'));
  });

  it("INVALID_PROPERTY_KEY: unknown screen key", () => {
    const r = run(flow((d) => (d.screens[0].subtitle = "x")));
    expectAt(r, "INVALID_PROPERTY_KEY", `${S0}.subtitle`, at(r.src, '"subtitle"'));
  });

  it("INVALID_PROPERTY_KEY: sensitive before 5.1", () => {
    const r = run(flow((d) => ((d.version = "5.0"), (d.screens[0].sensitive = ["email"]))));
    expectAt(r, "INVALID_PROPERTY_KEY", `${S0}.sensitive`, at(r.src, '"sensitive"'));
  });

  it("MISSING_REQUIRED_PROPERTY (builder): screen title; warning with builderRules=warning", () => {
    const d = flow((d) => delete d.screens[1].title);
    const r = run(d);
    expectAt(r, "MISSING_REQUIRED_PROPERTY", `${S1}.title`, elem(r.src, '"id": "LAST"'));
    const w = run(d, { builderRules: "warning" });
    expect(w.result.errors).toEqual([]);
    expectAt(w, "MISSING_REQUIRED_PROPERTY", `${S1}.title`, elem(w.src, '"id": "LAST"'), "warning");
  });

  it("MIN_CHARS_REQUIRED (builder): blank title from 5.0", () => {
    const r = run(flow((d) => (d.screens[1].title = "  ")));
    expectAt(r, "MIN_CHARS_REQUIRED", `${S1}.title`, at(r.src, '"title"', 1));
  });

  it("INVALID_SENSITIVE_FIELD", () => {
    const r = run(flow((d) => (d.screens[0].sensitive = ["email", "pin"])));
    expectAt(r, "INVALID_SENSITIVE_FIELD", `${S0}.sensitive[1]`, at(r.src, '"pin"'));
  });

  it("INVALID_SCREEN_DATA: field without type, array without items, wrong __example__, nested __example__", () => {
    const r = run(
      flow((d) => {
        d.screens[1].data.a = { __example__: "x" };
        d.screens[1].data.b = { type: "array", __example__: [] };
        d.screens[1].data.c = { type: "number", __example__: "7" };
        d.screens[1].data.e = { type: "object", properties: { x: { type: "string", __example__: "y" } }, __example__: { x: "y" } };
      }),
    );
    expectAt(r, "INVALID_SCREEN_DATA", `${S1}.data.a`, at(r.src, '"a"'));
    expectAt(r, "INVALID_SCREEN_DATA", `${S1}.data.b`, at(r.src, '"b"'));
    expectAt(r, "INVALID_SCREEN_DATA", `${S1}.data.c.__example__`, at(r.src, '"__example__": "7"'));
    expectAt(r, "INVALID_SCREEN_DATA", `${S1}.data.e.properties.x.__example__`, at(r.src, '"__example__": "y"'));
  });

  it("INVALID_SCREEN_DATA (builder): field without __example__", () => {
    const r = run(flow((d) => delete d.screens[1].data.email.__example__));
    expectAt(r, "INVALID_SCREEN_DATA", `${S1}.data.email`, at(r.src, '"email": {'));
  });
});

describe("components: schema", () => {
  it("INVALID_PROPERTY: unknown component property (Meta's example)", () => {
    const r = run(flow((d) => (kids0(d)[1]["initial-text"] = "x")));
    const p = expectAt(r, "INVALID_PROPERTY", `${C0}[1].initial-text`, at(r.src, '"initial-text"'));
    expect(p.message).toBe('The property "initial-text" cannot be specified at "$root/screens/0/layout/children/1"');
    expect(p.error_type).toBe("JSON_SCHEMA_ERROR");
    expect(p.column_end - p.column_start + 1).toBe('"initial-text"'.length);
  });

  it("MISSING_REQUIRED_PROPERTY: TextInput without label", () => {
    const r = run(flow((d) => delete kids0(d)[1].label));
    expectAt(r, "MISSING_REQUIRED_PROPERTY", `${C0}[1].label`, elem(r.src, '"type": "TextInput"'));
  });

  it("INVALID_PROPERTY_TYPE: label is a number", () => {
    const r = run(flow((d) => (kids0(d)[1].label = 5)));
    expectAt(r, "INVALID_PROPERTY_TYPE", `${C0}[1].label`, at(r.src, '"label": 5'));
  });

  it("INVALID_PROPERTY_TYPE: a boolean property given a non-binding string; a data-source given plain text", () => {
    const r = run(flow((d) => (kids0(d)[1].visible = "yes")));
    const p = expectAt(r, "INVALID_PROPERTY_TYPE", `${C0}[1].visible`, at(r.src, '"visible"'));
    expect(p.message).toContain("boolean");
    expect(run(flow((d) => (kids0(d)[1].visible = "${form.email}"))).result.errors).toEqual([]);
    const r2 = run(flow((d) => kids0(d).splice(2, 0, { type: "Dropdown", name: "dd", label: "D", "data-source": "options" })));
    expectAt(r2, "INVALID_PROPERTY_TYPE", `${C0}[2].data-source`, at(r2.src, '"data-source"'));
  });

  it("INVALID_ENUM_VALUE: input-type", () => {
    const r = run(flow((d) => (kids0(d)[1]["input-type"] = "url")));
    expectAt(r, "INVALID_ENUM_VALUE", `${C0}[1].input-type`, at(r.src, '"url"'));
  });

  it("MISSING_REQUIRED_TYPE_PROPERTY", () => {
    const r = run(flow((d) => kids0(d).splice(0, 0, { text: "no type" })));
    expectAt(r, "MISSING_REQUIRED_TYPE_PROPERTY", `${C0}[0]`, elem(r.src, '"text": "no type"'));
  });

  it("INVALID_PROPERTY_VALUE: unknown component type and a component newer than the version", () => {
    const r = run(flow((d) => kids0(d).splice(0, 0, { type: "Carousel", text: "x" }, { type: "constructor" })));
    expectAt(r, "INVALID_PROPERTY_VALUE", `${C0}[0].type`, at(r.src, '"Carousel"'));
    expect(find(r, "INVALID_PROPERTY_VALUE", `${C0}[1].type`).message).toBe('Unknown component type "constructor"');
    const r2 = run(
      flow((d) => {
        d.version = "6.2";
        kids0(d).splice(0, 0, {
          type: "ChipsSelector",
          name: "c",
          label: "C",
          "data-source": [
            { id: "a", title: "A" },
            { id: "b", title: "B" },
          ],
        });
      }),
    );
    expectAt(r2, "INVALID_PROPERTY_VALUE", `${C0}[0].type`, at(r2.src, '"ChipsSelector"'));
  });

  it("CheckboxGroup label: optional before 4.0, required from 4.0", () => {
    const group = { type: "CheckboxGroup", name: "cb", "data-source": [{ id: "a", title: "A" }] };
    const old = run(
      flow((d) => {
        d.version = "3.1";
        const kids = kids0(d).splice(1, 2);
        kids0(d).push({ type: "Form", name: "f", children: [kids[0], { ...group, label: "Pick" }, { ...group, name: "cb2" }, kids[1]] });
      }),
    );
    expect(old.result.errors.map((e) => e.error)).toEqual(["UNSUPPORTED_FLOW_JSON_VERSION"]);
    const r = run(flow((d) => kids0(d).splice(2, 0, group)));
    expectAt(r, "MISSING_REQUIRED_PROPERTY", `${C0}[2].label`, elem(r.src, '"type": "CheckboxGroup"'));
  });

  it("INVALID_PROPERTY: a property newer than the version (pattern before 6.2)", () => {
    const r = run(
      flow((d) => ((d.version = "6.1"), Object.assign(kids0(d)[1], { "input-type": "text", pattern: "^a", "helper-text": "h" }))),
    );
    expectAt(r, "INVALID_PROPERTY", `${C0}[1].pattern`, at(r.src, '"pattern"'));
  });

  it("MIN_CHARS_REQUIRED: empty string from 6.0", () => {
    const r = run(flow((d) => (kids0(d)[1].label = " ")));
    expectAt(r, "MIN_CHARS_REQUIRED", `${C0}[1].label`, at(r.src, '"label": " "'));
    expect(run(flow((d) => ((d.version = "5.1"), (kids0(d)[1].label = " ")))).result.errors).toEqual([]);
  });

  it("MIN_ITEMS_REQUIRED / MAX_ITEMS_REQUIRED: data-source size", () => {
    const r = run(flow((d) => kids0(d).splice(2, 0, { type: "RadioButtonsGroup", name: "r", label: "R", "data-source": [] })));
    expectAt(r, "MIN_ITEMS_REQUIRED", `${C0}[2].data-source`, at(r.src, '"data-source"'));
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), title: "T" + i }));
    const r2 = run(flow((d) => kids0(d).splice(2, 0, { type: "RadioButtonsGroup", name: "r", label: "R", "data-source": many })));
    expectAt(r2, "MAX_ITEMS_REQUIRED", `${C0}[2].data-source`, at(r2.src, '"data-source"'));
  });

  it("MINIMUM_VALUE_REQUIRED / MAXIMUM_VALUE_REQUIRED: PhotoPicker ranges", () => {
    const r = run(
      flow((d) => kids0(d).splice(2, 0, { type: "PhotoPicker", name: "p", label: "P", "max-file-size-kb": 0, "max-uploaded-photos": 31 })),
    );
    expectAt(r, "MINIMUM_VALUE_REQUIRED", `${C0}[2].max-file-size-kb`, at(r.src, '"max-file-size-kb"'));
    expectAt(r, "MAXIMUM_VALUE_REQUIRED", `${C0}[2].max-uploaded-photos`, at(r.src, '"max-uploaded-photos"'));
  });

  it("INVALID_PROPERTY_TYPE: a data-source item title is a number (union branch chosen)", () => {
    const r = run(flow((d) => kids0(d).splice(2, 0, { type: "Dropdown", name: "dd", label: "D", "data-source": [{ id: "a", title: 1 }] })));
    expectAt(r, "INVALID_PROPERTY_TYPE", `${C0}[2].data-source[0].title`, at(r.src, '"title": 1'));
  });
});

describe("components: cross-property rules", () => {
  it("INVALID_DEPENDENCIES: left-caption without right-caption", () => {
    const r = run(flow((d) => (kids1(d)[1]["left-caption"] = "L")));
    expectAt(r, "INVALID_DEPENDENCIES", `${C1}[1].left-caption`, at(r.src, '"left-caption"'));
  });

  it("NOT_KEYWORD_SCHEMA_VALIDATION_FAILED: center-caption with left/right", () => {
    const r = run(flow((d) => Object.assign(kids1(d)[1], { "left-caption": "L", "right-caption": "R", "center-caption": "C" })));
    expectAt(r, "NOT_KEYWORD_SCHEMA_VALIDATION_FAILED", `${C1}[1].center-caption`, at(r.src, '"center-caption"'));
  });

  it("MIN_VALUE_GREATER_THAN_MAX: min-chars > max-chars", () => {
    const r = run(flow((d) => Object.assign(kids0(d)[1], { "min-chars": 10, "max-chars": 5 })));
    expectAt(r, "MIN_VALUE_GREATER_THAN_MAX", `${C0}[1].min-chars`, at(r.src, '"min-chars"'));
  });

  it("INVALID_DEPENDENCIES / INVALID_PROPERTY_VALUE: TextInput pattern needs helper-text and a text-like input-type", () => {
    const r = run(flow((d) => (kids0(d)[1].pattern = "^[a-z]+$")));
    expectAt(r, "INVALID_DEPENDENCIES", `${C0}[1].pattern`, at(r.src, '"pattern"'));
    expectAt(r, "INVALID_PROPERTY_VALUE", `${C0}[1].pattern`, at(r.src, '"pattern"'));
  });

  it("DATA_SOURCE_ITEMS_HAVE_BOTH_IMAGE_AND_COLOR", () => {
    const ds = [
      { id: "a", title: "A", image: "iVBORw0KGgo=" },
      { id: "b", title: "B", color: "#FF0000" },
    ];
    const r = run(flow((d) => kids0(d).splice(2, 0, { type: "CheckboxGroup", name: "cb", label: "C", "data-source": ds })));
    expectAt(r, "DATA_SOURCE_ITEMS_HAVE_BOTH_IMAGE_AND_COLOR", `${C0}[2].data-source[1].color`, at(r.src, '"color"'));
  });

  it("DUPLICATE_FORM_COMPONENT_NAMES: across If branches", () => {
    const r = run(
      flow((d) =>
        kids0(d).splice(2, 0, {
          type: "If",
          condition: "${form.email} != ''",
          then: [{ type: "TextArea", name: "email", label: "Again" }],
          else: [{ type: "TextBody", text: "none" }],
        }),
      ),
    );
    expectAt(r, "DUPLICATE_FORM_COMPONENT_NAMES", `${C0}[2].then[0].name`, at(r.src, '"name": "email"', 1));
  });

  it("COMPONENTS_OUTSIDE_FORM: an input next to a Form", () => {
    const r = run(
      flow((d) => kids0(d).splice(0, 0, { type: "Form", name: "f", children: [{ type: "TextArea", name: "notes", label: "Notes" }] })),
    );
    expectAt(r, "COMPONENTS_OUTSIDE_FORM", `${C0}[2]`, elem(r.src, '"type": "TextInput"'));
  });

  it("KEYWORD_ONE_OF: before 4.0 inputs must be in a Form", () => {
    const r = run(flow((d) => (d.version = "3.1")));
    expectAt(r, "KEYWORD_ONE_OF", `${C0}[1]`, elem(r.src, '"type": "TextInput"'));
  });

  it("INVALID_PROPERTY_VALUE (7.0+): Form init-values of the wrong type or for no input", () => {
    const r = run(
      flow((d) => {
        const input = kids0(d).splice(1, 1)[0];
        const cb = { type: "CheckboxGroup", name: "cb", label: "C", "data-source": [{ id: "a", title: "A" }] };
        kids0(d).splice(1, 0, { type: "Form", name: "f", "init-values": { email: 7, cb: "a", ghost: "x" }, children: [input, cb] });
      }),
    );
    expectAt(r, "INVALID_PROPERTY_VALUE", `${C0}[1].init-values.email`, at(r.src, "7,"));
    expectAt(r, "INVALID_PROPERTY_VALUE", `${C0}[1].init-values.cb`, at(r.src, '"a",'));
    expectAt(r, "INVALID_PROPERTY_VALUE", `${C0}[1].init-values.ghost`, at(r.src, '"ghost"'));
  });

  it("NATIVE_COMPONENT_IN_FORM_INIT_VALUES and INVALID_PROPERTY (init-value inside a Form)", () => {
    const r = run(
      flow((d) => {
        const input = kids0(d).splice(1, 1)[0];
        input["init-value"] = "x@y.z";
        kids0(d).splice(1, 0, {
          type: "Form",
          name: "f",
          "init-values": { pic: "nope" },
          children: [input, { type: "PhotoPicker", name: "pic", label: "Photo" }],
        });
      }),
    );
    expectAt(r, "NATIVE_COMPONENT_IN_FORM_INIT_VALUES", `${C0}[1].init-values.pic`, at(r.src, '"pic": "nope"'));
    expectAt(r, "INVALID_PROPERTY", `${C0}[1].children[0].init-value`, at(r.src, '"init-value"'));
  });

  it("INVALID_PROPERTY_VALUE: RichText text mixing static text and bindings", () => {
    const r = run(flow((d) => d.screens[1].layout.children.splice(0, 1, { type: "RichText", text: ["# Hi", "Dear ${data.email}"] })));
    expectAt(r, "INVALID_PROPERTY_VALUE", `${C1}[0].text[1]`, at(r.src, '"Dear ${data.email}"'));
    expect(run(flow((d) => d.screens[1].layout.children.splice(0, 1, { type: "RichText", text: "${data.email}" }))).result.errors).toEqual(
      [],
    );
  });

  it("MIN_CHARS_REQUIRED: blank TextHeading even before 6.0", () => {
    const r = run(flow((d) => ((d.version = "5.1"), (kids0(d)[0].text = " "))));
    expectAt(r, "MIN_CHARS_REQUIRED", `${C0}[0].text`, at(r.src, '"text": " "'));
  });

  it("INVALID_RICHTEXT_PLACEMENT: RichText with another component (6.3+: only a Footer)", () => {
    const r = run(flow((d) => kids1(d).splice(0, 0, { type: "RichText", text: "# Hi" })));
    expectAt(r, "INVALID_RICHTEXT_PLACEMENT", `${C1}[0]`, elem(r.src, '"type": "RichText"'));
    const ok = run(flow((d) => d.screens[1].layout.children.splice(0, 1, { type: "RichText", text: "# Hi" })));
    expect(ok.result.errors).toEqual([]);
  });

  it("INVALID_COMPONENT_PLACEMENT: NavigationList on a terminal screen; ChipsSelector in If before 7.1", () => {
    const nav = {
      type: "NavigationList",
      name: "nav",
      "list-items": [
        { id: "a", "main-content": { title: "A" }, "on-click-action": { name: "navigate", next: { type: "screen", name: "FIRST" } } },
      ],
    };
    const r = run(flow((d) => (d.screens[1].layout.children = [nav])));
    expectAt(r, "INVALID_COMPONENT_PLACEMENT", `${C1}[0]`, elem(r.src, '"type": "NavigationList"'));
    const chips = {
      type: "ChipsSelector",
      name: "c",
      label: "C",
      "data-source": [
        { id: "a", title: "A" },
        { id: "b", title: "B" },
      ],
    };
    const r2 = run(
      flow((d) => ((d.version = "7.0"), kids0(d).splice(2, 0, { type: "If", condition: "${form.email} != ''", then: [chips] }))),
    );
    expectAt(r2, "INVALID_COMPONENT_PLACEMENT", `${C0}[2].then[0]`, elem(r2.src, '"type": "ChipsSelector"'));
  });

  it("INVALID_DATE_RANGE, INVALID_PROPERTY_VALUE_FORMAT and INVALID_DATE_SINGLE_INIT_VALUE_FORMAT (DatePicker)", () => {
    const r = run(
      flow((d) =>
        kids0(d).splice(2, 0, {
          type: "DatePicker",
          name: "dt",
          label: "When",
          "min-date": "2025-05-01",
          "max-date": "2025-01-01",
          "unavailable-dates": ["1700000000000"],
          "init-value": "tomorrow",
        }),
      ),
    );
    expectAt(r, "INVALID_DATE_RANGE", `${C0}[2].min-date`, at(r.src, '"min-date"'));
    expectAt(r, "INVALID_PROPERTY_VALUE_FORMAT", `${C0}[2].unavailable-dates[0]`, at(r.src, '"1700000000000"'));
    expectAt(r, "INVALID_DATE_SINGLE_INIT_VALUE_FORMAT", `${C0}[2].init-value`, at(r.src, '"tomorrow"'));
  });

  it("CalendarPicker: INVALID_MIN_MAX_DAYS, UNEXPECTED_ / MISSING_CALENDAR_PICKER_RANGE_MODE_PROP", () => {
    const r = run(
      flow((d) =>
        kids0(d).splice(2, 0, { type: "CalendarPicker", name: "cal", label: "Dates", mode: "range", "min-days": 9, "max-days": 3 }),
      ),
    );
    expectAt(r, "INVALID_MIN_MAX_DAYS", `${C0}[2].min-days`, at(r.src, '"min-days"'));
    expectAt(r, "MISSING_CALENDAR_PICKER_RANGE_MODE_PROP", `${C0}[2].label`, at(r.src, '"label": "Dates"'));
    const r2 = run(
      flow((d) => kids0(d).splice(2, 0, { type: "CalendarPicker", name: "cal", label: { "start-date": "From", "end-date": "To" } })),
    );
    expectAt(r2, "UNEXPECTED_CALENDAR_PICKER_RANGE_MODE_PROP", `${C0}[2].label`, at(r2.src, '"label": {'));
  });

  it("INVALID_PROPERTY_VALUE: If condition with literals only", () => {
    const r = run(flow((d) => kids0(d).splice(2, 0, { type: "If", condition: "1 == 1", then: [{ type: "TextBody", text: "t" }] })));
    expectAt(r, "INVALID_PROPERTY_VALUE", `${C0}[2].condition`, at(r.src, '"1 == 1"'));
  });

  it("MIN_ITEMS_REQUIRED: If without then items", () => {
    const r = run(flow((d) => kids0(d).splice(2, 0, { type: "If", condition: "${form.email} != ''", then: [] })));
    expectAt(r, "MIN_ITEMS_REQUIRED", `${C0}[2].then`, at(r.src, '"then"'));
  });

  it("MAXIMUM_IF_NESTING: a fourth nested If", () => {
    const leaf = { type: "TextBody", text: "deep" };
    const nest = (n: number): Doc => (n === 0 ? leaf : { type: "If", condition: "${form.email} != ''", then: [nest(n - 1)] });
    const r = run(flow((d) => kids0(d).splice(2, 0, nest(4))));
    expectAt(r, "MAXIMUM_IF_NESTING", `${C0}[2].then[0].then[0].then[0].type`, at(r.src, '"type": "If"', 3));
    expect(run(flow((d) => kids0(d).splice(2, 0, nest(3)))).result.errors).toEqual([]);
  });

  it("EMPTY_SWITCH_CASES and PATTERN_MISMATCH on a case key", () => {
    const r = run(flow((d) => kids0(d).splice(2, 0, { type: "Switch", value: "${form.email}", cases: {} })));
    expectAt(r, "EMPTY_SWITCH_CASES", `${C0}[2].cases`, at(r.src, '"cases"'));
    const r2 = run(
      flow((d) => kids0(d).splice(2, 0, { type: "Switch", value: "${form.email}", cases: { "1st": [{ type: "TextBody", text: "x" }] } })),
    );
    expectAt(r2, "PATTERN_MISMATCH", `${C0}[2].cases["1st"]`, at(r2.src, '"1st"'));
  });

  it("MISSING_FOOTER_IN_IF_ELSE_BRANCHES", () => {
    const r = run(
      flow((d) => {
        const footer = kids1(d).pop();
        kids1(d).push({ type: "If", condition: "${data.email} != ''", then: [footer], else: [{ type: "TextBody", text: "no" }] });
      }),
    );
    expectAt(r, "MISSING_FOOTER_IN_IF_ELSE_BRANCHES", `${C1}[1].else`, at(r.src, '"else"'));
  });

  it("MISSING_FOOTER_IN_SWITCH_BRANCHES", () => {
    const r = run(
      flow((d) => {
        const footer = kids1(d).pop();
        kids1(d).push({ type: "Switch", value: "${data.email}", cases: { a: [footer], b: [{ type: "TextBody", text: "no" }] } });
      }),
    );
    expectAt(r, "MISSING_FOOTER_IN_SWITCH_BRANCHES", `${C1}[1].cases.b`, at(r.src, '"b"'));
  });
});

describe("components: more rules", () => {
  it("INVALID_PROPERTY_VALUE (builder, 6.0+): a component name that is a binding", () => {
    const r = run(flow((d) => (kids0(d)[1].name = "${data.name}")));
    expectAt(r, "INVALID_PROPERTY_VALUE", `${C0}[1].name`, at(r.src, '"${data.name}"', 1));
  });

  it("INVALID_PROPERTY_VALUE_FORMAT: TextInput pattern that is not a regular expression", () => {
    const r = run(flow((d) => Object.assign(kids0(d)[1], { "input-type": "text", pattern: "([a-z", "helper-text": "letters" })));
    expectAt(r, "INVALID_PROPERTY_VALUE_FORMAT", `${C0}[1].pattern`, at(r.src, '"([a-z"'));
  });

  it("INVALID_PROPERTY_VALUE: NavigationList action on list and items, two badges, end with media-size large", () => {
    const item = (id: string) => ({
      id,
      "main-content": { title: id },
      end: { title: "x" },
      badge: "New",
      "on-click-action": { name: "navigate", next: { type: "screen", name: "LAST" }, payload: { email: "x" } },
    });
    const nav = {
      type: "NavigationList",
      name: "nav",
      "media-size": "large",
      "list-items": [item("a"), item("b")],
      "on-click-action": { name: "data_exchange", payload: {} },
    };
    const r = run(
      flow((d) => ((d.screens[0].layout.children = [nav]), (d.data_api_version = "3.0"), (d.routing_model = { FIRST: ["LAST"] }))),
    );
    expectAt(r, "INVALID_PROPERTY_VALUE", `${C0}[0].on-click-action`, at(r.src, '"on-click-action"', 2));
    expectAt(r, "INVALID_PROPERTY_VALUE", `${C0}[0].list-items[1].badge`, at(r.src, '"badge"', 1));
    expectAt(r, "INVALID_PROPERTY_VALUE", `${C0}[0].list-items[0].end`, at(r.src, '"end"'));
  });

  it("INVALID_PROPERTY_VALUE: an action on both the component and a data-source item; MAX_CHARS_EXCEEDED on an item title", () => {
    const ds = [
      { id: "a", title: "A title much longer than thirty characters", "on-select-action": { name: "update_data", payload: { name: "x" } } },
    ];
    const r = run(
      flow((d) =>
        kids0(d).splice(2, 0, {
          type: "Dropdown",
          name: "dd",
          label: "D",
          "data-source": ds,
          "on-select-action": { name: "update_data", payload: { name: "y" } },
        }),
      ),
    );
    expectAt(r, "INVALID_PROPERTY_VALUE", `${C0}[2].data-source[0].on-select-action`, at(r.src, '"on-select-action"'));
    expectAt(r, "MAX_CHARS_EXCEEDED", `${C0}[2].data-source[0].title`, at(r.src, '"title": "A title'), "warning");
  });
});

describe("per-screen counts (worst path through If/Switch)", () => {
  const footer = () => ({ type: "Footer", label: "Done", "on-click-action": { name: "complete", payload: {} } });

  it("MAX_FOOTER_PER_SCREEN: two Footers", () => {
    const r = run(flow((d) => kids1(d).push(footer())));
    expectAt(r, "MAX_FOOTER_PER_SCREEN", `${C1}[2]`, elem(r.src, '"type": "Footer"', 2));
  });

  it("MORE_THAN_ONE_FOOTER: a Footer plus Footers in both If branches", () => {
    const r = run(flow((d) => kids1(d).push({ type: "If", condition: "${data.email} != ''", then: [footer()], else: [footer()] })));
    expectAt(r, "MORE_THAN_ONE_FOOTER", `${C1}[2].then[0]`, elem(r.src, '"type": "Footer"', 2));
  });

  it("Footers in both If branches count once", () => {
    const r = run(
      flow((d) => {
        kids1(d).pop();
        kids1(d).push({ type: "If", condition: "${data.email} != ''", then: [footer()], else: [footer()] });
      }),
    );
    expect(r.result.errors).toEqual([]);
  });

  it("MAX_EMBEDDED_LINK_PER_SCREEN / MAX_IMAGE_PER_SCREEN / MAX_OPT_IN_PER_SCREEN", () => {
    const link = { type: "EmbeddedLink", text: "Link", "on-click-action": { name: "open_url", url: "https://x.example" } };
    const r = run(flow((d) => kids1(d).splice(0, 0, link, link, link)));
    expectAt(r, "MAX_EMBEDDED_LINK_PER_SCREEN", `${C1}[2]`, elem(r.src, '"type": "EmbeddedLink"', 2));
    const img = { type: "Image", src: "iVBORw0KGgo=" };
    const r2 = run(flow((d) => kids1(d).splice(0, 0, img, img, img, img)));
    expectAt(r2, "MAX_IMAGE_PER_SCREEN", `${C1}[3]`, elem(r2.src, '"type": "Image"', 3));
    const opts = Array.from({ length: 6 }, (_, i) => ({ type: "OptIn", name: "o" + i, label: "Agree" }));
    const r3 = run(flow((d) => kids1(d).splice(0, 0, ...opts)));
    expectAt(r3, "MAX_OPT_IN_PER_SCREEN", `${C1}[5]`, elem(r3.src, '"type": "OptIn"', 5));
  });

  it("COMPONENT_TYPE_MAX_NUMBER_PER_SCREEN: two PhotoPickers; PhotoPicker with DocumentPicker", () => {
    const r = run(
      flow((d) => kids0(d).splice(2, 0, { type: "PhotoPicker", name: "p1", label: "P" }, { type: "PhotoPicker", name: "p2", label: "P" })),
    );
    expectAt(r, "COMPONENT_TYPE_MAX_NUMBER_PER_SCREEN", `${C0}[3]`, elem(r.src, '"type": "PhotoPicker"', 1));
    const r2 = run(
      flow((d) =>
        kids0(d).splice(2, 0, { type: "PhotoPicker", name: "p1", label: "P" }, { type: "DocumentPicker", name: "d1", label: "D" }),
      ),
    );
    expectAt(r2, "COMPONENT_TYPE_MAX_NUMBER_PER_SCREEN", `${C0}[3]`, elem(r2.src, '"type": "DocumentPicker"'));
  });

  it("COMPONENT_TYPE_MAX_NUMBER_PER_SCREEN (builder): two Forms from 7.0", () => {
    const r = run(
      flow((d) => {
        const input = kids0(d).splice(1, 1)[0];
        kids0(d).splice(
          1,
          0,
          { type: "Form", name: "f1", children: [input] },
          { type: "Form", name: "f2", children: [{ type: "TextArea", name: "n", label: "N" }] },
        );
      }),
    );
    expectAt(r, "COMPONENT_TYPE_MAX_NUMBER_PER_SCREEN", `${C0}[2]`, elem(r.src, '"type": "Form"', 1));
  });

  it("COMPONENT_TYPE_MAX_NUMBER_PER_SCREEN: a fourth ImageCarousel in the flow", () => {
    const carousel = { type: "ImageCarousel", images: [{ src: "iVBORw0KGgo=", "alt-text": "x" }] };
    const r = run(flow((d) => (kids0(d).splice(0, 0, carousel, carousel), kids1(d).splice(0, 0, carousel, carousel))));
    expectAt(r, "COMPONENT_TYPE_MAX_NUMBER_PER_SCREEN", `${C1}[1]`, elem(r.src, '"type": "ImageCarousel"', 3));
    expect(find(r, "COMPONENT_TYPE_MAX_NUMBER_PER_SCREEN").message).toMatch(/at most 3 ImageCarousel/);
  });

  it("INVALID_COMPONENT_PLACEMENT: a Footer in a nested If", () => {
    const footer = { type: "Footer", label: "Done", "on-click-action": { name: "complete", payload: {} } };
    const inner = { type: "If", condition: "${data.email} != ''", then: [footer], else: [footer] };
    const r = run(
      flow((d) => (kids1(d).pop(), kids1(d).push({ type: "If", condition: "${data.email} != ''", then: [inner], else: [inner] }))),
    );
    expectAt(r, "INVALID_COMPONENT_PLACEMENT", `${C1}[1].then[0].then[0]`, elem(r.src, '"type": "Footer"', 1));
  });

  it("MAX_ITEMS_REQUIRED: a Dropdown with images has at most 100 options", () => {
    const ds = Array.from({ length: 101 }, (_, i) => ({ id: String(i), title: "T", image: "iVBORw0KGgo=" }));
    const r = run(flow((d) => kids0(d).splice(2, 0, { type: "Dropdown", name: "dd", label: "D", "data-source": ds })));
    expectAt(r, "MAX_ITEMS_REQUIRED", `${C0}[2].data-source`, at(r.src, '"data-source"'));
    expect(
      run(flow((d) => kids0(d).splice(2, 0, { type: "Dropdown", name: "dd", label: "D", "data-source": ds.slice(1) }))).result.errors,
    ).toEqual([]);
  });

  it("MAX_ALLOWED_COMPONENTS_PER_SCREEN: 51 on one path, but 2 × 30 in alternative branches is fine", () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => ({ type: "TextBody", text: "t" + i }));
    const r = run(flow((d) => kids1(d).splice(0, 0, ...body(49))));
    expectAt(r, "MAX_ALLOWED_COMPONENTS_PER_SCREEN", `${C1}`, at(r.src, '"children"', 1));
    const ok = run(flow((d) => kids1(d).splice(0, 0, { type: "If", condition: "${data.email} != ''", then: body(30), else: body(30) })));
    expect(ok.result.errors).toEqual([]);
  });
});

describe("actions", () => {
  it("INVALID_NAVIGATE_ACTION_NEXT_SCREEN_NAME: unknown screen, and self-navigation", () => {
    const r = run(flow((d) => (kids0(d)[2]["on-click-action"].next.name = "NOWHERE")));
    expectAt(r, "INVALID_NAVIGATE_ACTION_NEXT_SCREEN_NAME", `${C0}[2].on-click-action.next.name`, at(r.src, '"NOWHERE"'));
    const r2 = run(flow((d) => (kids0(d)[2]["on-click-action"].next.name = "FIRST")));
    expectAt(r2, "INVALID_NAVIGATE_ACTION_NEXT_SCREEN_NAME", `${C0}[2].on-click-action.next.name`, at(r2.src, '"FIRST"', 1));
  });

  it("INVALID_NAVIGATE_ACTION_PAYLOAD: key not in the target's data, and a missing key", () => {
    const r = run(flow((d) => (kids0(d)[2]["on-click-action"].payload.extra = "x")));
    expectAt(r, "INVALID_NAVIGATE_ACTION_PAYLOAD", `${C0}[2].on-click-action.payload.extra`, at(r.src, '"extra"'));
    const r2 = run(flow((d) => (kids0(d)[2]["on-click-action"].payload = {})));
    expectAt(r2, "INVALID_NAVIGATE_ACTION_PAYLOAD", `${C0}[2].on-click-action.payload`, at(r2.src, '"payload"'));
    const r3 = run(flow((d) => (kids0(d)[2]["on-click-action"].payload.email = 42)));
    expectAt(r3, "INVALID_NAVIGATE_ACTION_PAYLOAD", `${C0}[2].on-click-action.payload.email`, at(r3.src, "42"));
  });

  it("INVALID_COMPLETE_ACTION: complete on a non-terminal screen", () => {
    const r = run(flow((d) => (kids0(d)[2]["on-click-action"] = { name: "complete", payload: {} })));
    expectAt(r, "INVALID_COMPLETE_ACTION", `${C0}[2].on-click-action.name`, at(r.src, '"complete"'));
  });

  it("INVALID_ENUM_VALUE: complete on an EmbeddedLink; update_data before 6.0; unknown action", () => {
    const r = run(
      flow((d) => kids1(d).splice(0, 0, { type: "EmbeddedLink", text: "Go", "on-click-action": { name: "complete", payload: {} } })),
    );
    expectAt(r, "INVALID_ENUM_VALUE", `${C1}[0].on-click-action.name`, at(r.src, '"complete"'));
    const ds = [{ id: "a", title: "A" }];
    const r2 = run(
      flow(
        (d) => (
          (d.version = "5.1"),
          kids0(d).splice(2, 0, {
            type: "Dropdown",
            name: "dd",
            label: "D",
            "data-source": ds,
            "on-select-action": { name: "update_data", payload: { name: "x" } },
          })
        ),
      ),
    );
    expectAt(r2, "INVALID_ENUM_VALUE", `${C0}[2].on-select-action.name`, at(r2.src, '"update_data"'));
    const r3 = run(flow((d) => (kids1(d)[1]["on-click-action"].name = "finish")));
    expectAt(r3, "INVALID_ENUM_VALUE", `${C1}[1].on-click-action.name`, at(r3.src, '"finish"'));
  });

  it("MISSING_REQUIRED_PROPERTY: complete without payload; INVALID_PROPERTY: url on complete", () => {
    const r = run(flow((d) => (kids1(d)[1]["on-click-action"] = { name: "complete", url: "https://x.example" })));
    expectAt(r, "MISSING_REQUIRED_PROPERTY", `${C1}[1].on-click-action.payload`, at(r.src, '"on-click-action"', 1));
    expectAt(r, "INVALID_PROPERTY", `${C1}[1].on-click-action.url`, at(r.src, '"url"'));
  });

  it("INVALID_ON_CLICK_ACTION_PAYLOAD: missing form component, Form name, missing data", () => {
    const r = run(flow((d) => (kids1(d)[1]["on-click-action"].payload.who = "${form.nobody}")));
    expectAt(r, "INVALID_ON_CLICK_ACTION_PAYLOAD", `${C1}[1].on-click-action.payload.who`, at(r.src, '"${form.nobody}"'));
    const r2 = run(flow((d) => (kids1(d)[1]["on-click-action"].payload.who = "${data.nothing}")));
    expectAt(r2, "INVALID_ON_CLICK_ACTION_PAYLOAD", `${C1}[1].on-click-action.payload.who`, at(r2.src, '"${data.nothing}"'));
    const r3 = run(
      flow((d) => {
        const input = kids0(d).splice(1, 1)[0];
        kids0(d).splice(1, 0, { type: "Form", name: "details", children: [input] });
        kids0(d)[2]["on-click-action"].payload.email = "${form.details}";
      }),
    );
    const p = expectAt(r3, "INVALID_ON_CLICK_ACTION_PAYLOAD", `${C0}[2].on-click-action.payload.email`, at(r3.src, '"${form.details}"'));
    expect(p.message).toMatch(/refers to the Form itself/);
  });

  it("INVALID_ON_CLICK_ACTION_PAYLOAD: picker in complete with default max-uploaded-photos; picker in navigate", () => {
    const r = run(
      flow((d) => {
        kids1(d).splice(0, 0, { type: "PhotoPicker", name: "pic", label: "Photo" });
        kids1(d)[2]["on-click-action"].payload.pic = "${form.pic}";
      }),
    );
    expectAt(r, "INVALID_ON_CLICK_ACTION_PAYLOAD", `${C1}[2].on-click-action.payload.pic`, at(r.src, '"${form.pic}"'));
    const ok = run(
      flow((d) => {
        kids1(d).splice(0, 0, { type: "PhotoPicker", name: "pic", label: "Photo", "max-uploaded-photos": 1 });
        kids1(d)[2]["on-click-action"].payload.pic = "${form.pic}";
      }),
    );
    expect(ok.result.errors).toEqual([]);
    const nav = run(
      flow((d) => {
        kids0(d).splice(2, 0, { type: "PhotoPicker", name: "pic", label: "Photo", "max-uploaded-photos": 1 });
        d.screens[1].data.pic = { type: "string", __example__: "x" };
        kids0(d)[3]["on-click-action"].payload.pic = "${form.pic}";
        kids1(d)[0].text = "${data.email} ${data.pic}";
      }),
    );
    expectAt(nav, "INVALID_ON_CLICK_ACTION_PAYLOAD", `${C0}[3].on-click-action.payload.pic`, at(nav.src, '"${form.pic}"'));
  });

  it("INVALID_ACTION_PAYLOAD_PROPERTY: update_data key not in the data model", () => {
    const ds = [{ id: "a", title: "A" }];
    const r = run(
      flow((d) =>
        kids0(d).splice(2, 0, {
          type: "Dropdown",
          name: "dd",
          label: "D",
          "data-source": ds,
          "on-select-action": { name: "update_data", payload: { nope: "x" } },
        }),
      ),
    );
    expectAt(r, "INVALID_ACTION_PAYLOAD_PROPERTY", `${C0}[2].on-select-action.payload.nope`, at(r.src, '"nope"'));
  });
});

describe("dynamic references", () => {
  it("INVALID_SCREEN_DYNAMIC_DATA: undeclared ${data.x}", () => {
    const r = run(flow((d) => (kids1(d)[0].text = "${data.missing}")));
    expectAt(r, "INVALID_SCREEN_DYNAMIC_DATA", `${C1}[0].text`, at(r.src, '"${data.missing}"'));
  });

  it("INVALID_SCREEN_DYNAMIC_DATA: data-source bound to a string field", () => {
    const r = run(flow((d) => kids1(d).splice(0, 0, { type: "Dropdown", name: "dd", label: "D", "data-source": "${data.email}" })));
    expectAt(r, "INVALID_SCREEN_DYNAMIC_DATA", `${C1}[0].data-source`, at(r.src, '"${data.email}"'));
  });

  it("INVALID_SCREEN_DYNAMIC_DATA: data-source bound to an array whose items have no id/title", () => {
    const r = run(
      flow((d) => {
        d.screens[1].data.opts = {
          type: "array",
          items: { type: "object", properties: { name: { type: "string" } } },
          __example__: [{ name: "x" }],
        };
        kids1(d).splice(0, 0, { type: "Dropdown", name: "dd", label: "D", "data-source": "${data.opts}" });
      }),
    );
    expectAt(r, "INVALID_SCREEN_DYNAMIC_DATA", `${C1}[0].data-source`, at(r.src, '"${data.opts}"'));
  });

  it("INVALID_SCREEN_DATA: global reference to an unknown screen, to the current screen, to a missing input", () => {
    const r = run(flow((d) => (kids1(d)[0].text = "${screen.NOPE.form.email}")));
    expectAt(r, "INVALID_SCREEN_DATA", `${C1}[0].text`, at(r.src, '"${screen.NOPE.form.email}"'));
    const r2 = run(flow((d) => (kids1(d)[0].text = "${screen.LAST.data.email}")));
    expectAt(r2, "INVALID_SCREEN_DATA", `${C1}[0].text`, at(r2.src, '"${screen.LAST.data.email}"'));
    const r3 = run(flow((d) => (kids1(d)[0].text = "${screen.FIRST.form.phone}")));
    expectAt(r3, "INVALID_SCREEN_DATA", `${C1}[0].text`, at(r3.src, '"${screen.FIRST.form.phone}"'));
    expect(run(flow((d) => (kids1(d)[0].text = "${screen.FIRST.form.email}"))).result.errors).toEqual([]);
  });

  it("INVALID_PROPERTY_VALUE: malformed reference, ${form.x} of no input, global references before 4.0", () => {
    const r = run(flow((d) => (kids1(d)[0].text = "${email}")));
    expectAt(r, "INVALID_PROPERTY_VALUE", `${C1}[0].text`, at(r.src, '"${email}"'));
    const r2 = run(flow((d) => (kids1(d)[0].text = "${form.email}")));
    expectAt(r2, "INVALID_PROPERTY_VALUE", `${C1}[0].text`, at(r2.src, '"${form.email}"', 1));
    const r3 = run(
      flow((d) => {
        d.version = "3.1";
        const kids = kids0(d).splice(1, 2);
        kids0(d).push({ type: "Form", name: "f", children: kids });
        kids1(d)[0].text = "${screen.FIRST.form.email}";
      }),
    );
    expectAt(r3, "INVALID_PROPERTY_VALUE", `${C1}[0].text`, at(r3.src, '"${screen.FIRST.form.email}"'));
  });
});

describe("routing model", () => {
  const endpoint = (rm: Doc) => (d: Doc) => ((d.data_api_version = "3.0"), (d.routing_model = rm));

  it("accepts a matching explicit routing model", () => {
    expect(run(flow(endpoint({ FIRST: ["LAST"], LAST: [] }))).result.errors).toEqual([]);
  });

  it("INVALID_ROUTING_MODEL: invalid screen, missing screen, missing direct route", () => {
    const r = run(flow(endpoint({ FIRST: ["GHOST"] })));
    const p = expectAt(r, "INVALID_ROUTING_MODEL", "routing_model", at(r.src, '"routing_model"'));
    expect(r.result.errors.map((e) => e.message).join("\n")).toMatch(/Invalid screen\(s\) found.*GHOST/);
    expect(r.result.errors.map((e) => e.message).join("\n")).toMatch(/Following screens are missing.*LAST/);
    expect(p.error_type).toBe("FLOW_JSON_ERROR");
    const r2 = run(flow((d) => endpoint({ FIRST: [], LAST: [] })(d)));
    expectAt(r2, "INVALID_ROUTING_MODEL", `${C0}[2].on-click-action.next.name`, at(r2.src, '"name": "LAST"'));
  });

  it("INVALID_ROUTING_MODEL: backward route, loop, self route", () => {
    const r = run(flow(endpoint({ FIRST: ["LAST"], LAST: ["FIRST"] })));
    expect(find(r, "INVALID_ROUTING_MODEL", "routing_model.LAST").message).toMatch(/Backward route/);
    const d3 = flow((d) => {
      d.screens.push({ ...JSON.parse(JSON.stringify(d.screens[1])), id: "THIRD" });
      endpoint({ FIRST: ["LAST"], LAST: ["THIRD"], THIRD: ["FIRST"] })(d);
    });
    const r3 = run(d3);
    expect(find(r3, "INVALID_ROUTING_MODEL", "routing_model.FIRST").message).toMatch(/Loop detected/);
    const r4 = run(flow(endpoint({ FIRST: ["FIRST", "LAST"] })));
    expectAt(r4, "INVALID_ROUTING_MODEL", "routing_model.FIRST", at(r4.src, '"FIRST": ['));
  });

  it("INVALID_ROUTING_MODEL: more than 10 branches", () => {
    const d = baseFlow();
    const ids = Array.from({ length: 11 }, (_, i) => "B" + "X".repeat(i + 1));
    for (const id of ids) d.screens.push({ ...JSON.parse(JSON.stringify(d.screens[1])), id });
    endpoint({ FIRST: ["LAST", ...ids] })(d);
    const r = run(d);
    expect(find(r, "INVALID_ROUTING_MODEL", "routing_model.FIRST").message).toMatch(/12 routes; at most 10/);
  });

  it("INVALID_ROUTING_MODEL via navigate actions: backward route and disconnected screens", () => {
    const r = run(
      flow((d) => {
        kids1(d).splice(0, 0, {
          type: "EmbeddedLink",
          text: "Back",
          "on-click-action": { name: "navigate", next: { type: "screen", name: "FIRST" }, payload: {} },
        });
      }),
    );
    const p = find(r, "INVALID_ROUTING_MODEL");
    expect(p.message).toMatch(/Backward route.*via navigate screen action/);
    const r2 = run(flow((d) => d.screens.push({ ...JSON.parse(JSON.stringify(d.screens[1])), id: "ISLAND" })));
    expectAt(r2, "INVALID_ROUTING_MODEL", "screens", at(r2.src, '"screens"'));
    expect(find(r2, "INVALID_ROUTING_MODEL").message).toMatch(/ISLAND are not connected/);
  });
});

describe("warnings", () => {
  it("MAX_CHARS_EXCEEDED: display limit is a warning", () => {
    const r = run(flow((d) => (kids0(d)[1].label = "A very long label for an email")));
    expect(r.result.errors).toEqual([]);
    expectAt(r, "MAX_CHARS_EXCEEDED", `${C0}[1].label`, at(r.src, '"label": "A very'), "warning");
  });

  it("MAX_IMAGE_SIZE_EXCEEDED: Image over 300 KB; data-source image over 100 KB from 6.0", () => {
    const big = "A".repeat(410 * 1024);
    const r = run(flow((d) => kids1(d).splice(0, 0, { type: "Image", src: big })));
    expect(r.result.errors).toEqual([]);
    expectAt(r, "MAX_IMAGE_SIZE_EXCEEDED", `${C1}[0].src`, at(r.src, '"src"'), "warning");
    const ds = [{ id: "a", title: "A", image: "A".repeat(140 * 1024) }];
    const r2 = run(flow((d) => kids0(d).splice(2, 0, { type: "RadioButtonsGroup", name: "r", label: "R", "data-source": ds })));
    expectAt(r2, "MAX_IMAGE_SIZE_EXCEEDED", `${C0}[2].data-source[0].image`, at(r2.src, '"image"'), "warning");
    expect(
      run(
        flow((d) => ((d.version = "5.1"), kids0(d).splice(2, 0, { type: "RadioButtonsGroup", name: "r", label: "R", "data-source": ds }))),
      ).result.warnings,
    ).toEqual([]);
  });

  it("MAX_CHARS_EXCEEDED: NavigationList item texts", () => {
    const nav = {
      type: "NavigationList",
      name: "nav",
      "list-items": [
        {
          id: "a",
          "main-content": { title: "A", description: "A description that is too long" },
          "on-click-action": { name: "navigate", next: { type: "screen", name: "LAST" }, payload: { email: "x" } },
        },
      ],
    };
    const r = run(flow((d) => (d.screens[0].layout.children = [nav])));
    expect(r.result.errors).toEqual([]);
    expectAt(r, "MAX_CHARS_EXCEEDED", `${C0}[0].list-items[0].main-content.description`, at(r.src, '"description"'), "warning");
  });

  it("UNUSED_SCREEN_DATA", () => {
    const r = run(flow((d) => (d.screens[0].data.unused = { type: "string", __example__: "u" })));
    expect(r.result.errors).toEqual([]);
    expectAt(r, "UNUSED_SCREEN_DATA", `${S0}.data.unused`, at(r.src, '"unused"'), "warning");
  });

  it("NON_TERMINAL_LEAF_SCREEN", () => {
    const r = run(
      flow((d) => {
        const leaf = {
          id: "TERMS",
          title: "Terms",
          layout: { type: "SingleColumnLayout", children: [{ type: "TextBody", text: "Terms" }] },
        };
        d.screens.push(leaf);
        kids1(d).splice(0, 0, {
          type: "EmbeddedLink",
          text: "Terms",
          "on-click-action": { name: "navigate", next: { type: "screen", name: "TERMS" }, payload: {} },
        });
      }),
    );
    expect(r.result.errors).toEqual([]);
    expectAt(r, "NON_TERMINAL_LEAF_SCREEN", "screens[2].id", at(r.src, '"id": "TERMS"'), "warning");
  });
});

/** Line/column of `sub` inside the first occurrence of `needle` (both on one line of the source). */
const within = (src: string, needle: string, sub: string, nth = 0) => {
  const p = at(src, needle, nth);
  const i = needle.indexOf(sub);
  if (i < 0) throw new Error(`${sub} not in ${needle}`);
  return { line: p.line, column: p.column + i };
};
/** A number field `n` on LAST (sent by FIRST's navigate payload). */
const withNumber = (d: Doc) => (
  (d.screens[1].data.n = { type: "number", __example__: 2 }),
  (d.screens[0].layout.children[2]["on-click-action"].payload.n = 2)
);

describe("references outside backticks", () => {
  const withItems = (d: Doc) => (
    (d.screens[1].data.items = { type: "array", items: { type: "string" }, __example__: ["a"] }),
    (kids0(d)[2]["on-click-action"].payload.items = ["a"])
  );
  const withAddr = (d: Doc, obj: Doc) => ((d.screens[1].data.addr = obj), (kids0(d)[2]["on-click-action"].payload.addr = { city: "Rome" }));

  it("INVALID_PROPERTY_VALUE + INVALID_SCREEN_DYNAMIC_DATA: operators and an array tail in ${…} (the issue's example)", () => {
    const r = run(flow((d) => (withItems(d), (kids1(d)[1].enabled = "${data.items.length > 0}"))));
    const p = expectAt(r, "INVALID_PROPERTY_VALUE", `${C1}[1].enabled`, at(r.src, '"${data.items.length > 0}"'));
    expect(p.message).toMatch(/cannot hold operators.*backtick/);
    const q = expectAt(r, "INVALID_SCREEN_DYNAMIC_DATA", `${C1}[1].enabled`, at(r.src, '"${data.items.length > 0}"'));
    expect(q.message).toBe("${data.items.length} is invalid as 'items' is defined in an array schema");
  });

  it("INVALID_SCREEN_DYNAMIC_DATA: a tail into an array, a scalar, an undeclared object property; a declared one is fine", () => {
    const obj = { type: "object", properties: { city: { type: "string" } }, __example__: { city: "Rome" } };
    const r = run(
      flow(
        (d) => (
          withItems(d),
          withAddr(d, obj),
          (kids1(d)[0].text = "${data.items.first}"),
          kids1(d).splice(1, 0, { type: "TextBody", text: "${data.addr.zip}" }, { type: "TextBody", text: "${data.email.length}" })
        ),
      ),
    );
    expectAt(r, "INVALID_SCREEN_DYNAMIC_DATA", `${C1}[0].text`, at(r.src, '"${data.items.first}"'));
    expect(find(r, "INVALID_SCREEN_DYNAMIC_DATA", `${C1}[1].text`).message).toMatch(/'zip' is not a property of 'addr'/);
    expect(find(r, "INVALID_SCREEN_DYNAMIC_DATA", `${C1}[2].text`).message).toMatch(/'email' is defined as a string/);
    const ok = run(flow((d) => (withAddr(d, obj), kids1(d).splice(1, 0, { type: "TextBody", text: "${data.addr.city}" }))));
    expect(ok.result.errors).toEqual([]);
  });

  it("INVALID_SCREEN_DYNAMIC_DATA: a boolean property bound to a number field", () => {
    const r = run(flow((d) => (withNumber(d), (kids1(d)[0].visible = "${data.n}"))));
    expect(expectAt(r, "INVALID_SCREEN_DYNAMIC_DATA", `${C1}[0].visible`, at(r.src, '"${data.n}"')).message).toMatch(
      /needs a boolean but \$\{data.n\} is number/,
    );
  });

  it("INVALID_PROPERTY_VALUE: static text mixed with a reference, located at the reference inside the string", () => {
    const r = run(flow((d) => (kids1(d)[0].text = "Dear ${data.email}!")));
    const p = expectAt(r, "INVALID_PROPERTY_VALUE", `${C1}[0].text`, within(r.src, '"Dear ${data.email}!"', "${data.email}"));
    expect(p.message).toContain("`'Dear ' ${data.email} '!'`");
    expect(p.column_end - p.column_start + 1).toBe("${data.email}".length);
    const old = run(flow((d) => ((d.version = "5.1"), (kids1(d)[0].text = "Dear ${data.email}"))));
    expect(find(old, "INVALID_PROPERTY_VALUE", `${C1}[0].text`).message).toMatch(/needs Flow JSON 6\.0/);
  });

  it("a data-source item bound field is checked against its own property, not the data-source", () => {
    const ds = [{ id: "a", title: "${data.email}" }];
    expect(
      run(flow((d) => kids1(d).splice(0, 0, { type: "RadioButtonsGroup", name: "r", label: "R", "data-source": ds }))).result.errors,
    ).toEqual([]);
  });
});

describe("backtick expressions (6.0+)", () => {
  it("accepts concatenation, math, comparisons and escapes", () => {
    const r = run(
      flow((d) => {
        withNumber(d);
        kids1(d)[0].text = "`'It\\'s ' ${data.email} ', twice ' (${data.n} * 2) ' \\` '`";
        kids1(d)[1].enabled = "`(${data.n} % 2 == 0) && !(${data.email} == '')`";
      }),
    );
    expect(r.result.errors).toEqual([]);
  });

  it("INVALID_PROPERTY_VALUE: syntax error at its column inside the string (after a JSON escape)", () => {
    const r = run(flow((d) => (withNumber(d), (kids1(d)[0].text = '`"Total" (${data.n} + )`'))));
    const p = expectAt(r, "INVALID_PROPERTY_VALUE", `${C1}[0].text`, within(r.src, "+ )", ")"));
    expect(p.message).toBe("Invalid expression: Missing operand before ')'");
    const r2 = run(flow((d) => (kids1(d)[0].text = "`'open ${data.email}`")));
    expect(find(r2, "INVALID_PROPERTY_VALUE", `${C1}[0].text`).message).toMatch(/Unterminated string literal/);
    const r3 = run(flow((d) => (kids1(d)[0].text = "`${data.email} = 'x'`")));
    expect(find(r3, "INVALID_PROPERTY_VALUE", `${C1}[0].text`).message).toMatch(/compare with '=='/);
  });

  it("INVALID_PROPERTY_VALUE: operand types (number == string, string * number), at the offending part", () => {
    const r = run(flow((d) => (withNumber(d), (kids1(d)[1].enabled = "`${data.n} == 'two'`"))));
    const p = expectAt(r, "INVALID_PROPERTY_VALUE", `${C1}[1].enabled`, within(r.src, "${data.n} == 'two'", "=="));
    expect(p.message).toMatch(/compares a number .* with a string/);
    const r2 = run(flow((d) => (kids1(d)[0].text = "`'x' (${data.email} * 2)`")));
    const q = expectAt(r2, "INVALID_PROPERTY_VALUE", `${C1}[0].text`, within(r2.src, "(${data.email} * 2)", "${data.email}"));
    expect(q.message).toBe("'*' needs numbers, but ${data.email} is a string");
  });

  it("INVALID_PROPERTY_VALUE: a boolean property given a number expression; a form input's type is used", () => {
    const r = run(flow((d) => (withNumber(d), (kids1(d)[0].visible = "`${data.n} + 1`"))));
    expect(expectAt(r, "INVALID_PROPERTY_VALUE", `${C1}[0].visible`, at(r.src, '"`${data.n} + 1`"')).message).toBe(
      '"visible" needs a boolean, but the expression gives a number',
    );
    const r2 = run(flow((d) => (kids0(d)[0].visible = "`${form.email} > 3`")));
    expect(find(r2, "INVALID_PROPERTY_VALUE", `${C0}[0].visible`).message).toBe("'>' needs a number, but ${form.email} is a string");
    const ok = run(flow((d) => ((kids0(d)[1]["input-type"] = "number"), (kids0(d)[0].visible = "`${form.email} > 3`"))));
    expect(ok.result.errors).toEqual([]);
  });

  it("INVALID_PROPERTY_VALUE: backticks before 6.0; '?:' in no version (data table)", () => {
    const r = run(flow((d) => ((d.version = "5.1"), (kids1(d)[0].text = "`${data.email}`"))));
    expectAt(r, "INVALID_PROPERTY_VALUE", `${C1}[0].text`, at(r.src, '"`${data.email}`"'));
    const r2 = run(flow((d) => (withNumber(d), (kids1(d)[0].text = "`${data.n} > 1 ? 'many' : 'one'`"))));
    const p = expectAt(r2, "INVALID_PROPERTY_VALUE", `${C1}[0].text`, within(r2.src, "1 ? 'many'", "?"));
    expect(p.message).toMatch(/'\?:' is not supported/);
  });

  it("payload expressions are checked from 7.2 (Meta's changelog), references in them always", () => {
    const set = (v: string) => (d: Doc) => (withNumber(d), (kids1(d)[1]["on-click-action"].payload.total = v));
    const r = run(flow((d) => ((d.version = "7.1"), set("`${data.n} *`")(d))));
    expect(r.result.errors).toEqual([]);
    const r2 = run(flow(set("`${data.n} *`")));
    expect(find(r2, "INVALID_PROPERTY_VALUE", `${C1}[1].on-click-action.payload.total`).message).toMatch(/Missing operand at the end/);
    const r3 = run(flow((d) => ((d.version = "7.1"), set("`${data.ghost} * 2`")(d))));
    expectAt(
      r3,
      "INVALID_ON_CLICK_ACTION_PAYLOAD",
      `${C1}[1].on-click-action.payload.total`,
      within(r3.src, "`${data.ghost} * 2`", "${data.ghost}"),
    );
  });
});

describe("If conditions", () => {
  const cond = (condition: string) => (d: Doc) => kids0(d).splice(2, 0, { type: "If", condition, then: [{ type: "TextBody", text: "t" }] });

  it("INVALID_PROPERTY_VALUE: literals on both sides of one operator, at that operator", () => {
    const r = run(flow(cond("${form.email} != '' && (1 == 1)")));
    expectAt(r, "INVALID_PROPERTY_VALUE", `${C0}[2].condition`, within(r.src, "(1 == 1)", "=="));
  });

  it("INVALID_PROPERTY_VALUE: a dangling operator, an unbalanced parenthesis, a non-boolean single operand", () => {
    const r = run(flow(cond("${form.email} == ")));
    expect(find(r, "INVALID_PROPERTY_VALUE", `${C0}[2].condition`).message).toMatch(/Missing operand at the end/);
    const r2 = run(flow(cond("(${form.email} == 'a'")));
    expectAt(r2, "INVALID_PROPERTY_VALUE", `${C0}[2].condition`, within(r2.src, "(${form.email} == 'a'", "("));
    const r3 = run(flow(cond("${form.email}")));
    expect(find(r3, "INVALID_PROPERTY_VALUE", `${C0}[2].condition`).message).toBe(
      "Expected single operand to be a boolean, but ${form.email} is a string",
    );
  });

  it("math in an If condition needs 6.0", () => {
    const math = (d: Doc) => (kids0(d)[1]["input-type"] = "number");
    expect(run(flow((d) => (math(d), cond("${form.email} + 1 > 2")(d)))).result.errors).toEqual([]);
    const old = run(flow((d) => ((d.version = "5.1"), math(d), cond("${form.email} + 1 > 2")(d))));
    expect(find(old, "INVALID_PROPERTY_VALUE", `${C0}[2].condition`).message).toMatch(/'\+' needs Flow JSON 6\.0/);
  });
});

describe("images", () => {
  it("INVALID_PROPERTY_VALUE_FORMAT: an Image src that is a URL or a data: URI; an ImageCarousel src that is not base64", () => {
    const r = run(
      flow((d) =>
        kids1(d).splice(
          0,
          0,
          { type: "Image", src: "https://example.com/cat.png" },
          { type: "Image", src: "data:image/png;base64,iVBORw0KGgo=" },
        ),
      ),
    );
    expect(expectAt(r, "INVALID_PROPERTY_VALUE_FORMAT", `${C1}[0].src`, at(r.src, '"https://example.com/cat.png"')).message).toMatch(
      /URL is not accepted/,
    );
    expectAt(r, "INVALID_PROPERTY_VALUE_FORMAT", `${C1}[1].src`, at(r.src, '"data:image'));
    const r2 = run(flow((d) => kids1(d).splice(0, 0, { type: "ImageCarousel", images: [{ src: "not base64!", "alt-text": "x" }] })));
    expectAt(r2, "INVALID_PROPERTY_VALUE_FORMAT", `${C1}[0].images[0].src`, at(r2.src, '"not base64!"'));
    expect(
      run(flow((d) => kids1(d).splice(0, 0, { type: "Image", src: "iVBORw0KGgo=" }, { type: "Image", src: "${data.email}" }))).result
        .errors,
    ).toEqual([]);
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

describe("inside unknown components", () => {
  it("reports the unknown type and still checks its references and nested components", () => {
    const r = run(
      flow((d) =>
        kids1(d).splice(
          0,
          0,
          { type: "Carousel", text: "${data.missing}", items: [{ title: "Hi ${data.email}" }] },
          { type: "Section", children: [{ type: "TextBody", text: "${data.nope}" }] },
        ),
      ),
    );
    expectAt(r, "INVALID_PROPERTY_VALUE", `${C1}[0].type`, at(r.src, '"Carousel"'));
    expectAt(r, "INVALID_SCREEN_DYNAMIC_DATA", `${C1}[0].text`, at(r.src, '"${data.missing}"'));
    expect(find(r, "INVALID_PROPERTY_VALUE", `${C1}[0].items[0].title`).message).toMatch(/Static text cannot be mixed/);
    expectAt(r, "INVALID_PROPERTY_VALUE", `${C1}[1].type`, at(r.src, '"Section"'));
    expectAt(r, "INVALID_SCREEN_DYNAMIC_DATA", `${C1}[1].children[0].text`, at(r.src, '"${data.nope}"'));
  });

  it("a ${form.x} to an unknown or too-new component is not reported a second time", () => {
    const r = run(
      flow((d) => {
        d.version = "6.2";
        kids0(d).splice(
          2,
          0,
          {
            type: "ChipsSelector",
            name: "chips",
            label: "C",
            "data-source": [
              { id: "a", title: "A" },
              { id: "b", title: "B" },
            ],
          },
          { type: "Slider", name: "level" },
        );
        kids0(d)[4]["on-click-action"].payload.email = "${form.chips}";
        kids0(d)[0].visible = "${form.level}";
      }),
    );
    expect(r.result.errors.map((e) => e.error).sort()).toEqual(["INVALID_PROPERTY_VALUE", "INVALID_PROPERTY_VALUE"]);
  });
});
