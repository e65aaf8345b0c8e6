// npm start: set everything up on this machine, then run the whole platform at one URL.
// `npm start -- --smoke` (or LECTERN_SMOKE=1) proves it instead: it exits 0 once /health is green and the
// demo course is published, and non-zero with the reason on any failure or when the processes have run for
// LECTERN_SMOKE_TIMEOUT_MINUTES (default 15) without getting there.
// Node built-ins only (here and in every script imported below): this runs before set-up installs the packages.
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { ROOT, SetupError, prepareDatabase, setUp } from './setup-steps.mjs';
import { DEMO_COURSE_TITLE, publishDemoCourse } from './demo-course.mjs';
import { DEMO_EXAM_TITLE, publishDemoExam } from './demo-exam.mjs';
import { supervise } from './supervisor.mjs';
import { nginxAvailable, startEdge } from './edge.mjs';

const DEMO_PASSWORD = 'lectern-demo';
const APPS = ['catalog', 'upload', 'transcoder', 'web'];

class SmokeFailure extends Error {}

function smokeMode(argv = process.argv.slice(2), env = process.env) {
  return argv.includes('--smoke') || ['1', 'true', 'yes'].includes((env.LECTERN_SMOKE ?? '').toLowerCase());
}

function smokeTimeoutMs(env = process.env) {
  const raw = env.LECTERN_SMOKE_TIMEOUT_MINUTES ?? '15';
  const minutes = Number(raw);
  if (!Number.isFinite(minutes) || minutes <= 0) {
    throw new SetupError(`LECTERN_SMOKE_TIMEOUT_MINUTES must be a positive number of minutes (got "${raw}").`);
  }
  return minutes * 60_000;
}

function portInUse(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (used) => {
      socket.destroy();
      resolve(used);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Each service's port, free before anything starts (otherwise /health could be answered by someone else). */
async function checkPorts(ports) {
  for (const [name, port] of Object.entries(ports)) {
    if (await portInUse(port)) {
      throw new SetupError(
        `Port ${port} is in use, so the ${name} service cannot listen on it. Stop what uses it, or set ${name.toUpperCase()}_PORT to a free port.`,
      );
    }
  }
}

async function health(base) {
  try {
    const answer = await fetch(`${base}/health`, { signal: AbortSignal.timeout(5000) });
    return { ok: answer.ok, detail: `${answer.status} ${await answer.text()}` };
  } catch (error) {
    return { ok: false, detail: error.cause?.code ?? error.message };
  }
}

/** Polls the gateway's /health until it answers 200; in smoke mode until `deadline`, otherwise for a minute. */
async function waitForGateway(base, deadline) {
  let last = 'no answer';
  while (Date.now() < deadline) {
    const { ok, detail } = await health(base);
    if (ok) return;
    last = detail;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new SmokeFailure(`the gateway's /health was not green in time (last answer: ${last})`);
}

/** As a member would see it: the demo course is in the catalogue. */
/** Signs the demo member in through the gateway and answers their access token. */
async function demoMemberToken(base) {
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'member', password: DEMO_PASSWORD }),
  });
  if (!login.ok) throw new SmokeFailure(`the demo member could not log in (${login.status} ${await login.text()})`);
  return (await login.json()).accessToken;
}

/** Fails the smoke run unless the demo member's answer at `path` names `title`. */
async function assertMemberSees(base, path, title, where) {
  const answer = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${await demoMemberToken(base)}` } });
  const text = await answer.text();
  if (!answer.ok || !text.includes(title)) {
    throw new SmokeFailure(`the demo member does not see "${title}" in ${where} (${answer.status} ${text.slice(0, 300)})`);
  }
}

const assertDemoCourseVisible = (base) =>
  assertMemberSees(base, `/api/courses?q=${encodeURIComponent(DEMO_COURSE_TITLE)}`, DEMO_COURSE_TITLE, 'the catalogue');
const assertDemoExamVisible = (base) => assertMemberSees(base, '/api/me/exams', DEMO_EXAM_TITLE, 'their exams');

/**
 * EDGE=nginx: media served by nginx (infra/nginx/edge.conf.template) in front of the gateway, as in
 * production, on EDGE_PORT (8088). Without it the gateway and the catalog serve media themselves.
 */
function edgeWanted(env) {
  if ((env.EDGE ?? '').toLowerCase() !== 'nginx') return false;
  if (!nginxAvailable())
    throw new SetupError('EDGE=nginx needs nginx at /usr/sbin/nginx (apt-get install nginx); unset EDGE to run without it.');
  if (env.STORAGE_DRIVER === 's3' && !/^http:\/\//.test(env.S3_ENDPOINT ?? '')) {
    throw new SetupError('EDGE=nginx with STORAGE_DRIVER=s3 needs an http:// S3_ENDPOINT the edge can read the bucket from.');
  }
  return true;
}

function runEdge(env, ports) {
  return startEdge({
    port: Number(env.EDGE_PORT ?? 8088),
    storageDir: resolve(env.STORAGE_DIR ?? 'var/storage'),
    s3: env.STORAGE_DRIVER === 's3' ? { endpoint: env.S3_ENDPOINT, bucket: env.S3_BUCKET } : undefined,
    catalogUrl: env.CATALOG_URL,
    webUrl: `http://127.0.0.1:${ports.web}`,
    workDir: join(ROOT, 'var/edge'),
  });
}

async function main() {
  const smoke = smokeMode();
  const setUpStarted = Date.now();
  const timeoutMs = smoke ? smokeTimeoutMs() : 0;
  // EDGE=nginx: set-up installs nginx as it installs ffmpeg.
  const { databaseUrl, redisUrl, secret } = await setUp({ edge: !smoke && (process.env.EDGE ?? '').toLowerCase() === 'nginx' });
  const ports = {
    web: Number(process.env.WEB_PORT ?? 8080),
    catalog: Number(process.env.CATALOG_PORT ?? 3000),
    upload: Number(process.env.UPLOAD_PORT ?? 3001),
  };
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    JWT_SECRET: secret,
    NODE_ENV: process.env.NODE_ENV ?? 'production',
    // A local run keeps the OpenAPI pages the README points to; deployments (infra/) leave them off.
    API_DOCS: process.env.API_DOCS ?? 'on',
    // The gateway finds the services on the ports they were given.
    CATALOG_URL: process.env.CATALOG_URL ?? `http://127.0.0.1:${ports.catalog}`,
    UPLOAD_URL: process.env.UPLOAD_URL ?? `http://127.0.0.1:${ports.upload}`,
  };
  prepareDatabase(env);
  const withEdge = !smoke && edgeWanted(env);
  await checkPorts(withEdge ? { ...ports, edge: Number(env.EDGE_PORT ?? 8088) } : ports);
  // The smoke time limit counts from here: set-up steps stop with their own reasons.
  const started = Date.now();

  const base = `http://127.0.0.1:${ports.web}`;
  let exitCode = 0;
  let failed = false;
  const entry = (app) => [join(ROOT, `dist/apps/${app}/src/main.js`)];
  const fail = (reason) => {
    if (failed) return;
    failed = true;
    exitCode = 1;
    console.error(`\n\x1b[31mSmoke check failed:\x1b[0m ${reason}\n`);
    supervisor.stopAll();
  };
  let edge = null;
  const supervisor = supervise(
    APPS.map((name) => ({ name, args: entry(name), env: { ...env, LECTERN_PROCESS: name } })),
    {
      onAllStopped: () => void (edge?.stop() ?? Promise.resolve()).then(() => process.exit(exitCode)),
      onCrash: smoke ? (name, reason) => fail(`the ${name} process stopped (${reason}) during the smoke run`) : undefined,
    },
  );

  if (!smoke) {
    console.log(`\n  Lectern is starting. Open \x1b[1mhttp://localhost:${ports.web}\x1b[0m  (Ctrl-C stops everything)\n`);
    await waitForGateway(base, Date.now() + 60_000).catch((error) => console.error(`Lectern is not healthy yet: ${error.message}`));
    if (withEdge) {
      edge = await runEdge(env, ports).catch((error) => {
        console.error(`The nginx edge did not start: ${error.message}`);
        return null;
      });
      if (edge)
        console.log(`\n  Media through nginx: open \x1b[1mhttp://localhost:${edge.port}\x1b[0m  (configuration in var/edge/nginx.conf)\n`);
    }
    const log = (line) => console.log(`\x1b[1mdemo\x1b[0m ${line}`);
    publishDemoCourse(base, DEMO_PASSWORD, log)
      .then(() => publishDemoExam(base, DEMO_PASSWORD, log))
      .catch((error) => console.error(`demo content not published: ${error.message}`));
    return;
  }

  let passed = false;
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      if (passed || failed) return;
      failed = true;
      exitCode = 1;
      console.error(`\n\x1b[31mSmoke check failed:\x1b[0m interrupted by ${signal}\n`);
    });
  }
  const minutes = timeoutMs / 60_000;
  console.log(`\n  Smoke check: waiting for /health and the demo course (time limit ${minutes} min from start-up)\n`);
  const timer = setTimeout(
    () => fail(`not healthy with the demo course published within ${minutes} min (LECTERN_SMOKE_TIMEOUT_MINUTES)`),
    Math.max(0, started + timeoutMs - Date.now()),
  );
  try {
    await waitForGateway(base, started + timeoutMs);
    const outcome = await publishDemoCourse(base, DEMO_PASSWORD, (line) => console.log(`\x1b[1mdemo\x1b[0m ${line}`), { required: true });
    if (outcome !== 'published') throw new SmokeFailure(`the demo course was not published (${outcome})`);
    await assertDemoCourseVisible(base);
    if ((await publishDemoExam(base, DEMO_PASSWORD, (line) => console.log(`\x1b[1mdemo\x1b[0m ${line}`))) === 'published') {
      await assertDemoExamVisible(base);
    }
    const { ok, detail } = await health(base);
    if (!ok) throw new SmokeFailure(`/health turned red: ${detail}`);
    if (failed) return;
    passed = true;
    clearTimeout(timer);
    const seconds = (from) => Math.round((Date.now() - from) / 1000);
    console.log(
      `\n\x1b[32mSmoke check passed\x1b[0m: /health is green, the demo course "${DEMO_COURSE_TITLE}" and exam "${DEMO_EXAM_TITLE}" are published, ` +
        `${seconds(started)} s after start-up (${seconds(setUpStarted)} s with set-up).\n`,
    );
    supervisor.stopAll();
  } catch (error) {
    clearTimeout(timer);
    fail(error instanceof SmokeFailure ? error.message : `the demo course could not be published: ${error?.message ?? error}`);
  }
}

main().catch((error) => {
  console.error(`\n\x1b[31mLectern could not start.\x1b[0m ${error instanceof SetupError ? error.message : (error?.stack ?? error)}\n`);
  process.exit(1);
});
