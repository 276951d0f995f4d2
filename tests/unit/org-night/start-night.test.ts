import { describe, expect, it } from 'vitest';
import {
  type NightExecution,
  type NightExecutions,
  type NightInput,
  parseStartNightEvent,
  startNight,
} from '../../../shared/org-night/index.ts';

/** Step Functions' executions in memory, with its rule that a name is taken once. */
function fakeExecutions(
  initial: NightExecution[] = [],
): NightExecutions & { started: [string, NightInput][] } {
  const executions = [...initial];
  const started: [string, NightInput][] = [];
  return {
    started,
    async list() {
      return [...executions];
    },
    async start(name, input) {
      const arn = `arn:aws:states:us-east-1:123456789012:execution:org:${name}`;
      if (executions.some((execution) => execution.name === name)) return { arn, outcome: 'exists' };
      executions.push({ name, arn, status: 'RUNNING' });
      started.push([name, input]);
      return { arn, outcome: 'started' };
    },
  };
}

const clock = () => new Date('2026-11-30T05:00:00Z');
const options = { timeZone: 'UTC', dryRun: false };

describe('startNight', () => {
  it('starts the night of the scheduled time, not of the (retried, later) delivery', async () => {
    const executions = fakeExecutions();
    const result = await startNight(
      { executions, clock: () => new Date('2026-12-01T00:10:00Z') },
      { scheduledTime: new Date('2026-11-30T23:00:00Z'), rerun: false, dryRun: false },
      options,
    );

    expect(result).toMatchObject({
      night: '2026-11-30',
      executionName: 'night-2026-11-30',
      outcome: 'started',
    });
    expect(executions.started).toEqual([['night-2026-11-30', { night: '2026-11-30', dryRun: false }]]);
  });

  it('starts a night once when two starts run at once', async () => {
    const executions = fakeExecutions();
    const request = { rerun: false, dryRun: false };

    const results = await Promise.all([
      startNight({ executions, clock }, request, options),
      startNight({ executions, clock }, request, options),
    ]);

    expect(executions.started).toHaveLength(1);
    expect(results.map((result) => result.outcome).sort()).toEqual(['already-started', 'started']);
    expect(new Set(results.map((result) => result.executionArn)).size).toBe(1);
  });

  it('reports a night already started without starting anything', async () => {
    const executions = fakeExecutions([
      {
        name: 'night-2026-11-30',
        arn: 'arn:aws:states:us-east-1:1:execution:org:night-2026-11-30',
        status: 'SUCCEEDED',
      },
    ]);

    const result = await startNight({ executions, clock }, { rerun: false, dryRun: false }, options);

    expect(result.outcome).toBe('already-started');
    expect(executions.started).toEqual([]);
  });

  it.each([
    [true, false, true],
    [false, true, true],
    [false, false, false],
  ])('runs dry when the stage says %s or the request says %s: %s', async (stage, asked, dryRun) => {
    const executions = fakeExecutions();
    await startNight(
      { executions, clock },
      { rerun: false, dryRun: asked },
      { timeZone: 'UTC', dryRun: stage },
    );

    expect(executions.started[0]?.[1].dryRun).toBe(dryRun);
  });
});

describe('parseStartNightEvent', () => {
  it.each([
    [undefined, { rerun: false, dryRun: false }],
    [{}, { rerun: false, dryRun: false }],
    [
      { scheduledTime: '2026-11-30T03:00:00Z' },
      { scheduledTime: new Date('2026-11-30T03:00:00Z'), rerun: false, dryRun: false },
    ],
    [
      { night: '2026-11-30', rerun: true },
      { night: '2026-11-30', rerun: true, dryRun: false },
    ],
    [{ dryRun: true }, { rerun: false, dryRun: true }],
  ])('reads %j', (event, request) => {
    expect(parseStartNightEvent(event)).toEqual(request);
  });

  it.each([
    [{ night: '2026-02-30' }, /night: is not a calendar day/],
    [{ night: '30.11.2026' }, /night: must be a date/],
    [{ rerun: 'yes' }, /rerun: must be true or false/],
    [{ scheduledTime: 'tonight' }, /scheduledTime: must be an ISO 8601 timestamp/],
  ])('refuses %j, naming the field', (event, message) => {
    expect(() => parseStartNightEvent(event)).toThrow(message);
  });
});
