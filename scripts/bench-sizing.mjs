// node scripts/bench-sizing.mjs [--seconds 60] — the transcoder's whole set (HLS ladder, offline files,
// poster, thumbnails) made from two 1080p30 sources by the transcoder's own encodeSet, with the CPU
// seconds of every ffmpeg counted (user + system, from /usr/bin/time) and the bytes it wrote. Prints
// media seconds per CPU second and the storage of one lecture hour, for docs/OPERATIONS.md.
// Needs `npm run build:server` first.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const seconds = Number(process.argv.includes('--seconds') ? process.argv[process.argv.indexOf('--seconds') + 1] : 60);
const media = await import(join(root, 'dist/libs/media/src/index.js'));
const { encodeSet } = await import(join(root, 'dist/apps/transcoder/src/encode-set.js'));
const run = promisify(execFile);

/**
 * Two bounds for what members upload: a lecture room (a still slide and a still camera with sensor
 * noise, one small moving area: the speaker), and the hard case bench:transcode uses (the whole
 * picture moving, with film grain), which no lecture exceeds.
 */
const SOURCES = {
  'lecture room': {
    inputs: [
      '-f',
      'lavfi',
      '-i',
      `smptehdbars=size=1920x1080:rate=30:duration=${seconds}`,
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=480x640:rate=30:duration=${seconds}`,
    ],
    video: ['-filter_complex', '[0:v][1:v]overlay=x=1400:y=380,noise=alls=2:allf=t[v]', '-map', '[v]', '-map', '2:a'],
  },
  'whole picture moving': {
    inputs: ['-f', 'lavfi', '-i', `testsrc2=size=1920x1080:rate=30:duration=${seconds}`],
    video: ['-vf', 'noise=alls=4:allf=t'],
  },
};

async function makeSource(path, { inputs, video }) {
  await run('ffmpeg', [
    ...['-nostdin', '-hide_banner', '-loglevel', 'error', '-y'],
    ...inputs,
    ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`],
    ...video,
    ...['-c:v', 'libx264', '-preset', 'superfast', '-crf', '20', '-maxrate', '20M', '-bufsize', '40M', '-pix_fmt', 'yuv420p', '-g', '60'],
    ...['-c:a', 'aac', '-b:a', '128k', '-shortest', path],
  ]);
}

/** One ffmpeg under /usr/bin/time: its CPU seconds (user + system) and wall seconds. */
function timed(args) {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', 'TIMED %U %S %e', 'ffmpeg', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-20_000)));
    child.on('error', reject);
    child.on('exit', (code) => {
      const match = /TIMED ([\d.]+) ([\d.]+) ([\d.]+)/.exec(stderr);
      if (code !== 0 || !match) return reject(new Error(`ffmpeg exited ${code}: ${stderr.slice(-2000)}`));
      resolve({ cpu: Number(match[1]) + Number(match[2]), wall: Number(match[3]) });
    });
  });
}

async function filesUnder(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath ?? entry.path, entry.name);
    files.push({ path: relative(dir, path), size: (await stat(path)).size });
  }
  return files;
}

const mib = (bytes) => (bytes / 2 ** 20).toFixed(1);
const gib = (bytes) => (bytes / 2 ** 30).toFixed(2);

console.log(
  `sizing: ${seconds} s sources, ${cpus().length} × ${cpus()[0].model}, load average at start ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const work = await mkdtemp(join(tmpdir(), 'lectern-sizing-'));
try {
  for (const [name, video] of Object.entries(SOURCES)) {
    const source = join(work, `${name.replaceAll(' ', '-')}.mp4`);
    await makeSource(source, video);
    const probe = await media.probeMedia(source);
    const plan = media.ladderFor(probe);
    const out = join(work, `${name.replaceAll(' ', '-')}-out`);
    const steps = {};
    await encodeSet(plan, source, out, async (step, args) => {
      steps[step] = await timed(args);
    });
    const cpu = Object.values(steps).reduce((sum, s) => sum + s.cpu, 0);
    const wall = Object.values(steps).reduce((sum, s) => sum + s.wall, 0);
    const files = await filesUnder(out);
    const groups = {};
    for (const file of files) {
      const top = file.path.includes(sep)
        ? file.path.split(sep)[0]
        : file.path.endsWith('.mp4') || file.path.endsWith('.m4a')
          ? 'downloads'
          : 'other';
      groups[top] = (groups[top] ?? 0) + file.size;
    }
    const total = files.reduce((sum, f) => sum + f.size, 0);
    const perHour = 3600 / probe.durationSec;
    console.log(
      `\n${name}: source ${((probe.sizeBytes * 8) / probe.durationSec / 1e6).toFixed(1)} Mbit/s, ${probe.durationSec.toFixed(1)} s`,
    );
    console.log(`  ladder: ${plan.rungs.map((r) => `${r.name} (${r.width}x${r.height}@${r.fps}, ≤${r.maxrateKbps} kbit/s)`).join(', ')}`);
    console.log(
      `  audio: ${plan.audio.map((a) => `${a.name} ${a.bitrateKbps} kbit/s`).join(', ')}; downloads: ${plan.downloads.map((d) => d.fileName).join(', ')}`,
    );
    for (const [step, s] of Object.entries(steps))
      console.log(`  ${step.padEnd(10)} cpu ${s.cpu.toFixed(1)} s, wall ${s.wall.toFixed(1)} s`);
    console.log(
      `  total      cpu ${cpu.toFixed(1)} s, wall ${wall.toFixed(1)} s → ${(probe.durationSec / cpu).toFixed(3)} media s per CPU s`,
    );
    console.log(`  → one worker core transcodes ${(probe.durationSec / cpu).toFixed(2)} lecture hours per hour`);
    for (const [group, bytes] of Object.entries(groups).sort()) {
      console.log(`  ${group.padEnd(10)} ${mib(bytes)} MiB → ${gib(bytes * perHour)} GiB per lecture hour`);
    }
    console.log(
      `  set total  ${mib(total)} MiB → ${gib(total * perHour)} GiB per lecture hour (source ${gib(probe.sizeBytes * perHour)} GiB per hour)`,
    );
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
console.log(
  `\nload average at end ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
