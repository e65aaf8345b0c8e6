// Benchmarks Lectern's single-process ladder (decode once, encode every rung) against the baseline
// of one ffmpeg per rendition run one after another, with identical encoder settings.
// Usage (after `npm run build:server`): node scripts/bench-transcode.mjs [--seconds 60] [--keep]
// Prints wall time of each, the speed-up, and SSIM of every rung against the source for both.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const TARGET_SPEEDUP = 1.4;
const SSIM_TOLERANCE = 0.005;
const HOUR_MS = 3600_000;

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const mediaEntry = join(root, 'dist/libs/media/src/index.js');

function parseArgs(argv) {
  const options = { seconds: 60, keep: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--seconds') options.seconds = Number(argv[++i]);
    else if (arg.startsWith('--seconds=')) options.seconds = Number(arg.slice('--seconds='.length));
    else if (arg === '--keep') options.keep = true;
    else if (arg === '--help' || arg === '-h') {
      console.log('node scripts/bench-transcode.mjs [--seconds N] [--keep]');
      process.exit(0);
    } else throw new Error(`Unknown argument ${arg}`);
  }
  if (!Number.isFinite(options.seconds) || options.seconds < 2 || options.seconds > 3600) {
    throw new Error('--seconds must be a number from 2 to 3600');
  }
  return options;
}

async function ffmpeg(args) {
  return run('ffmpeg', ['-nostdin', '-hide_banner', ...args], { maxBuffer: 64 * 1024 * 1024 });
}

/** A 1080p30 lecture stand-in that gives x264 real work: moving test pattern, film-grain noise, a tone. */
async function makeSource(path, seconds) {
  await ffmpeg([
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=1920x1080:rate=30:duration=${seconds}`,
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=440:sample_rate=48000:duration=${seconds}`,
    '-vf',
    'noise=alls=4:allf=t',
    '-c:v',
    'libx264',
    '-preset',
    'superfast',
    '-crf',
    '20',
    // About what a good camera or phone records: 20 Mbit/s at most.
    '-maxrate',
    '20M',
    '-bufsize',
    '40M',
    '-pix_fmt',
    'yuv420p',
    '-g',
    '60',
    '-c:a',
    'aac',
    '-b:a',
    '128k',
    '-shortest',
    path,
  ]);
}

/** init segment + media segments of one rendition joined into one fragmented MP4 that ffmpeg can read. */
async function joinRendition(media, renditionDir, target) {
  const playlist = media.parseMediaPlaylist(await readFile(join(renditionDir, 'index.m3u8'), 'utf8'));
  const parts = await Promise.all(
    [playlist.initUri, ...playlist.segments.map((s) => s.uri)].map((uri) => readFile(join(renditionDir, uri))),
  );
  await writeFile(target, Buffer.concat(parts));
  return target;
}

/**
 * SSIM (ffmpeg's `All:`) of one rung from both runs against the source scaled to the rung's size and
 * frame rate; one ffmpeg decodes the source once for both comparisons.
 */
async function ssimOf(media, rung, renditionDirs, source, scratch) {
  const names = Object.keys(renditionDirs);
  const joined = [];
  try {
    for (const name of names) {
      joined.push(await joinRendition(media, renditionDirs[name], join(scratch, `${name}-${rung.name}.mp4`)));
    }
    const refs = names.map((_, i) => `[ref${i}]`).join('');
    const graph = [
      `[${names.length}:v]fps=${rung.fps},scale=${rung.width}:${rung.height}:flags=bicubic,setsar=1,format=yuv420p,setpts=PTS-STARTPTS,split=${names.length}${refs}`,
      ...names.map((name, i) => `[${i}:v]setsar=1,setpts=PTS-STARTPTS[dist${i}];[dist${i}][ref${i}]ssim@${name}`),
    ].join(';');
    const { stderr } = await ffmpeg([
      '-loglevel',
      'info',
      '-nostats',
      ...joined.flatMap((path) => ['-i', path]),
      '-i',
      source,
      '-lavfi',
      graph,
      '-f',
      'null',
      '-',
    ]);
    const result = {};
    for (const name of names) {
      const match = new RegExp(`\\[ssim@${name} @ [^\\]]+\\] SSIM .*All:\\s*([0-9.]+)`).exec(stderr);
      if (!match) throw new Error(`no SSIM for ${name} ${rung.name} in ffmpeg output:\n${stderr.slice(-2000)}`);
      result[name] = Number(match[1]);
    }
    return result;
  } finally {
    await Promise.all(joined.map((path) => rm(path, { force: true })));
  }
}

const seconds = (ms) => (ms / 1000).toFixed(1);

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!existsSync(mediaEntry)) throw new Error(`${mediaEntry} is missing: run "npm run build:server" first.`);
  const media = await import(mediaEntry);
  const { stdout: version } = await run('ffmpeg', ['-version']);
  const dir = await mkdtemp(join(tmpdir(), 'lectern-bench-'));
  try {
    console.log(
      `Lectern transcode benchmark: ${options.seconds} s of 1080p30 with noise, ${cpus().length} CPU(s), ${version.split('\n')[0]}`,
    );
    const source = join(dir, 'source.mp4');
    let started = Date.now();
    await makeSource(source, options.seconds);
    const probe = await media.probeMedia(source);
    const plan = media.ladderFor(probe);
    console.log(
      `source made in ${seconds(Date.now() - started)} s: ${probe.video.width}x${probe.video.height}, ` +
        `${((probe.sizeBytes * 8) / probe.durationSec / 1e6).toFixed(1)} Mbit/s; ladder ${plan.rungs.map((r) => r.name).join(', ')} + ${plan.audio.map((a) => a.name).join(', ')}`,
    );

    const ladderDir = join(dir, 'lectern');
    await mkdir(ladderDir);
    started = Date.now();
    await media.runFfmpeg(media.buildHlsArguments(plan, { input: source, outputDir: ladderDir }), { timeoutMs: HOUR_MS });
    const ladderMs = Date.now() - started;
    console.log(`Lectern single process: ${seconds(ladderMs)} s`);

    const baselineDir = join(dir, 'baseline');
    await mkdir(baselineDir);
    started = Date.now();
    for (const rendition of [...plan.rungs, ...plan.audio]) {
      const t = Date.now();
      await media.runFfmpeg(media.buildBaselinePerRungArguments(plan, rendition, { input: source, outputDir: baselineDir }), {
        timeoutMs: HOUR_MS,
      });
      console.log(`  baseline ${rendition.name}: ${seconds(Date.now() - t)} s`);
    }
    const baselineMs = Date.now() - started;
    const speedup = baselineMs / ladderMs;
    console.log(`Baseline, one ffmpeg per rendition: ${seconds(baselineMs)} s`);
    console.log(`Speed-up: ${speedup.toFixed(2)}x (target >= ${TARGET_SPEEDUP}x)`);

    console.log('\nSSIM against the source (scaled to each rung):');
    console.log('rung     lectern   baseline  difference');
    let ssimOk = true;
    for (const rung of plan.rungs) {
      const { lectern, baseline } = await ssimOf(
        media,
        rung,
        { lectern: join(ladderDir, rung.name), baseline: join(baselineDir, rung.name) },
        source,
        dir,
      );
      const difference = lectern - baseline;
      const ok = Math.abs(difference) <= SSIM_TOLERANCE;
      ssimOk &&= ok;
      console.log(
        `${rung.name.padEnd(8)} ${lectern.toFixed(6)}  ${baseline.toFixed(6)}  ${difference >= 0 ? '+' : ''}${difference.toFixed(6)}${ok ? '' : '  (outside tolerance)'}`,
      );
    }

    const pass = speedup >= TARGET_SPEEDUP && ssimOk;
    console.log(
      `\n${pass ? 'PASS' : 'FAIL'}: speed-up ${speedup.toFixed(2)}x ${speedup >= TARGET_SPEEDUP ? '>=' : '<'} ${TARGET_SPEEDUP}x; ` +
        `SSIM ${ssimOk ? 'within' : 'NOT within'} ${SSIM_TOLERANCE} of the baseline on every rung`,
    );
    process.exitCode = pass ? 0 : 1;
  } finally {
    if (options.keep) console.log(`kept ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error?.stack ?? error);
  process.exitCode = 2;
});
