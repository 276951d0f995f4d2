// notices: what every capability that warns before it acts shares: exemptions read from a user tag (until a
// date, indefinitely, or unreadable), and the warning stages before a deadline (14, 7, 1 days: each sent
// once, a missed night caught up with the most urgent one due), and the record of the last warning sent for
// a deadline. It imports only the kernel.
export type { Exemption } from './exemption.ts';
export { describeExemption, exemptionFor } from './exemption.ts';
export { readWarningRecord, type WarningRecord, warningRecordValue } from './warning-record.ts';
export { daysLeft, dueStage, nightsApart, warningToSend } from './warning-stages.ts';
