import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { JOBS, QUEUES, type MediaEvent } from '#contracts';
import { issueTicket } from '../src/admin/queue-board-ticket.js';
import { QueueBoard } from '../src/admin/queue-board.js';
import { ReportsService } from '../src/reports/reports.service.js';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { heartbeatBody } from '../../../test/support/heartbeats.js';
import { waitUntil } from '../../../test/support/ports.js';
import { publishedCourse } from '../../../test/support/study-fixtures.js';
import { redisOptions } from '../../../test/support/transcoder-harness.js';

const NO_OUTPUTS = {
  prefix: 'media/x/v1',
  master: 'master.m3u8',
  audioOnly: null,
  download: null,
  poster: null,
  thumbnails: [],
  renditions: [],
};

let catalog: CatalogHarness;
let lectureId: string;
let member: string;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const today = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** One scrape, as Prometheus reads it: each sample's value by its name and labels as written. */
async function scrape(): Promise<Map<string, number>> {
  const answer = await catalog.http().get('/metrics');
  expect(answer.status).toBe(200);
  const samples = new Map<string, number>();
  for (const line of answer.text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    samples.set(canonical(line.slice(0, space)), Number(line.slice(space + 1)));
  }
  return samples;
}
/** A series named with its labels sorted, so a lookup does not depend on the order they are written in. */
function canonical(series: string): string {
  const brace = series.indexOf('{');
  if (brace < 0) return series;
  const labels = series.slice(brace + 1, -1).match(/[a-z_]+="(?:[^"\\]|\\.)*"/g) ?? [];
  return `${series.slice(0, brace)}{${labels.sort().join(',')}}`;
}
/** A sample's value, 0 when absent. */
const value = (samples: Map<string, number>, name: string, labels = '') =>
  samples.get(canonical(`${name}{service="catalog"${labels ? `,${labels}` : ''}}`)) ?? 0;

beforeAll(async () => {
  catalog = await startCatalog();
  member = await catalog.tokenFor('member');
  ({
    lectures: [lectureId],
  } = await publishedCourse(catalog, 'Metrics', ['L1']));
  // An open plan: its rollup is what the lag is measured against.
  const plan = await catalog
    .http()
    .post('/api/study-plans')
    .set(as(await catalog.tokenFor('admin')))
    .send({ name: 'Metrics', periodStart: today(-5), periodEnd: today(5), requiredHours: 1, allCourses: true });
  expect(plan.status).toBe(201);
  await catalog.app.get(ReportsService).rollup.refresh({ wait: true });
});

afterAll(async () => {
  await catalog?.close();
});

describe('the catalog /metrics', () => {
  it('counts heartbeats accepted and rejected by reason, and times their ingest batches', async () => {
    const before = await scrape();
    const session = (await catalog.http().post(`/api/lectures/${lectureId}/playback`).set(as(member))).body;
    expect((await catalog.http().post('/api/heartbeats').send(heartbeatBody(session, 1))).status).toBe(200);
    expect((await catalog.http().post('/api/heartbeats').send(heartbeatBody(session, 2))).status).toBe(200);
    expect(
      (
        await catalog
          .http()
          .post('/api/heartbeats')
          .send({ ...heartbeatBody(session, 3), token: 'forged' })
      ).status,
    ).toBe(403);
    expect((await catalog.http().post('/api/heartbeats').send({ sessionId: session.sessionId })).status).toBe(400);
    // Ten minutes of media claimed a moment after the last tick: credited by the clock, and flagged.
    expect(
      (
        await catalog
          .http()
          .post('/api/heartbeats')
          .send(heartbeatBody(session, 3, { intervals: [[0, 600]] }))
      ).status,
    ).toBe(200);
    const after = await scrape();

    const moved = (name: string, labels = '') => value(after, name, labels) - value(before, name, labels);
    expect(moved('lectern_heartbeats_accepted_total')).toBe(3);
    expect(moved('lectern_heartbeats_flagged_total')).toBe(1);
    expect(moved('lectern_heartbeats_rejected_total', 'reason="forbidden"')).toBe(1);
    expect(moved('lectern_heartbeats_rejected_total', 'reason="invalid"')).toBe(1);
    expect(moved('lectern_heartbeat_batch_size_count')).toBeGreaterThanOrEqual(1);
    expect(moved('lectern_heartbeat_batch_size_sum')).toBe(3);
    expect(moved('lectern_heartbeat_batch_commit_seconds_count')).toBeGreaterThanOrEqual(1);
    // The fast path has its route label, as Express routes have theirs.
    expect(moved('lectern_http_requests_total', 'method="POST",route="/api/heartbeats",status="2xx"')).toBe(3);
    expect(moved('lectern_http_requests_total', 'method="POST",route="/api/lectures/:id/playback",status="2xx"')).toBe(1);
  });

  it('labels requests by route pattern: no id or token appears in a label', async () => {
    await catalog.http().get(`/api/lectures/${lectureId}`).set(as(member));
    await catalog.http().get(`/hls/not-a-token/master.m3u8`);
    const text = (await catalog.http().get('/metrics')).text;
    expect(text).not.toContain(lectureId);
    expect(text).not.toContain('not-a-token');
    expect(text).toMatch(/route="unmatched"|route="\/hls\/:token\/\*path"|route="\/hls\//);
  });

  it('is not served to a request forwarded by the gateway', async () => {
    const answer = await catalog.http().get('/metrics').set('X-Forwarded-For', '203.0.113.9');
    expect(answer.status).toBe(403);
    expect(answer.text).not.toContain('lectern_');
  });

  it('reports the depth of the real BullMQ queues on each scrape', async () => {
    const queue = new Queue(QUEUES.transcode, { connection: redisOptions(), prefix: catalog.env.QUEUE_PREFIX });
    try {
      await queue.add('transcode-asset', { n: 1 });
      await queue.add('transcode-asset', { n: 2 });
      await queue.add('transcode-asset', { n: 3 }, { delay: 3_600_000 });
      const samples = await scrape();
      expect(value(samples, 'lectern_queue_jobs', 'queue="transcode",state="waiting"')).toBe(2);
      expect(value(samples, 'lectern_queue_jobs', 'queue="transcode",state="delayed"')).toBe(1);
      expect(samples.has(canonical('lectern_queue_jobs{service="catalog",queue="media-events",state="waiting"}'))).toBe(true);
      await queue.drain(true);
      expect(value(await scrape(), 'lectern_queue_jobs', 'queue="transcode",state="waiting"')).toBe(0);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it("times the jobs of the catalog's media-events worker and counts their failures", async () => {
    const events = new Queue<MediaEvent>(QUEUES.mediaEvents, { connection: redisOptions(), prefix: catalog.env.QUEUE_PREFIX });
    const completed = 'queue="media-events",outcome="completed"';
    const failed = 'queue="media-events",final="true"';
    try {
      const before = await scrape();
      const ready: MediaEvent = { type: 'asset.ready', assetId: randomUUID(), kind: 'video', durationSec: 10, outputs: NO_OUTPUTS };
      await events.add(JOBS.assetReady, ready);
      // An asset id PostgreSQL refuses: the job fails, and with one attempt it fails for good.
      await events.add(JOBS.assetReady, { ...ready, assetId: 'not-a-uuid' });
      await waitUntil(
        async () => {
          const now = await scrape();
          return (
            value(now, 'lectern_queue_job_duration_seconds_count', completed) >
              value(before, 'lectern_queue_job_duration_seconds_count', completed) &&
            value(now, 'lectern_queue_job_failures_total', failed) > value(before, 'lectern_queue_job_failures_total', failed)
          );
        },
        30_000,
        'the media-events jobs counted',
      );
      const after = await scrape();
      expect(
        value(after, 'lectern_queue_job_duration_seconds_count', completed) -
          value(before, 'lectern_queue_job_duration_seconds_count', completed),
      ).toBe(1);
      expect(value(after, 'lectern_queue_job_failures_total', failed) - value(before, 'lectern_queue_job_failures_total', failed)).toBe(1);
      expect(value(after, 'lectern_queue_jobs', 'queue="media-events",state="failed"')).toBe(1);
    } finally {
      await events.obliterate({ force: true });
      await events.close();
    }
  });

  it('shows the rollup lag while study changes wait, and none once the rollup caught up', async () => {
    const reports = catalog.app.get(ReportsService);
    await reports.rollup.refresh({ wait: true });
    const current = await scrape();
    expect(value(current, 'lectern_rollup_lag_seconds')).toBe(0);
    expect(value(current, 'lectern_rollup_backlog')).toBe(0);
    // Study credited now waits in the change log until the rollup takes it in; logged 90 s ago, as if it had waited that long.
    const [{ id: memberId }] = await catalog.dataSource.query(`SELECT id FROM users WHERE login = 'member'`);
    await catalog.dataSource.query(
      `INSERT INTO study_daily (user_id, lecture_id, day, credited_sec) VALUES ($1, $2, current_date, 30)
       ON CONFLICT (user_id, day, lecture_id) DO UPDATE SET credited_sec = study_daily.credited_sec + 30`,
      [memberId, lectureId],
    );
    await catalog.dataSource.query(`UPDATE report_dirty_users SET logged_at = logged_at - interval '90 seconds'`);
    const waiting = await scrape();
    expect(value(waiting, 'lectern_rollup_backlog')).toBeGreaterThanOrEqual(1);
    expect(value(waiting, 'lectern_rollup_lag_seconds')).toBeGreaterThanOrEqual(90);
    await reports.rollup.refresh({ wait: true });
    const caughtUp = await scrape();
    expect(value(caughtUp, 'lectern_rollup_backlog')).toBe(0);
    expect(value(caughtUp, 'lectern_rollup_lag_seconds')).toBe(0);
  });
});

describe('the queue board', () => {
  const ticketFor = async (login: string) =>
    catalog
      .http()
      .post('/api/admin/queue-board/ticket')
      .set(as(await catalog.tokenFor(login)));

  it.each(['member', 'east-admin', 'editor', 'inspector'])('refuses %s a ticket', async (login) => {
    const answer = await ticketFor(login);
    expect(answer.status).toBe(403);
    expect(answer.headers['set-cookie']).toBeUndefined();
  });

  it('gives a committee admin a ticket cookie the board accepts', async () => {
    const answer = await ticketFor('admin');
    expect(answer.status).toBe(200);
    expect(answer.body.url).toBe('/api/admin/queues/');
    const [cookie] = answer.headers['set-cookie'] as unknown as string[];
    expect(cookie).toMatch(/^lectern_queue_board=[^;]+; Path=\/api\/admin\/queues; Max-Age=1800; HttpOnly; SameSite=Strict$/);
    const pair = cookie!.split(';')[0]!;

    const page = await catalog.http().get('/api/admin/queues/').set('Cookie', pair);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("font-src 'self'");
    expect(page.headers['cache-control']).toBe('no-store');
    const queues = await catalog.http().get('/api/admin/queues/api/queues').set('Cookie', pair);
    expect(queues.status).toBe(200);
    expect(queues.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(Object.values(QUEUES).sort());
  });

  it('refuses the board without a ticket, with a forged one, and to an account that is no committee admin', async () => {
    expect((await catalog.http().get('/api/admin/queues/')).status).toBe(401);
    expect((await catalog.http().get('/api/admin/queues/api/queues')).status).toBe(401);
    const [{ id: east }] = await catalog.dataSource.query(`SELECT id FROM users WHERE login = 'east-admin'`);
    const forged = issueTicket(Buffer.alloc(32, 7), east, Date.now());
    expect((await catalog.http().get('/api/admin/queues/').set('Cookie', `lectern_queue_board=${forged}`)).status).toBe(401);
    // Signed with the catalog's own key, as if the branch admin had been a committee admin once.
    const genuine = issueTicket(catalog.app.get(QueueBoard).key, east, Date.now());
    const branch = await catalog.http().get('/api/admin/queues/api/queues').set('Cookie', `lectern_queue_board=${genuine}`);
    expect(branch.status).toBe(403);
    expect(branch.text).not.toContain(QUEUES.transcode);
    // An access token is no ticket.
    const token = await catalog.tokenFor('admin');
    expect((await catalog.http().get('/api/admin/queues/').set('Cookie', `lectern_queue_board=${token}`)).status).toBe(401);
  });
});
