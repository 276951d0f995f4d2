import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seedOnboardingAccount } from '../../scripts/onboarding-account.ts';
import { emulatorClientConfig, iamClient, useEmulator } from '../helpers/emulator.ts';
import { loadOnboardUserHandler } from '../helpers/lambda.ts';
import { snapshotUsers } from '../helpers/user-snapshot.ts';

const { endpoint, control } = useEmulator();

const valid = {
  userName: 'jane.doe',
  email: 'jane.doe@example.com',
  groups: ['developers'],
  tags: { team: 'data' },
};

// Requests with at least one bad field: a random field of a valid user replaced by junk, alone or in a batch.
const badRequest = fc
  .record({
    field: fc.constantFrom('userName', 'email', 'groups', 'tags'),
    junk: fc.oneof(
      fc.constantFrom('', 'x'.repeat(65), 'jane doe', 'a@example.com\r\nBcc: x@evil.example', 42, null, [
        'ghost-group',
      ]),
      fc.dictionary(fc.constantFrom('aws:x', 'key-hygiene:exempt', 'email'), fc.string({ maxLength: 5 }), {
        minKeys: 1,
      }),
    ),
    batch: fc.boolean(),
  })
  .map(({ field, junk, batch }) => {
    const bad = { ...valid, [field]: junk };
    return batch ? { users: [{ ...valid, userName: 'ann.lee', email: 'ann.lee@example.com' }, bad] } : bad;
  });

describe('onboardUser on bad input, through the real handler (fast-check)', () => {
  it('refuses every request with a bad field, naming it, and creates nothing', async () => {
    const iam = iamClient();
    const seeded = await seedOnboardingAccount(emulatorClientConfig(endpoint), control);
    const onboard = await loadOnboardUserHandler({
      SELF_SERVICE_POLICY_ARN: seeded.selfServicePolicyArn,
      SENDER_EMAIL: seeded.sender,
    });
    const before = await snapshotUsers(iam);
    for (const request of fc.sample(badRequest, { numRuns: 15, seed: 5 })) {
      await expect(onboard(request)).rejects.toMatchObject({
        name: expect.stringMatching(/InvalidOnboardingRequestError|UnknownGroupError/),
        message: expect.stringMatching(/(userName|email|groups|tags)/),
      });
    }
    expect(await snapshotUsers(iam)).toEqual(before);
    expect(await control.sentEmails()).toEqual([]);
  });
});
