// Each jest project's default test timeout (see jest.config.js), instead of Jest's 5 s.
import { jest } from '@jest/globals';

const timeoutMs = (globalThis as { LECTERN_TEST_TIMEOUT_MS?: unknown }).LECTERN_TEST_TIMEOUT_MS;
if (typeof timeoutMs !== 'number') throw new Error('jest.config.js sets LECTERN_TEST_TIMEOUT_MS for every project');
jest.setTimeout(timeoutMs);
