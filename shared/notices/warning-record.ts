/**
 * A record of the last warning sent before a deadline: its stage, when it was sent, and the deadline it was
 * for, as one tag value (`warning-7 2026-11-30T03:00:00.000Z 2026-12-07T03:00:00.000Z`, within IAM's tag
 * value rules). Knowing when it was sent lets a run refuse to act on the night of the first warning; knowing
 * the deadline voids the record once the deadline moves (a credential used again starts a new cycle).
 */
export interface WarningRecord {
  stage: number;
  sentAt: Date;
  deadline: Date;
}

const ISO = '(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z)';
const WARNING_RECORD = new RegExp(`^warning-(\\d+) ${ISO} ${ISO}$`);

export function warningRecordValue(record: WarningRecord): string {
  return `warning-${record.stage} ${record.sentAt.toISOString()} ${record.deadline.toISOString()}`;
}

/** Reads a warning record; `undefined` for a value that is not one (the warning is then sent again). */
export function readWarningRecord(value: string | undefined): WarningRecord | undefined {
  const match = WARNING_RECORD.exec(value ?? '');
  if (match === null) return undefined;
  return { stage: Number(match[1]), sentAt: new Date(match[2] ?? ''), deadline: new Date(match[3] ?? '') };
}
