import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createDataSource } from '#database';
import { freePort } from '../support/ports.js';
import { publishTestMedia } from '../support/published-media.js';
import { startStack, type Stack } from '../support/stack.js';
import { TcpProxy } from '../support/tcp-proxy.js';

let stack: Stack;
let redis: TcpProxy;
let db: DataSource;
let lectureId: string;

const api = async (path: string, init: { method?: string; token?: string; body?: unknown } = {}) => {
  const answer = await fetch(`${stack.catalogUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: answer.status, body: (await answer.json().catch(() => null)) as Record<string, never> };
};
const login = async (name: string) =>
  (await api('/api/auth/login', { method: 'POST', body: { login: name, password: stack.demo.member.password } })).body
    .accessToken as string;

beforeAll(async () => {
  redis = new TcpProxy(await freePort(), 6379);
  await redis.start();
  stack = await startStack({ services: ['catalog'], envFor: () => ({ REDIS_URL: `redis://127.0.0.1:${redis.listenPort}` }) });
  db = createDataSource(stack.db.url, [], 2);
  await db.initialize();
  const editor = await login('editor');
  const categories = (await api('/api/course-categories', { token: editor })).body as unknown as Array<{ id: string }>;
  const course = await api('/api/courses', { method: 'POST', token: editor, body: { title: 'Durability', categoryId: categories[0].id } });
  const { assetId } = await publishTestMedia(db, stack.env.STORAGE_DIR, 60);
  lectureId = (await api(`/api/courses/${course.body.id}/lectures`, { method: 'POST', token: editor, body: { title: 'L', assetId } })).body
    .id;
  await api(`/api/courses/${course.body.id}/publish`, { method: 'POST', token: editor });
}, 120_000);

afterAll(async () => {
  await db?.destroy();
  await stack?.stop();
  await redis?.cut();
}, 30_000);

describe('an answered heartbeat', () => {
  it('keeps its credit, and which seqs were answered, through a SIGKILL of the catalog and a Redis outage', async () => {
    const member = await login('member');
    const session = (await api(`/api/lectures/${lectureId}/playback`, { method: 'POST', token: member })).body;
    await db.query(`UPDATE playback_sessions SET opened_at = opened_at - interval '20 seconds' WHERE id = $1`, [session.sessionId]);
    const beat = (seq: number, intervals: number[][]) =>
      api('/api/heartbeats', {
        method: 'POST',
        body: {
          sessionId: session.sessionId,
          token: session.heartbeatToken,
          seq,
          intervals,
          position: intervals.at(-1)?.[1] ?? 0,
          playbackRate: 1,
          visible: true,
          event: 'tick',
        },
      });

    const first = await beat(1, [[0, 10]]);
    expect(first.status).toBe(200);
    // seq 3 overtakes seq 2, which is still on its way when the catalog dies.
    const third = await beat(3, [[15, 17]]);
    expect(third.status).toBe(200);
    stack.services.get('catalog')!.child.kill('SIGKILL');
    const [row] = await db.query(`SELECT credited_sec FROM lecture_progress WHERE lecture_id = $1`, [lectureId]);
    expect(row.credited_sec).toBeCloseTo(third.body.lectureCreditedSec, 6);

    await redis.cut();
    await stack.restart('catalog');
    // The retry of an answered heartbeat gets the same answer and no second credit, with Redis still away.
    const retry = await beat(3, [[15, 17]]);
    expect(retry).toEqual(third);
    // The late seq 2 is credited once after the restart: which seqs were answered survived it too.
    const late = await beat(2, [[10, 15]]);
    expect(late.status).toBe(200);
    expect(late.body.creditedSec).toBe(5);
    expect((await beat(2, [[10, 15]])).body.creditedSec).toBe(0);
    expect((await beat(1, [[0, 10]])).body.creditedSec).toBe(0);
    await redis.start();
    const [after] = await db.query(`SELECT credited_sec FROM lecture_progress WHERE lecture_id = $1`, [lectureId]);
    expect(after.credited_sec).toBeCloseTo(17, 6);
    const [daily] = await db.query(`SELECT sum(credited_sec) AS s FROM study_daily WHERE lecture_id = $1`, [lectureId]);
    expect(Number(daily.s)).toBeCloseTo(after.credited_sec, 6);
  }, 90_000);
});
