/** Screens (rules/screens.ts): screen properties, data models, per-screen counts, and the advice warnings. */
import { at, elem, expectAt, find, run, S0, S1, C0, C1, kids0, kids1, flow } from "../test-helpers";

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
