import { describe, expect, it } from 'vitest';
import { IamAccountError, IamBusyError } from '../../../shared/kernel/errors.ts';
import type { KeyEnforcementSummary } from '../../../shared/key-enforcement/index.ts';
import {
  type AccountJobs,
  AccountThrottledError,
  type AccountWorkerDependencies,
  enforceAccount,
  MemberRoleUnavailableError,
} from '../../../shared/organization/index.ts';
import type { PasswordPolicyReport } from '../../../shared/password-policy/index.ts';

const ACCOUNT = { accountId: '111111111111', name: 'payments' };
const REQUEST = { night: '2026-11-30', dryRun: false, account: ACCOUNT };

function keySummary(overrides: Partial<KeyEnforcementSummary> = {}): KeyEnforcementSummary {
  return {
    dryRun: false,
    decidedAt: '2026-11-30T03:00:00.000Z',
    reportGeneratedAt: '2026-11-30T03:00:00.000Z',
    usersInReport: 3,
    usersReviewed: 2,
    guard: { tripped: false, keysNeedingAction: 2, keysInAccount: 40 },
    budget: {
      deactivate: { limit: 50, due: 1, tonight: 1, waiting: 0, remaining: 0 },
      delete: { limit: 20, due: 24, tonight: 20, waiting: 4, remaining: 4, clearsOn: '2026-12-01' },
    },
    decisions: { deactivate: 1, delete: 1, warn: 1, exempt: 1, hold: 1, none: 0 },
    counts: {
      deactivated: 1,
      deleted: 1,
      wouldDeactivate: 0,
      wouldDelete: 0,
      warned: 1,
      exempt: 1,
      heldForReview: 1,
      notNeeded: 0,
      failed: 0,
      waiting: 4,
      failures: 0,
    },
    outcomes: { done: 2, skipped: 0, failed: 0, 'dry-run': 0, 'held-by-guard': 0, waiting: 4, reported: 3 },
    keys: [
      {
        userName: 'a',
        accessKeyId: 'AKIA1',
        ageDays: 120,
        decision: 'deactivate',
        reason: 'old',
        outcome: 'done',
      },
      {
        userName: 'b',
        accessKeyId: 'AKIA2',
        ageDays: 200,
        decision: 'delete',
        reason: 'grace over',
        outcome: 'done',
      },
    ],
    recordChanges: [],
    findings: [{ severity: 'critical', subject: '<root_account>', message: 'root key' }],
    failures: [],
    notifications: {
      owners: [
        { userName: 'a', status: 'sent', keys: [] },
        { userName: 'b', status: 'failed', keys: [] },
      ],
      chat: { posted: 0, failed: [], skipped: 'no chat poster configured' },
      digest: { status: 'sent', messageId: 'm' },
    },
    audit: { published: 3, failed: [] },
    ...overrides,
  };
}

const policyReport = (outcome: PasswordPolicyReport['outcome']) => ({ outcome }) as PasswordPolicyReport;

interface Calls {
  jobs: string[];
  options: unknown[];
}

function worker(
  overrides: { assumeRole?: AccountWorkerDependencies['assumeRole']; jobs?: Partial<AccountJobs> } = {},
): { deps: AccountWorkerDependencies; calls: Calls } {
  const calls: Calls = { jobs: [], options: [] };
  const deps: AccountWorkerDependencies = {
    assumeRole: overrides.assumeRole ?? (async () => ({ accessKeyId: 'ASIA', secretAccessKey: 's' })),
    jobsIn: () => ({
      nameAccount: async () => ({ accountId: ACCOUNT.accountId, alias: 'payments-prod' }),
      enforceKeys: async (options, onKeyInventory) => {
        calls.jobs.push('keys');
        calls.options.push(options);
        onKeyInventory([['alice', 'arn', '1']]);
        return keySummary();
      },
      enforcePasswordPolicy: async () => {
        calls.jobs.push('password policy');
        return policyReport('updated');
      },
      ...overrides.jobs,
    }),
    log: { info: () => undefined, warn: () => undefined } as unknown as AccountWorkerDependencies['log'],
  };
  return { deps, calls };
}

describe('enforceAccount', () => {
  it('runs the key and the password-policy jobs in the account and reports both, naming the account', async () => {
    const { deps, calls } = worker();

    const result = await enforceAccount(deps, REQUEST);

    expect(calls.jobs).toEqual(['keys', 'password policy']);
    expect(calls.options).toEqual([
      { dryRun: false, forecast: false, account: { accountId: ACCOUNT.accountId, alias: 'payments-prod' } },
    ]);
    expect(result).toEqual({
      accountId: ACCOUNT.accountId,
      name: 'payments',
      alias: 'payments-prod',
      status: 'done',
      dryRun: false,
      counts: {
        deactivated: 1,
        deleted: 1,
        warned: 1,
        exempt: 1,
        held: 1,
        failed: 0,
        backlog: 4,
        planned: 21,
        ownersMailed: 1,
        ownerMailFailed: 1,
      },
      guardTripped: false,
      passwordPolicyChanged: true,
      passwordPolicyOutcome: 'updated',
      rootKeyFindings: 1,
      keys: [['alice', 'arn', '1']],
    });
  });

  it('stores the inventory when it can, and sends only where it went', async () => {
    const stored: string[][][] = [];
    const { deps } = worker({
      jobs: {
        storeInventory: async (records) => {
          stored.push(records);
          return 'key-hygiene/2026-11-30/keys/111111111111.json';
        },
      },
    });

    const result = await enforceAccount(deps, REQUEST);

    expect(stored).toEqual([[['alice', 'arn', '1']]]);
    expect(result.keysCsvKey).toBe('key-hygiene/2026-11-30/keys/111111111111.json');
    expect(result.keys).toBeUndefined();
  });

  it.each([
    ['a dry run', { dryRun: true }, { dryRun: true, forecast: false }],
    ['a forecast', { forecast: true }, { dryRun: true, forecast: true }],
  ])('passes %s on to the jobs', async (_case, request, options) => {
    const { deps, calls } = worker();

    const result = await enforceAccount(deps, { ...REQUEST, ...request });

    expect(calls.options[0]).toMatchObject(options);
    expect(result.dryRun).toBe(true);
  });

  it('returns an account whose member role cannot be assumed as failed, role-missing, touching nothing', async () => {
    const { deps, calls } = worker({
      assumeRole: async () => {
        throw new MemberRoleUnavailableError(
          'Could not assume arn:aws:iam::111111111111:role/key-hygiene-member',
        );
      },
    });

    const result = await enforceAccount(deps, REQUEST);

    expect(calls.jobs).toEqual([]);
    expect(result).toMatchObject({
      status: 'failed',
      failure: { kind: 'role-missing' },
      counts: { planned: 0 },
    });
    expect(result.alias).toBeUndefined();
  });

  it('still holds the password policy when the key job fails, and reports the key failure', async () => {
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDenied' });
    const { deps, calls } = worker({
      jobs: {
        enforceKeys: async () => {
          throw new IamAccountError('Could not generate the credential report', { cause: denied });
        },
      },
    });

    const result = await enforceAccount(deps, REQUEST);

    expect(calls.jobs).toEqual(['password policy']);
    expect(result).toMatchObject({
      status: 'failed',
      failure: { kind: 'access-denied' },
      passwordPolicyChanged: true,
    });
  });

  it('reports a password-policy failure after a good key run, saying which job failed', async () => {
    const { deps } = worker({
      jobs: {
        enforcePasswordPolicy: async () => {
          throw new Error('PasswordPolicyReadError: boom');
        },
      },
    });

    const result = await enforceAccount(deps, REQUEST);

    expect(result.status).toBe('failed');
    expect(result.failure?.message).toMatch(/^password policy: /);
    expect(result.counts.deactivated).toBe(1);
  });

  it.each([
    [
      'STS',
      { assumeRole: async () => Promise.reject(new AccountThrottledError('111111111111', 'STS throttled')) },
    ],
    [
      'IAM, in the key job',
      { jobs: { enforceKeys: async () => Promise.reject(new IamBusyError('List keys: Throttling')) } },
    ],
    [
      'IAM, in the password-policy job',
      { jobs: { enforcePasswordPolicy: async () => Promise.reject(new IamBusyError('Throttling')) } },
    ],
  ])(
    'throws AccountThrottledError when %s kept throttling, for the state machine to retry',
    async (_case, overrides) => {
      const { deps } = worker(overrides as Parameters<typeof worker>[0]);

      await expect(enforceAccount(deps, REQUEST)).rejects.toMatchObject({
        name: 'AccountThrottledError',
        accountId: '111111111111',
      });
    },
  );
});
