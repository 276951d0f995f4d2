import type { SendResult } from './types.ts';

/** `sent`, `FAILED: <error>`, `not sent (<reason>)`: what became of a mail, in a report's words. */
export function describeSendResult(result: SendResult): string {
  if (result.status === 'sent') return 'sent';
  return result.status === 'failed' ? `FAILED: ${result.error}` : `not sent (${result.reason})`;
}

/** What became of a run's mail: each owner's, and the security team's digest. */
export interface Mailing {
  owners: { userName: string; status: string; detail?: string }[];
  /** Why no owner was mailed tonight (a dry run, the guard), if so. */
  ownersNotMailed?: string | undefined;
  digest: SendResult;
}

/** A run's mail for a summary table: how many owners were mailed (or why none), who was not, the digest. */
export function mailingLines(mailing: Mailing): string[] {
  const { owners, ownersNotMailed, digest } = mailing;
  const lines: string[] = [];
  if (ownersNotMailed !== undefined) {
    lines.push(`Owner mail: none sent (${ownersNotMailed}).`);
  } else {
    const sent = owners.filter((owner) => owner.status === 'sent').length;
    lines.push(`Owner mail: ${sent} of ${owners.length} owner(s) mailed.`);
    for (const owner of owners.filter((candidate) => candidate.status !== 'sent')) {
      lines.push(`  ${owner.userName}: ${owner.status}${owner.detail ? `: ${owner.detail}` : ''}`);
    }
  }
  lines.push(`Security team digest: ${describeSendResult(digest)}.`);
  return lines;
}
