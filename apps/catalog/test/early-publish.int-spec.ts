import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { applyPreviewableEvent } from '../src/media/preview.events.js';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { publishTestMedia } from '../../../test/support/published-media.js';

let catalog: CatalogHarness;
let editor: string;
let categoryId: string;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A course with one lecture whose media is previewable (the catalog's copy of a growing set) or ready. */
async function courseWith(media: 'previewable' | 'ready', extra: Record<string, unknown> = {}) {
  const created = await catalog
    .http()
    .post('/api/courses')
    .set(as(editor))
    .send({ title: `Early publish ${media} ${randomUUID().slice(0, 8)}`, categoryId, ...extra });
  expect(created.status).toBe(201);
  let assetId: string;
  if (media === 'ready') assetId = (await publishTestMedia(catalog.dataSource, catalog.env.STORAGE_DIR, 2)).assetId;
  else {
    assetId = randomUUID();
    // What the media-events consumer records on `asset.previewable`: a growing set, not yet ready.
    await catalog.dataSource.query(
      `INSERT INTO lecture_media_previews (asset_id, kind, duration_sec, outputs, previewable_at)
       VALUES ($1, 'video', 5400, $2, now())`,
      [assetId, JSON.stringify({ prefix: `media/${assetId}/preview`, master: 'master.m3u8', renditions: [], audioOnly: null })],
    );
  }
  const lecture = await catalog
    .http()
    .post(`/api/courses/${created.body.id}/lectures`)
    .set(as(editor))
    .send({ title: '九十分钟的讲座', assetId });
  expect(lecture.status).toBe(201);
  return created.body as { id: string; publishWhenPreviewable: boolean };
}

const publish = (courseId: string) => catalog.http().post(`/api/courses/${courseId}/publish`).set(as(editor));

beforeAll(async () => {
  catalog = await startCatalog();
  editor = await catalog.tokenFor('editor');
  categoryId = (await catalog.http().get('/api/course-categories').set(as(editor))).body.find(
    (c: { code: string }) => c.code === 'political-theory',
  ).id;
}, 120_000);
afterAll(() => catalog.close());

describe('publishing while a lecture is still being encoded', () => {
  it('is refused with a clear 409 when the course waits for ready, the default', async () => {
    const course = await courseWith('previewable');
    expect(course.publishWhenPreviewable).toBe(false);
    const answer = await publish(course.id);
    expect(answer.status).toBe(409);
    expect(answer.body.message).toContain('“九十分钟的讲座” is still being encoded');
    expect(answer.body.message).toContain('Allow publishing while still encoding');
    const studio = await catalog.http().get(`/api/studio/courses/${course.id}`).set(as(editor));
    expect(studio.body.status).toBe('draft');
  });

  it('is allowed once the course allows publishing while still encoding', async () => {
    const course = await courseWith('previewable');
    const changed = await catalog.http().patch(`/api/courses/${course.id}`).set(as(editor)).send({ publishWhenPreviewable: true });
    expect(changed.status).toBe(200);
    expect(changed.body.publishWhenPreviewable).toBe(true);
    const answer = await publish(course.id);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'published', publishWhenPreviewable: true });
  });

  it('is allowed for a course created with the setting', async () => {
    const course = await courseWith('previewable', { publishWhenPreviewable: true });
    expect(course.publishWhenPreviewable).toBe(true);
    expect((await publish(course.id)).status).toBe(200);
  });

  it('publishes a ready lecture as before, with or without the setting', async () => {
    expect((await publish((await courseWith('ready')).id)).status).toBe(200);
    expect((await publish((await courseWith('ready', { publishWhenPreviewable: true })).id)).status).toBe(200);
  });

  it('publishes once the media is ready, even without the setting', async () => {
    const course = await courseWith('previewable');
    expect((await publish(course.id)).status).toBe(409);
    const [{ asset_id: assetId }] = await catalog.dataSource.query(`SELECT asset_id FROM lectures WHERE course_id = $1`, [course.id]);
    await catalog.dataSource.query(
      `INSERT INTO lecture_media (asset_id, status, kind, duration_sec, outputs, updated_at) VALUES ($1, 'ready', 'video', 5400, '{}', now())`,
      [assetId],
    );
    expect((await publish(course.id)).status).toBe(200);
  });

  it('answers a setting that is not true or false with what to send', async () => {
    const course = await courseWith('previewable');
    const answer = await catalog.http().patch(`/api/courses/${course.id}`).set(as(editor)).send({ publishWhenPreviewable: 'yes' });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toContain('publishWhenPreviewable');
    expect(JSON.stringify(answer.body)).toContain('must be true or false');
  });
});

describe('what members find of a lecture still being encoded', () => {
  const VTT = 'WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n大家好\n';

  /** A published course whose only lecture is previewable, with captions, chapters and a material of the lecture. */
  async function publishedEarly() {
    const course = await courseWith('previewable', { publishWhenPreviewable: true });
    expect((await publish(course.id)).status).toBe(200);
    const [{ id: lectureId, asset_id: assetId }] = await catalog.dataSource.query(
      `SELECT id, asset_id FROM lectures WHERE course_id = $1`,
      [course.id],
    );
    const caption = await catalog
      .http()
      .put(`/api/studio/lectures/${lectureId}/captions/en`)
      .set(as(editor))
      .set('Content-Type', 'text/plain')
      .send(VTT);
    expect(caption.status).toBe(200);
    const chapters = await catalog
      .http()
      .put(`/api/lectures/${lectureId}/chapters`)
      .set(as(editor))
      .send({ chapters: [{ title: '开场', startSec: 0 }] });
    expect(chapters.status).toBe(200);
    // What the upload service records for a checked PDF of the lecture.
    await catalog.dataSource.query(
      `INSERT INTO course_materials (course_id, lecture_id, title, file_name, kind, mime_type, size_bytes, source_key, pdf_key, page_count, state, uploaded_by)
       SELECT $1, $2, '讲义', '讲义.pdf', 'pdf', 'application/pdf', 100, 'materials/x.pdf', 'materials/x.pdf', 1, 'ready', u.id
         FROM users u WHERE u.login = 'editor'`,
      [course.id, lectureId],
    );
    return { courseId: course.id, lectureId: lectureId as string, assetId: assetId as string };
  }

  /** Everything a member asks of the course and its lecture, as status codes and what was found. */
  async function memberSees(courseId: string, lectureId: string) {
    const member = await catalog.tokenFor('member');
    const get = (url: string) => catalog.http().get(url).set(as(member));
    const list = await get('/api/courses?limit=100');
    expect(list.status).toBe(200);
    const card = (list.body.items as Array<{ id: string; lectureCount: number; totalDurationSec: number }>).find((c) => c.id === courseId);
    const detail = await get(`/api/courses/${courseId}`);
    const chapters = await get(`/api/lectures/${lectureId}/chapters`);
    const captions = await get(`/api/lectures/${lectureId}/captions`);
    const lectureMaterials = await get(`/api/lectures/${lectureId}/materials`);
    const courseMaterials = await get(`/api/courses/${courseId}/materials`);
    const progress = await get(`/api/courses/${courseId}/progress`);
    return {
      card: card ? { lectureCount: card.lectureCount, totalDurationSec: card.totalDurationSec } : null,
      detail:
        detail.status === 200 ? detail.body.lectures.map((l: { id: string; durationSec: number }) => [l.id, l.durationSec]) : detail.status,
      chapters: chapters.status === 200 ? chapters.body.chapters.map((c: { title: string }) => c.title) : chapters.status,
      captions: captions.status === 200 ? captions.body.tracks.map((t: { lang: string }) => t.lang) : captions.status,
      lectureMaterials: lectureMaterials.status === 200 ? lectureMaterials.body.materials.length : lectureMaterials.status,
      courseMaterials: courseMaterials.status === 200 ? courseMaterials.body.materials.length : courseMaterials.status,
      progress: progress.status === 200 ? progress.body.lectures.length : progress.status,
    };
  }

  const open = (lectureId: string, durationSec: number) => ({
    card: { lectureCount: 1, totalDurationSec: durationSec },
    detail: [[lectureId, durationSec]],
    chapters: ['开场'],
    captions: ['en'],
    lectureMaterials: 1,
    courseMaterials: 1,
    progress: 1,
  });
  const closed = { card: null, detail: 404, chapters: 404, captions: 404, lectureMaterials: 404, courseMaterials: 0, progress: 404 };

  /** What the media-events consumer does when the asset is ready: the ready row, and the growing set dropped. */
  async function becomeReady(assetId: string) {
    await catalog.dataSource.query(
      `INSERT INTO lecture_media (asset_id, status, kind, duration_sec, outputs, updated_at) VALUES ($1, 'ready', 'video', 5412, '{}', now())`,
      [assetId],
    );
    await catalog.dataSource.query(`DELETE FROM lecture_media_previews WHERE asset_id = $1`, [assetId]);
  }

  it('are the course, the lecture, its chapters, captions and materials when the course allows it, with the length so far', async () => {
    const { courseId, lectureId, assetId } = await publishedEarly();
    expect(await memberSees(courseId, lectureId)).toEqual(open(lectureId, 5400));
    await becomeReady(assetId);
    expect(await memberSees(courseId, lectureId)).toEqual(open(lectureId, 5412));
  });

  it('are nothing once the course waits for ready again, until the media is ready', async () => {
    const { courseId, lectureId, assetId } = await publishedEarly();
    const changed = await catalog.http().patch(`/api/courses/${courseId}`).set(as(editor)).send({ publishWhenPreviewable: false });
    expect(changed.status).toBe(200);
    expect(await memberSees(courseId, lectureId)).toEqual(closed);
    await becomeReady(assetId);
    expect(await memberSees(courseId, lectureId)).toEqual(open(lectureId, 5412));
  });

  it('carry the preview poster once the growing set has one, served as a ready poster is', async () => {
    const { courseId, lectureId, assetId } = await publishedEarly();
    const member = await catalog.tokenFor('member');
    const lectureOf = async (url: string, token: string) =>
      ((await catalog.http().get(url).set(as(token))).body.lectures as Array<{ id: string; posterUrl: string | null }>).find(
        (l) => l.id === lectureId,
      );
    expect((await lectureOf(`/api/courses/${courseId}`, member))?.posterUrl).toBeNull();
    expect((await catalog.http().get(`/api/lectures/${lectureId}/poster`)).status).toBe(404);

    // What the transcoder stores beside the growing set, then reports again (same previewableAt) with `poster`.
    const prefix = `media/${assetId}/preview`;
    await mkdir(join(catalog.env.STORAGE_DIR, prefix), { recursive: true });
    const file = join(catalog.env.STORAGE_DIR, prefix, 'poster.jpg');
    await promisify(execFile)('ffmpeg', [
      '-nostdin',
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      'color=c=navy:s=320x180',
      '-frames:v',
      '1',
      file,
    ]);
    const [row] = await catalog.dataSource.query(`SELECT outputs FROM lecture_media_previews WHERE asset_id = $1`, [assetId]);
    const event = { type: 'asset.previewable' as const, assetId, kind: 'video' as const, durationSec: 5400 };
    const previewableAt = new Date().toISOString();
    await applyPreviewableEvent(catalog.dataSource, { ...event, outputs: row.outputs, previewableAt });
    await applyPreviewableEvent(catalog.dataSource, { ...event, outputs: { ...row.outputs, poster: 'poster.jpg' }, previewableAt });
    // The first report arriving late does not take the poster away again.
    await applyPreviewableEvent(catalog.dataSource, { ...event, outputs: row.outputs, previewableAt });

    const posterUrl = `/api/lectures/${lectureId}/poster`;
    expect((await lectureOf(`/api/courses/${courseId}`, member))?.posterUrl).toBe(posterUrl);
    expect((await lectureOf(`/api/studio/courses/${courseId}`, editor))?.posterUrl).toBe(posterUrl);
    const jpeg = await readFile(file);
    const served = await catalog.http().get(posterUrl).set(as(member));
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toContain('image/jpeg');
    expect(Buffer.compare(served.body as Buffer, jpeg)).toBe(0);

    // The lecture page's player: the signed poster link of the growing set.
    const session = await catalog.http().post(`/api/lectures/${lectureId}/playback`).set(as(member));
    expect(session.status).toBe(201);
    expect(session.body).toMatchObject({
      stillEncoding: true,
      posterUrl: expect.stringMatching(new RegExp(`^/hls/[^/]+/${assetId}/poster\\.jpg$`)),
    });
    const signed = await catalog.http().get(session.body.posterUrl);
    expect(signed.status).toBe(200);
    expect(Buffer.compare(signed.body as Buffer, jpeg)).toBe(0);
  });

  it('lets editors read their own material reading for My study', async () => {
    const answer = await catalog.http().get('/api/me/material-reading').set(as(editor));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ plans: expect.any(Array) });
  });
});
