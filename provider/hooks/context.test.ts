import { resetClaims } from "../lifecycle/claims";
import { overrideBackendFactory, setSettings } from "../settings";
import { connect } from "./context";
import { vendorOf } from "../vendors/registry";

const WABA = "meta:100000000000001";

describe("connect: one wrapped backend per account and settings", () => {
  afterEach(() => {
    overrideBackendFactory(undefined);
    setSettings({});
    resetClaims();
  });

  it("serves every call for the same account and settings with the same backend", () => {
    setSettings({ metaToken: "token-one-1234" });
    const a = connect(WABA).backend;
    expect(connect(WABA, "meta").backend).toBe(a);
    expect(connect("meta:100000000000002").backend).not.toBe(a);
  });

  it("makes a new one when a setting changes, after a process reset, and never while a test substitutes the factory", () => {
    setSettings({ metaToken: "token-one-1234" });
    const a = connect(WABA).backend;
    setSettings({ metaToken: "token-two-5678" });
    const b = connect(WABA).backend;
    expect(b).not.toBe(a);
    resetClaims();
    expect(connect(WABA).backend).not.toBe(b);
    overrideBackendFactory((account) =>
      vendorOf(account).createBackend(account, (role) => (role === "credential" ? "token-test-0000" : undefined)),
    );
    expect(connect(WABA).backend).not.toBe(connect(WABA).backend);
  });
});
