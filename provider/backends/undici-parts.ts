/**
 * The parts of undici the HTTP transport uses (./http.ts), loaded without undici's index (docs/design.md,
 * "Our own CPU": refresh).
 *
 * `require("undici")` loads all of undici (110 modules: fetch, WebSocket, cookies, caches, mocks, and through
 * the cookies Node.js's own bundled undici too), about 70 ms of CPU in every provider process that makes an
 * HTTP call, where the pool, the agent and three interceptors take 37 modules and about 26 ms. These are the
 * very modules the index re-exports (undici 7 has no `exports` map, so its files may be required by path),
 * plus the one thing the index does besides re-exporting: it puts the request API (`request`, `stream`, …)
 * on `Dispatcher.prototype`, done here the same way when it is not there yet. Should a later undici move
 * those files, the index is loaded instead: slower, never broken (provider/backends/undici-parts.test.ts
 * checks that the parts are the index's own classes).
 */
import type * as Undici from "undici";

export interface UndiciParts {
  Pool: typeof Undici.Pool;
  Agent: typeof Undici.Agent;
  interceptors: Pick<typeof Undici.interceptors, "responseError" | "retry" | "redirect">;
}

let parts: UndiciParts | undefined;

function byPath(): UndiciParts {
  const dispatcher = require("undici/lib/dispatcher/dispatcher") as { prototype: Record<string, unknown> };
  if (typeof dispatcher.prototype.request !== "function") Object.assign(dispatcher.prototype, require("undici/lib/api"));
  const loaded: UndiciParts = {
    Pool: require("undici/lib/dispatcher/pool"),
    Agent: require("undici/lib/dispatcher/agent"),
    interceptors: {
      responseError: require("undici/lib/interceptor/response-error"),
      retry: require("undici/lib/interceptor/retry"),
      redirect: require("undici/lib/interceptor/redirect"),
    },
  };
  const fns = [loaded.Pool, loaded.Agent, ...Object.values(loaded.interceptors), dispatcher.prototype.request];
  if (!fns.every((f) => typeof f === "function")) throw new Error("undici's layout changed");
  return loaded;
}

/** undici's Pool, Agent and the interceptors ./http.ts composes, loaded once per process, as cheaply as undici allows. */
export function undiciParts(): UndiciParts {
  if (parts) return parts;
  try {
    parts = byPath();
  } catch {
    const undici = require("undici") as typeof Undici;
    parts = { Pool: undici.Pool, Agent: undici.Agent, interceptors: undici.interceptors };
  }
  return parts;
}
