/** Components (rules/components.ts, rules/component-types.ts, rules/schema.ts on components). */
import { at, elem, expectAt, find, run, type Doc, C0, C1, kids0, kids1, flow } from "../test-helpers";

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

describe("components: a type named like an Object.prototype member", () => {
  it.each(["constructor", "toString", "__proto__"])('"type": "%s" with an unknown property is reported, not an internal error', (type) => {
    const r = run(flow((d) => (kids0(d)[1] = { type, label: "x", "made-up": 1 })));
    expect(r.result.errors.map((p) => p.error)).not.toContain("INTERNAL_VALIDATOR_ERROR");
    expect(r.result.errors.length).toBeGreaterThan(0);
  });

  it('a document whose root has "type": "constructor" and an unknown key is reported, not an internal error', () => {
    const r = run(JSON.stringify({ version: "7.1", type: "constructor", extra: 1, screens: [] }));
    expect(r.result.errors.map((p) => p.error)).not.toContain("INTERNAL_VALIDATOR_ERROR");
    expect(r.result.errors.length).toBeGreaterThan(0);
  });
});
