import { type NightlyRunClients, type NightlyRunWiring, nightlyRunDependencies } from '../nights/index.ts';
import type { KeyEnforcementConfig } from './config.ts';
import { iamAccount } from './iam-account.ts';
import type { KeyEnforcementDependencies, KeyEnforcementOptions } from './run-key-enforcement.ts';

export type KeyEnforcementClients = NightlyRunClients;
export type KeyEnforcementWiring = NightlyRunWiring;

/**
 * What a key-enforcement run needs, built from its settings and AWS clients: the same for the nightly
 * handler and for a forecast (`npm run plan`), which passes no EventBridge client, a disabled mailer and no
 * chat poster.
 */
export function keyEnforcementDependencies(
  config: KeyEnforcementConfig,
  clients: KeyEnforcementClients,
  wiring: KeyEnforcementWiring,
): KeyEnforcementDependencies {
  return {
    ...nightlyRunDependencies(config.eventBusName, clients, wiring),
    account: iamAccount(clients.iam),
  };
}

/**
 * The options of one run from the settings and the request: an event can make a run drier, never turn
 * DRY_RUN off; the decision clock is the request's, else KEY_HYGIENE_NOW, else the real time.
 */
export function keyEnforcementOptions(
  config: KeyEnforcementConfig,
  request: { dryRun: boolean; now?: Date | undefined },
): KeyEnforcementOptions {
  return {
    settings: config.keyPolicy,
    dryRun: config.dryRun || request.dryRun,
    limits: config.limits,
    now: request.now ?? config.now ?? new Date(),
  };
}
