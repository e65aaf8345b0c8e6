import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_PASSWORD } from '../../apps/catalog/src/seed/demo-organisation.js';
import { TEST_JWT_SECRET } from './secrets.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { freePort, waitUntil } from './ports.js';

/** How long a process of the stack may take to start: generous, since a busy machine can take minutes. */
const STARTUP_TIMEOUT_MS = 150_000;

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export type ServiceName = 'catalog' | 'upload' | 'transcoder' | 'web';

export interface StackOptions {
  services?: ServiceName[];
  /** Changes to one service's environment, e.g. a DATABASE_URL that goes through a TcpProxy. */
  envFor?: (service: ServiceName, env: Record<string, string>) => Record<string, string>;
}

export interface RunningService {
  name: ServiceName;
  child: ChildProcess;
  output: string[];
}

export interface Stack {
  baseUrl: string;
  catalogUrl: string;
  uploadUrl: string;
  db: TestDatabase;
  env: Record<string, string>;
  services: Map<ServiceName, RunningService>;
  demo: typeof DEMO;
  /** Starts a service again (after a test killed it) and waits until it answers. */
  restart(name: ServiceName): Promise<void>;
  stop(): Promise<void>;
}

const DEMO = {
  member: { login: 'member', password: DEMO_PASSWORD, name: '王秀英' },
  branchAdmin: { login: 'east-admin', password: DEMO_PASSWORD, name: '东区管理员', branchPath: 'committee/east' },
  committeeAdmin: { login: 'admin', password: DEMO_PASSWORD, name: '委员会管理员' },
  editor: { login: 'editor', password: DEMO_PASSWORD, name: '陈编辑' },
};

const entry = (name: ServiceName) => join(ROOT, `dist/apps/${name}/src/main.js`);

/** The built platform as separate processes on free ports, with its own database, queues and storage. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const names = options.services ?? ['catalog', 'upload', 'transcoder', 'web'];
  for (const name of names) {
    if (!existsSync(entry(name))) throw new Error(`${entry(name)} is missing: run "npm run build" first (npm test does this).`);
  }
  const db = await createTestDatabase({ demo: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'lectern-stack-'));
  const [catalogPort, uploadPort, webPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.STACK_LOG_LEVEL ?? 'info',
    DATABASE_URL: db.url,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `lectern-test-${randomBytes(4).toString('hex')}`,
    JWT_SECRET: TEST_JWT_SECRET,
    STORAGE_DIR: join(dataDir, 'storage'),
    UPLOAD_DIR: join(dataDir, 'uploads'),
    WORK_DIR: join(dataDir, 'work'),
    CATALOG_PORT: String(catalogPort),
    UPLOAD_PORT: String(uploadPort),
    WEB_PORT: String(webPort),
    CATALOG_URL: `http://127.0.0.1:${catalogPort}`,
    UPLOAD_URL: `http://127.0.0.1:${uploadPort}`,
    WEB_DIST_DIR: join(ROOT, 'apps/web/dist'),
  };
  const services = new Map<ServiceName, RunningService>();
  const launch = (name: ServiceName) => {
    const child = spawn(process.execPath, [entry(name)], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, LECTERN_PROCESS: name, ...options.envFor?.(name, env) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    const keep = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.length > 200) output.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    services.set(name, { name, child, output });
  };
  for (const name of names) launch(name);

  const stop = async () => {
    await Promise.all(
      [...services.values()].map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
          }),
      ),
    );
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };

  const healthy = (url: string) => async () => (await fetch(`${url}/health`)).status === 200;
  try {
    const waits: Promise<void>[] = [];
    if (names.includes('catalog')) waits.push(waitUntil(healthy(env.CATALOG_URL), STARTUP_TIMEOUT_MS, 'catalog /health'));
    if (names.includes('upload')) waits.push(waitUntil(healthy(env.UPLOAD_URL), STARTUP_TIMEOUT_MS, 'upload /health'));
    if (names.includes('web'))
      waits.push(waitUntil(async () => (await fetch(`http://127.0.0.1:${webPort}/`)).ok, STARTUP_TIMEOUT_MS, 'web'));
    if (names.includes('transcoder')) {
      const transcoder = services.get('transcoder')!;
      waits.push(waitUntil(async () => transcoder.output.join('').includes('transcoder ready'), STARTUP_TIMEOUT_MS, 'transcoder ready'));
    }
    await Promise.all(waits);
  } catch (error) {
    const logs = [...services.values()].map((s) => `--- ${s.name}\n${s.output.join('').slice(-3000)}`).join('\n');
    await stop();
    throw new Error(`${(error as Error).message}\n${logs}`, { cause: error });
  }

  const restart = async (name: ServiceName) => {
    launch(name);
    const url = name === 'catalog' ? env.CATALOG_URL : name === 'upload' ? env.UPLOAD_URL : null;
    // Any answer will do: a test may be holding one of its dependencies down on purpose.
    if (url) await waitUntil(async () => (await fetch(`${url}/health`)).status > 0, STARTUP_TIMEOUT_MS, `${name} answering after restart`);
  };

  return {
    restart,
    baseUrl: `http://127.0.0.1:${webPort}`,
    catalogUrl: env.CATALOG_URL,
    uploadUrl: env.UPLOAD_URL,
    db,
    env,
    services,
    demo: DEMO,
    stop,
  };
}
