// Time to first playable: uploads a 1080p lecture through tus to the whole platform (catalog, upload,
// transcoder and web gateway, built, as separate processes) and measures, from the upload's last byte,
// until the studio's preview player can play it: POST /api/lectures/:id/playback as the editor, then the
// master playlist, a rendition playlist and its init and first segment, all fetched through the real
// signed delivery. Then the time to "ready" (or, when that would take too long, the ETA the studio shows).
// Usage (after `npm run build:server`): node scripts/bench-playable.mjs [--minutes 10,60] [--ready-up-to 15]
//   --minutes: source lengths to measure, in minutes (default 10,60)
//   --ready-up-to: wait for "ready" only for sources up to this many minutes long (default 15)
//   --ready-within: and for at most this many minutes after the upload (default 40); else the studio's ETA is printed
// The sources are a 30 s lavfi clip (1080p30 H.264 + AAC) repeated with `-stream_loop … -c copy`: quick to
// make, and the encoder still sees every frame of the whole length.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as tus from 'tus-js-client';
import { freePort, freshDemoDatabase, machine } from './bench-support.mjs';
import { ROOT } from './setup-steps.mjs';

const TARGET_PLAYABLE_SEC = 15;
const run = promisify(execFile);
const SERVER = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
let DB_URL = '';
const SECRET = process.env.JWT_SECRET ?? randomBytes(32).toString('hex');
const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? 'lectern-demo';

function parseArgs(argv) {
  const options = { minutes: [10, 60], readyUpTo: 15, readyWithin: 40 };
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i].split('=');
    const value = () => inline ?? argv[++i];
    if (flag === '--minutes') options.minutes = value().split(',').map(Number);
    else if (flag === '--ready-up-to') options.readyUpTo = Number(value());
    else if (flag === '--ready-within') options.readyWithin = Number(value());
    else if (flag === '--help' || flag === '-h') {
      console.log('node scripts/bench-playable.mjs [--minutes 10,60] [--ready-up-to 15] [--ready-within 40]');
      process.exit(0);
    } else throw new Error(`Unknown argument ${argv[i]}`);
  }
  if (options.minutes.some((m) => !Number.isFinite(m) || m <= 0 || m > 180)) throw new Error('--minutes: lengths from 1 to 180');
  return options;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms) => (ms / 1000).toFixed(1);

async function ffmpeg(args) {
  await run('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...args], { maxBuffer: 16 * 1024 * 1024 });
}

/** A 30 s 1080p30 clip, then `minutes` of it by stream copy. */
async function makeSource(dir, minutes) {
  const clip = join(dir, 'clip.mp4');
  await ffmpeg([
    ...['-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=30:duration=30'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=30'],
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', '-g', '60'],
    ...['-c:a', 'aac', '-b:a', '128k', '-shortest', clip],
  ]);
  const source = join(dir, `lecture-${minutes}min.mp4`);
  await ffmpeg(['-stream_loop', '-1', '-i', clip, '-t', String(minutes * 60), '-c', 'copy', '-movflags', '+faststart', source]);
  return source;
}

/** The platform as `npm start` runs it, one process per service, on free ports with its own storage. */
async function startPlatform(work) {
  const [catalogPort, uploadPort, webPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    DATABASE_URL: DB_URL,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `bench-playable-${randomBytes(3).toString('hex')}`,
    JWT_SECRET: SECRET,
    STORAGE_DIR: join(work, 'storage'),
    UPLOAD_DIR: join(work, 'uploads'),
    WORK_DIR: join(work, 'work'),
    CATALOG_PORT: String(catalogPort),
    UPLOAD_PORT: String(uploadPort),
    WEB_PORT: String(webPort),
    CATALOG_URL: `http://127.0.0.1:${catalogPort}`,
    UPLOAD_URL: `http://127.0.0.1:${uploadPort}`,
    WEB_DIST_DIR: join(ROOT, 'apps/web/dist'),
    UPLOAD_MAX_BYTES: String(20 * 1024 ** 3),
  };
  const children = [];
  const launch = (name) => {
    const child = spawn(process.execPath, [join(ROOT, `dist/apps/${name}/src/main.js`)], {
      // The transcoder says "transcoder ready" at info level.
      env: { ...env, LECTERN_PROCESS: name, ...(name === 'transcoder' ? { LOG_LEVEL: 'info' } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = [];
    const keep = (chunk) => {
      output.push(chunk.toString());
      if (output.length > 200) output.shift();
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    children.push({ name, child, output });
    return { child, output };
  };
  const services = Object.fromEntries(['catalog', 'upload', 'transcoder', 'web'].map((name) => [name, launch(name)]));
  const waitFor = async (what, check) => {
    for (let i = 0; i < 3000; i += 1) {
      if (await check().catch(() => false)) return;
      for (const { name, child, output } of children) {
        if (child.exitCode !== null) throw new Error(`${name} exited ${child.exitCode}:\n${output.join('').slice(-3000)}`);
      }
      await sleep(200);
    }
    throw new Error(`${what} did not start`);
  };
  await waitFor('catalog', async () => (await fetch(`${env.CATALOG_URL}/health`)).ok);
  await waitFor('upload', async () => (await fetch(`${env.UPLOAD_URL}/health`)).ok);
  await waitFor('web', async () => (await fetch(`http://127.0.0.1:${webPort}/`)).ok);
  await waitFor('transcoder', async () => services.transcoder.output.join('').includes('transcoder ready'));
  const stop = async () => {
    await Promise.all(
      children.map(
        ({ child }) =>
          new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', resolve);
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
          }),
      ),
    );
  };
  return { baseUrl: `http://127.0.0.1:${webPort}`, stop };
}

function client(baseUrl) {
  const api = async (path, token, init = {}) => {
    const answer = await fetch(`${baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { status: answer.status, body: await answer.json().catch(() => null) };
  };
  const login = async (login) =>
    (await api('/api/auth/login', undefined, { method: 'POST', body: { login, password: DEMO_PASSWORD } })).body.accessToken;
  return { api, login };
}

function tusUpload(baseUrl, token, path) {
  return new Promise((resolve, reject) => {
    const upload = new tus.Upload(createReadStream(path), {
      endpoint: `${baseUrl}/files/`,
      headers: { Authorization: `Bearer ${token}` },
      metadata: { filename: path.split('/').pop(), filetype: 'video/mp4' },
      uploadSize: statSync(path).size,
      chunkSize: 32 * 1024 * 1024,
      retryDelays: [0, 1000, 3000],
      onSuccess: () => resolve({ url: upload.url, lastByteAt: Date.now() }),
      onError: reject,
    });
    upload.start();
  });
}

/** What the studio's preview player does: open playback, then the master, the first rendition's playlist, its init and first segment. */
async function playableNow(baseUrl, api, editor, lectureId) {
  const playback = await api(`/api/lectures/${lectureId}/playback`, editor, { method: 'POST' });
  if (playback.status !== 201) return null;
  const masterUrl = new URL(playback.body.masterUrl, baseUrl);
  const master = await fetch(masterUrl);
  if (!master.ok) return null;
  const variant = (await master.text()).split('\n').find((line) => line && !line.startsWith('#'));
  if (!variant) return null;
  const playlistUrl = new URL(variant.trim(), masterUrl);
  const playlist = await fetch(playlistUrl);
  if (!playlist.ok) return null;
  const text = await playlist.text();
  const init = /#EXT-X-MAP:URI="([^"]+)"/.exec(text)?.[1];
  const first = text.split('\n').find((line) => line && !line.startsWith('#'));
  if (!first) return null;
  for (const uri of [init, first.trim()].filter(Boolean)) {
    const answer = await fetch(new URL(uri, playlistUrl));
    if (!answer.ok || (await answer.arrayBuffer()).byteLength === 0) return null;
  }
  return { stillEncoding: playback.body.stillEncoding === true, playlistType: /#EXT-X-PLAYLIST-TYPE:(\w+)/.exec(text)?.[1] ?? '' };
}

async function measure(platform, source, minutes, waitForReady, readyWithinMs) {
  const { api, login } = client(platform.baseUrl);
  const editor = await login('editor');
  const categories = (await api('/api/course-categories', editor)).body;
  const course = (
    await api('/api/courses', editor, { method: 'POST', body: { title: `Bench ${minutes} min`, categoryId: categories[0].id } })
  ).body;
  const sizeMb = statSync(source).size / 1024 ** 2;
  const uploadStarted = Date.now();
  const { url, lastByteAt } = await tusUpload(platform.baseUrl, editor, source);
  const uploadSec = (lastByteAt - uploadStarted) / 1000;
  const asset = (await api(`/api/uploads/${url.split('/').pop()}/asset`, editor)).body;
  const lecture = (
    await api(`/api/courses/${course.id}/lectures`, editor, {
      method: 'POST',
      body: { title: `Lecture ${minutes} min`, assetId: asset.id },
    })
  ).body;

  let playable = null;
  let playableAt = 0;
  while (!playable) {
    playable = await playableNow(platform.baseUrl, api, editor, lecture.id);
    playableAt = Date.now();
    if (!playable) {
      const status = (await api(`/api/assets/${asset.id}`, editor)).body;
      if (status.status === 'failed') throw new Error(`transcoding failed: ${JSON.stringify(status.failure)}`);
      await sleep(250);
    }
  }
  const studio = (await api(`/api/assets/${asset.id}`, editor)).body;
  console.log(
    `  first playable ${seconds(playableAt - lastByteAt)} s after the upload's last byte (${playable.stillEncoding ? 'still encoding' : 'ready'}); ` +
      `the studio shows ${studio.encodedPercent ?? '—'} % encoded, about ${studio.etaSeconds ?? '—'} s left (load average ${loadavg()[0].toFixed(1)})`,
  );
  const result = {
    minutes,
    sizeMb,
    uploadSec,
    playableSec: (playableAt - lastByteAt) / 1000,
    playableWhile: playable.stillEncoding ? `still encoding (${playable.playlistType})` : 'ready',
    studioAtPlayable: studio,
    readySec: null,
    studioLater: null,
  };
  if (waitForReady) {
    for (;;) {
      const status = (await api(`/api/assets/${asset.id}`, editor)).body;
      if (status.status === 'ready') {
        result.readySec = (Date.now() - lastByteAt) / 1000;
        break;
      }
      if (status.status === 'failed') throw new Error(`transcoding failed: ${JSON.stringify(status.failure)}`);
      if (Date.now() - lastByteAt > readyWithinMs) {
        result.studioLater = { afterSec: (Date.now() - lastByteAt) / 1000, ...status };
        break;
      }
      await sleep(1000);
    }
  } else {
    // Let the encode settle into its pace, then read what the studio shows.
    await sleep(60_000);
    result.studioLater = { afterSec: (Date.now() - lastByteAt) / 1000, ...(await api(`/api/assets/${asset.id}`, editor)).body };
  }
  return result;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  // One database per set of lengths, so two runs (one per length) can go side by side.
  DB_URL = `${SERVER.replace(/\/$/, '')}/lectern_bench_playable_${options.minutes.join('_')}`;
  const work = await mkdtemp(join(tmpdir(), 'lectern-bench-playable-'));
  await mkdir(join(work, 'sources'), { recursive: true });
  console.log(`bench:playable on ${machine()}`);
  console.log('Preparing the database and the sources …');
  await freshDemoDatabase(DB_URL);
  const sources = {};
  for (const minutes of options.minutes) sources[minutes] = await makeSource(join(work, 'sources'), minutes);
  const results = [];
  for (const minutes of options.minutes) {
    // A platform per source, so an unfinished encode never queues ahead of the next measurement.
    const platform = await startPlatform(join(work, `platform-${minutes}`));
    try {
      console.log(`Uploading a ${minutes}-minute 1080p lecture …`);
      const result = await measure(platform, sources[minutes], minutes, minutes <= options.readyUpTo, options.readyWithin * 60_000);
      results.push(result);
      print(result);
    } finally {
      await platform.stop();
    }
  }
  console.log(
    `\nLoad average at the end: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} on ${availableParallelism()} cores.`,
  );
  console.log("\nTime to first playable in the studio preview player, from the upload's last byte:");
  for (const r of results) {
    const ready = r.readySec !== null ? `${seconds(r.readySec * 1000)} s` : `not awaited (studio ETA ${eta(r)})`;
    console.log(
      `  ${String(r.minutes).padStart(3)} min 1080p: first playable ${r.playableSec.toFixed(1)} s (target ≤ ${TARGET_PLAYABLE_SEC} s: ${r.playableSec <= TARGET_PLAYABLE_SEC ? 'met' : 'MISSED'}); ready ${ready}`,
    );
  }
  await rm(work, { recursive: true, force: true });
}

function eta(r) {
  const later = r.studioLater;
  if (!later) return 'n/a';
  return `${later.etaSeconds ?? '?'} s more at ${later.encodedPercent ?? '?'} % encoded, ${seconds(later.afterSec * 1000)} s after the upload`;
}

function print(r) {
  console.log(`  source: ${r.minutes} min, ${r.sizeMb.toFixed(0)} MB, uploaded in ${r.uploadSec.toFixed(1)} s`);
  console.log(`  first playable after ${r.playableSec.toFixed(1)} s (${r.playableWhile})`);
  const s = r.studioAtPlayable;
  console.log(
    `  the studio then shows: status ${s.status}, previewable ${s.previewable}, ${s.encodedPercent ?? '—'} % encoded, ETA ${s.etaSeconds ?? '—'} s`,
  );
  if (r.readySec !== null) console.log(`  ready after ${r.readySec.toFixed(1)} s`);
  if (r.studioLater) {
    const l = r.studioLater;
    console.log(
      `  ${l.afterSec.toFixed(0)} s after the upload the studio shows: ${l.encodedPercent} % encoded, about ${l.etaSeconds} s left`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
