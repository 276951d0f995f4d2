import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildRawMail } from './raw-mail.ts';
import type { Mailer } from './types.ts';

/**
 * For local runs (MAIL_OUTBOX_DIR): writes each mail as `.html` (to open in a browser) and `.eml` (the
 * exact MIME), then hands it to the real mailer. `onWrite` learns where each copy went.
 */
export function outboxMailer(
  inner: Mailer,
  options: { dir: string; sender: string; onWrite?: (path: string) => void },
): Mailer {
  let count = 0;
  return {
    disabledReason: inner.disabledReason,
    async send(message) {
      count += 1;
      const name = `${String(count).padStart(3, '0')}-${message.to.join('_').replace(/[^A-Za-z0-9@._-]/g, '_')}`;
      await mkdir(options.dir, { recursive: true });
      const htmlPath = join(options.dir, `${name}.html`);
      await writeFile(htmlPath, message.html);
      await writeFile(join(options.dir, `${name}.eml`), await buildRawMail(options.sender, message));
      options.onWrite?.(htmlPath);
      return inner.send(message);
    },
  };
}
