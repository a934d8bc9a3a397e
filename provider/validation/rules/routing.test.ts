/** Routing (rules/routing.ts): explicit routing models and routes from navigate actions. */
import { at, baseFlow, expectAt, find, run, type Doc, C0, kids1, flow } from "../test-helpers";

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
