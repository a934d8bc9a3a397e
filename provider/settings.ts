/**
 * Provider-wide settings: where each vendor is reached and with which credential. Read from stack config
 * (`whatsapp-flows:*`, secrets arrive decrypted) by `configure`, with documented environment variables
 * as fallback (see the registry's `settings`). Never resource inputs, never state, never a message: a
 * stack must be able to move between machines, and credentials must never be recorded.
 */
import type { FlowBackend } from "./backends/types";
import type { TemplateBackend } from "./backends/templates/types";
import { accountOf, vendorOf, VENDORS, type AccountRef, type SettingSpec, type VendorEntry } from "./vendors/registry";

export const CONFIG_NAMESPACE = "whatsapp-flows";

/** Stack config values (`whatsapp-flows:<key>` → value) handed to `configure`. */
let config: Record<string, string> = {};

/** Called once per provider process with the whole stack config (namespaced keys). */
export function configureFromStackConfig(get: (key: string) => string | undefined): void {
  const next: Record<string, string> = {};
  const wanted = new Set<string>();
  for (const v of Object.values(VENDORS)) for (const s of Object.values(v.settings)) wanted.add(s.configKey);
  for (const key of wanted) {
    const value = get(`${CONFIG_NAMESPACE}:${key}`);
    if (value !== undefined && value !== "") next[key] = value;
  }
  config = next;
}

/** Tests (and programs embedding the provider) set config values directly: `{ awsEndpoint: url, "360dialogApiKey": … }`. */
export function setSettings(values: Record<string, string | number | undefined>): void {
  config = Object.fromEntries(
    Object.entries(values)
      .filter(([, v]) => v !== undefined && v !== "")
      .map(([k, v]) => [k, String(v)]),
  );
}

/** A setting's value: stack config first, then the environment, then the documented default. */
export function settingValue(spec: SettingSpec): string | undefined {
  if (config[spec.configKey] !== undefined) return config[spec.configKey];
  for (const name of spec.env) if (process.env[name]) return process.env[name];
  return spec.default;
}

/** Where to set a setting, for messages (never its value). */
export function describeSetting(spec: SettingSpec): string {
  const env = spec.env.length ? ` or the environment variable ${spec.env.join(" / ")}` : "";
  return `stack config \`${CONFIG_NAMESPACE}:${spec.configKey}\`${spec.secret ? " (pulumi config set --secret …)" : ""}${env}`;
}

/** Why the vendor cannot be called yet (a required setting is missing), or undefined when it can. */
export function missingSettings(entry: VendorEntry): string | undefined {
  const missing = Object.entries(entry.settings).filter(([role, spec]) => role === "credential" && settingValue(spec) === undefined);
  if (missing.length === 0) return undefined;
  return missing.map(([, spec]) => `${entry.displayName} needs its ${spec.description}: set ${describeSetting(spec)}`).join("; ");
}

export type BackendFactory = (account: AccountRef) => FlowBackend;

let factoryOverride: BackendFactory | undefined;

/** Tests may substitute a backend; production code never calls this. */
export function overrideBackendFactory(factory: BackendFactory | undefined): void {
  factoryOverride = factory;
}

/**
 * What a backend of `account` is made from: the account and its vendor's setting values (stack config, then
 * environment, then default), as one string; undefined while a test substitutes the factory. Two calls with
 * the same key get equal backends (a backend holds nothing but its account and settings), so one may serve
 * both (hooks/context.ts).
 */
export function backendKey(account: AccountRef): string | undefined {
  if (factoryOverride) return undefined;
  const entry = vendorOf(account);
  return JSON.stringify([account.canonical, ...Object.values(entry.settings).map((spec) => settingValue(spec) ?? null)]);
}

/** The backend serving an account reference (as recorded in inputs or state). */
export function backendFor(ref: string | AccountRef): FlowBackend {
  const account = typeof ref === "string" ? accountOf(ref) : ref;
  if (factoryOverride) return factoryOverride(account);
  const entry = vendorOf(account);
  const problem = missingSettings(entry);
  if (problem) throw new Error(problem);
  return entry.createBackend(account, (role) => (entry.settings[role] ? settingValue(entry.settings[role]) : undefined));
}

/** The template backend serving an account reference, with the same settings as its flow backend. */
export function templateBackendFor(ref: string | AccountRef): TemplateBackend {
  const account = typeof ref === "string" ? accountOf(ref) : ref;
  const entry = vendorOf(account);
  const problem = missingSettings(entry);
  if (problem) throw new Error(problem);
  return entry.createTemplateBackend(account, (role) => (entry.settings[role] ? settingValue(entry.settings[role]) : undefined));
}
