/** Document and versions: `version` (frozen, early, per target), `data_api_version`, `data_channel_uri`, screen count. */
import { DATA_API_VERSIONS, versionInfo, versionNumber } from "../versions";
import { hasOwn, MAX_SCREENS, type Obj, type RuleContext } from "./context";

export function checkVersion(ctx: RuleContext, doc: Obj): void {
  const target = ctx.options.target;
  if (!hasOwn(doc, "version")) {
    ctx.r.add("MISSING_FLOW_JSON_VERSION", "Property 'version' is required", ["version"], { category: "schema" });
    return;
  }
  const version = doc.version;
  if (typeof version !== "string" || Number.isNaN(versionNumber(version))) {
    ctx.r.add(
      "INVALID_FLOW_JSON_VERSION",
      `Flow JSON version ${JSON.stringify(version)} is not a "major.minor" version string`,
      ["version"],
      {
        value: true,
        category: "schema",
      },
    );
    return;
  }
  // schemas of versions older than the oldest documented one (2.1) are those of 2.1
  ctx.v = Math.max(versionNumber(version), versionNumber("2.1"));
  ctx.versionText = version;
  const info = versionInfo(version);
  if (info?.status === "frozen" || (!info && ctx.v < versionNumber("5.1"))) {
    const when = info?.frozenOn ? ` since ${info.frozenOn}` : "";
    ctx.r.add(
      "UNSUPPORTED_FLOW_JSON_VERSION",
      `Flow JSON version ${version} is ${info ? `frozen${when}` : "not supported"}: flows on it cannot be created, updated or published`,
      ["version"],
      { value: true, category: "version" },
    );
  } else if (!info || info.status === "early") {
    // AWS accepts exactly the versions marked `aws` in FLOW_JSON_VERSIONS; elsewhere an early/unknown version is advice.
    const aws = target === "aws";
    ctx.r.add(
      "UNAVAILABLE_FLOW_JSON_VERSION",
      info
        ? `Flow JSON version ${version} is an early release not in Meta's public changelog${aws ? " and is not accepted by AWS End User Messaging Social" : ""}`
        : `Flow JSON version ${version} is unknown${aws ? "; AWS End User Messaging Social accepts 5.1, 6.0-6.3 and 7.0-7.3" : " (not released yet?)"}`,
      ["version"],
      { value: true, severity: aws ? "error" : "warning", category: "version" },
    );
  } else if (target === "aws" && !info.aws) {
    ctx.r.add(
      "UNAVAILABLE_FLOW_JSON_VERSION",
      `Flow JSON version ${version} is not accepted by AWS End User Messaging Social`,
      ["version"],
      {
        value: true,
        category: "version",
      },
    );
  }
}

export function checkDocument(ctx: RuleContext, doc: Obj): void {
  const screens = doc.screens;
  if (Array.isArray(screens)) {
    if (screens.length === 0) ctx.r.add("MIN_ITEMS_REQUIRED", "At least one screen is required", ["screens"]);
    if (screens.length > MAX_SCREENS)
      ctx.r.add("MAX_SCREENS_NUMBER", `A flow can have at most ${MAX_SCREENS} screens, found ${screens.length}`, ["screens"]);
  }
  const dav = doc.data_api_version;
  if (typeof dav === "string") {
    ctx.hasDataApi = true;
    const from = hasOwn(DATA_API_VERSIONS, dav) ? DATA_API_VERSIONS[dav] : undefined;
    if (!from)
      ctx.r.add(
        "INVALID_DATA_API_VERSION",
        `Invalid data_api_version "${dav}": expected one of ${Object.keys(DATA_API_VERSIONS).join(", ")}`,
        ["data_api_version"],
        { value: true },
      );
    else if (!ctx.since(from))
      ctx.r.add(
        "NO_SUPPORTED_DATA_API_VERSION",
        `data_api_version "${dav}" requires Flow JSON version ${from} or later`,
        ["data_api_version"],
        { value: true },
      );
    if (!hasOwn(doc, "routing_model"))
      ctx.r.add("MISSING_REQUIRED_PROPERTY", 'Property "routing_model" is required when "data_api_version" is set', ["routing_model"]);
  }
  const uri = doc.data_channel_uri;
  if (typeof uri === "string" && !ctx.since("3.0") && !/^https?:\/\/[^\s/$.?#][^\s]*$/i.test(uri)) {
    ctx.r.add("INVALID_PROPERTY_VALUE_FORMAT", `data_channel_uri "${uri}" is not a valid URI`, ["data_channel_uri"], { value: true });
  }
}
