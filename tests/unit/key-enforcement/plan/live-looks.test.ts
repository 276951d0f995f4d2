import { describe, expect, it } from 'vitest';
import { parseCredentialReport } from '../../../../shared/credential-report/parse-report.ts';
import {
  deactivatedTag,
  deactivatedValue,
  deactivateOnTag,
  deactivateOnValue,
  inactiveSinceTag,
  noticeTag,
  noticeValue,
  withKeyCreated,
} from '../../../../shared/key-enforcement/key-records.ts';
import { type LiveLookInput, selectLiveLooks } from '../../../../shared/key-enforcement/plan/live-looks.ts';
import { planKeyActions } from '../../../../shared/key-enforcement/plan/plan-key-actions.ts';
import { reportCsv, reportTime } from '../../../helpers/credential-report-csv.ts';
import { DEFAULT_SETTINGS, daysAgo, NO_NIGHT_LIMITS, NOW } from '../../../helpers/key-facts.ts';

// The defaults as deployed: keys never warned get a first notice.
const SETTINGS = { ...DEFAULT_SETTINGS, firstNoticeDays: 7 };
const KEY = 'AKIAKEY0000000000001';
const OTHER = 'AKIAKEY0000000000002';

/** A key `ageDays` old, to the second as IAM dates keys (the report's last_rotated). */
const created = (ageDays: number) => new Date(Math.floor(daysAgo(ageDays).getTime() / 1000) * 1000);

type Slot = { ageDays: number; active?: boolean };

function reportRow(userName: string, slots: Slot[]) {
  const cells: Record<string, string> = { user: userName };
  slots.forEach((slot, index) => {
    cells[`access_key_${index + 1}_active`] = String(slot.active ?? true);
    cells[`access_key_${index + 1}_last_rotated`] = reportTime(created(slot.ageDays));
  });
  return cells;
}

function select(
  slots: Slot[],
  tags: Record<string, string> | undefined,
  overrides: Partial<LiveLookInput> = {},
) {
  const { rows } = parseCredentialReport(reportCsv([reportRow('u', slots)]));
  return selectLiveLooks({
    rows,
    candidates: ['u'],
    tags: new Map(tags === undefined ? [] : [['u', tags]]),
    settings: SETTINGS,
    now: NOW,
    ...overrides,
  });
}

/** Where the selection put user `u`: looked at live (and why), planned from records, or left alone. */
function placeOf(selection: ReturnType<typeof selectLiveLooks>): string {
  const live = selection.live.find((look) => look.userName === 'u');
  if (live !== undefined) return `live: ${live.reason}`;
  if (selection.fromRecords.some((facts) => facts.userName === 'u')) return 'from records';
  return 'not looked at';
}

const warned = (stage: number, ageDays: number, id = KEY) => ({
  [noticeTag(id)]: noticeValue({ kind: 'warning', stage }, created(ageDays)),
});

describe('selectLiveLooks: who needs a live look tonight', () => {
  it.each([
    {
      case: 'a warning due tonight: the 7-day notice reached, the 14-day one sent',
      slots: [{ ageDays: 83.5 }],
      tags: warned(14, 83.5),
      place: 'live: notice due',
    },
    {
      case: 'a warning missed on an earlier night: 1 day left, only the 14-day notice sent',
      slots: [{ ageDays: 89.5 }],
      tags: warned(14, 89.5),
      place: 'live: notice due',
    },
    {
      case: 'the first warning of a key no record names yet',
      slots: [{ ageDays: 77 }],
      tags: {},
      place: 'live: key not named by its records',
    },
    {
      case: 'a first notice: a key past its deadline whose owner was never warned',
      slots: [{ ageDays: 120 }],
      tags: {},
      place: 'live: key not named by its records',
    },
    {
      case: 'a user whose tags say already warned for this stage',
      slots: [{ ageDays: 84.5 }],
      tags: warned(7, 84.5),
      place: 'not looked at',
    },
    {
      case: 'a deactivation due: warned, past the deadline',
      slots: [{ ageDays: 91 }],
      tags: warned(1, 91),
      place: 'from records',
    },
    {
      case: 'a deactivation due on the date told on first notice',
      slots: [{ ageDays: 120 }],
      tags: {
        ...warned(7, 120),
        [deactivateOnTag(KEY)]: deactivateOnValue(daysAgo(0.5), created(120)),
      },
      place: 'from records',
    },
    {
      case: 'a key whose told date is still ahead, its notices sent',
      slots: [{ ageDays: 120 }],
      tags: {
        ...warned(7, 120),
        [deactivateOnTag(KEY)]: deactivateOnValue(daysAgo(-5), created(120)),
      },
      place: 'not looked at',
    },
    {
      case: 'a deletion due: deactivated 31 days ago, told',
      slots: [{ ageDays: 121, active: false }],
      tags: {
        [deactivatedTag(KEY)]: deactivatedValue(daysAgo(31), true, created(121)),
        [noticeTag(KEY)]: noticeValue({ kind: 'deactivated' }, created(121)),
      },
      place: 'from records',
    },
    {
      case: 'an inactive key in its grace period, told',
      slots: [{ ageDays: 100, active: false }],
      tags: {
        [deactivatedTag(KEY)]: deactivatedValue(daysAgo(10), true, created(100)),
        [noticeTag(KEY)]: noticeValue({ kind: 'deactivated' }, created(100)),
      },
      place: 'not looked at',
    },
    {
      case: 'an inactive key in its grace period whose deactivation was never told (a late notice)',
      slots: [{ ageDays: 100, active: false }],
      tags: { [deactivatedTag(KEY)]: deactivatedValue(daysAgo(10), true, created(100)) },
      place: 'live: notice due',
    },
    {
      case: 'a key someone else deactivated, with no record yet (its grace period starts tonight)',
      slots: [{ ageDays: 50, active: false }],
      tags: {},
      place: 'live: records to write',
    },
    {
      case: 'an unconfirmed deactivation record of a key found inactive (to be confirmed)',
      slots: [{ ageDays: 100, active: false }],
      tags: {
        [deactivatedTag(KEY)]: deactivatedValue(daysAgo(1), false, created(100)),
        [noticeTag(KEY)]: noticeValue({ kind: 'deactivated' }, created(100)),
      },
      place: 'live: records to write',
    },
    {
      case: 'a re-activated key with a confirmed record',
      slots: [{ ageDays: 100 }],
      tags: {
        [deactivatedTag(KEY)]: deactivatedValue(daysAgo(5), true, created(100)),
        [noticeTag(KEY)]: noticeValue({ kind: 'deactivated' }, created(100)),
      },
      place: 'from records',
    },
    {
      case: 'an exempt user with a key past its deadline',
      slots: [{ ageDays: 300 }],
      tags: { [SETTINGS.exemptTag]: 'true' },
      place: 'not looked at',
    },
    {
      case: 'a user whose exempt tag cannot be read, with a key no record names',
      slots: [{ ageDays: 300 }],
      tags: { [SETTINGS.exemptTag]: 'soon' },
      place: 'live: key not named by its records',
    },
    {
      case: 'records written before they named their key',
      slots: [{ ageDays: 84.5 }],
      tags: { [noticeTag(KEY)]: 'warning-7' },
      place: 'live: records without key creation times',
    },
    {
      case: 'records of a key rotated away: the new key, in the window, is named by none',
      slots: [{ ageDays: 77 }],
      tags: warned(7, 160, OTHER),
      place: 'live: key not named by its records',
    },
    {
      case: 'records of a key rotated away, the new key fresh: tidied at the next look',
      slots: [{ ageDays: 3 }, { ageDays: 120, active: false }],
      tags: {
        ...warned(7, 160, OTHER),
        [deactivatedTag(KEY)]: deactivatedValue(daysAgo(10), true, created(120)),
        [noticeTag(KEY)]: noticeValue({ kind: 'deactivated' }, created(120)),
      },
      place: 'not looked at',
    },
    {
      case: 'two records naming keys created in the same second',
      slots: [{ ageDays: 84.5 }],
      tags: { ...warned(7, 84.5, KEY), ...warned(7, 84.5, OTHER) },
      place: 'live: key not named by its records',
    },
  ])('$case: $place', ({ slots, tags, place }) => {
    expect(placeOf(select(slots, tags))).toBe(place);
  });

  it('looks live at the user of a bad report row (the row set aside), with the tags it read', () => {
    const selection = select([], { team: 'data' }, { candidates: ['ghost-row'] });
    expect(selection.live).toEqual([{ userName: 'ghost-row', reason: 'report row set aside' }]);
    const withTags = selectLiveLooks({
      rows: [],
      candidates: ['odd'],
      tags: new Map([['odd', { team: 'data' }]]),
      settings: SETTINGS,
      now: NOW,
    });
    expect(withTags.live).toEqual([
      { userName: 'odd', reason: 'report row set aside', tags: { team: 'data' } },
    ]);
  });

  it('looks live at a user whose tags were not read, and at any active key under the unused rule', () => {
    expect(placeOf(select([{ ageDays: 91 }], undefined))).toBe('live: tags not read');
    expect(placeOf(select([{ ageDays: 10 }], {}, { settings: { ...SETTINGS, unusedDays: 30 } }))).toBe(
      'live: unused rule needs the last use',
    );
  });

  it('names the keys planned from records by their records, and never an unnamed key', () => {
    const selection = select([{ ageDays: 10 }, { ageDays: 121, active: false }], {
      [deactivatedTag(KEY)]: deactivatedValue(daysAgo(31), true, created(121)),
      [noticeTag(KEY)]: noticeValue({ kind: 'deactivated' }, created(121)),
    });
    expect(selection.fromRecords).toEqual([
      expect.objectContaining({
        userName: 'u',
        liveKeys: [{ userName: 'u', accessKeyId: KEY, status: 'Inactive', createDate: created(121) }],
      }),
    ]);
  });

  it('plans a re-activated key from its records as the live plan would: deactivated again, a critical finding', () => {
    const selection = select([{ ageDays: 100 }], {
      [deactivatedTag(KEY)]: deactivatedValue(daysAgo(5), true, created(100)),
      [noticeTag(KEY)]: noticeValue({ kind: 'deactivated' }, created(100)),
    });
    const plan = planKeyActions({
      rows: [],
      users: [],
      usersFromRecords: selection.fromRecords,
      settings: SETTINGS,
      limits: NO_NIGHT_LIMITS,
      now: NOW,
    });
    expect(plan.decisions).toEqual([
      expect.objectContaining({ accessKeyId: KEY, decision: 'deactivate', deactivationRule: 'reactivated' }),
    ]);
    expect(plan.findings).toEqual([expect.objectContaining({ severity: 'critical', subject: 'u' })]);
    // Planned from records, the user's records are never tidied or written by the plan.
    expect(plan.recordChanges).toEqual([]);
  });

  it('lists an exempt user it does not look at, and keeps a warned key in the schedule', () => {
    expect(select([{ ageDays: 300 }], { [SETTINGS.exemptTag]: 'true' }).exemptUsers).toEqual(['u']);
    const told = select([{ ageDays: 84.5 }], warned(7, 84.5));
    expect(told.upcoming).toEqual([expect.objectContaining({ accessKeyId: KEY, decision: 'warn' })]);
  });

  it('reads a record of a key found inactive by someone else as naming its key', () => {
    const tags = {
      [inactiveSinceTag(KEY)]: withKeyCreated(daysAgo(5).toISOString(), created(50)),
    };
    expect(placeOf(select([{ ageDays: 50, active: false }], tags))).toBe('not looked at');
  });
});
