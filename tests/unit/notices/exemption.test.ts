import { describe, expect, it } from 'vitest';
import { describeExemption, exemptionFor } from '../../../shared/notices/index.ts';

const TAG = 'key-hygiene:exempt';
const NOW = new Date('2026-11-23T03:00:00Z');

describe('exemptionFor', () => {
  it.each([
    { value: undefined, kind: 'none' },
    { value: 'true', kind: 'indefinite' },
    { value: ' TRUE ', kind: 'indefinite' },
    { value: 'false', kind: 'none' },
    { value: '2026-11-23', kind: 'until', until: '2026-11-24T00:00:00.000Z' },
    { value: '2026-11-22', kind: 'expired', until: '2026-11-23T00:00:00.000Z' },
    { value: '2026-11-23T02:00:00Z', kind: 'expired', until: '2026-11-23T02:00:00.000Z' },
    { value: '2026-11-23T04:00:00+00:00', kind: 'until', until: '2026-11-23T04:00:00.000Z' },
    { value: '2026-02-30', kind: 'invalid' },
    { value: 'soon', kind: 'invalid' },
  ])('reads $value as $kind', ({ value, kind, until }) => {
    const exemption = exemptionFor(value === undefined ? {} : { [TAG]: value }, TAG, NOW);
    expect(exemption.kind).toBe(kind);
    if (until) expect('until' in exemption ? exemption.until.toISOString() : undefined).toBe(until);
  });

  it('describes each kind for a reason a person reads', () => {
    expect(describeExemption(exemptionFor({ [TAG]: 'true' }, TAG, NOW))).toBe(
      `exempt indefinitely (tag ${TAG}=true)`,
    );
    expect(describeExemption(exemptionFor({ [TAG]: 'soon' }, TAG, NOW))).toBe(
      `exempt tag ${TAG} has the value "soon", which is neither 'true' nor an ISO date`,
    );
  });
});
