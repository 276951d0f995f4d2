import { Logger } from '@aws-lambda-powertools/logger';

/** The one logger of the service. Level from POWERTOOLS_LOG_LEVEL (default INFO); JSON lines to stdout. */
export const logger = new Logger({ serviceName: 'key-hygiene' });
