import { type NightlyRunClients, type NightlyRunWiring, nightlyRunDependencies } from '../nights/index.ts';
import type { ConsoleAccessConfig } from './config.ts';
import { consoleAccount } from './console-iam.ts';
import type { ConsoleAccessDependencies, ConsoleAccessOptions } from './run-console-access.ts';

/**
 * What a console-access run needs, built from its settings and AWS clients: the same for the nightly
 * handler and for a forecast (`npm run plan`), which passes no EventBridge client and a disabled mailer.
 */
export function consoleAccessDependencies(
  config: ConsoleAccessConfig,
  clients: NightlyRunClients,
  wiring: NightlyRunWiring,
): ConsoleAccessDependencies {
  return {
    ...nightlyRunDependencies(config.eventBusName, clients, wiring),
    account: consoleAccount(clients.iam),
  };
}

/**
 * The options of one run from the settings and the request: an event can make a run drier, never turn
 * DRY_RUN off; the decision clock is the request's, else KEY_HYGIENE_NOW (dry runs only), else the real time.
 */
export function consoleAccessOptions(
  config: ConsoleAccessConfig,
  request: { dryRun: boolean; now?: Date | undefined },
): ConsoleAccessOptions {
  return {
    settings: config.settings,
    dryRun: config.dryRun || request.dryRun,
    now: request.now ?? config.now ?? new Date(),
  };
}
