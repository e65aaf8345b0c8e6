// Jest runs in native ESM mode (NestJS 12 packages are ES modules); SWC strips types and keeps decorator metadata.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
      keepClassNames: true,
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

const globalSetup = '<rootDir>/test/support/global-setup.mjs';
const globalTeardown = '<rootDir>/test/support/global-teardown.mjs';

// Jest applies only a run-wide testTimeout, so each project passes its own through `globals` and
// test/support/test-timeout.ts sets it in every test file. The values hold on a busy 2-core machine;
// slower tests (real ffmpeg, a whole stack) set longer timeouts of their own.
const TIMEOUTS = { unit: 10_000, integration: 60_000, e2e: 180_000, browser: 180_000 };
const timeout = (project) => ({
  globals: { LECTERN_TEST_TIMEOUT_MS: TIMEOUTS[project] },
  setupFilesAfterEnv: ['<rootDir>/test/support/test-timeout.ts'],
});

const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^#(contracts|database|auth|storage|media|watch|exams|config|logging|platform|metrics)$': '<rootDir>/libs/$1/src/index.ts',
    // The gateway's one piece of the platform library, without the NestJS parts it does not run.
    '^#platform/trusted-proxies$': '<rootDir>/libs/platform/src/trusted-proxies.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
};

export default {
  projects: [
    {
      ...shared,
      ...timeout('unit'),
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts', '<rootDir>/test/scripts/**/*.spec.ts'],
    },
    {
      ...shared,
      ...timeout('integration'),
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.int-spec.ts'],
      globalSetup,
      globalTeardown,
    },
    { ...shared, ...timeout('e2e'), displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'], globalSetup, globalTeardown },
    {
      ...shared,
      ...timeout('browser'),
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
      globalSetup,
      globalTeardown,
    },
  ],
};
