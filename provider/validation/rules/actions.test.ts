/** Actions (rules/actions.ts): allowed actions, navigate targets and payloads, media pickers. */
import { at, expectAt, run, C0, C1, kids0, kids1, flow } from "../test-helpers";

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
