import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import {
  FINGERPRINT_MAX_BYTES,
  FLOW_FINGERPRINT_FORMAT,
  MAX_COMPONENTS_TRACKED,
  NO_EARLIER_FINGERPRINT,
  ONLY_FORMATTING,
  describeFlowChange,
  fingerprintBudget,
  fingerprintBytes,
  flowFingerprint,
  isFlowFingerprint,
  componentLabel,
  recordedComponents,
  type FlowFingerprint,
} from "./flow-diff";

type AnyObj = Record<string, any>;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

/** A small endpoint-less flow of three screens, edited by `edit`. */
function flow(edit: (d: AnyObj) => void = () => {}): string {
  const d: AnyObj = {
    version: "6.3",
    screens: [
      {
        id: "WELCOME",
        title: "Welcome",
        layout: {
          type: "SingleColumnLayout",
          children: [
            { type: "TextHeading", text: "Hello" },
            { type: "TextBody", text: "Sign up in two steps" },
            {
              type: "Footer",
              label: "Start",
              "on-click-action": { name: "navigate", next: { type: "screen", name: "SIGN_UP" }, payload: {} },
            },
          ],
        },
      },
      {
        id: "SIGN_UP",
        title: "Join our newsletter",
        layout: {
          type: "SingleColumnLayout",
          children: [
            { type: "TextHeading", text: "Get our weekly offers" },
            { type: "TextInput", name: "email", label: "Email", "input-type": "email", required: true },
            { type: "OptIn", name: "consent", label: "I agree", required: true },
            { type: "Footer", label: "Next", "on-click-action": { name: "navigate", next: { type: "screen", name: "DONE" }, payload: {} } },
          ],
        },
      },
      {
        id: "DONE",
        title: "Thanks",
        terminal: true,
        success: true,
        layout: {
          type: "SingleColumnLayout",
          children: [
            { type: "TextBody", text: "See you soon" },
            { type: "Footer", label: "Done", "on-click-action": { name: "complete", payload: {} } },
          ],
        },
      },
    ],
  };
  edit(d);
  return JSON.stringify(d, null, 2);
}
const screen = (d: AnyObj, id: string) => d.screens.find((s: AnyObj) => s.id === id);
const kids = (d: AnyObj, id: string) => screen(d, id).layout.children as AnyObj[];
const change = (edit: (d: AnyObj) => void, base: (d: AnyObj) => void = () => {}) =>
  describeFlowChange(
    flowFingerprint(flow(base)),
    flow((d) => (base(d), edit(d))),
  );

/** Every value reachable from `v`, to prove the fingerprint is plain JSON. */
function walk(v: unknown, visit: (x: unknown, path: string) => void, path = "$"): void {
  visit(v, path);
  if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, visit, `${path}.${k}`);
}
function expectPlainJson(fp: FlowFingerprint) {
  const bad: string[] = [];
  walk(fp, (x, p) => {
    if (x === undefined || typeof x === "function" || (typeof x === "number" && !Number.isFinite(x))) bad.push(p);
    if (x && typeof x === "object" && !Array.isArray(x) && Object.getPrototypeOf(x) !== Object.prototype) bad.push(`${p} (prototype)`);
  });
  expect(bad).toEqual([]);
  expect(JSON.parse(JSON.stringify(fp))).toEqual(fp);
  expect(isFlowFingerprint(JSON.parse(JSON.stringify(fp)))).toBe(true);
}

/** `screens` screens of `perScreen` components each (Meta allows 100 × 50; this goes beyond). */
function bigFlow(screens: number, perScreen: number, edit: (d: AnyObj) => void = () => {}): string {
  const ids = Array.from(
    { length: screens },
    (_, i) => `SCREEN_${String.fromCharCode(65 + (i % 26))}_${"X".repeat(1 + Math.floor(i / 26))}`,
  );
  const d: AnyObj = {
    version: "7.3",
    data_api_version: "3.0",
    routing_model: Object.fromEntries(ids.map((id, i) => [id, i + 1 < ids.length ? [ids[i + 1]] : []])),
    screens: ids.map((id, i) => ({
      id,
      title: `Step ${i}`,
      ...(i === ids.length - 1 ? { terminal: true } : {}),
      data: { greeting: { type: "string", __example__: "hi" } },
      layout: {
        type: "SingleColumnLayout",
        children: Array.from({ length: perScreen }, (_, j) =>
          j % 2 === 0
            ? { type: "TextInput", name: `field_${j}`, label: `Field ${j}`, "helper-text": `Please fill in field ${j} of step ${i}` }
            : { type: "TextBody", text: `Some explanation for field ${j - 1} on screen ${i}, long enough to look real.` },
        ),
      },
    })),
  };
  edit(d);
  return JSON.stringify(d, null, 2);
}

describe("flowFingerprint", () => {
  it("records version, data_api_version, routing and per-screen hashes of properties and components", () => {
    const fp = flowFingerprint(flow());
    expect(fp).toMatchObject({
      format: FLOW_FINGERPRINT_FORMAT,
      kind: "flow",
      version: "6.3",
      dataApiVersion: null,
      routing: null,
      screenCount: 3,
    });
    expect(fp.screens!.map((s) => s.id)).toEqual(["WELCOME", "SIGN_UP", "DONE"]);
    const signUp = fp.screens![1];
    expect(Object.keys(signUp.p!).sort()).toEqual(["layout", "title"]);
    expect(signUp.c).toMatch(/^TH0.{4}\|TI:email.{4}\|OI:consent.{4}\|FT0.{4}$/);
    expect(recordedComponents(signUp)!.map((c) => c.label)).toEqual([
      "TextHeading[0]",
      'TextInput "email"',
      'OptIn "consent"',
      "Footer[0]",
    ]);
    expect(signUp).not.toHaveProperty("r");
    expectPlainJson(fp);
  });

  it("is the same whatever the indentation and key order", () => {
    const reordered = (text: string) => {
      const sortDesc = (v: any): any =>
        Array.isArray(v)
          ? v.map(sortDesc)
          : v && typeof v === "object"
            ? Object.fromEntries(
                Object.keys(v)
                  .sort()
                  .reverse()
                  .map((k) => [k, sortDesc(v[k])]),
              )
            : v;
      return JSON.stringify(sortDesc(JSON.parse(text)));
    };
    const text = flow();
    expect(reordered(text)).not.toEqual(JSON.stringify(JSON.parse(text)));
    const a = flowFingerprint(text);
    const b = flowFingerprint(reordered(text));
    expect({ ...b, size: a.size }).toEqual(a);
    expect(describeFlowChange(a, reordered(text))).toEqual([ONLY_FORMATTING]);
  });

  it("never throws: text that does not parse gives an unparsable fingerprint", () => {
    for (const text of ["", "{", '{"version": "7.0",}', "nul", "\u0000"]) {
      const fp = flowFingerprint(text);
      expect(fp).toMatchObject({ kind: "unparsable", screens: null, screenCount: 0, version: null });
      expectPlainJson(fp);
    }
    expect(flowFingerprint("{").h).not.toEqual(flowFingerprint("{{").h);
  });

  it("JSON that is not a flow gives kind other", () => {
    for (const text of ["[]", "42", '"x"', "null", '{"version":"7.0"}', '{"screens":{}}']) {
      const fp = flowFingerprint(text);
      expect(fp.kind).toBe("other");
      expectPlainJson(fp);
    }
  });

  it("does not throw on nesting too deep to serialise", () => {
    const deep = `{"version":"7.0","screens":[{"id":"A","data":${"[".repeat(100_000)}${"]".repeat(100_000)}}]}`;
    expect(() => flowFingerprint(deep)).not.toThrow();
    expectPlainJson(flowFingerprint(deep));
  });

  it("gives unique keys to repeated screen ids and component names, and survives odd shapes", () => {
    const text = flow((d) => {
      d.screens.push(clone(d.screens[0]), { title: "no id", layout: "oops" }, 17);
      kids(d, "SIGN_UP").push({ type: "TextInput", name: "email", label: "again" }, { name: "typeless" });
    });
    const fp = flowFingerprint(text);
    expect(fp.screens!.map((s) => s.id)).toEqual(["WELCOME", "SIGN_UP", "DONE", "WELCOME#2", "#4", "#5"]);
    expect(recordedComponents(fp.screens![1])!.map((c) => c.key)).toEqual([
      "TH0",
      "TI:email",
      "OI:consent",
      "FT0",
      "TI:email#2",
      "?:typeless",
    ]);
    expectPlainJson(fp);
  });

  it("keeps an own __proto__ property of a screen as a property", () => {
    const text = flow().replace('"title": "Thanks"', '"title": "Thanks", "__proto__": {"a": 1}');
    const fp = flowFingerprint(text);
    expect(Object.keys(fp.screens![2].p!)).toContain("__proto__");
    expectPlainJson(fp);
    expect(describeFlowChange(flowFingerprint(flow()), text)).toEqual(["screens: ~DONE (properties: +__proto__)"]);
  });

  it("keeps no component detail for a screen beyond MAX_COMPONENTS_TRACKED components", () => {
    const text = flow((d) => {
      for (let i = 0; i < MAX_COMPONENTS_TRACKED; i++) kids(d, "WELCOME").push({ type: "TextBody", text: `${i}` });
    });
    const fp = flowFingerprint(text, { budget: Infinity });
    expect(fp.screens![0]).not.toHaveProperty("c");
    expect(fp.screens![0].p).toBeDefined();
    expect(recordedComponents(fp.screens![1])).toHaveLength(4);
  });
});

describe("describeFlowChange", () => {
  it("says only that the JSON changed when there is no earlier fingerprint (older state)", () => {
    for (const before of [undefined, null, {}, { format: 99, kind: "flow" }, "abc", { ...flowFingerprint(flow()), screens: [{ id: 1 }] }]) {
      expect(describeFlowChange(before as any, flow())).toEqual([NO_EARLIER_FINGERPRINT]);
    }
  });

  it("reports a re-formatted file (the change hash.ts sees in key order) as no change in content", () => {
    const v1 = readFileSync(path.join(__dirname, "../../tests/e2e/fixtures/signup-v1.json"), "utf8");
    expect(describeFlowChange(flowFingerprint(v1), JSON.stringify(JSON.parse(v1), null, 8))).toEqual([ONLY_FORMATTING]);
  });

  it("names a changed component of the e2e fixtures (signup v1 → v2)", () => {
    const v1 = readFileSync(path.join(__dirname, "../../tests/e2e/fixtures/signup-v1.json"), "utf8");
    const v2 = readFileSync(path.join(__dirname, "../../tests/e2e/fixtures/signup-v2.json"), "utf8");
    expect(describeFlowChange(flowFingerprint(v1), v2)).toEqual(["screens: ~SIGN_UP (components: ~TextHeading[0])"]);
  });

  it("lists added, removed and changed screens on one line when one screen changed", () => {
    const lines = change((d) => {
      d.screens.splice(0, 1); // -WELCOME
      d.screens.push({ id: "THANK_YOU", title: "Thank you", terminal: true, layout: { type: "SingleColumnLayout", children: [] } });
      kids(d, "SIGN_UP")[0].text = "Get our daily offers";
      kids(d, "SIGN_UP").splice(2, 0, { type: "TextInput", name: "phone", label: "Phone", "input-type": "phone" });
      screen(d, "SIGN_UP").title = "Join us";
    });
    expect(lines).toEqual([`screens: +THANK_YOU, -WELCOME, ~SIGN_UP (components: ~TextHeading[0], +TextInput "phone"; properties: title)`]);
    expect(change((d) => d.screens.reverse())).toEqual(["screen order changed (first screen now DONE)"]);
  });

  it("gives each changed screen its own line when several changed", () => {
    const lines = change((d) => {
      kids(d, "WELCOME").splice(1, 1); // -TextBody[0]
      screen(d, "DONE").sensitive = ["x"];
      delete screen(d, "DONE").success;
      kids(d, "DONE")[1].label = "Finish";
    });
    expect(lines).toEqual([
      "screens: ~WELCOME, ~DONE",
      "  ~WELCOME (components: -TextBody[0])",
      "  ~DONE (components: ~Footer[0]; properties: +sensitive, -success)",
    ]);
  });

  it("does not shift the index of unnamed components when another type is inserted", () => {
    const lines = change((d) => kids(d, "SIGN_UP").unshift({ type: "Image", src: "AAAA" }));
    expect(lines).toEqual(["screens: ~SIGN_UP (components: +Image[0])"]);
  });

  it("reports components that only moved as reordered", () => {
    const lines = change((d) => kids(d, "SIGN_UP").reverse());
    expect(lines).toEqual(["screens: ~SIGN_UP (components: reordered)"]);
  });

  it("reports a change of the layout's own keys as the property layout", () => {
    expect(change((d) => (screen(d, "DONE").layout.type = "OtherLayout"))).toEqual(["screens: ~DONE (properties: layout)"]);
  });

  it("looks inside a Form: names the child that changed, and a component that moved into the Form", () => {
    const inForm = (d: AnyObj) => {
      const [heading, ...rest] = kids(d, "SIGN_UP");
      screen(d, "SIGN_UP").layout.children = [heading, { type: "Form", name: "form", children: rest }];
    };
    expect(change((d) => (kids(d, "SIGN_UP")[1].children[0].label = "E-mail"), inForm)).toEqual([
      'screens: ~SIGN_UP (components: ~TextInput "email")',
    ]);
    expect(change((d) => (kids(d, "SIGN_UP")[1]["init-values"] = { email: "a@b.c" }), inForm)).toEqual([
      'screens: ~SIGN_UP (components: ~Form "form")',
    ]);
    expect(
      change((d) => {
        const [heading, form] = kids(d, "SIGN_UP");
        form.children.unshift(heading);
        screen(d, "SIGN_UP").layout.children = [form];
      }, inForm),
    ).toEqual(["screens: ~SIGN_UP (components: ~TextHeading[0])"]);
  });

  it("treats an If as one component", () => {
    const withIf = (d: AnyObj) =>
      kids(d, "DONE").unshift({ type: "If", condition: "${data.ok}", then: [{ type: "TextBody", text: "ok" }] });
    expect(change((d) => (kids(d, "DONE")[0].then[0].text = "fine"), withIf)).toEqual(["screens: ~DONE (components: ~If[0])"]);
  });

  it("reports version and data_api_version changes", () => {
    expect(change((d) => (d.version = "7.0"))).toEqual(["version: 6.3 → 7.0"]);
    expect(
      change((d) => {
        d.data_api_version = "3.0";
        d.routing_model = { WELCOME: ["SIGN_UP"], SIGN_UP: ["DONE"], DONE: [] };
      }),
    ).toEqual(["data_api_version: none → 3.0", "routing_model added"]);
    expect(change((d) => delete d.version)).toEqual(["version: 6.3 → none"]);
    expect(change((d) => (d.version = 7))).toEqual(["version: 6.3 → 7 (number)"]);
  });

  it("names the screens whose routes changed", () => {
    const routed = (d: AnyObj) => {
      d.data_api_version = "3.0";
      d.routing_model = { WELCOME: ["SIGN_UP"], SIGN_UP: ["DONE"], DONE: [] };
    };
    expect(change((d) => (d.routing_model.WELCOME = ["SIGN_UP", "DONE"]), routed)).toEqual(["routing_model changed (routes from WELCOME)"]);
    expect(change((d) => (d.routing_model.NOWHERE = []), routed)).toEqual(["routing_model changed"]);
    expect(change((d) => delete d.routing_model, routed)).toEqual(["routing_model removed"]);
  });

  it("reports other top-level keys", () => {
    expect(change((d) => (d.meta = { lead_gen_ai: true }))).toEqual(["top-level keys: +meta"]);
    expect(
      change(
        (d) => (d.meta.lead_gen_ai = false),
        (d) => (d.meta = { lead_gen_ai: true }),
      ),
    ).toEqual(["top-level keys: ~meta"]);
  });

  it("handles JSON that stops or starts parsing", () => {
    const good = flowFingerprint(flow());
    const bad = flowFingerprint('{"version": "7.0",');
    expect(describeFlowChange(good, '{"version": "7.0",')).toEqual(["the Flow JSON is now not valid JSON"]);
    expect(describeFlowChange(good, "[]")).toEqual(["the Flow JSON is now not a flow (no screens array)"]);
    expect(describeFlowChange(bad, flow())).toEqual(["the Flow JSON was not valid JSON; now 3 screens: WELCOME, SIGN_UP, DONE"]);
    expect(describeFlowChange(bad, '{"version": "7.0",')).toEqual([ONLY_FORMATTING]);
  });

  it("accepts the new side as a fingerprint as well as JSON text", () => {
    const after = flow((d) => (kids(d, "DONE")[0].text = "Bye"));
    expect(describeFlowChange(flowFingerprint(flow()), flowFingerprint(after))).toEqual(describeFlowChange(flowFingerprint(flow()), after));
  });

  it("stays a handful of lines for a huge change", () => {
    const before = flowFingerprint(bigFlow(100, 50));
    const after = bigFlow(100, 50, (d) => {
      d.version = "7.2";
      d.screens.splice(0, 5);
      for (const s of d.screens) {
        s.title += "!";
        for (const c of s.layout.children) c.label = "changed";
        s.layout.children.push({ type: "Footer", label: "go" });
      }
      for (let i = 0; i < 40; i++)
        d.screens.push({ id: `NEW_${"Q".repeat(i + 1)}`, title: "n", layout: { type: "SingleColumnLayout", children: [] } });
      d.routing_model = { A: [] };
    });
    const lines = describeFlowChange(before, after);
    expect(lines.length).toBeLessThanOrEqual(10);
    expect(lines.join("\n").length).toBeLessThan(1500);
    expect(lines).toEqual([
      "version: 7.3 → 7.2",
      "routing_model changed (routes from SCREEN_F_X, SCREEN_G_X, SCREEN_H_X, SCREEN_I_X, SCREEN_J_X, SCREEN_K_X, +89 more)",
      "screens: +NEW_Q, +NEW_QQ and 38 more added; -SCREEN_A_X, -SCREEN_B_X and 3 more removed; ~SCREEN_F_X, ~SCREEN_G_X and 93 more changed",
      '  ~SCREEN_F_X (components: ~TextInput "field_0", ~TextBody[0], ~TextInput "field_2", ~TextBody[1], ~TextInput "field_4", ~TextBody[2], +45 more; properties: title)',
      '  ~SCREEN_G_X (components: ~TextInput "field_0", ~TextBody[0], ~TextInput "field_2", ~TextBody[1], ~TextInput "field_4", ~TextBody[2], +45 more; properties: title)',
      '  ~SCREEN_H_X (components: ~TextInput "field_0", ~TextBody[0], ~TextInput "field_2", ~TextBody[1], ~TextInput "field_4", ~TextBody[2], +45 more; properties: title)',
      '  ~SCREEN_I_X (components: ~TextInput "field_0", ~TextBody[0], ~TextInput "field_2", ~TextBody[1], ~TextInput "field_4", ~TextBody[2], +45 more; properties: title)',
      "  … 91 more changed screens",
    ]);
  });

  it("says so when a changed screen's components were not kept in state (budget)", () => {
    const text = bigFlow(100, 50);
    const fp = flowFingerprint(text);
    const last = fp.screens![99];
    expect(last.c).toBeUndefined();
    const lines = describeFlowChange(
      fp,
      bigFlow(100, 50, (d) => (d.screens[99].layout.children[1].text = "edited")),
    );
    expect(lines).toEqual([`screens: ~${last.id} (components: not recorded in detail for this screen)`]);
  });
});

describe("size bound", () => {
  it.each([
    [10, 10],
    [100, 50],
    [300, 50],
  ])("a generated flow of %i screens × %i components stays within the budget", (screens, perScreen) => {
    const text = bigFlow(screens, perScreen);
    const fp = flowFingerprint(text);
    const size = fingerprintBytes(fp);
    expect(size).toBeLessThanOrEqual(fingerprintBudget(text.length));
    expect(size).toBeLessThanOrEqual(FINGERPRINT_MAX_BYTES);
    expect(fp.screenCount).toBe(screens);
    expectPlainJson(fp);
    // What each kept: a small flow keeps everything; large ones keep every screen and some detail.
    if (screens === 10) expect(fp.screens!.every((s) => s.c && s.p)).toBe(true);
    else expect(fp.screens!.length).toBe(screens);
  });

  it("puts little of a 1 MB flow into state and still names the changed screen", () => {
    const text = bigFlow(100, 50, (d) => {
      for (const s of d.screens) for (const c of s.layout.children) if (c.type === "TextBody") c.text = c.text.repeat(3);
    });
    expect(text.length).toBeGreaterThan(1_000_000);
    const fp = flowFingerprint(text);
    expect(fingerprintBytes(fp)).toBeLessThanOrEqual(fingerprintBudget(text.length));
    expect(fingerprintBytes(fp) / text.length).toBeLessThan(0.05);
    const lines = describeFlowChange(
      fp,
      bigFlow(100, 50, (d) => {
        for (const s of d.screens) for (const c of s.layout.children) if (c.type === "TextBody") c.text = c.text.repeat(3);
        d.screens[99].layout.children[3].text = "edited";
        d.screens[0].layout.children[3].text = "edited";
      }),
    );
    expect(lines).toEqual([
      "screens: ~SCREEN_A_X, ~SCREEN_V_XXXX",
      "  ~SCREEN_A_X (components: ~TextBody[1])",
      "  ~SCREEN_V_XXXX (components: not recorded in detail for this screen)",
    ]);
  });

  it("gives up detail step by step under a tiny budget, and still describes the change", () => {
    const text = flow();
    expect(fingerprintBytes(flowFingerprint(text))).toBeGreaterThan(400);
    const noComponents = flowFingerprint(text, { budget: 400 });
    expect(noComponents.screens!.some((s) => s.c === undefined && s.p)).toBe(true);
    const idsOnly = flowFingerprint(text, { budget: 300 });
    expect(idsOnly.screens!.every((s) => Object.keys(s).join() === "id,h")).toBe(true);
    const none = flowFingerprint(text, { budget: 200 });
    expect(none.screens).toBeNull();
    for (const fp of [noComponents, idsOnly, none]) expectPlainJson(fp);
    expect(
      describeFlowChange(
        idsOnly,
        flow((d) => (kids(d, "DONE")[0].text = "Bye")),
      ),
    ).toEqual(["screens: ~DONE (components: not recorded in detail for this screen)"]);
    expect(
      describeFlowChange(
        none,
        flow((d) => d.screens.pop()),
      ),
    ).toEqual(["screens: 3 → 2 (no per-screen detail recorded earlier)"]);
  });

  // The e2e fixtures and the real-world corpus (provider/validation/fixtures/conformance).
  const corpus = path.resolve(__dirname, "../validation/fixtures/conformance/valid");
  const realFlows = [path.resolve(__dirname, "../../tests/e2e/fixtures"), corpus].flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .map((f) => path.join(dir, f)),
  );
  it.each(realFlows)("keeps %s whole, within budget", (file) => {
    const text = readFileSync(file, "utf8");
    const fp = flowFingerprint(text);
    expect(fp.kind).toBe("flow");
    expect(fingerprintBytes(fp)).toBeLessThanOrEqual(fingerprintBudget(text.length));
    expect(fp.screens!.every((s) => s.c !== undefined && s.p)).toBe(true);
    expectPlainJson(fp);
  });
});

describe("componentLabel", () => {
  it.each([
    ["TI:email", 'TextInput "email"'],
    ["TH0", "TextHeading[0]"],
    ["FO:form", 'Form "form"'],
    ["*Custom*3", "Custom[3]"],
    ["*Custom*:x", 'Custom "x"'],
    ["?1", "(no type)[1]"],
    ["TI:email#2", 'TextInput "email#2"'],
  ])("%s reads %s", (key, label) => expect(componentLabel(key)).toBe(label));
});
