/**
 * Provider-wide settings: where each vendor is reached. Read from stack config (`whatsapp-flows:*`) by
 * `configure`, with the vendors' usual environment variables as fallback. Never resource inputs, never
 * state: a stack must be able to move between machines, and credentials must never be recorded.
 */
import { AwsBackend } from "./backends/aws";
import type { FlowBackend } from "./backends/types";

export const CONFIG_NAMESPACE = "whatsapp-flows";

export interface ProviderSettings {
  awsRegion?: string;
  awsEndpoint?: string;
  maxAttempts?: number;
}

let current: ProviderSettings = {};

/** Called once per provider process with the whole stack config (`key -> value`, namespaced keys). */
export function configureFromStackConfig(get: (key: string) => string | undefined): void {
  const attempts = get(`${CONFIG_NAMESPACE}:maxAttempts`);
  current = {
    awsRegion: get(`${CONFIG_NAMESPACE}:awsRegion`) || undefined,
    awsEndpoint: get(`${CONFIG_NAMESPACE}:awsEndpoint`) || undefined,
    maxAttempts: attempts ? Number(attempts) : undefined,
  };
}

export function setSettings(settings: ProviderSettings): void {
  current = { ...settings };
}

export function getSettings(): ProviderSettings {
  return current;
}

/** Which vendor serves a WABA reference. Today: AWS (`waba-…` ids and WABA ARNs). */
export function vendorForWaba(waba: string): "aws" | undefined {
  if (/^waba-[0-9a-zA-Z]+$/.test(waba) || /^arn:.*:waba\/[0-9a-zA-Z]+$/.test(waba)) return "aws";
  return undefined;
}

export type BackendFactory = (waba: string) => FlowBackend;

let factoryOverride: BackendFactory | undefined;

/** Tests may substitute a backend; production code never calls this. */
export function overrideBackendFactory(factory: BackendFactory | undefined): void {
  factoryOverride = factory;
}

export function backendFor(waba: string): FlowBackend {
  if (factoryOverride) return factoryOverride(waba);
  const vendor = vendorForWaba(waba);
  if (vendor === "aws") {
    return new AwsBackend({ region: current.awsRegion, endpoint: current.awsEndpoint, maxAttempts: current.maxAttempts });
  }
  throw new Error(`no backend serves WABA "${waba}"; expected an AWS linked-WABA id (waba-…) or a WABA ARN`);
}
