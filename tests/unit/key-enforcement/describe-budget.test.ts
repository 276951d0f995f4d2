import { describe, expect, it } from 'vitest';
import { describeBudget } from '../../../shared/key-enforcement/summary.ts';
import { nightBudget } from '../../helpers/night.ts';

describe('describeBudget', () => {
  it.each([
    {
      case: 'nothing due',
      budget: nightBudget(),
      lines: [
        "Deactivations: 0 due tonight, 0 within tonight's limit of 50 (MAX_DEACTIVATIONS_PER_NIGHT); none remain.",
        "Deletions: 0 due tonight, 0 within tonight's limit of 20 (MAX_DELETIONS_PER_NIGHT); none remain.",
      ],
    },
    {
      case: 'a backlog of due keys',
      budget: nightBudget({ due: 130, tonight: 50, waiting: 80, remaining: 80, clearsOn: '2026-11-25' }),
      lines: [
        "Deactivations: 130 due tonight, 50 within tonight's limit of 50 (MAX_DEACTIVATIONS_PER_NIGHT); 80 remain (80 due and waiting, the most overdue first): at 50 a night the backlog clears on the night of 2026-11-25, unless more fall due.",
        "Deletions: 0 due tonight, 0 within tonight's limit of 20 (MAX_DELETIONS_PER_NIGHT); none remain.",
      ],
    },
    {
      case: 'first notices waiting for their dates',
      budget: nightBudget({ remaining: 30, clearsOn: '2026-12-02' }),
      lines: [
        "Deactivations: 0 due tonight, 0 within tonight's limit of 50 (MAX_DEACTIVATIONS_PER_NIGHT); 30 remain (30 waiting for the date told on first notice): at 50 a night the backlog clears on the night of 2026-12-02, unless more fall due.",
        "Deletions: 0 due tonight, 0 within tonight's limit of 20 (MAX_DELETIONS_PER_NIGHT); none remain.",
      ],
    },
    {
      case: 'deletions paused by a limit of 0',
      budget: { ...nightBudget(), delete: { limit: 0, due: 4, tonight: 0, waiting: 4, remaining: 4 } },
      lines: [
        "Deactivations: 0 due tonight, 0 within tonight's limit of 50 (MAX_DEACTIVATIONS_PER_NIGHT); none remain.",
        "Deletions: 4 due tonight, 0 within tonight's limit of 0 (MAX_DELETIONS_PER_NIGHT); 4 remain (4 due and waiting, the most overdue first): the backlog does not clear while MAX_DELETIONS_PER_NIGHT is 0.",
      ],
    },
  ])('says for $case how many remain and when the backlog clears', ({ budget, lines }) => {
    expect(describeBudget(budget)).toEqual(lines);
  });
});
