// The media edge: Debian's nginx, configured from infra/nginx/edge.conf.template, in front of the web gateway
// and the catalog. Used by the tests, by `npm run bench:delivery` and by `EDGE=nginx npm start`.
//
//   import { startEdge } from './edge.mjs';
//   const edge = await startEdge({ port, storageDir, catalogUrl, webUrl, workDir });   // local storage folder
//   const edge = await startEdge({ ..., s3: { endpoint, bucket } });                    // S3 bucket, cached
//   await edge.stop();
//
// As a command: node scripts/edge.mjs --port 8443 --storage-dir var/storage --catalog-url http://127.0.0.1:3000
//   --web-url http://127.0.0.1:8080 [--s3-endpoint http://127.0.0.1:9000 --s3-bucket lectern] [--work-dir var/edge]
// Node built-ins only.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const EDGE_TEMPLATE = join(ROOT, 'infra/nginx/edge.conf.template');
export const NGINX = process.env.NGINX_BIN ?? '/usr/sbin/nginx';
const STARTUP_TIMEOUT_MS = 30_000;

/** Whether nginx can be run here (Debian's package, as set-up installs it). */
export function nginxAvailable(bin = NGINX) {
  return existsSync(bin) && spawnSync(bin, ['-v']).status === 0;
}

/** `host:port` of an http:// URL, as an nginx upstream server. */
function hostOf(url, what) {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:') throw new Error(`${what} must be an http:// URL (got ${url})`);
  return `${parsed.hostname}:${parsed.port || 80}`;
}

/** A duration nginx understands ("30s", "5m"); numbers are seconds. */
function duration(value, what) {
  const text = typeof value === 'number' ? `${value}s` : String(value);
  if (!/^\d+(ms|s|m|h|d)$/.test(text)) throw new Error(`${what} must be a duration like 30s (got ${value})`);
  return text;
}

/** nginx names: letters, digits and a few punctuation marks only, so no value can add a directive. */
function plain(value, what) {
  const text = String(value);
  if (!/^[A-Za-z0-9_.\-/:]+$/.test(text)) throw new Error(`${what} may hold letters, digits and _ . - / : only (got ${value})`);
  return text;
}

/**
 * The template with its values filled in and, of the `# @if s3` / `# @if local` sections, the one for
 * the storage in use. Pure, so tests can check what is rendered.
 */
export function renderEdgeConfig(template, options) {
  const { port, storageDir, catalogUrl, webUrl, s3, workDir } = options;
  const trusted = (options.trustedProxies ?? []).map((cidr) => plain(cidr, 'a trusted proxy'));
  const values = {
    USER_LINE: options.user ? `user ${plain(options.user, 'user')};` : '',
    WORKER_PROCESSES: String(options.workerProcesses ?? Math.min(4, availableParallelism())),
    WORK_DIR: plain(resolve(workDir), 'workDir'),
    ACCESS_LOG: options.accessLog === false ? 'off' : `${plain(resolve(workDir), 'workDir')}/logs/access.log`,
    LISTEN: `${plain(options.host ?? '127.0.0.1', 'host')}:${Number(port)}`,
    WEB_HOST: hostOf(webUrl, 'webUrl'),
    CATALOG_HOST: hostOf(catalogUrl, 'catalogUrl'),
    STORAGE_DIR: plain(resolve(storageDir ?? '.'), 'storageDir'),
    S3_HOST: s3 ? hostOf(s3.endpoint, 's3.endpoint') : '',
    S3_BUCKET: s3 ? plain(s3.bucket, 's3.bucket') : '',
    MEDIA_CACHE_MAX: plain(options.mediaCacheMax ?? '10g', 'mediaCacheMax'),
    VERDICT_TTL: duration(options.verdictTtl ?? '30s', 'verdictTtl'),
    REFUSAL_TTL: duration(options.refusalTtl ?? '5s', 'refusalTtl'),
    REAL_IP_FROM: trusted.map((cidr) => `set_real_ip_from ${cidr};`).join('\n    '),
    TRUSTED_GEO: trusted.map((cidr) => `${cidr} 1;`).join('\n        '),
  };
  const keep = s3 ? 's3' : 'local';
  const out = [];
  let section = null;
  for (const line of template.split('\n')) {
    const marker = /^\s*# @(if (\w+)|end)\s*$/.exec(line);
    if (marker) {
      section = marker[2] ?? null;
      continue;
    }
    if (section && section !== keep) continue;
    out.push(
      line.replace(/\{\{(\w+)\}\}/g, (_, name) => {
        if (!(name in values)) throw new Error(`edge template: unknown value {{${name}}}`);
        return values[name];
      }),
    );
  }
  return out.join('\n');
}

/** A free loopback port. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

function accepts(port) {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/**
 * Renders the edge's configuration into `workDir` and runs nginx on it in the foreground, as a child
 * of this process. Resolves once nginx accepts connections on `port` (a free one when not given).
 * `s3`: serve media from this bucket (path-style, read without credentials) through nginx's cache,
 * instead of from `storageDir`. `verdictTtl`/`refusalTtl`: how long a catalog verdict is kept.
 */
export async function startEdge(options) {
  const port = options.port || (await freePort());
  const workDir = resolve(options.workDir ?? join(tmpdir(), `lectern-edge-${port}`));
  for (const dir of ['logs', 'tmp', 'cache']) mkdirSync(join(workDir, dir), { recursive: true });
  // As root, nginx's workers would run as nobody and could not read a private storage folder.
  const user = options.user ?? (process.getuid?.() === 0 ? 'root' : undefined);
  const config = renderEdgeConfig(readFileSync(EDGE_TEMPLATE, 'utf8'), { ...options, port, workDir, user });
  writeFileSync(join(workDir, 'nginx.conf'), config);
  const args = ['-p', `${workDir}/`, '-c', 'nginx.conf', '-e', 'logs/error.log', '-g', 'daemon off;'];
  const tested = spawnSync(NGINX, [...args, '-t'], { encoding: 'utf8' });
  if (tested.status !== 0) throw new Error(`nginx refused the edge configuration (${join(workDir, 'nginx.conf')}):\n${tested.stderr}`);

  const child = spawn(NGINX, args, { stdio: ['ignore', 'inherit', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const exited = new Promise((done) => child.once('exit', (code, signal) => done(signal ?? `exit ${code}`)));
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`nginx stopped at start (${await exited}):\n${stderr}`);
    if (await accepts(port)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nginx did not listen on ${port} within ${STARTUP_TIMEOUT_MS} ms:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  let stopped = null;
  const stop = () => {
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        // TERM is nginx's fast shutdown; its master takes the workers with it.
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    })();
    return stopped;
  };
  return { url: `http://127.0.0.1:${port}`, port, pid: child.pid, workDir, child, stop };
}

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'storage-dir': { type: 'string' },
      'catalog-url': { type: 'string', default: 'http://127.0.0.1:3000' },
      'web-url': { type: 'string', default: 'http://127.0.0.1:8080' },
      's3-endpoint': { type: 'string' },
      's3-bucket': { type: 'string' },
      'work-dir': { type: 'string', default: join(ROOT, 'var/edge') },
      'verdict-ttl': { type: 'string', default: '30s' },
    },
  });
  if (!values['storage-dir'] && !values['s3-endpoint']) throw new Error('give --storage-dir, or --s3-endpoint and --s3-bucket');
  const edge = await startEdge({
    port: values.port ? Number(values.port) : undefined,
    storageDir: values['storage-dir'],
    catalogUrl: values['catalog-url'],
    webUrl: values['web-url'],
    s3: values['s3-endpoint'] ? { endpoint: values['s3-endpoint'], bucket: values['s3-bucket'] ?? 'lectern' } : undefined,
    workDir: values['work-dir'],
    verdictTtl: values['verdict-ttl'],
  });
  console.log(`edge (nginx ${edge.pid}) at ${edge.url}, configuration in ${edge.workDir}/nginx.conf`);
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => edge.stop().then(() => process.exit(0)));
  edge.child.once('exit', (code) => process.exit(code ?? 1));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
