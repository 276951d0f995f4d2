import type { TestProject } from 'vitest/node';
import { startEmulator } from '../../scripts/emulator/index.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    emulatorEndpoint: string;
  }
}

/** Starts one emulator for the integration project; the tests reach it through `inject('emulatorEndpoint')`. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const emulator = await startEmulator();
  project.provide('emulatorEndpoint', emulator.endpoint);
  return () => emulator.stop();
}
