import { expect } from '@jest/globals';
import type { CatalogHarness } from './catalog-app.js';
import { publishTestMedia } from './published-media.js';

const as = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A member as the tests act for them: id, login, name and a signed-in token. */
export interface TestMember {
  id: string;
  login: string;
  name: string;
  token: string;
}

/** The demo member 'member' and another active member of the east district, each signed in. */
export async function memberAndNeighbour(catalog: CatalogHarness): Promise<{ member: TestMember; other: TestMember }> {
  const [member] = await catalog.dataSource.query(`SELECT id, login, name FROM users WHERE login = 'member'`);
  const [other] = await catalog.dataSource.query(
    `SELECT u.id, u.login, u.name FROM users u JOIN org_units o ON o.id = u.org_unit_id
      WHERE o.path LIKE 'committee/east/%' AND u.login <> 'member' AND u.role = 'member' AND u.active ORDER BY u.login LIMIT 1`,
  );
  return {
    member: { ...member, token: await catalog.tokenFor(member.login) },
    other: { ...other, token: await catalog.tokenFor(other.login) },
  };
}

/** Study credited on a day, as the heartbeat ingest records it (added to what that day already holds). */
export const creditStudy = (catalog: CatalogHarness, userId: string, lectureId: string, day: string, seconds: number) =>
  catalog.dataSource.query(
    `INSERT INTO study_daily (user_id, lecture_id, day, credited_sec) VALUES ($1, $2, $3, $4)
     ON CONFLICT (user_id, day, lecture_id) DO UPDATE SET credited_sec = study_daily.credited_sec + $4`,
    [userId, lectureId, day, seconds],
  );

/** A lecture the member has watched through and completed now. */
export const completeLecture = (catalog: CatalogHarness, userId: string, lectureId: string) =>
  catalog.dataSource.query(
    `INSERT INTO lecture_progress (user_id, lecture_id, credited_sec, covered_sec, duration_sec, completed_at) VALUES ($1, $2, 100, 100, 100, now())
     ON CONFLICT (user_id, lecture_id) DO UPDATE SET completed_at = now()`,
    [userId, lectureId],
  );

/** A published course by the demo editor, one lecture with its own published media for each title. */
export async function publishedCourse(catalog: CatalogHarness, title: string, lectureTitles: string[]) {
  const editor = await catalog.tokenFor('editor');
  const categories = await catalog.http().get('/api/course-categories').set(as(editor));
  const created = await catalog.http().post('/api/courses').set(as(editor)).send({ title, categoryId: categories.body[0].id });
  expect(created.status).toBe(201);
  const courseId = created.body.id as string;
  const lectures: string[] = [];
  for (const lectureTitle of lectureTitles) {
    const { assetId } = await publishTestMedia(catalog.dataSource, catalog.env.STORAGE_DIR, 2);
    const lecture = await catalog.http().post(`/api/courses/${courseId}/lectures`).set(as(editor)).send({ title: lectureTitle, assetId });
    expect(lecture.status).toBe(201);
    lectures.push(lecture.body.id as string);
  }
  expect((await catalog.http().post(`/api/courses/${courseId}/publish`).set(as(editor))).status).toBeLessThan(300);
  return { courseId, lectures };
}
