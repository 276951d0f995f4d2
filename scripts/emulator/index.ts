// The local AWS emulator: moto in-process behind a control API (moto-harness.py), started and stopped from
// Node. Importers use this module only.
export {
  type BackdateAccessKeyInput,
  type BackdateLoginProfileInput,
  type EmulatorControl,
  emulatorControl,
  type RawSentEmail,
  type SeededUser,
  type SeedUserInput,
  type SentEmail,
  type ServedRequests,
  type SimpleSentEmail,
} from './control.ts';
export { emulatorEnvironment } from './environment.ts';
export { EmulatorControlError, EmulatorError } from './errors.ts';
export { type Emulator, startEmulator } from './process.ts';
