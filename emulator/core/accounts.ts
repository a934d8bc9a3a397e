/**
 * Neutral accounts: one WhatsApp Business Account carries the identifiers of every vendor, all derived
 * deterministically from its name (so CI configs can hard-code them), each overridable in `WabaInput`.
 * Also the account reference strings the provider's stack config uses, one form per vendor.
 */
import { createHash } from "node:crypto";
import { VENDOR_NAMES, VENDORS } from "../../provider/vendors/registry";
import type { Vendor, WabaInput, WabaRecord } from "./types";

const sha256 = (s: string) => createHash("sha256").update(s).digest();
const hex = (s: string) => sha256(s).toString("hex");
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
function base62(seed: string, n: number): string {
  const b = sha256(seed);
  let out = "";
  for (let i = 0; i < n; i++) out += BASE62[b[i] % 62];
  return out;
}
/** A UUID-shaped (version 4 layout) id from a seed: matches 8x8's accountId pattern. */
function uuidFrom(seed: string): string {
  const h = hex(seed).split("");
  h[12] = "4";
  h[16] = "89ab"[parseInt(h[16], 16) % 4];
  const s = h.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

/** 360dialog partner id shared by the seeded accounts (one partner, several client WABAs). */
export const DEFAULT_360DIALOG_PARTNER_ID = `${base62("whatsapp-flows-emulator/360dialog/partner", 6)}PA`;

/** AWS-shaped identity of an account: linked-WABA id and ARN (data only; the AWS dialect resolves them). */
function awsIdentity(input: WabaInput): { id: string; arn: string } {
  const h = hex(`whatsapp-flows-emulator/${input.name}`).slice(0, 32);
  const id = input.id ?? `waba-${h}`;
  const idHex = id.startsWith("waba-") ? id.slice(5) : h;
  return { id, arn: input.arn ?? `arn:aws:social-messaging:us-east-1:123456789012:waba/${idHex}` };
}

/** Builds a full account record from a partial description, deterministically from `name` and its position. */
export function makeWaba(input: WabaInput, index: number): WabaRecord {
  const { id, arn } = awsIdentity(input);
  const phoneHex = hex(`whatsapp-flows-emulator/phone/${id}`).slice(0, 32);
  const digits = String(100 + index).padStart(4, "0");
  return {
    id,
    name: input.name,
    metaWabaId: input.metaWabaId ?? String(100_000_000_000_001 + index),
    arn,
    dialog360: {
      partnerId: input.dialog360?.partnerId ?? DEFAULT_360DIALOG_PARTNER_ID,
      wabaAccountId: input.dialog360?.wabaAccountId ?? `${base62(`whatsapp-flows-emulator/360dialog/waba/${input.name}`, 6)}WA`,
    },
    eightByEight: {
      accountId: input.eightByEight?.accountId ?? uuidFrom(`whatsapp-flows-emulator/8x8/account/${input.name}`),
      channelId: input.eightByEight?.channelId ?? uuidFrom(`whatsapp-flows-emulator/8x8/channel/${input.name}`),
    },
    linkDate: input.linkDate ?? 1_735_689_600, // 2025-01-01T00:00:00Z
    registrationStatus: input.registrationStatus ?? "COMPLETE",
    currency: input.currency ?? "USD",
    timezoneId: input.timezoneId ?? "1",
    messageTemplateNamespace: hex(`ns/${id}`).slice(0, 8) + "_" + hex(`ns2/${id}`).slice(0, 4),
    phoneNumbers: [
      {
        id: `phone-number-id-${phoneHex}`,
        arn: `arn:aws:social-messaging:us-east-1:123456789012:phone-number-id/${phoneHex}`,
        phoneNumber: `+1555010${digits}`,
        metaPhoneNumberId: String(200_000_000_000_001 + index),
        displayPhoneNumberName: `${input.name} test number`,
        displayPhoneNumber: `+1 555-010-${digits}`,
        qualityRating: "GREEN",
      },
    ],
  };
}

/** A persisted record of an older release (no 360dialog / 8x8 ids) completed with the derived ones. */
export function normalizeWaba(w: WabaRecord, index: number): WabaRecord {
  const derived = makeWaba({ name: w.name, id: w.id, metaWabaId: w.metaWabaId, arn: w.arn }, index);
  return {
    ...derived,
    ...w,
    dialog360: { ...derived.dialog360, ...(w.dialog360 ?? {}) },
    eightByEight: { ...derived.eightByEight, ...(w.eightByEight ?? {}) },
  };
}

/**
 * Each vendor's identifiers of an account, by the names the registry's `formatAccount` reads: one entry
 * per registry name, so a new vendor in the registry is a compile error here until the emulator knows
 * how that vendor addresses an account.
 */
const VENDOR_IDS: { [V in Vendor]: (w: WabaRecord) => Record<string, string> } = {
  aws: (w) => ({ id: w.id }),
  meta: (w) => ({ wabaId: w.metaWabaId }),
  "360dialog": (w) => ({ partnerId: w.dialog360.partnerId, wabaAccountId: w.dialog360.wabaAccountId }),
  "8x8": (w) => ({ accountId: w.eightByEight.accountId, channelId: w.eightByEight.channelId }),
};

/**
 * The account reference string the provider takes in stack config, as the registry formats it
 * (`meta:<WABA id>`, `360dialog:<partner_id>/<waba_account_id>`, `8x8:<accountId>/<channelId>`), except
 * AWS: the plain linked-WABA id `waba-…`, the first release's form, which the registry still accepts.
 */
export function accountRefOf(vendor: Vendor, w: WabaRecord): string {
  return vendor === "aws" ? w.id : VENDORS[vendor].formatAccount(VENDOR_IDS[vendor](w));
}

/** Every string that names this account: its key, any vendor's identifiers, any vendor's account reference. */
export function accountMatches(w: WabaRecord, key: string): boolean {
  if (key === w.id || key === w.arn || key === w.metaWabaId || key === `aws:${w.id}` || key === `aws:${w.arn}`) return true;
  return VENDOR_NAMES.some((v) => v !== "aws" && accountRefOf(v, w) === key);
}
