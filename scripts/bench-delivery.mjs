// npm run bench:delivery — HLS segment delivery to 1,000 viewers, each with their own playback session and
// token, through today's Node path (web gateway → catalog → storage) and through the nginx edge in front
// (token checked once per token by auth_request to the catalog, files sent by nginx), in one run. Measures
// throughput and the CPU seconds the serving processes spend per GB delivered, read from /proc.
import autocannon from 'autocannon';
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { childPids, cpuSeconds, freePort, freshDemoDatabase, machine, settle, startService, stopChild } from './bench-support.mjs';
import { NGINX, nginxAvailable, startEdge } from './edge.mjs';
import { ROOT } from './setup-steps.mjs';

const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 1000);
/** One connection per viewer: each asks for its own viewer's segments, one after another, as hls.js does. */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? VIEWERS);
/**
 * Segments each connection fetches per measured round: a bounded count, so no answer is in flight when CPU is
 * read. Eight is what a viewer fetches (one 4 s segment every 4 s) while the edge keeps one verdict (30 s),
 * so the catalog's share of the edge's work is a viewer's: one verdict per token per round.
 */
const SEGMENTS_PER_VIEWER = Number(process.env.BENCH_SEGMENTS_PER_VIEWER ?? 8);
// The Node path and the edge take turns, ROUNDS times each, so a change in the machine's speed during the
// run (other work on a shared virtual machine) falls on both alike.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
/** Length of the lecture: 15 segments of 4 s (the transcoder's HLS_SEGMENT_SEC). */
const MEDIA_SEC = 60;
/** A 720p rung's bitrate at constant rate, so each 4 s segment weighs about 1 MB. */
const VIDEO_KBPS = 2000;
const TARGET = 10;
const WARM_BATCH = 100;
const SERVER = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
const DB_URL = `${SERVER.replace(/\/$/, '')}/lectern_bench_delivery`;
const SECRET = randomBytes(32).toString('hex');
const run = promisify(execFile);
// The Node path under this load answers some requests 500 or 502, and would log each; the table counts them.
const SERVICE_LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'fatal';

function requireNginx() {
  if (nginxAvailable()) return;
  console.error(
    `bench:delivery compares the nginx edge with the Node path, and needs Debian's nginx at ${NGINX}.\n` +
      `Install it with "sudo apt-get install -y nginx" (npm test's set-up installs it, as it does ffmpeg), then run this again.`,
  );
  process.exit(1);
}

/**
 * A published lecture's HLS set as the transcoder lays it out (master.m3u8, <rung>/index.m3u8,
 * <rung>/init_<rung>.mp4, <rung>/seg_%05d.m4s), cut from a real H.264 encode of a lavfi test picture.
 * One 720p rung at constant bitrate: delivery cost depends on the bytes, not on the ladder's other rungs.
 */
async function encodeHlsSet(outDir) {
  await run('ffmpeg', [
    ...['-nostdin', '-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=1280x720:rate=25:duration=${MEDIA_SEC}`],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
    ...['-g', '50', '-keyint_min', '50', '-sc_threshold', '0'],
    // Constant bitrate with filler, so the test picture (which compresses to almost nothing) weighs what a lecture does.
    ...['-b:v', `${VIDEO_KBPS}k`, '-minrate', `${VIDEO_KBPS}k`, '-maxrate', `${VIDEO_KBPS}k`, '-bufsize', `${VIDEO_KBPS}k`],
    ...['-x264-params', 'nal-hrd=cbr'],
    ...['-f', 'hls', '-hls_time', '4', '-hls_playlist_type', 'vod', '-hls_segment_type', 'fmp4', '-hls_flags', 'independent_segments'],
    ...['-hls_fmp4_init_filename', 'init_720p.mp4', '-master_pl_name', 'master.m3u8', '-var_stream_map', 'v:0,name:720p'],
    ...['-hls_segment_filename', join(outDir, '%v', 'seg_%05d.m4s'), join(outDir, '%v', 'index.m3u8')],
  ]);
  const segments = (await readdir(join(outDir, '720p'))).filter((name) => name.endsWith('.m4s')).sort();
  const sizes = await Promise.all(segments.map(async (name) => (await stat(join(outDir, '720p', name))).size));
  return { segments, meanBytes: sizes.reduce((a, b) => a + b, 0) / sizes.length };
}

/** The lecture's media, a published course, VIEWERS members and a live playback session for each. */
async function seedViewers(assetId, outputs) {
  await freshDemoDatabase(DB_URL);
  const db = new pg.Client({ connectionString: DB_URL });
  await db.connect();
  try {
    const [{ id: unit }] = (await db.query(`SELECT id FROM org_units WHERE path = 'committee/east/group-1'`)).rows;
    const [{ id: editor }] = (await db.query(`SELECT id FROM users WHERE login = 'editor'`)).rows;
    const [{ id: category }] = (await db.query(`SELECT id FROM course_categories LIMIT 1`)).rows;
    await db.query(`INSERT INTO lecture_media (asset_id, status, kind, duration_sec, outputs) VALUES ($1, 'ready', 'video', $2, $3)`, [
      assetId,
      MEDIA_SEC,
      JSON.stringify(outputs),
    ]);
    const [{ id: course }] = (
      await db.query(
        `INSERT INTO courses (title, category_id, status, created_by, published_at) VALUES ('Delivery bench', $1, 'published', $2, now()) RETURNING id`,
        [category, editor],
      )
    ).rows;
    const [{ id: lecture }] = (
      await db.query(
        `INSERT INTO lectures (course_id, position, title, asset_id) VALUES ($1, 0, 'Delivery bench lecture', $2) RETURNING id`,
        [course, assetId],
      )
    ).rows;
    await db.query(
      `INSERT INTO users (login, name, role, org_unit_id, category)
       SELECT 'viewer' || n, 'Viewer ' || n, 'member', $1, 'on-the-job' FROM generate_series(1, $2) n`,
      [unit, VIEWERS],
    );
    return (
      await db.query(
        `INSERT INTO playback_sessions (user_id, lecture_id, asset_id, opened_at)
         SELECT id, $1, $2, now() FROM users WHERE login LIKE 'viewer%' ORDER BY login RETURNING id, user_id`,
        [lecture, assetId],
      )
    ).rows;
  } finally {
    await db.end();
  }
}

/**
 * Every connection asks for its own viewer's segments in order: connection i plays viewer i's link (one
 * base URL per viewer), and `amount` stops the load once each connection had `perViewer` answers.
 */
function load(viewerBases, segments, perViewer, connections = CONNECTIONS) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const instance = autocannon(
      {
        url: viewerBases,
        connections,
        amount: connections * perViewer,
        // 1,000 segments of 1 MB in flight at once take seconds each on a slow path; that is load, not a fault.
        timeout: 60,
        requests: segments.map((name) => ({ setupRequest: (request) => ({ ...request, path: request.path + name }) })),
        // autocannon decodes every body into a string for its onResponse hooks, which this load has none of: a
        // client spending more CPU per GB than the servers it loads would measure itself, so it only counts bytes.
        setupClient: (client) => {
          client.pipelinedRequests.addBody = () => {};
        },
      },
      (error, result) => (error ? reject(error) : resolve({ ...result, seconds: (performance.now() - started) / 1000 })),
    );
    instance.on('error', reject);
  });
}

/**
 * How many verdicts the catalog has given the edge so far, from its Prometheus counter of requests by route;
 * null when its /metrics does not answer.
 */
async function verdictsGiven(catalogUrl) {
  try {
    const answer = await fetch(`${catalogUrl}/metrics`);
    if (!answer.ok) return null;
    return (await answer.text())
      .split('\n')
      .filter((line) => line.startsWith('lectern_http_requests_total{') && line.includes('/hls-auth'))
      .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  } catch {
    return null;
  }
}

/**
 * nginx's master and the processes under it, once it has all its workers: nginx accepts connections on its
 * port before the master has forked them, and a worker the load keeps busy must not be missed.
 */
async function nginxProcesses(edge) {
  const workers = Number(/^worker_processes\s+(\d+);/m.exec(readFileSync(join(edge.workDir, 'nginx.conf'), 'utf8'))?.[1] ?? 1);
  for (const until = Date.now() + 30_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
    const pids = [edge.pid, ...childPids(edge.pid)];
    if (pids.filter((pid) => /nginx: worker process/.test(commandLine(pid))).length >= workers) return pids;
  }
  throw new Error(`nginx (${edge.pid}) did not start its ${workers} workers`);
}

/** A process's command line as it shows it (nginx names its roles there); empty once it is gone. */
function commandLine(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** One measured load: CPU of the serving processes and of this load generator, before and after. */
async function measure(name, bases, segments, pidGroups, quiet, catalogUrl) {
  await settle(await quiet());
  const groups = {};
  for (const [group, list] of Object.entries(pidGroups)) groups[group] = typeof list === 'function' ? await list() : list;
  const all = Object.values(groups).flat();
  const verdictsBefore = await verdictsGiven(catalogUrl);
  const servingBefore = cpuSeconds(all);
  const clientBefore = process.cpuUsage();
  const result = await load(bases, segments, SEGMENTS_PER_VIEWER);
  const servingAfter = cpuSeconds(all);
  const client = process.cpuUsage(clientBefore);
  const verdictsAfter = await verdictsGiven(catalogUrl);
  // A process gone during the load (nginx's cache loader, when it ends) adds nothing after its last reading.
  const used = (pid) => Math.max(0, servingAfter.get(pid) - servingBefore.get(pid));
  const cpuBy = Object.fromEntries(Object.entries(groups).map(([group, list]) => [group, list.reduce((sum, pid) => sum + used(pid), 0)]));
  return {
    name,
    seconds: result.seconds,
    ok: result['2xx'],
    requests: result.requests.total,
    bytes: result.throughput.total,
    // A request whose connection closed before its answer ended is neither an error nor a timeout to autocannon.
    failures: CONNECTIONS * SEGMENTS_PER_VIEWER - result['2xx'],
    statuses: result.statusCodeStats,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuBy,
    cpu: Object.values(cpuBy).reduce((a, b) => a + b, 0),
    clientCpu: (client.user + client.system) / 1e6,
    verdicts: verdictsBefore === null || verdictsAfter === null ? NaN : verdictsAfter - verdictsBefore,
  };
}

/** The rounds of one path added up. */
function total(rounds) {
  const sum = (key) => rounds.reduce((acc, r) => acc + r[key], 0);
  const cpuBy = {};
  for (const r of rounds) for (const [group, s] of Object.entries(r.cpuBy)) cpuBy[group] = (cpuBy[group] ?? 0) + s;
  const seconds = sum('seconds');
  const gb = sum('bytes') / 1e9;
  return {
    seconds,
    ok: sum('ok'),
    failures: sum('failures'),
    reqPerSec: sum('ok') / seconds,
    mbPerSec: sum('bytes') / 1e6 / seconds,
    gb,
    cpu: sum('cpu'),
    cpuPerGb: sum('cpu') / gb,
    cpuBy,
    clientCpuPerGb: sum('clientCpu') / gb,
    verdicts: sum('verdicts'),
    p50: Math.max(...rounds.map((r) => r.p50)),
    p99: Math.max(...rounds.map((r) => r.p99)),
    statuses: rounds.reduce((acc, r) => {
      for (const [code, { count }] of Object.entries(r.statuses)) acc[code] = (acc[code] ?? 0) + count;
      return acc;
    }, {}),
  };
}

/** Checks one viewer's link answers the published bytes through `base`, before any load. */
async function preflight(label, base, token, assetId, outDir, segment) {
  const url = `${base}/hls/${token}/${assetId}/720p/${segment}`;
  const answer = await fetch(url);
  const body = Buffer.from(await answer.arrayBuffer());
  const expected = await readFile(join(outDir, '720p', segment));
  if (answer.status !== 200 || !body.equals(expected)) {
    throw new Error(`${label}: ${url} answered ${answer.status} with ${body.length} bytes, not the ${expected.length} bytes published`);
  }
  const playlist = await fetch(`${base}/hls/${token}/${assetId}/720p/index.m3u8`);
  if (playlist.status !== 200 || !(await playlist.text()).includes(segment)) {
    throw new Error(`${label}: the media playlist answered ${playlist.status}`);
  }
  return answer.headers.get('cache-control') ?? '(none)';
}

async function main() {
  requireNginx();
  const { LocalStorage } = await import(join(ROOT, 'dist/libs/storage/src/index.js'));
  const { playbackKey, signPlaybackToken } = await import(join(ROOT, 'dist/apps/catalog/src/playback/playback-token.js'));

  const work = await mkdtemp(join(tmpdir(), 'lectern-bench-delivery-'));
  const children = [];
  let edge;
  try {
    const outDir = join(work, 'out');
    const storageDir = join(work, 'storage');
    console.log(`Encoding a ${MEDIA_SEC} s 720p HLS set at ${VIDEO_KBPS} kb/s …`);
    const { segments, meanBytes } = await encodeHlsSet(outDir);
    const assetId = randomUUID();
    const prefix = `media/${assetId}/v1`;
    await new LocalStorage(storageDir).publishDirectory(outDir, prefix);
    const outputs = {
      prefix,
      master: 'master.m3u8',
      audioOnly: null,
      download: null,
      downloads: [],
      poster: null,
      thumbnails: [],
      renditions: [
        { name: '720p', kind: 'video', width: 1280, height: 720, fps: 25, bandwidth: VIDEO_KBPS * 1100, playlist: '720p/index.m3u8' },
      ],
    };
    console.log(`Seeding ${VIEWERS} members, each with a live playback session …`);
    const sessions = await seedViewers(assetId, outputs);
    const key = playbackKey(SECRET);
    const expiresAt = Math.floor(Date.now() / 1000) + 4 * 3600;
    const tokens = sessions.map((s) => signPlaybackToken(key, { assetId, sessionId: s.id, userId: s.user_id, expiresAt }));

    const [catalogPort, webPort, edgePort, nowherePort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    const catalogUrl = `http://127.0.0.1:${catalogPort}`;
    const webUrl = `http://127.0.0.1:${webPort}`;
    const catalog = await startService(
      'dist/apps/catalog/src/main.js',
      {
        DATABASE_URL: DB_URL,
        JWT_SECRET: SECRET,
        LOG_LEVEL: SERVICE_LOG_LEVEL,
        CATALOG_PORT: String(catalogPort),
        STORAGE_DIR: storageDir,
        QUEUE_PREFIX: `bench-${randomBytes(3).toString('hex')}`,
      },
      `${catalogUrl}/health`,
    );
    children.push(catalog);
    const web = await startService(
      'dist/apps/web/src/main.js',
      // No upload service: the gateway's /health says "degraded", and no upload path is asked for.
      {
        LOG_LEVEL: SERVICE_LOG_LEVEL,
        WEB_PORT: String(webPort),
        CATALOG_URL: catalogUrl,
        UPLOAD_URL: `http://127.0.0.1:${nowherePort}`,
        WEB_DIST_DIR: work,
      },
      `${webUrl}/health`,
      { anyStatus: true },
    );
    children.push(web);
    // No access log, as the Node services log no request at this LOG_LEVEL: both paths do the delivery work only.
    edge = await startEdge({ port: edgePort, storageDir, catalogUrl, webUrl, workDir: join(work, 'edge'), accessLog: false });
    const nginxPids = await nginxProcesses(edge);
    const paths = {
      node: { base: webUrl, pids: { groups: { 'web gateway': [web.pid], catalog: [catalog.pid] } } },
      // nginx's processes are read again before each load: its cache loader comes and goes.
      edge: {
        base: edge.url.replace(/\/$/, ''),
        pids: { groups: { nginx: () => nginxProcesses(edge), catalog: [catalog.pid], 'web gateway': [web.pid] } },
      },
    };
    const everyPid = async () => [...(await nginxProcesses(edge)), catalog.pid, web.pid];

    const cacheControl = {};
    for (const [name, path] of Object.entries(paths)) {
      cacheControl[name] = await preflight(name, path.base, tokens[0], assetId, outDir, segments[1]);
      path.bases = tokens.map((token) => `${path.base}/hls/${token}/${assetId}/720p/`);
    }

    console.log(
      `\n${VIEWERS} viewers, ${CONNECTIONS} connections, ${SEGMENTS_PER_VIEWER} segments of ~${(meanBytes / 1e6).toFixed(2)} MB per connection per round; ` +
        `nginx: master ${edge.pid}, workers ${nginxPids.slice(1).join(', ')}`,
    );
    // Unmeasured: one segment per viewer through each path, a hundred viewers at a time, so code is compiled and
    // each token's first check is done (a thousand first checks at once outrun the catalog's database pool).
    for (const path of Object.values(paths)) {
      for (let i = 0; i < path.bases.length; i += WARM_BATCH)
        await load(path.bases.slice(i, i + WARM_BATCH), segments, 1, Math.min(WARM_BATCH, path.bases.length - i));
    }
    const rounds = { node: [], edge: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of ['node', 'edge']) {
        const r = await measure(name, paths[name].bases, segments, paths[name].pids.groups, everyPid, catalogUrl);
        rounds[name].push(r);
        console.log(
          `round ${round + 1} ${name.padEnd(4)}: ${Math.round(r.ok / r.seconds)} req/s, ${(r.bytes / 1e6 / r.seconds).toFixed(0)} MB/s, ` +
            `${(r.cpu / (r.bytes / 1e9)).toFixed(2)} CPU s/GB (p99 ${r.p99} ms, ${r.failures} not answered 2xx)`,
        );
      }
    }

    const node = total(rounds.node);
    const edgeTotal = total(rounds.edge);
    const throughputRatio = edgeTotal.mbPerSec / node.mbPerSec;
    const cpuRatio = node.cpuPerGb / edgeTotal.cpuPerGb;
    // The edge must answer every request; the Node path's failures are a finding about it, and its figures
    // count only the bytes it did deliver (the CPU it spent on failed requests stays in).
    const clean = edgeTotal.failures === 0;
    const met = clean && (throughputRatio >= TARGET || cpuRatio >= TARGET);
    const breakdown = (t) =>
      Object.entries(t.cpuBy)
        .map(([group, s]) => `${group} ${s.toFixed(1)} s`)
        .join(', ');
    const row = (label, t) =>
      `${label.padEnd(34)} ${String(Math.round(t.reqPerSec)).padStart(7)} ${t.mbPerSec.toFixed(0).padStart(7)} ${t.gb.toFixed(2).padStart(7)} ${t.cpu
        .toFixed(1)
        .padStart(7)} ${t.cpuPerGb.toFixed(2).padStart(9)} ${`${t.p50}/${t.p99}`.padStart(13)} ${String(t.failures).padStart(7)}`;
    console.log(`
machine: ${machine()}
load:    ${VIEWERS} viewers with their own session and token, ${CONNECTIONS} keep-alive connections over loopback, ${ROUNDS} rounds × ${SEGMENTS_PER_VIEWER} segments per connection per path
${'path'.padEnd(34)} ${'req/s'.padStart(7)} ${'MB/s'.padStart(7)} ${'GB'.padStart(7)} ${'CPU s'.padStart(7)} ${'CPU s/GB'.padStart(9)} ${'p50/p99 ms'.padStart(13)} ${'failed'.padStart(7)}
${row('Node: web gateway → catalog', node)}
${row('edge: nginx (auth_request) → files', edgeTotal)}
CPU by process:  Node path: ${breakdown(node)}; edge: ${breakdown(edgeTotal)}
edge verdicts:   ${
      Number.isNaN(edgeTotal.verdicts)
        ? 'not counted (the catalog did not answer /metrics)'
        : `${edgeTotal.verdicts} asked of the catalog for ${edgeTotal.ok} segments${
            edgeTotal.verdicts
              ? ` (the catalog's CPU in the edge's rounds is ${((edgeTotal.cpuBy.catalog / edgeTotal.verdicts) * 1000).toFixed(2)} ms per verdict)`
              : ''
          }`
    }
load generator:  autocannon in this process, ${node.clientCpuPerGb.toFixed(2)} CPU s/GB on the Node path, ${edgeTotal.clientCpuPerGb.toFixed(2)} on the edge (same cores as the servers)
statuses:        Node ${JSON.stringify(node.statuses)}, edge ${JSON.stringify(edgeTotal.statuses)}; failed or non-2xx: ${node.failures} / ${edgeTotal.failures}
segment Cache-Control: Node "${cacheControl.node}", edge "${cacheControl.edge}"
ratios:          throughput edge/Node ${throughputRatio.toFixed(2)}×, CPU per GB Node/edge ${cpuRatio.toFixed(2)}×
target:          edge ≥ ${TARGET}× the Node path's throughput, or ≤ 1/${TARGET} of its CPU per GB${clean ? '' : ', every request answered 2xx'} → ${met ? 'MET' : 'NOT MET'}`);
  } finally {
    if (edge) await edge.stop();
    for (const child of children) await stopChild(child);
    await rm(work, { recursive: true, force: true });
  }
}

main()
  .then(() => process.exit(0))
  .catch((error) => {
    console.error(error.stack ?? error);
    process.exit(1);
  });
