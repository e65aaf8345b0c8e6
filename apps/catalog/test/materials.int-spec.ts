import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tus from 'tus-js-client';
import { DOCUMENTS_QUEUE, materialJobId, type MaterialView, type MaterialWithLinks } from '#contracts';
import { pdfOfPages } from '../../../libs/media/src/pdf-fixtures.js';
import { buildZip, deflatedZeros, officeEntries } from '../../../libs/media/src/zip-fixtures.js';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';
import { publishTestMedia } from '../../../test/support/published-media.js';
import { startUpload, type UploadHarness } from '../../../test/support/upload-app.js';

// Course materials end to end through the real upload and catalog apps on one database and storage: tus upload
// with every check on the whole file, refusals that keep nothing, who may list and open materials, signed links
// that stop for archived materials and deactivated members, and the editor's changes.

let catalog: CatalogHarness;
let upload: UploadHarness;
let editor: string;
let member: string;
let courseId: string;
let lectureId: string;
let hiddenCourseId: string;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const MB = 1024 * 1024;
const latin1 = (text: string) => Buffer.from(text, 'latin1');

/** A small valid one-page PDF; `extra` objects go before the xref. */
function pdf(extra = ''): Buffer {
  return latin1(
    '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n' +
      '1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n' +
      '2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n' +
      '3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>\nendobj\n' +
      '4 0 obj\n<< /Length 44 >>\nstream\nBT /F1 24 Tf 100 700 Td (Lecture 1) Tj ET\n\nendstream\nendobj\n' +
      extra +
      'xref\n0 5\n0000000000 65535 f \ntrailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n0\n%%EOF\n',
  );
}

/** The JSON body of a refused material upload. */
const refusalOf = (sent: Sent): { statusCode: number; code: string; message: string } =>
  JSON.parse(sent.ok ? '{}' : sent.message) as { statusCode: number; code: string; message: string };

type Sent = { ok: true; materialId: string; url: string } | { ok: false; status: number; message: string; url: string | null };

/** Sends a file through the studio's tus endpoint as a material of the course (or lecture). */
function sendMaterial(data: Buffer, filename: string, metadata: Record<string, string> = {}, token = editor): Promise<Sent> {
  return new Promise((resolve) => {
    const sending: tus.Upload = new tus.Upload(data, {
      endpoint: `${upload.url}/files`,
      headers: as(token),
      metadata: { purpose: 'material', filename, courseId, ...metadata },
      chunkSize: 256 * 1024,
      retryDelays: [],
      onSuccess: ({ lastResponse }) =>
        resolve({ ok: true, materialId: lastResponse.getHeader('Lectern-Material-Id') ?? '', url: sending.url ?? '' }),
      onError: (error) => {
        const response = (error as tus.DetailedError).originalResponse;
        resolve({ ok: false, status: response?.getStatus() ?? 0, message: response?.getBody() ?? error.message, url: sending.url });
      },
    });
    sending.start();
  });
}

async function sendGood(data: Buffer, filename: string, metadata: Record<string, string> = {}): Promise<string> {
  const sent = await sendMaterial(data, filename, metadata);
  if (!sent.ok) throw new Error(`upload of ${filename} refused: ${sent.status} ${sent.message}`);
  return sent.materialId;
}

/** Every stored file under materials/ and every unfinished tus upload, to show a refusal keeps nothing. */
const storedMaterials = () => {
  const dir = join(catalog.env.STORAGE_DIR, 'materials');
  return existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length : 0;
};
const rowCount = async () => Number((await catalog.dataSource.query(`SELECT count(*) AS n FROM course_materials`))[0].n);

const open = (id: string, token = member) => catalog.http().get(`/api/materials/${id}`).set(as(token));
const fetchLink = (url: string, headers: Record<string, string> = {}) => catalog.http().get(url).set(headers).buffer(true);

beforeAll(async () => {
  catalog = await startCatalog();
  upload = await startUpload({
    DATABASE_URL: catalog.db.url,
    STORAGE_DIR: catalog.env.STORAGE_DIR,
    QUEUE_PREFIX: catalog.env.QUEUE_PREFIX,
  });
  editor = await catalog.tokenFor('editor');
  member = await catalog.tokenFor('member');
  const categories = await catalog.http().get('/api/course-categories').set(as(editor));
  const categoryId = categories.body[0].id;
  courseId = (await catalog.http().post('/api/courses').set(as(editor)).send({ title: '政策学习', categoryId })).body.id;
  const { assetId } = await publishTestMedia(catalog.dataSource, catalog.env.STORAGE_DIR, 2);
  lectureId = (await catalog.http().post(`/api/courses/${courseId}/lectures`).set(as(editor)).send({ title: '第一讲', assetId })).body.id;
  expect((await catalog.http().post(`/api/courses/${courseId}/publish`).set(as(editor))).status).toBe(200);
  // A published course meant for the west branch only: the demo member (east) cannot see it.
  const [west] = await catalog.dataSource.query(`SELECT id FROM org_units WHERE path = 'committee/west'`);
  hiddenCourseId = (
    await catalog
      .http()
      .post('/api/courses')
      .set(as(editor))
      .send({ title: '西区课程', categoryId, visibleUnitIds: [west.id] })
  ).body.id;
  expect((await catalog.http().post(`/api/courses/${hiddenCourseId}/publish`).set(as(editor))).status).toBe(200);
}, 240_000);

afterAll(async () => {
  await upload?.close();
  await catalog?.close();
});

describe('a good PDF', () => {
  let id: string;
  const file = pdf();

  beforeAll(async () => {
    id = await sendGood(file, '学习资料.pdf', { title: '第一期学习资料' });
  });

  it('is ready at once, readable, and listed for members and editors', async () => {
    const [row] = await catalog.dataSource.query(`SELECT * FROM course_materials WHERE id = $1`, [id]);
    expect(row).toMatchObject({
      kind: 'pdf',
      state: 'ready',
      file_name: '学习资料.pdf',
      title: '第一期学习资料',
      mime_type: 'application/pdf',
    });
    expect(row.pdf_key).toBe(row.source_key);
    expect(row.page_count).toBe(1);
    expect(Number(row.size_bytes)).toBe(file.length);
    const listed = await catalog.http().get(`/api/courses/${courseId}/materials`).set(as(member));
    expect(listed.status).toBe(200);
    expect(listed.body.materials).toEqual([
      expect.objectContaining({
        id,
        title: '第一期学习资料',
        kind: 'pdf',
        state: 'ready',
        readable: true,
        pageCount: 1,
        problem: null,
        lectureId: null,
      }),
    ]);
    const studio = await catalog.http().get(`/api/studio/courses/${courseId}/materials`).set(as(editor));
    expect(studio.body.materials.map((m: MaterialView) => m.id)).toContain(id);
  });

  it('is read and downloaded through its signed, expiring links, byte for byte', async () => {
    const opened = await open(id);
    expect(opened.status).toBe(200);
    const { links } = opened.body as MaterialWithLinks;
    expect(Date.parse(links.expiresAt)).toBeGreaterThan(Date.now());
    const read = await fetchLink(links.readUrl!);
    expect(read.status).toBe(200);
    expect(Buffer.from(read.body as Buffer).equals(file)).toBe(true);
    const range = await fetchLink(links.readUrl!, { Range: 'bytes=0-7' });
    expect(range.status).toBe(206);
    expect(Buffer.from(range.body as Buffer).toString('latin1')).toBe('%PDF-1.7');
    const download = await fetchLink(links.downloadUrl);
    expect(download.status).toBe(200);
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="original.pdf"; filename*=UTF-8''${encodeURIComponent('学习资料.pdf')}`,
    );
    expect(download.headers['cache-control']).toBe('private, no-store');
    // A link for one file of a material opens neither the other file nor another material.
    expect((await fetchLink(links.readUrl!.replace('/read', '/download'))).status).toBe(403);
    expect((await fetchLink(links.readUrl!.replace(/\.[A-Za-z0-9_-]+\//, '.x/'))).status).toBe(403);
  });
});

describe('page counts', () => {
  it('counts the pages of a PDF kept as it is, as pdf.js sees them; other kinds have none until converted', async () => {
    const pdfId = await sendGood(pdfOfPages([null, null, null]), '三页.pdf');
    const textId = await sendGood(Buffer.from('一行\n'), 'notes.txt');
    const officeId = await sendGood(buildZip(officeEntries('pptx')), '幻灯片.pptx');
    const studio = (await catalog.http().get(`/api/studio/courses/${courseId}/materials`).set(as(editor))).body.materials as MaterialView[];
    const pagesOf = (id: string) => studio.find((m) => m.id === id)?.pageCount;
    expect([pagesOf(pdfId), pagesOf(textId), pagesOf(officeId)]).toEqual([3, null, null]);
    const forMember = (await catalog.http().get(`/api/courses/${courseId}/materials`).set(as(member))).body.materials as MaterialView[];
    expect(forMember.find((m) => m.id === pdfId)?.pageCount).toBe(3);
    expect((await open(pdfId)).body.pageCount).toBe(3);
    for (const id of [pdfId, textId, officeId]) await catalog.http().post(`/api/studio/materials/${id}/archive`).set(as(editor));
  });

  it('keeps a PDF that passes every check but that pdf.js cannot open, without a page count', async () => {
    const id = await sendGood(latin1('%PDF-1.4\n1 0 obj\n<< /Type /Nothing >>\nendobj\n%%EOF\n'), 'odd.pdf');
    const [row] = await catalog.dataSource.query(`SELECT state, page_count FROM course_materials WHERE id = $1`, [id]);
    expect(row).toEqual({ state: 'ready', page_count: null });
    await catalog.http().post(`/api/studio/materials/${id}/archive`).set(as(editor));
  });
});

describe('hostile and mismatched files are refused with a clear message and leave nothing behind', () => {
  let bomb: Buffer;
  beforeAll(async () => {
    const zeros = 64 * MB;
    bomb = buildZip(
      officeEntries('docx', [
        { name: 'word/media/zeros.bin', compressed: await deflatedZeros(zeros), declaredUncompressedSize: zeros, crc: 0 },
      ]),
    );
  }, 60_000);

  it.each([
    ['a DOCX with a zip bomb inside', () => bomb, 'notes.docx', 'zip_bomb', /would expand \d+ times when opened/],
    [
      'a PDF with JavaScript',
      () => pdf('5 0 obj\n<< /S /JavaScript /JS (app.alert\\(1\\)) >>\nendobj\n'),
      'form.pdf',
      'active_content',
      /contains JavaScript/,
    ],
    [
      'a text file named .pdf',
      () => Buffer.from('这不是 PDF，只是一段文字。\n'.repeat(20)),
      'report.pdf',
      'mismatch',
      /is a plain text file, not a PDF/,
    ],
    ['a PDF named .docx', () => pdf(), 'slides.docx', 'mismatch', /is a PDF, not a Word document/],
  ])('%s', async (_what, data, filename, code, message) => {
    const [rowsBefore, filesBefore] = [await rowCount(), storedMaterials()];
    const sent = await sendMaterial(data(), filename);
    expect(sent).toMatchObject({ ok: false, status: 422 });
    // The API's error shape: a stable code for the studio, the English sentence for API users.
    expect(refusalOf(sent)).toEqual({ statusCode: 422, code, message: expect.stringMatching(message) });
    expect(await rowCount()).toBe(rowsBefore);
    expect(storedMaterials()).toBe(filesBefore);
    const uploadId = sent.url!.split('/').pop()!;
    expect(existsSync(join(upload.dir, 'uploads', uploadId))).toBe(false);
  });

  it('refuses a type it does not accept, and a file over its size limit, before any byte is sent', async () => {
    const exe = await sendMaterial(Buffer.from('MZ....'), 'setup.exe');
    expect(exe).toMatchObject({ ok: false, status: 415 });
    expect(refusalOf(exe)).toEqual({
      statusCode: 415,
      code: 'type_not_allowed',
      message: expect.stringMatching(/“\.exe” files are not accepted/),
    });
    const big = await fetch(`${upload.url}/files`, {
      method: 'POST',
      headers: {
        ...as(editor),
        'Tus-Resumable': '1.0.0',
        'Upload-Length': String(101 * MB),
        'Upload-Metadata': `purpose ${btoa('material')},filename ${btoa('big.pdf')},courseId ${btoa(courseId)}`,
      },
    });
    expect(big.status).toBe(413);
    expect(JSON.parse(await big.text())).toEqual({
      statusCode: 413,
      code: 'too_large',
      message: expect.stringMatching(/PDFs can be at most 100 MB/),
    });
  });

  it('refuses bad metadata and courses the editor may not attach to', async () => {
    const badId = await sendMaterial(pdf(), 'a.pdf', { courseId: 'nope' });
    expect(badId).toMatchObject({ status: 400 });
    expect(refusalOf(badId)).toMatchObject({
      code: 'bad_metadata',
      message: expect.stringMatching(/courseId must be the id of the course/),
    });
    const noCourse = await sendMaterial(pdf(), 'a.pdf', { courseId: '00000000-0000-4000-8000-000000000000' });
    expect(noCourse).toMatchObject({ status: 404 });
    expect(refusalOf(noCourse)).toMatchObject({ code: 'no_course', message: expect.stringMatching(/No such course/) });
    const other = await catalog.http().post(`/api/courses/${hiddenCourseId}/lectures`).set(as(editor)).send({ title: '别的课' });
    const noLecture = await sendMaterial(pdf(), 'a.pdf', { lectureId: other.body.id });
    expect(noLecture).toMatchObject({ status: 404 });
    expect(refusalOf(noLecture)).toMatchObject({ code: 'no_lecture', message: expect.stringMatching(/No such lecture in this course/) });
    // A member is stopped by the editor-only endpoint itself, before any material check.
    expect(await sendMaterial(pdf(), 'a.pdf', {}, member)).toMatchObject({ ok: false, status: 403 });
  });
});

describe('Office documents', () => {
  it('wait for their PDF in a conversion job named after the material, the original downloadable meanwhile', async () => {
    const id = await sendGood(buildZip(officeEntries('docx')), '讲稿.docx', { lectureId });
    const opened = await open(id);
    expect(opened.body).toMatchObject({ kind: 'docx', state: 'converting', readable: false, lectureId, links: { readUrl: null } });
    expect((await fetchLink(opened.body.links.downloadUrl)).status).toBe(200);
    const connection = new Redis('redis://127.0.0.1:6379');
    const queue = new Queue(DOCUMENTS_QUEUE, { connection, prefix: catalog.env.QUEUE_PREFIX });
    try {
      expect((await queue.getJob(materialJobId(id)))?.data).toEqual({ materialId: id });
      // The worker gave up: the editor sees why and tries again, which queues it again.
      await queue.remove(materialJobId(id));
      await catalog.dataSource.query(
        `UPDATE course_materials SET state = 'failed', failure_code = 'timeout', failure_message = 'The conversion took too long.' WHERE id = $1`,
        [id],
      );
      const studio = await catalog.http().get(`/api/studio/courses/${courseId}/materials`).set(as(editor));
      expect(studio.body.materials.find((m: MaterialView) => m.id === id).problem).toEqual({
        code: 'timeout',
        message: 'The conversion took too long.',
      });
      const forMember = await catalog.http().get(`/api/lectures/${lectureId}/materials`).set(as(member));
      expect(forMember.body.materials.find((m: MaterialView) => m.id === id)).toMatchObject({ state: 'failed', problem: null });
      const retried = await catalog.http().post(`/api/studio/materials/${id}/retry`).set(as(editor));
      expect(retried.status).toBe(200);
      expect(retried.body).toMatchObject({ state: 'converting', problem: null });
      expect((await queue.getJob(materialJobId(id)))?.data).toEqual({ materialId: id });
      const again = await catalog.http().post(`/api/studio/materials/${id}/retry`).set(as(editor));
      expect(again.status).toBe(409);
      expect(again.body.message).toMatch(/has not failed/);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });
});

describe('who sees materials', () => {
  let hiddenId: string;
  beforeAll(async () => {
    hiddenId = await sendGood(pdf(), 'west.pdf', { courseId: hiddenCourseId });
  });

  it('a member cannot list or open materials of a course they cannot see', async () => {
    const listed = await catalog.http().get(`/api/courses/${hiddenCourseId}/materials`).set(as(member));
    expect(listed.status).toBe(404);
    expect((await open(hiddenId)).status).toBe(404);
    expect((await catalog.http().get(`/api/courses/${hiddenCourseId}/materials`).set(as(editor))).body.materials).toHaveLength(1);
    expect((await catalog.http().get(`/api/studio/courses/${courseId}/materials`).set(as(member))).status).toBe(403);
  });

  it('archived materials disappear for members and their links stop working', async () => {
    const id = await sendGood(pdf(), 'old.pdf');
    const { links } = (await open(id)).body as MaterialWithLinks;
    expect((await fetchLink(links.readUrl!)).status).toBe(200);
    const archived = await catalog.http().post(`/api/studio/materials/${id}/archive`).set(as(editor));
    expect(archived.status).toBe(200);
    expect(archived.body.archivedAt).not.toBeNull();
    const listed = await catalog.http().get(`/api/courses/${courseId}/materials`).set(as(member));
    expect(listed.body.materials.map((m: MaterialView) => m.id)).not.toContain(id);
    expect((await open(id)).status).toBe(404);
    expect((await fetchLink(links.readUrl!)).status).toBe(403);
    expect((await fetchLink(links.downloadUrl)).status).toBe(403);
    const all = await catalog.http().get(`/api/studio/courses/${courseId}/materials?includeArchived=true`).set(as(editor));
    expect(all.body.materials.find((m: MaterialView) => m.id === id).archivedAt).not.toBeNull();
    await expect(catalog.dataSource.query(`DELETE FROM course_materials WHERE id = $1`, [id])).rejects.toThrow(
      /archive a material instead/,
    );
  });

  it('a restored material is back for members, last in the list, its new links working', async () => {
    const id = await sendGood(pdf(), 'back.pdf');
    const restore = (token = editor) => catalog.http().post(`/api/studio/materials/${id}/restore`).set(as(token));
    // Restoring a live material leaves it as it is.
    const untouched = await restore();
    expect(untouched.status).toBe(200);
    expect(untouched.body).toMatchObject({ id, archivedAt: null });
    expect((await catalog.http().post(`/api/studio/materials/${id}/archive`).set(as(editor))).status).toBe(200);
    expect((await open(id)).status).toBe(404);

    expect((await restore(member)).status).toBe(403);
    expect((await catalog.http().post(`/api/studio/materials/00000000-0000-4000-8000-000000000000/restore`).set(as(editor))).status).toBe(
      404,
    );
    expect((await catalog.http().post(`/api/studio/materials/nope/restore`).set(as(editor))).status).toBe(400);
    const restored = await restore();
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ id, archivedAt: null, state: 'ready', readable: true });
    const [row] = await catalog.dataSource.query(`SELECT archived_at, archived_by FROM course_materials WHERE id = $1`, [id]);
    expect(row).toEqual({ archived_at: null, archived_by: null });
    const live = (await catalog.http().get(`/api/studio/courses/${courseId}/materials`).set(as(editor))).body.materials as MaterialView[];
    expect(live.at(-1)?.id).toBe(id);
    expect(live.map((m) => m.position)).toEqual(live.map((_, i) => i));
    const listed = await catalog.http().get(`/api/courses/${courseId}/materials`).set(as(member));
    expect(listed.body.materials.map((m: MaterialView) => m.id)).toContain(id);
    const { links } = (await open(id)).body as MaterialWithLinks;
    expect((await fetchLink(links.readUrl!)).status).toBe(200);
    // Twice is the same as once.
    expect((await restore()).body).toMatchObject({ id, archivedAt: null, position: restored.body.position });
  });

  it('an archived course keeps its archived materials archived', async () => {
    const categoryId = (await catalog.http().get('/api/course-categories').set(as(editor))).body[0].id;
    const otherId = (await catalog.http().post('/api/courses').set(as(editor)).send({ title: '将归档的课程', categoryId })).body.id;
    const id = await sendGood(pdf(), 'kept.pdf', { courseId: otherId });
    expect((await catalog.http().post(`/api/studio/materials/${id}/archive`).set(as(editor))).status).toBe(200);
    await catalog.dataSource.query(`UPDATE courses SET status = 'archived' WHERE id = $1`, [otherId]);
    const answer = await catalog.http().post(`/api/studio/materials/${id}/restore`).set(as(editor));
    expect(answer.status).toBe(409);
    expect(answer.body.message).toMatch(/course is archived.*Restore the course first/);
  });

  it("a deactivated member's links stop working", async () => {
    const [other] = await catalog.dataSource.query(
      `SELECT u.login FROM users u JOIN org_units o ON o.id = u.org_unit_id
        WHERE u.role = 'member' AND u.active AND u.login <> 'member' AND o.path LIKE 'committee/east%' LIMIT 1`,
    );
    const token = await catalog.tokenFor(other.login);
    const id = await sendGood(pdf(), 'for-all.pdf');
    const { links } = (await open(id, token)).body as MaterialWithLinks;
    expect((await fetchLink(links.downloadUrl)).status).toBe(200);
    await catalog.dataSource.query(`UPDATE users SET active = false WHERE login = $1`, [other.login]);
    expect((await fetchLink(links.downloadUrl)).status).toBe(403);
  });
});

describe('editing', () => {
  it('renames, attaches to a lecture and back, and reorders, with clear messages for bad input', async () => {
    const a = await sendGood(pdf(), 'a.pdf');
    const b = await sendGood(Buffer.from('第一行\n第二行\n'), 'notes.txt');
    const patch = (id: string, body: object) => catalog.http().patch(`/api/studio/materials/${id}`).set(as(editor)).send(body);
    expect((await patch(b, { title: '  学习笔记 ', lectureId })).body).toMatchObject({
      title: '学习笔记',
      lectureId,
      kind: 'text',
      readable: false,
    });
    expect((await patch(b, { lectureId: null })).body.lectureId).toBeNull();
    expect((await patch(b, { position: 0 })).body.position).toBe(0);
    const order = (await catalog.http().get(`/api/studio/courses/${courseId}/materials`).set(as(editor))).body.materials.map(
      (m: MaterialView) => m.id,
    );
    expect(order[0]).toBe(b);
    expect(order).toContain(a);
    const positions = (await catalog.http().get(`/api/studio/courses/${courseId}/materials`).set(as(editor))).body.materials.map(
      (m: MaterialView) => m.position,
    );
    expect(positions).toEqual(positions.map((_: number, i: number) => i));

    for (const [body, message] of [
      [{}, /give at least one of title, lectureId or position/],
      [{ title: '' }, /title must not be empty/],
      [{ position: -1 }, /position must be 0 or more/],
      [{ lectureId: 'x' }, /lectureId must be the id of a lecture/],
      [{ kind: 'pdf' }, /only title, lectureId and position can be changed/],
    ] as const) {
      const answer = await patch(a, body);
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.body)).toMatch(message);
    }
    const foreign = await patch(a, { lectureId: '00000000-0000-4000-8000-000000000000' });
    expect(foreign.status).toBe(404);
    expect(foreign.body.message).toMatch(/no such lecture in this course/);
    expect((await patch(a, { title: 'x' }).set(as(member))).status).toBe(403);
  });
});

describe('odd input', () => {
  it('answers odd link paths with 4xx, never a file or a 500', async () => {
    const id = await sendGood(pdf(), 'edge.pdf');
    const { links } = (await open(id)).body as MaterialWithLinks;
    const [, , , token] = links.downloadUrl.split('/');
    for (const path of [
      `/api/material-files/${token}/${id}/other`,
      `/api/material-files/${token}/%2e/download`,
      `/api/material-files/${token}/..%2f/download`,
      `/api/material-files/%00/${id}/download`,
      `/api/material-files/${'a'.repeat(5000)}.b/${id}/download`,
      `/api/material-files/${token}//download`,
      `/api/material-files/${token}/${id}/download/extra`,
    ]) {
      const answer = await catalog.http().get(path);
      expect([400, 403, 404]).toContain(answer.status);
      expect(String(answer.text)).not.toContain('%PDF');
    }
  });

  it.each([
    ['a NUL character', 'a\u0000b', [400]],
    ['a lone surrogate', '\ud800', [200, 400]],
    ['20,000 characters', 'x'.repeat(20_000), [400]],
    ['a number', 2147483648, [400]],
    ['null', null, [400]],
    ['an object', {}, [400]],
  ])('answers a title of %s with a 4xx or as saved, never a 500', async (_what, title, statuses) => {
    const id = await sendGood(pdf(), 'odd.pdf');
    const answer = await catalog.http().patch(`/api/studio/materials/${id}`).set(as(editor)).send({ title });
    expect(statuses).toContain(answer.status);
  });

  it.each([[2147483648], [1e308], [1.5], ['1'], [null]])('answers the position %j with 400', async (position) => {
    const id = await sendGood(pdf(), 'odd.pdf');
    const answer = await catalog.http().patch(`/api/studio/materials/${id}`).set(as(editor)).send({ position });
    expect(answer.status).toBe(400);
  });
});
