import type { CatalogHarness } from './catalog-app.js';
import { publishTestMedia } from './published-media.js';

export interface PublishedLecture {
  /** The published lecture's media. */
  assetId: string;
  /** A second ready media set that no lecture uses: a link to it must not open the first one. */
  otherAssetId: string;
  lectureId: string;
  /** The demo member's access token. */
  member: string;
}

/** As the demo editor: a published course with one lecture on generated media of `segments` segments. */
export async function publishLecture(catalog: CatalogHarness, courseTitle: string, segments: number): Promise<PublishedLecture> {
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const editor = await catalog.tokenFor('editor');
  const member = await catalog.tokenFor('member');
  const categories = await catalog.http().get('/api/course-categories').set(as(editor));
  const course = await catalog.http().post('/api/courses').set(as(editor)).send({ title: courseTitle, categoryId: categories.body[0].id });
  const { assetId } = await publishTestMedia(catalog.dataSource, catalog.env.STORAGE_DIR, segments);
  const { assetId: otherAssetId } = await publishTestMedia(catalog.dataSource, catalog.env.STORAGE_DIR, 2);
  const lecture = await catalog.http().post(`/api/courses/${course.body.id}/lectures`).set(as(editor)).send({ title: '第一讲', assetId });
  await catalog.http().post(`/api/courses/${course.body.id}/publish`).set(as(editor));
  return { assetId, otherAssetId, lectureId: lecture.body.id, member };
}
