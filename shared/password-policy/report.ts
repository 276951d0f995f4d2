import type { AuditPublishResult } from '../audit/index.ts';
import type { ChatReport } from '../chat/index.ts';
import type { AccountPasswordPolicy } from '../kernel/index.ts';
import type { SendResult } from '../mail/index.ts';
import type { PasswordPolicy, PolicyChange } from './types.ts';

/**
 * What a run did: `compliant` (nothing weaker than the baseline, no write), `created` (the account had
 * no policy), `updated` (weaker fields tightened), or in a dry run what it would have done.
 */
export type PasswordPolicyOutcome = 'compliant' | 'created' | 'updated' | 'would-create' | 'would-update';

/** The drift report: returned by the handler, logged, published (on change) and mailed. */
export interface PasswordPolicyReport {
  dryRun: boolean;
  /** The AWS account, when the invocation says which. */
  account?: string;
  /** When the policy was read. */
  checkedAt: string;
  outcome: PasswordPolicyOutcome;
  /** The policy found; `null` when the account had none. */
  before: AccountPasswordPolicy | null;
  /** The policy in force after the run; in a dry run, the one the run would have written. */
  after: PasswordPolicy;
  /** Field by field, before -> after; empty when compliant. */
  changes: PolicyChange[];
  audit: AuditPublishResult | { skipped: string };
  mail: SendResult;
  /** The run's chat message, posted on a change (or a dry run's drift) after the mail. */
  chat: ChatReport;
}
