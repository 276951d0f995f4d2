import { InvalidAddressError } from './errors.ts';

// Deliberately plain: one @, no spaces or control characters, a dot in the domain, and a local part of
// dot-separated atoms (no leading, trailing or doubled dot, which SES refuses). Full RFC 5322 syntax (quoted
// local parts, comments) is refused rather than parsed: it has no business in these mails. A comma is never
// part of an address, so an IAM user name such as `dev,ops` can never become two recipients.
const ADDRESS =
  /^[^\s@<>()[\]\\,;:".]+(?:\.[^\s@<>()[\]\\,;:".]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/**
 * Checks an email address before it goes anywhere near a mail header.
 * @throws {InvalidAddressError} naming what is wrong; CR and LF are always refused.
 */
export function checkAddress(address: string): string {
  if (/[\r\n]/.test(address)) {
    throw new InvalidAddressError(
      `Refused an email address containing a line break: ${JSON.stringify(address)}`,
    );
  }
  if (address.length > 254 || !ADDRESS.test(address)) {
    throw new InvalidAddressError(`Not an email address: ${JSON.stringify(address)}`);
  }
  return address;
}

export function isAddress(address: string): boolean {
  try {
    checkAddress(address);
    return true;
  } catch {
    return false;
  }
}
