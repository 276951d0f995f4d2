import { describeError, isThrottlingError } from '../kernel/index.ts';
import type { AccountFailure } from './types.ts';

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']);
// Our own errors that mean "AWS kept throttling": IAM adapters translate throttling into IamBusyError.
const THROTTLED = new Set(['AccountThrottledError', 'IamBusyError']);

/** An error and every `cause` beneath it, outermost first (a cycle ends the walk). */
function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current !== undefined && !chain.includes(current); ) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}

const nameOf = (error: unknown) => (error instanceof Error ? error.name : '');

/**
 * Why an account's run failed, from the error it ended with: the member role could not be assumed
 * (`role-missing`), AWS kept throttling (`throttled`), AWS denied a call inside the account
 * (`access-denied`: the member role lacks a permission, or an SCP denies it), or anything else. The
 * message is the outermost error's, which says what was being done. Pure.
 */
export function classifyFailure(error: unknown): AccountFailure {
  const chain = causeChain(error);
  const message = describeError(error);
  if (chain.some((link) => nameOf(link) === 'MemberRoleUnavailableError'))
    return { kind: 'role-missing', message };
  if (chain.some((link) => THROTTLED.has(nameOf(link)) || isThrottlingError(link))) {
    return { kind: 'throttled', message };
  }
  if (chain.some((link) => ACCESS_DENIED.has(nameOf(link)))) return { kind: 'access-denied', message };
  return { kind: 'error', message };
}
