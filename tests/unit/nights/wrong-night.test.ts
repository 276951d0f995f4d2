import { describe, expect, it } from 'vitest';
import { GUARD_SHARE, guardShareText, looksWrong } from '../../../shared/nights/index.ts';

describe('looksWrong: the one guard rule', () => {
  it.each([
    { needingAction: 90, inAccount: 100, nightLimit: 20, wrong: true },
    { needingAction: 89, inAccount: 100, nightLimit: 20, wrong: false },
    { needingAction: 100, inAccount: 100, nightLimit: 100, wrong: false },
    { needingAction: 101, inAccount: 101, nightLimit: 100, wrong: true },
    { needingAction: 5, inAccount: 5, nightLimit: 20, wrong: false },
    { needingAction: 1, inAccount: 1, nightLimit: 0, wrong: true },
    { needingAction: 0, inAccount: 0, nightLimit: 0, wrong: false },
  ])('$needingAction of $inAccount needing action, limit $nightLimit: wrong $wrong', (night) => {
    expect(looksWrong(night)).toBe(night.wrong);
  });

  it('writes its share as a percentage', () => {
    expect(GUARD_SHARE).toBe(0.9);
    expect(guardShareText()).toBe('90%');
  });
});
