/** Actions: which action each property accepts, version gates, navigate targets and payloads, media pickers in payloads. */
import { PICKER_TYPES, type ComponentType } from "../schemas";
import { fitsType, hasOwn, isDynamic, isObj, type ActionRef, type Obj, type Path, type RuleContext, type ScreenInfo } from "./context";

export type ActionName = "navigate" | "complete" | "data_exchange" | "update_data" | "open_url";

/** First Flow JSON version of the actions added after the base version. */
const ACTION_SINCE: Readonly<Partial<Record<string, string>>> = { update_data: "6.0", open_url: "6.0" };
const KNOWN_ACTIONS: ReadonlySet<string> = new Set<ActionName>(["navigate", "complete", "data_exchange", "update_data", "open_url"]);

/**
 * Actions each component type accepts in its action properties (the visitor map of actions; version gates in
 * ACTION_SINCE). A function when the property matters. `on-unselect-action` and data-source/list items: see
 * `allowedActions`. A type without an entry accepts none.
 */
const COMPONENT_ACTIONS: Readonly<Partial<Record<ComponentType, readonly ActionName[] | ((prop: string) => readonly ActionName[])>>> = {
  Footer: ["navigate", "complete", "data_exchange"],
  EmbeddedLink: ["navigate", "data_exchange", "open_url"],
  OptIn: (prop) => (prop === "on-click-action" ? ["navigate", "data_exchange", "open_url"] : ["update_data"]),
  NavigationList: ["navigate", "data_exchange"],
  DatePicker: ["data_exchange"],
  CalendarPicker: ["data_exchange"],
  CheckboxGroup: ["data_exchange", "update_data"],
  RadioButtonsGroup: ["data_exchange", "update_data"],
  Dropdown: ["data_exchange", "update_data"],
  ChipsSelector: ["data_exchange", "update_data"],
};

/** Which actions an action-holding property accepts (`item`: on a data-source or list item). */
function allowedActions(type: string, prop: string, item: boolean): readonly string[] {
  if (item) return prop === "on-click-action" ? ["navigate", "data_exchange"] : ["update_data"];
  if (prop === "on-unselect-action") return ["update_data"];
  // only known component types hold collected actions
  const entry = COMPONENT_ACTIONS[type as ComponentType];
  return typeof entry === "function" ? entry(prop) : (entry ?? []);
}

const REF_RE = /\$\{([^}]*)\}/g;

export function checkAction(ctx: RuleContext, info: ScreenInfo, ref: ActionRef): void {
  const { a, path, prop, comp, item } = ref;
  const name = a.name;
  if (typeof name !== "string") return; // zod reported it
  const np = path.concat("name");
  if (!KNOWN_ACTIONS.has(name)) {
    ctx.r.add("INVALID_ENUM_VALUE", `Unknown action "${name}"`, np, { value: true });
    return;
  }
  const allowed = allowedActions(comp.type, prop, item);
  const since = ACTION_SINCE[name];
  if (since && !ctx.since(since)) {
    ctx.r.add("INVALID_ENUM_VALUE", `Action "${name}" is only available from Flow JSON ${since}`, np, { value: true });
    return;
  }
  if (name === "complete" && comp.type === "Footer") {
    if (!info.terminal)
      ctx.r.add("INVALID_COMPLETE_ACTION", 'The "complete" action can only be used on a terminal screen', np, { value: true });
  } else if (!allowed.includes(name)) {
    ctx.r.add(
      "INVALID_ENUM_VALUE",
      `Action "${name}" is not allowed in "${prop}" of ${comp.type}${item ? " items" : ""}; allowed: ${allowed.join(", ") || "none"}`,
      np,
      { value: true },
    );
    return;
  }
  if (name !== "navigate" && a.next !== undefined)
    ctx.r.add("INVALID_PROPERTY", `The property "next" cannot be specified on a "${name}" action`, path.concat("next"));
  if (name !== "open_url" && a.url !== undefined)
    ctx.r.add("INVALID_PROPERTY", `The property "url" cannot be specified on a "${name}" action`, path.concat("url"));
  if (name === "open_url") {
    if (a.url === undefined) ctx.r.add("MISSING_REQUIRED_PROPERTY", 'The "open_url" action needs "url"', path.concat("url"));
    if (a.payload !== undefined)
      ctx.r.add("INVALID_PROPERTY", 'The property "payload" cannot be specified on an "open_url" action', path.concat("payload"));
    return;
  }
  if ((name === "complete" || name === "data_exchange" || name === "update_data") && a.payload === undefined)
    ctx.r.add("MISSING_REQUIRED_PROPERTY", `The "${name}" action needs "payload"`, path.concat("payload"));
  const payload = isObj(a.payload) ? a.payload : undefined;
  if (name === "navigate") checkNavigate(ctx, info, ref, payload);
  if (name === "update_data" && payload) {
    for (const k of Object.keys(payload))
      if (!isObj(info.data?.[k]))
        ctx.r.add(
          "INVALID_ACTION_PAYLOAD_PROPERTY",
          `update_data payload property "${k}" is not in the data model of screen "${info.id}"`,
          path.concat("payload", k),
        );
  }
  if (payload) checkPickerPayload(ctx, info, name, payload, path.concat("payload"));
}

function checkNavigate(ctx: RuleContext, info: ScreenInfo, ref: ActionRef, payload: Obj | undefined): void {
  const { a, path } = ref;
  if (!isObj(a.next)) {
    if (a.next === undefined) ctx.r.add("MISSING_REQUIRED_PROPERTY", 'The "navigate" action needs "next"', path.concat("next"));
    return;
  }
  const target = typeof a.next.name === "string" ? a.next.name : undefined;
  if (target === undefined || a.next.type !== "screen") return;
  const np = path.concat("next", "name");
  const t = ctx.byId.get(target);
  if (!t) {
    ctx.r.add("INVALID_NAVIGATE_ACTION_NEXT_SCREEN_NAME", `Unknown screen ids: ${target}`, np, { value: true });
    return;
  }
  if (t === info) {
    ctx.r.add("INVALID_NAVIGATE_ACTION_NEXT_SCREEN_NAME", `Screen "${target}" cannot navigate to itself`, np, { value: true });
    return;
  }
  // payload keys must equal the target's data keys (when navigating, the target's data comes from the payload)
  if (ctx.hasDataApi && !payload) return;
  const sent = payload ? Object.keys(payload) : [];
  const model = t.data ?? {};
  const expected = Object.keys(model);
  const pp = path.concat("payload");
  for (const k of sent) {
    if (!hasOwn(model, k))
      ctx.r.add("INVALID_NAVIGATE_ACTION_PAYLOAD", `Payload property "${k}" is not in the data model of screen "${target}"`, pp.concat(k));
    else {
      const v = payload![k];
      const ft = isObj(model[k]) ? (model[k] as Obj).type : undefined;
      if (typeof ft === "string" && !(typeof v === "string" && isDynamic(v)) && !fitsType(v, ft))
        ctx.r.add("INVALID_NAVIGATE_ACTION_PAYLOAD", `Payload property "${k}" must be of type ${ft} for screen "${target}"`, pp.concat(k), {
          value: true,
        });
    }
  }
  const missing = expected.filter((k) => !payload || !hasOwn(payload, k));
  if (missing.length && !ctx.hasDataApi)
    ctx.r.add(
      "INVALID_NAVIGATE_ACTION_PAYLOAD",
      `Payload is missing ${missing.map((m) => `"${m}"`).join(", ")} declared in the data of screen "${target}"`,
      payload ? pp : path.concat("next"),
    );
}

function checkPickerPayload(ctx: RuleContext, info: ScreenInfo, action: string, payload: Obj, path: Path): void {
  const pickers: string[] = [];
  const visit = (v: unknown, p: Path, top: boolean) => {
    if (typeof v === "string") {
      REF_RE.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = REF_RE.exec(v))) {
        const parts = m[1].trim().split(".");
        const local = parts[0] === "form" ? info.inputs.get(parts[1]) : undefined;
        const global = parts[0] === "screen" && parts[2] === "form" ? ctx.byId.get(parts[1])?.inputs.get(parts[3]) : undefined;
        const input = local ?? global;
        if (!input || !PICKER_TYPES.has(input.type)) continue;
        if (action === "navigate") {
          ctx.r.add("INVALID_ON_CLICK_ACTION_PAYLOAD", `${input.type} values cannot be sent in a navigate payload`, p, { value: true });
          continue;
        }
        if (!top || v.trim() !== m[0])
          ctx.r.add(
            "INVALID_ON_CLICK_ACTION_PAYLOAD",
            `${input.type} "${input.c.name}" can only be used as a whole top-level payload value`,
            p,
            { value: true },
          );
        pickers.push(String(input.c.name));
        if (action === "complete") {
          const maxProp = input.type === "PhotoPicker" ? "max-uploaded-photos" : "max-uploaded-documents";
          const max = input.c[maxProp];
          if (typeof max !== "number" || max > 1)
            ctx.r.add(
              "INVALID_ON_CLICK_ACTION_PAYLOAD",
              `${input.type} "${input.c.name}" can be sent in a complete payload only with "${maxProp}" set to 1 (default 30)`,
              p,
              { value: true },
            );
        }
      }
    } else if (Array.isArray(v)) v.forEach((x, i) => visit(x, p.concat(i), false));
    else if (isObj(v)) for (const k of Object.keys(v)) visit(v[k], p.concat(k), false);
  };
  for (const k of Object.keys(payload)) visit(payload[k], path.concat(k), true);
  if (pickers.length > 1 && action !== "navigate")
    ctx.r.add("INVALID_ON_CLICK_ACTION_PAYLOAD", "At most one media picker can be used per payload", path);
}
