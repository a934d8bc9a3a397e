/**
 * Typed helpers for account references, the one string a stack's config needs to name the vendor and
 * the account (`pulumi config set waba …`). Each returns the string form the resources take, as the
 * registry formats it (provider/vendors/registry.ts):
 *
 *   accounts.aws("waba-0123…")                       → "aws:waba-0123…"
 *   accounts.meta("102290129340398")                 → "meta:102290129340398"
 *   accounts.dialog360("partnerId", "wabaAccountId") → "360dialog:partnerId/wabaAccountId"
 *   accounts.eightByEight("<account uuid>", "<channel id>") → "8x8:<account uuid>/<channel id>"
 */
import { parseAccountRef, VENDORS } from "../provider/vendors/registry";

function checked(ref: string): string {
  const parsed = parseAccountRef(ref);
  if ("error" in parsed) throw new Error(`account reference ${parsed.error}`);
  return ref;
}

export const accounts = {
  /** AWS End User Messaging Social: the linked-WABA id (`waba-…`) or the WABA ARN. */
  aws: (linkedWabaId: string) => checked(VENDORS.aws.formatAccount({ id: linkedWabaId })),
  /** Meta's WhatsApp Cloud API: Meta's numeric WhatsApp Business Account id. */
  meta: (wabaId: string) => checked(VENDORS.meta.formatAccount({ wabaId })),
  /** 360dialog Partner API: your partner id and the client's WABA account id (360dialog ids, not Meta's). */
  dialog360: (partnerId: string, wabaAccountId: string) => checked(VENDORS["360dialog"].formatAccount({ partnerId, wabaAccountId })),
  /** 8x8 Chat Apps: the account id (UUID) and the WhatsApp channel id. */
  eightByEight: (accountId: string, channelId: string) => checked(VENDORS["8x8"].formatAccount({ accountId, channelId })),
  /** Validates a reference read from config, naming the expected formats when it is malformed. */
  parse: (ref: string) => checked(ref),
};
