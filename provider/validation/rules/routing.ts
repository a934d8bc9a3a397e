/** Screens and routing: the routing model (explicit or from navigate actions), loops, entry screen, connectivity. */
import { MAX_BRANCHES, MAX_SCREENS, hasOwn, isObj, type Obj, type Path, type RuleContext } from "./context";

export function checkRouting(ctx: RuleContext, doc: Obj): void {
  const ids = ctx.screens.map((s) => s.id).filter((x): x is string => x !== undefined);
  // far beyond MAX_SCREENS_NUMBER (already reported): skip the graph walk rather than recurse that deep
  if (ids.length === 0 || ids.length > MAX_SCREENS * 10) return;
  const explicit = isObj(doc.routing_model);
  const suffix = explicit ? "" : " via navigate screen action";
  const base: Path = explicit ? ["routing_model"] : ["screens"];
  const edges = new Map<string, string[]>();
  const navEdges: { from: string; to: string; path: Path }[] = [];
  for (const s of ctx.screens) {
    if (s.id === undefined) continue;
    for (const a of s.actions) {
      if (a.a.name !== "navigate" || !isObj(a.a.next) || typeof a.a.next.name !== "string") continue;
      if (ctx.byId.has(a.a.next.name) && a.a.next.name !== s.id)
        navEdges.push({ from: s.id, to: a.a.next.name, path: a.path.concat("next", "name") });
    }
  }
  const ok = (msg: string, path: Path = base) => ctx.r.add("INVALID_ROUTING_MODEL", msg + suffix, path);
  if (explicit) {
    const rm = doc.routing_model as Obj;
    const invalid: string[] = [];
    const mentioned = new Set<string>();
    for (const [from, tos] of Object.entries(rm)) {
      mentioned.add(from);
      if (!ctx.byId.has(from)) invalid.push(from);
      const list = Array.isArray(tos) ? tos.filter((t): t is string => typeof t === "string") : [];
      for (const t of list) {
        mentioned.add(t);
        if (!ctx.byId.has(t)) invalid.push(t);
      }
      edges.set(from, list);
      if (list.length > MAX_BRANCHES)
        ok(`Screen "${from}" has ${list.length} routes; at most ${MAX_BRANCHES} are allowed`, ["routing_model", from]);
      if (list.includes(from)) ok(`Screen "${from}" cannot route to itself`, ["routing_model", from]);
    }
    if (invalid.length) ok(`Invalid screen(s) found in the routing model: ${[...new Set(invalid)].join(", ")}`);
    const missing = ids.filter((id) => !mentioned.has(id));
    if (missing.length && ids.length > 1) ok(`Following screens are missing in the routing model: ${missing.join(", ")}`);
    for (const e of navEdges) {
      if (!(edges.get(e.from) ?? []).includes(e.to))
        ok(`Missing direct route from screen "${e.from}" to screen "${e.to}" in the routing model`, e.path);
    }
  } else {
    for (const e of navEdges) {
      const list = edges.get(e.from) ?? [];
      if (!list.includes(e.to)) list.push(e.to);
      edges.set(e.from, list);
    }
    for (const [from, list] of edges)
      if (list.length > MAX_BRANCHES)
        ok(`Screen "${from}" has ${list.length} routes; at most ${MAX_BRANCHES} are allowed`, ctx.byId.get(from)!.path);
  }
  // graph checks over real screens
  const real = (x: string) => ctx.byId.has(x);
  const adj = new Map<string, string[]>();
  for (const id of ids) adj.set(id, []);
  for (const [from, list] of edges) if (real(from)) adj.set(from, [...new Set(list.filter((t) => real(t) && t !== from))]);
  let cyclic = false;
  for (const [from, list] of adj) {
    for (const to of list) {
      if ((adj.get(to) ?? []).includes(from) && from < to) {
        cyclic = true;
        ok(
          `Backward route from screen "${to}" to screen "${from}" is not allowed`,
          explicit ? ["routing_model", to] : ctx.byId.get(to)!.path,
        );
      }
    }
  }
  if (!cyclic) {
    const cycle = findCycle(adj);
    if (cycle) {
      cyclic = true;
      ok(
        `Loop detected in the routing model: ${cycle.join(" -> ")}`,
        explicit ? ["routing_model", cycle[0]] : ctx.byId.get(cycle[0])!.path,
      );
    }
  }
  const inbound = new Set<string>();
  for (const list of adj.values()) for (const t of list) inbound.add(t);
  const entries = ids.filter((id) => !inbound.has(id));
  if (!cyclic && entries.length === 0) ok("No entry screen found in the routing model");
  if (ids.length > 1) {
    // undirected connectivity
    const und = new Map<string, string[]>();
    for (const id of ids) und.set(id, []);
    for (const [f, list] of adj)
      for (const t of list) {
        und.get(f)!.push(t);
        und.get(t)!.push(f);
      }
    const seen = new Set<string>([ids[0]]);
    const stack = [ids[0]];
    while (stack.length) {
      for (const n of und.get(stack.pop()!) ?? []) {
        if (!seen.has(n)) {
          seen.add(n);
          stack.push(n);
        }
      }
    }
    const lonely = ids.filter((id) => !seen.has(id));
    if (
      lonely.length &&
      (!explicit || lonely.every((l) => hasOwn(doc.routing_model as Obj, l) || [...adj.values()].some((x) => x.includes(l))))
    )
      ok(`Screens ${lonely.join(", ")} are not connected with the rest of the screens`);
  }
  // advice: non-terminal leaves
  for (const s of ctx.screens) {
    if (
      s.id !== undefined &&
      !s.terminal &&
      (adj.get(s.id) ?? []).length === 0 &&
      (ids.length > 1 || true) &&
      !s.actions.some((a) => a.a.name === "data_exchange")
    )
      ctx.r.add("NON_TERMINAL_LEAF_SCREEN", `Screen "${s.id}" is not terminal and has no outgoing route`, s.path.concat("id"), {
        severity: "warning",
      });
  }
}

function findCycle(adj: Map<string, string[]>): string[] | null {
  const state = new Map<string, number>();
  const stack: string[] = [];
  const dfs = (n: string): string[] | null => {
    state.set(n, 1);
    stack.push(n);
    for (const t of adj.get(n) ?? []) {
      const st = state.get(t) ?? 0;
      if (st === 1) return stack.slice(stack.indexOf(t)).concat(t);
      if (st === 0) {
        const r = dfs(t);
        if (r) return r;
      }
    }
    stack.pop();
    state.set(n, 2);
    return null;
  };
  for (const n of adj.keys())
    if (!state.get(n)) {
      const r = dfs(n);
      if (r) return r;
    }
  return null;
}
