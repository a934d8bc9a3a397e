/** References and expressions (rules/references.ts): ${…} references, backtick expressions, If conditions. */
import { at, expectAt, find, run, type Doc, C0, C1, kids0, kids1, flow } from "../test-helpers";

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
