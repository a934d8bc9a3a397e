import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { undiciParts } from "./undici-parts";

describe("undiciParts", () => {
  it("loads undici's own classes and interceptors by path, not copies of them", () => {
    // Required after the parts: the index re-exports the very modules the parts loaded.
    const undici = require("undici") as typeof import("undici");
    const parts = undiciParts();
    expect(parts.Pool).toBe(undici.Pool);
    expect(parts.Agent).toBe(undici.Agent);
    expect(parts.interceptors.responseError).toBe(undici.interceptors.responseError);
    expect(parts.interceptors.retry).toBe(undici.interceptors.retry);
    expect(parts.interceptors.redirect).toBe(undici.interceptors.redirect);
  });

  it("falls back to undici's index when a part is not what it used to be", () => {
    jest.isolateModules(() => {
      // A later undici whose file at that path holds something else: the parts are refused, the index is used.
      jest.doMock("undici/lib/interceptor/redirect", () => ({}));
      const { undiciParts: fresh } = require("./undici-parts") as typeof import("./undici-parts");
      const undici = require("undici") as typeof import("undici");
      const parts = fresh();
      expect(parts.interceptors).toBe(undici.interceptors);
      expect(parts.Pool).toBe(undici.Pool);
    });
    jest.dontMock("undici/lib/interceptor/redirect");
  });

  it("gives a composed pool the request API, as undici's index does", async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(404, { "content-type": "application/json" });
      res.end('{"error":"none"}');
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const parts = undiciParts();
    const pool = new parts.Pool(origin);
    try {
      const d = pool.compose(parts.interceptors.responseError());
      const failure = await d.request({ origin, path: "/x", method: "GET" }).then(
        () => undefined,
        (e: { code?: string; statusCode?: number; body?: unknown }) => e,
      );
      expect(failure).toMatchObject({ code: "UND_ERR_RESPONSE", statusCode: 404, body: { error: "none" } });
    } finally {
      await pool.close();
      await new Promise((r) => server.close(r));
    }
  });
});
