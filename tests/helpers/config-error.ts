import { expect } from 'vitest';
import { ConfigError } from '../../shared/kernel/errors.ts';

/** Runs `load` and returns the ConfigError it throws; fails the test when it throws nothing or something else. */
export function configErrorFrom(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error: unknown) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  return expect.unreachable('expected a ConfigError');
}
