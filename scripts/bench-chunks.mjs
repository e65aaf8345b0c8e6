// Chunk-parallel encoding benchmark: one source encoded by the chunk flow with N = 1 and N = 2 chunk
// worker processes, each pinned to its own core (`taskset -c i`) and each ffmpeg held to one thread,
// beside the single-process ladder (ffmpeg's own threading on every core), plus the fixed costs of an
// encode that do not split (audio pass, offline files, poster).
// Usage (after `npm run build:server`): node scripts/bench-chunks.mjs [--seconds 120] [--chunk 20] [--size 1920x1080] [--keep]
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { machine } from './bench-support.mjs';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (path) => join(root, 'dist', path);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function parseArgs(argv) {
  const options = { seconds: 120, chunk: 20, size: '1920x1080', keep: false, worker: null };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--seconds') options.seconds = Number(argv[++i]);
    else if (arg === '--chunk') options.chunk = Number(argv[++i]);
    else if (arg === '--keep') options.keep = true;
    else if (arg === '--size') options.size = argv[++i];
    else if (arg === '--worker') options.worker = { prefix: argv[++i], workDir: argv[++i] };
    else if (arg === '--help' || arg === '-h') {
      console.log('node scripts/bench-chunks.mjs [--seconds N] [--chunk S] [--size WxH] [--keep]');
      process.exit(0);
    } else throw new Error(`Unknown argument ${arg}`);
  }
  if (!Number.isFinite(options.seconds) || options.seconds < 20 || options.seconds > 3600) throw new Error('--seconds must be 20 to 3600');
  if (!/^\d{2,4}x\d{2,4}$/.test(options.size)) throw new Error('--size must look like 1920x1080');
  if (!Number.isFinite(options.chunk) || options.chunk < 4 || options.chunk * 2 > options.seconds) {
    throw new Error('--chunk must be at least 4 and at most half of --seconds');
  }
  return options;
}

function connection() {
  const url = new URL(REDIS_URL);
  return { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null };
}

/** Worker mode: one chunk worker (concurrency 1) until SIGTERM. Pinned by the taskset that started it. */
async function workerMain({ prefix, workDir }) {
  const { ChunkWorkers } = await import(dist('apps/transcoder/src/chunks/chunk-workers.js'));
  const workers = new ChunkWorkers({
    connection: connection(),
    prefix,
    workDir,
    concurrency: 1,
    lockDurationMs: 120_000,
    stalledIntervalMs: 60_000,
    timeoutMs: 6 * 3600_000,
    // No database here: the benchmark's attempts are never superseded.
    isCurrent: () => Promise.resolve(true),
  });
  await workers.start();
  console.log('ready');
  process.on('SIGTERM', () => {
    workers.close().then(() => process.exit(0));
  });
}

async function ffmpeg(args) {
  return run('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...args], { maxBuffer: 64 * 1024 * 1024 });
}

/** The same stand-in as bench:transcode (1080p30 by default): moving test pattern, film-grain noise, a tone. */
async function makeSource(path, seconds, size) {
  await ffmpeg([
    ...['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=30:duration=${seconds}`],
    ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`],
    ...['-vf', 'noise=alls=4:allf=t', '-c:v', 'libx264', '-preset', 'superfast', '-crf', '20'],
    ...['-maxrate', '20M', '-bufsize', '40M', '-pix_fmt', 'yuv420p', '-g', '60', '-c:a', 'aac', '-b:a', '128k', '-shortest', path],
  ]);
}

function startWorker(core, prefix, workDir) {
  const child = spawn('taskset', ['-c', String(core), process.execPath, fileURLToPath(import.meta.url), '--worker', prefix, workDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`chunk worker on core ${core} exited with ${code}`)));
    child.stdout.on('data', (data) => {
      if (String(data).includes('ready')) resolve(child);
    });
  });
}

async function stopWorker(child) {
  child.removeAllListeners('exit');
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function timed(fn) {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function chunkedRun(media, { plan, spans, source, dir, workers }) {
  const prefix = `bench-chunks-${randomBytes(4).toString('hex')}`;
  const workDir = join(dir, `work-${workers}`);
  await mkdir(workDir, { recursive: true });
  const children = [];
  try {
    for (let i = 0; i < workers; i += 1) children.push(await startWorker(i % cpus().length, prefix, workDir));
    const assetId = `bench${workers}`;
    const token = randomBytes(8).toString('hex');
    const scratch = join(workDir, `${assetId}-${token}`);
    const outputDir = join(scratch, 'out');
    await mkdir(outputDir, { recursive: true });
    const { encodeChunkedHls } = await import(dist('apps/transcoder/src/chunks/chunked-hls.js'));
    const load = loadavg()[0];
    const wall = await timed(() =>
      encodeChunkedHls({ connection: connection(), prefix, workDir, assetId, token, plan, source, spans, scratch, outputDir, threads: 1 }),
    );
    return { wall, load, outputDir };
  } finally {
    for (const child of children) await stopWorker(child);
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.worker) return workerMain(options.worker);
  await run('taskset', ['--version']).catch(() => {
    throw new Error('taskset (util-linux) is needed to pin each worker to a core');
  });
  const media = await import(dist('libs/media/src/index.js'));
  const dir = await mkdtemp(join(tmpdir(), 'lectern-bench-chunks-'));
  try {
    console.log(
      `Lectern chunk-parallel encoding benchmark: ${options.seconds} s of ${options.size} at 30 fps with noise, chunks of ${options.chunk} s`,
    );
    console.log(`machine: ${machine()}`);
    const source = join(dir, 'source.mp4');
    await makeSource(source, options.seconds, options.size);
    const plan = media.ladderFor(await media.probeMedia(source));
    const spans = media.planChunks(plan, options.chunk);
    if (!spans) throw new Error('the source makes fewer than two chunks');
    console.log(
      `ladder ${plan.rungs.map((r) => r.name).join(' ')} + ${plan.audio.map((a) => a.name).join(' ')}; ${spans.length} video chunks + 1 audio pass`,
    );

    const rows = [];
    const single = join(dir, 'single');
    let load = loadavg()[0];
    const singleWall = await timed(() =>
      media.runFfmpeg(media.buildHlsArguments(plan, { input: source, outputDir: single }), { timeoutMs: 6 * 3600_000 }),
    );
    rows.push(['single-process ladder (ffmpeg threads, all cores)', singleWall, load]);

    // Fixed costs that do not split into chunks, each on one core with one thread.
    const audioDir = join(dir, 'audio-only');
    load = loadavg()[0];
    const audioWall = await timed(() =>
      run('taskset', ['-c', '0', 'ffmpeg', ...media.buildChunkAudioArguments(plan, { input: source, outputDir: audioDir, threads: 1 })]),
    );
    await media.finalizeMasterPlaylist(plan, single);
    const downloadsWall = await timed(() =>
      media.runFfmpeg(media.buildDownloadArguments(plan, { outputDir: single }), { timeoutMs: 3600_000 }),
    );
    const posterWall = await timed(() =>
      media.runFfmpeg(media.buildPosterArguments(plan, { input: source, outputDir: single }), { timeoutMs: 3600_000 }),
    );

    const results = {};
    for (const workers of [1, 2]) {
      const result = await chunkedRun(media, { plan, spans, source, dir, workers });
      results[workers] = result;
      rows.push([
        `chunk flow, ${workers} worker process${workers > 1 ? 'es' : ''} (taskset one core each, -threads 1)`,
        result.wall,
        result.load,
      ]);
    }

    console.log('');
    for (const [label, wall, at] of rows) {
      console.log(
        `${label.padEnd(72)} ${wall.toFixed(1).padStart(7)} s  (${(options.seconds / wall).toFixed(2)}× real time; load ${at.toFixed(2)} at start)`,
      );
    }
    const ratio = results[1].wall / results[2].wall;
    console.log('');
    console.log(
      `N=1 → N=2 speed-up: ${ratio.toFixed(2)}× (ideal 2.00×; the audio pass, ${spans.length} chunks on 2 workers and the shared machine take the rest)`,
    );
    console.log(
      `one worker (one core) encodes ${(options.seconds / results[1].wall).toFixed(3)} s of the ${options.size} ladder per second`,
    );
    console.log(
      `fixed costs: audio pass ${audioWall.toFixed(1)} s (${(options.seconds / audioWall).toFixed(0)}× real time, one core), ` +
        `offline files ${downloadsWall.toFixed(1)} s, poster ${posterWall.toFixed(1)} s`,
    );
    console.log(
      `load average after: ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    if (!options.keep) await rm(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
