import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
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
