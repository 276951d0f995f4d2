// Imported first by the demo: the service's logger reads POWERTOOLS_LOG_LEVEL once, when its module loads,
// and Powertools restores that level on every invocation, so it must be set before any import reaches it.
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
