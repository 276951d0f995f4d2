import { isAddress } from './email-address.ts';

export interface RecipientSettings {
  /** The user tag holding the owner's address (EMAIL_TAG). */
  emailTag: string;
  /** Fallback domain: `<user>@emailDomain` (EMAIL_DOMAIN). */
  emailDomain: string | undefined;
}

export type Recipient = { address: string; source: 'tag' | 'user name' | 'domain' } | { unreachable: string };

/**
 * Where a key owner's notices go: the user's email tag; else the user name when it is an email address;
 * else `<user>@EMAIL_DOMAIN`; else nobody, with the reason (the security team's digest lists them).
 * A tag value that is not a clean address (a line break among them) is never used.
 */
export function ownerRecipient(
  userName: string,
  tags: Record<string, string>,
  settings: RecipientSettings,
): Recipient {
  const tagged = tags[settings.emailTag]?.trim();
  if (tagged !== undefined && tagged !== '') {
    if (isAddress(tagged)) return { address: tagged, source: 'tag' };
    return { unreachable: `its ${settings.emailTag} tag is not a usable email address` };
  }
  if (isAddress(userName)) return { address: userName, source: 'user name' };
  if (settings.emailDomain !== undefined) {
    const address = `${userName}@${settings.emailDomain}`;
    if (isAddress(address)) return { address, source: 'domain' };
    return { unreachable: `${userName}@${settings.emailDomain} is not a usable email address` };
  }
  return {
    unreachable: `no ${settings.emailTag} tag, the user name is not an address, and EMAIL_DOMAIN is not set`,
  };
}
