/**
 * Flow JSON downloads on every HTTP vendor: redirects are followed (undici's redirect interceptor), the
 * vendor credential goes only to the API's own origin, and a redirect to another origin (a second local
 * server standing in for a CDN) arrives without `Authorization` or `X-API-Key`.
 */
import { Dialog360Backend } from "./dialog360";
import { EightByEightBackend } from "./eightbyeight";
import { closeHttpDispatchers, MAX_DOWNLOAD_REDIRECTS } from "./http";
import { MetaBackend } from "./meta";
import { rejection, startServer, TestServer, type RecordedRequest } from "./test-helpers";
import type { FlowBackend } from "./types";

let api: TestServer;
let cdn: TestServer;
beforeAll(async () => {
  api = await startServer();
  cdn = await startServer();
});
afterAll(async () => {
  await closeHttpDispatchers();
  await api.close();
  await cdn.close();
});

const RAW = '{"version": "7.3",  "screens": []}\n';

interface Case {
  vendor: string;
  secret: string;
  backend: () => FlowBackend;
  /** The vendor's answer that hands out `link` for flow 77. */
  listing: (r: RecordedRequest, link: string) => { status: number; body: unknown } | undefined;
}

/** The credential headers a request carried. */
const sent = (r: RecordedRequest): unknown[] => [r.headers.authorization, r.headers["x-api-key"]];

const CASES: Case[] = [
  {
    vendor: "meta",
    secret: "EAAG-download-canary-Qw3rT7",
    backend: () =>
      new MetaBackend(
        { wabaId: "102290129340398" },
        { baseUrl: api.url, credential: "EAAG-download-canary-Qw3rT7", retryBaseDelayMs: 1, graphVersion: "v23.0" },
      ),
    listing: (r, link) =>
      r.path === "/v23.0/77/assets"
        ? { status: 200, body: { data: [{ name: "flow.json", asset_type: "FLOW_JSON", download_url: link }], paging: {} } }
        : undefined,
  },
  {
    vendor: "360dialog",
    secret: "d360-download-canary-Zx8cV2",
    backend: () =>
      new Dialog360Backend(
        { partnerId: "pa1", wabaAccountId: "wa1" },
        { baseUrl: api.url, credential: "d360-download-canary-Zx8cV2", retryBaseDelayMs: 1 },
      ),
    listing: (r, link) =>
      r.path.endsWith("/flows/77/assets")
        ? { status: 200, body: { assets: [{ name: "flow.json", asset_type: "FLOW_JSON", download_url: link }], count: 1, total: 1 } }
        : undefined,
  },
  {
    vendor: "8x8",
    secret: "8x8-download-canary-Lk9mN4",
    backend: () =>
      new EightByEightBackend(
        { accountId: "3f2504e0-4f89-11d3-9a0c-0305e82c3301", channelId: "ch1" },
        { baseUrl: api.url, credential: "8x8-download-canary-Lk9mN4", retryBaseDelayMs: 1 },
      ),
    listing: (r, link) => (r.path.endsWith("/flows/77") ? { status: 200, body: { flowId: "77", flowJsonUrl: link } } : undefined),
  },
];

describe.each(CASES)("$vendor downloads", (c) => {
  test("follow a 302 to another path of the API's origin (the credential stays on its origin)", async () => {
    api.on(
      (r) =>
        c.listing(r, `${api.url}/dl/77?sig=s1`) ??
        (r.path === "/dl/77" ? { status: 302, headers: { location: "/files/77.json?sig=s1" } } : { status: 200, body: RAW }),
    );
    expect(await c.backend().downloadFlowJson("77")).toBe(RAW);
    expect(api.requests.map((r) => r.url).slice(1)).toEqual(["/dl/77?sig=s1", "/files/77.json?sig=s1"]);
    for (const r of api.requests) expect(sent(r).join(" ")).toContain(c.secret);
  });

  test("a redirect to another origin arrives there without Authorization or X-API-Key; content intact", async () => {
    cdn.on(() => ({ status: 200, body: RAW, headers: { "content-type": "application/octet-stream" } }));
    api.on((r) => c.listing(r, `${api.url}/dl/77`) ?? { status: 307, headers: { location: `${cdn.url}/edge/77.json?oe=9` } });
    expect(await c.backend().downloadFlowJson("77")).toBe(RAW);
    expect(api.requests).toHaveLength(2);
    expect(cdn.requests.map((r) => r.url)).toEqual(["/edge/77.json?oe=9"]);
    expect(sent(cdn.requests[0])).toEqual([undefined, undefined]);
    expect(JSON.stringify(cdn.requests[0].headers)).not.toContain(c.secret);
  });

  test("a link on another origin never gets the credential, through redirects back and forth, and retries there", async () => {
    let n = 0;
    cdn.on((r) =>
      r.path === "/signed/77"
        ? { status: 302, headers: { location: "/edge/77" } }
        : n++ === 0
          ? { status: 503 }
          : { status: 200, body: RAW },
    );
    api.on((r) => c.listing(r, `${cdn.url}/signed/77`) ?? { status: 500 });
    expect(await c.backend().downloadFlowJson("77")).toBe(RAW);
    expect(cdn.requests.map((r) => r.path)).toEqual(["/signed/77", "/edge/77", "/edge/77"]);
    for (const r of cdn.requests) expect(sent(r)).toEqual([undefined, undefined]);
  });

  test("more redirects than MAX_DOWNLOAD_REDIRECTS, or a loop, fail without the (signed) URL and are not a gone flow", async () => {
    cdn.on((r) => ({ status: 302, headers: { location: `/hop/${Number(r.path.split("/")[2] ?? 0) + 1}?sig=SECRET-SIG` } }));
    api.on((r) => c.listing(r, `${cdn.url}/hop/0?sig=SECRET-SIG`) ?? { status: 500 });
    const e = await rejection(c.backend().downloadFlowJson("77"));
    expect(e.kind).toBe("OTHER");
    expect(e.message).toMatch(new RegExp(`HTTP 302 \\(more than ${MAX_DOWNLOAD_REDIRECTS} redirects`));
    expect(e.message).not.toContain("SECRET-SIG");
    expect(cdn.requests).toHaveLength(MAX_DOWNLOAD_REDIRECTS + 1);

    cdn.on(() => ({ status: 302, headers: { location: "/loop?sig=SECRET-SIG" } }));
    api.on((r) => c.listing(r, `${cdn.url}/loop?sig=SECRET-SIG`) ?? { status: 500 });
    const loop = await rejection(c.backend().downloadFlowJson("77"));
    expect(loop.kind).toBe("OTHER");
    expect(loop.message).toMatch(/redirects in a loop/);
    expect(loop.message).not.toContain("SECRET-SIG");
  });
});
