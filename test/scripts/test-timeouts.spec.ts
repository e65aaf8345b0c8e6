// Every jest project has its own default test timeout, long enough for a busy 2-core machine.
import { describe, expect, it } from '@jest/globals';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface Project {
  displayName: string;
  globals?: { LECTERN_TEST_TIMEOUT_MS?: number };
  setupFilesAfterEnv?: string[];
}

const configFile = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'jest.config.js');
const { projects } = ((await import(pathToFileURL(configFile).href)) as { default: { projects: Project[] } }).default;

describe('test timeouts', () => {
  it.each(projects.map((p) => [p.displayName, p] as const))(
    '%s has a default timeout above Jest’s 5 s, set in every file',
    (_, project) => {
      expect(project.globals?.LECTERN_TEST_TIMEOUT_MS).toBeGreaterThan(5_000);
      expect(project.setupFilesAfterEnv).toContain('<rootDir>/test/support/test-timeout.ts');
    },
  );

  it('is in force in this file (the unit project)', () => {
    const inForce = (globalThis as Record<symbol, unknown>)[Symbol.for('TEST_TIMEOUT_SYMBOL')];
    expect(inForce).toBe(projects.find((p) => p.displayName === 'unit')!.globals!.LECTERN_TEST_TIMEOUT_MS);
  });
});
