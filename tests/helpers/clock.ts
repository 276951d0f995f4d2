import { vi } from 'vitest';

/**
 * Sets the process clock to `instant`, from where it runs on: everything that asks `Date` (the handler's
 * decision clock and action times, the SDK's request signing) sees that night. Timers stay real, so the
 * SDK, the mailer's pacing and the emulator work as usual. It is how a test runs the real handler on
 * several nights without KEY_HYGIENE_NOW, which real runs refuse. Undo with `vi.useRealTimers()`.
 */
export function setClock(instant: Date): void {
  if (!vi.isFakeTimers()) vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
  vi.setSystemTime(instant);
}
