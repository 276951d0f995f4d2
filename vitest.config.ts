import { defineConfig } from 'vitest/config';

// `npm run test:faults` (mode `faults`) runs the fault scenarios with many seeds and every kill point;
// `npm test` runs them once each (seed 1), so CI always exercises them.
export default defineConfig(({ mode }) => ({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          // Timeouts here guard against hangs; they are not speed checks. A property test's 200 runs or a
          // child process take seconds on a machine busy with other suites (CI machines are shared).
          testTimeout: 60_000,
          env: { FAST_CHECK_RUNS: process.env.FAST_CHECK_RUNS ?? (mode === 'faults' ? '2000' : '200') },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/helpers/emulator-global-setup.ts'],
          // One emulator serves every integration test; files take turns so resets never race.
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'deployment',
          include: ['tests/deployment/**/*.test.ts'],
          environment: 'node',
          // `serverless package` and `serverless invoke local` both build in the repository's .esbuild
          // directory (and package removes it when done): the files take turns.
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
          // `serverless package` bundles the three functions, twice (defaults, every parameter set); cfn-lint
          // alone took 97 s on a loaded 2-core machine.
          testTimeout: 300_000,
          hookTimeout: 240_000,
        },
      },
      {
        test: {
          name: 'faults',
          include: ['tests/faults/**/*.test.ts'],
          environment: 'node',
          // Each file starts an emulator of its own (see tests/helpers/fault-harness.ts), so files run in
          // parallel: the scenarios mostly wait on the SDK's backoff, not on the CPU.
          globalSetup: ['tests/helpers/fault-figures-setup.ts'],
          pool: 'forks',
          poolOptions: { forks: { maxForks: 4, minForks: 1 } },
          testTimeout: 600_000,
          hookTimeout: 120_000,
          env: { FAULT_SEEDS: process.env.FAULT_SEEDS ?? (mode === 'faults' ? '10' : '1') },
        },
      },
    ],
    // Above the default (half the cores): the fault files spend their time waiting on backoff timers.
    maxWorkers: 4,
    minWorkers: 1,
    env: {
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    // The JSON report is what .ci/run counts from.
    reporters: ['default', 'json'],
    outputFile: { json: 'out/test-results.json' },
  },
}));
