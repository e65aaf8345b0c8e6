import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../support/stack.js';

const run = (app: string, env: Record<string, string>) =>
  spawnSync(process.execPath, [join(ROOT, `dist/apps/${app}/src/main.js`)], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });

describe('configuration checked at start', () => {
  it.each(['catalog', 'upload'])('stops %s with one message naming every bad variable', (app) => {
    const result = run(app, { JWT_SECRET: 'short', DATABASE_URL: 'mysql://nowhere/db', LOG_LEVEL: 'loud', REDIS_URL: 'not a url' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid configuration');
    for (const name of ['JWT_SECRET', 'DATABASE_URL', 'LOG_LEVEL', 'REDIS_URL']) expect(result.stderr).toContain(name);
    expect(result.stderr).not.toContain('    at ');
  });

  it('stops the transcoder on a bad concurrency and time limit', () => {
    const result = run('transcoder', { TRANSCODE_CONCURRENCY: '0', TRANSCODE_TIMEOUT_MINUTES: 'soon' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('TRANSCODE_CONCURRENCY');
    expect(result.stderr).toContain('TRANSCODE_TIMEOUT_MINUTES');
  });

  it('stops the web gateway on a bad port', () => {
    const result = run('web', { WEB_PORT: '70000', CATALOG_URL: 'ftp://x' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('WEB_PORT');
    expect(result.stderr).toContain('CATALOG_URL');
  });
});

describe('npm start in smoke mode', () => {
  it('stops at once, with the reason, on a time limit that is not a number of minutes', () => {
    const result = spawnSync(process.execPath, [join(ROOT, 'scripts/start.mjs'), '--smoke'], {
      env: { PATH: process.env.PATH ?? '', LECTERN_SMOKE_TIMEOUT_MINUTES: 'soon' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('LECTERN_SMOKE_TIMEOUT_MINUTES must be a positive number of minutes (got "soon")');
  });
});
