// Set-up shared by `npm start` and `npm test`. Node built-ins only: it runs before dependencies exist.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/lectern';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export class SetupError extends Error {}

export function step(message) {
  console.log(`\x1b[36m▸\x1b[0m ${message}`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
  if (result.error) throw new SetupError(`Could not run ${command}: ${result.error.message}`);
  if (result.status !== 0) throw new SetupError(`${command} ${args.join(' ')} failed (exit ${result.status}).`);
}

const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

export function ensureNodeModules() {
  const marker = join(ROOT, 'node_modules', '.package-lock.json');
  const lock = join(ROOT, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  // npm install keeps the versions in package-lock.json; this npm's `npm ci` rejects lock files
  // without every platform's optional binaries (@swc/core-*, …), which a Linux install never lists.
  step('Installing npm dependencies (npm install, as locked)');
  run('npm', ['install', '--no-audit', '--no-fund']);
}

let aptUpdated = false;
/** Installs the Debian package(s) (a name or a list) that provide `command` when it is missing. */
export function ensureDebianPackage(command, pkg, why) {
  if (has(command)) return;
  if (!canApt()) {
    throw new SetupError(
      `${command} is missing; Lectern needs it ${why}. Install it with "sudo apt-get install -y --no-install-recommends ${[pkg].flat().join(' ')}" (Debian/Ubuntu) and run this command again.`,
    );
  }
  aptInstall(pkg, why);
}

const canApt = () => isRoot() && has('apt-get');

/** True when fontconfig knows Noto Sans CJK, the face the study record's PDF embeds (and Chromium draws Chinese with). */
const hasNotoCjk = () =>
  ['/usr/share/fonts/opentype/noto', '/usr/share/fonts/noto-cjk', '/usr/share/fonts/truetype/noto'].some((dir) =>
    existsSync(join(dir, 'NotoSansCJK-Regular.ttc')),
  ) || /Noto Sans CJK/.test(spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).stdout ?? '');

/**
 * Noto Sans CJK (Debian's fonts-noto-cjk): the study record's PDF embeds it, and the browser tests'
 * screenshots show Chinese with it rather than empty boxes. Without it the platform runs, but a member
 * asking for their study record is told the server lacks the font; so without root this only says how to add it.
 */
export function ensureChineseFont() {
  if (hasNotoCjk()) return;
  const why = 'for the study record PDF and Chinese in screenshots';
  if (!canApt()) {
    console.warn(`Noto Sans CJK not found: install it ("sudo apt-get install -y fonts-noto-cjk") ${why}.`);
    return;
  }
  try {
    aptInstall('fonts-noto-cjk', why);
  } catch (error) {
    console.warn(`fonts-noto-cjk could not be installed (${error.message}); study record PDFs answer 503 until it is.`);
  }
}

function aptInstall(pkg, why) {
  const packages = [pkg].flat();
  step(`Installing ${packages.join(' ')} with apt-get (${why})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    run('apt-get', ['update', '-qq'], { env });
    aptUpdated = true;
  }
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env });
}

function canConnect(host, port, timeoutMs = 1500) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function waitFor(host, port, seconds) {
  for (let i = 0; i < seconds * 4; i++) {
    if (await canConnect(host, port, 500)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

const isLocal = (host) => ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host);

export async function ensurePostgres(databaseUrl) {
  const { hostname, port } = new URL(databaseUrl);
  const portNumber = Number(port || 5432);
  if (await canConnect(hostname, portNumber)) return;
  if (isLocal(hostname) && has('pg_ctlcluster') && isRoot()) {
    const versions = spawnSync('ls', ['/etc/postgresql'], { encoding: 'utf8' }).stdout.split(/\s+/).filter(Boolean);
    for (const version of versions) {
      step(`Starting the local PostgreSQL ${version} server`);
      spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { stdio: 'inherit' });
    }
    if (await waitFor(hostname, portNumber, 30)) return;
  }
  throw new SetupError(
    `PostgreSQL does not answer at ${hostname}:${portNumber}. Lectern keeps its data in PostgreSQL 13 or newer. ` +
      `Install and start it ("sudo apt-get install -y postgresql" on Debian, which starts it), or set DATABASE_URL ` +
      `to a server you can reach (default ${DEFAULT_DATABASE_URL}; the user needs the right to create databases).`,
  );
}

export async function ensureRedis(redisUrl) {
  const { hostname, port } = new URL(redisUrl);
  const portNumber = Number(port || 6379);
  if (await canConnect(hostname, portNumber)) return;
  if (isLocal(hostname) && has('redis-server')) {
    step(`Starting a local Redis server on port ${portNumber} (append-only file in var/redis)`);
    const dir = join(ROOT, 'var', 'redis');
    mkdirSync(dir, { recursive: true });
    spawnSync(
      'redis-server',
      [
        '--daemonize',
        'yes',
        '--bind',
        '127.0.0.1',
        '--port',
        String(portNumber),
        '--appendonly',
        'yes',
        '--dir',
        dir,
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'inherit' },
    );
    if (await waitFor(hostname, portNumber, 15)) return;
  }
  throw new SetupError(
    `Redis does not answer at ${hostname}:${portNumber}. Lectern's job queues need Redis 6.2 or newer. ` +
      `Install and start it ("sudo apt-get install -y redis-server" on Debian), or set REDIS_URL (default ${DEFAULT_REDIS_URL}).`,
  );
}

/** A signing secret kept in var/secret, made once, unless JWT_SECRET is set. */
export function ensureSecret() {
  if (process.env.JWT_SECRET) return process.env.JWT_SECRET;
  const file = join(ROOT, 'var', 'secret');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

/** What the build reads: a change to any of these (a file's or a folder's modification time) means building again. */
const BUILD_INPUTS = ['apps', 'libs', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json'];
/** Written after a build: the newest input time the build saw. */
const BUILD_STAMP = join(ROOT, 'dist', '.build-stamp');
const BUILD_OUTPUTS = [join(ROOT, 'dist', 'apps', 'catalog', 'src', 'main.js'), join(ROOT, 'apps', 'web', 'dist', 'index.html')];

const SKIPPED = new Set(['node_modules', 'dist']);

/**
 * The newest modification time (ms) of the given files and folders and of everything below them, leaving out
 * `node_modules` and `dist` folders. Folders count too, so removing or renaming a file is a change; except a
 * folder holding a `node_modules` or `dist`, whose own time changes whenever the build empties and refills that.
 */
export function newestModification(paths) {
  let newest = 0;
  const visit = (path) => {
    let stats;
    try {
      stats = statSync(path);
    } catch {
      return;
    }
    if (!stats.isDirectory()) {
      newest = Math.max(newest, stats.mtimeMs);
      return;
    }
    const names = readdirSync(path);
    if (!names.some((name) => SKIPPED.has(name))) newest = Math.max(newest, stats.mtimeMs);
    for (const name of names) if (!SKIPPED.has(name)) visit(join(path, name));
  };
  for (const path of paths) visit(path);
  return newest;
}

/** True when the stamp says the last build saw inputs at least as new as `newest` and its outputs are there. */
export function buildIsCurrent(stampText, newest, outputsExist) {
  const stamped = Number(stampText);
  return outputsExist && Number.isFinite(stamped) && stamped > 0 && stamped >= newest;
}

/** Builds the services and the web app, unless nothing the build reads has changed since the last build. */
export function build() {
  const newest = newestModification(BUILD_INPUTS.map((path) => join(ROOT, path)));
  const stamp = existsSync(BUILD_STAMP) ? readFileSync(BUILD_STAMP, 'utf8').trim() : '';
  if (
    buildIsCurrent(
      stamp,
      newest,
      BUILD_OUTPUTS.every((path) => existsSync(path)),
    )
  ) {
    step('The build is up to date (nothing it reads has changed since the last one)');
    return;
  }
  buildAll();
  writeFileSync(BUILD_STAMP, String(newest));
}

function buildAll() {
  step('Building the services (tsc)');
  run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
  step('Building the web app (vite)');
  run(process.execPath, [
    join(ROOT, 'node_modules/vite/bin/vite.js'),
    'build',
    '--config',
    'apps/web/vite.config.ts',
    '--logLevel',
    'warn',
  ]);
}

export function catalogCli(command, env) {
  run(process.execPath, [join(ROOT, 'dist/apps/catalog/src/cli.js'), command], { env });
}

/** Migrations and the demo organisation, in the database of `env`. */
export function prepareDatabase(env) {
  step('Preparing the database');
  catalogCli('prepare-database', env);
  catalogCli('seed-demo', env);
}

export async function setUp({ chromium = false, edge = false } = {}) {
  ensureNodeModules();
  ensureDebianPackage('ffprobe', 'ffmpeg', 'to read and transcode lectures');
  ensureDebianPackage(
    'soffice',
    ['libreoffice-writer-nogui', 'libreoffice-impress-nogui', 'libreoffice-calc-nogui'],
    'to convert Word, PowerPoint and Excel course materials to PDF',
  );
  ensureChineseFont();
  if (chromium) ensureDebianPackage('chromium', 'chromium', 'for the browser tests');
  if (edge) {
    // The production media edge and its companions, which the tests run for real in front of the stack.
    ensureDebianPackage('nginx', 'nginx', 'for the media edge tests (infra/nginx)');
    ensureDebianPackage('pgbouncer', 'pgbouncer', 'for the connection-pooler tests (infra/kubernetes)');
    ensureDebianPackage('docker-compose', 'docker-compose', 'to validate infra/compose (docker-compose config needs no engine)');
  }
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const redisUrl = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  step('Checking PostgreSQL and Redis');
  await ensurePostgres(databaseUrl);
  await ensureRedis(redisUrl);
  const secret = ensureSecret();
  build();
  return { databaseUrl, redisUrl, secret };
}
