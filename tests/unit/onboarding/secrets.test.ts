import { describe, expect, it } from 'vitest';
import { errorCarriesSecret, redactSecrets } from '../../../shared/onboarding/secrets.ts';

describe('redactSecrets', () => {
  it.each([
    ['every occurrence', 'pw Abc123 and Abc123', ['Abc123'], 'pw [redacted] and [redacted]'],
    ['every secret', 'one Aaa1 two Bbb2', ['Aaa1', 'Bbb2'], 'one [redacted] two [redacted]'],
    ['nothing when absent', 'nothing here', ['Abc123'], 'nothing here'],
    ['nothing for an empty secret', 'text', [''], 'text'],
  ])('replaces %s', (_case, text, secrets, redacted) => {
    expect(redactSecrets(text, secrets)).toBe(redacted);
  });
});

describe('errorCarriesSecret', () => {
  it.each([
    ['in the message', new Error('bad Abc123'), true],
    ['in a cause', new Error('outer', { cause: new Error('inner Abc123') }), true],
    ['in a string cause', new Error('outer', { cause: 'Abc123' }), true],
    ['nowhere', new Error('outer', { cause: new Error('inner') }), false],
  ])('finds a secret %s', (_case, error, found) => {
    expect(errorCarriesSecret(error, ['Abc123'])).toBe(found);
  });

  it('finds a secret in the stack only', () => {
    const error = new Error('plain');
    error.stack = 'Error: plain\n    at Abc123 (file.ts:1:1)';
    expect(errorCarriesSecret(error, ['Abc123'])).toBe(true);
  });
});
