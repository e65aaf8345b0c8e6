import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
  ServiceUnavailableException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Principal } from '#auth';
import {
  stoppedInChapter,
  type ChapterImportView,
  type ChapterRowProblem,
  type ChapterVersionList,
  type ChapterVersionSummary,
  type ChapterVersionView,
  type LectureChapter,
  type LectureChaptersView,
  type StoppedInChapter,
} from '#contracts';
import { chaptersFromProbe, validateChapters } from '#media';
import type { Storage } from '#storage';
import { playbackAccess } from '../courses/access-rules.js';
import { STORAGE } from '../media/storage.provider.js';
import { ChaptersRepository, type ChapterLectureRow, type ChapterVersionRow } from './chapters.repository.js';
import type { SaveChaptersBody } from './chapters.schemas.js';
import { ChapterProbeError, probeChapters } from './source-chapters.js';

const NOT_OPEN = 'No such lecture, or it is not open to you.';
const STALE =
  'Someone else saved the chapters of this lecture after you opened them. Reload to see their list, then make your changes again.';
const NO_VERSION = (revision: number) =>
  `This lecture has no earlier chapter list number ${revision}. Open the list of earlier versions and choose one there.`;

const summaryView = (row: ChapterVersionRow): ChapterVersionSummary => ({
  revision: row.revision,
  savedAt: row.saved_at.toISOString(),
  savedByName: row.saved_by_name,
  chapterCount: row.chapter_count,
  archivedAt: (row.archived_at ?? row.saved_at).toISOString(),
  archivedByName: row.archived_by_name ?? '',
});

/**
 * Chapters of a lecture: members read them where they may watch it; the course's editors replace the whole list
 * (the old one is kept) and may have the uploaded file's own chapters read out for review.
 */
@Injectable()
export class ChaptersService {
  constructor(
    private readonly repo: ChaptersRepository,
    @Inject(STORAGE) private readonly storage: Storage,
  ) {}

  async view(principal: Principal, lectureId: string): Promise<LectureChaptersView> {
    const { lecture, mayEdit } = await this.readable(principal, lectureId);
    return this.render(lecture, mayEdit);
  }

  async save(principal: Principal, lectureId: string, body: SaveChaptersBody): Promise<LectureChaptersView> {
    const lecture = await this.editable(principal, lectureId);
    return this.store(lecture, principal, body.chapters, body.revision);
  }

  /** The lists saved before the current one (who saved each, when, how many chapters), newest first. */
  async versions(principal: Principal, lectureId: string): Promise<ChapterVersionList> {
    await this.editable(principal, lectureId);
    const rows = await this.repo.earlierLists(lectureId);
    const current = rows.find((row) => row.archived_at === null);
    return { lectureId, revision: current?.revision ?? 0, versions: rows.filter((row) => row.archived_at !== null).map(summaryView) };
  }

  /** One earlier list with its chapters, read-only. */
  async version(principal: Principal, lectureId: string, revision: number): Promise<ChapterVersionView> {
    await this.editable(principal, lectureId);
    const [row] = await this.repo.earlierLists(lectureId, revision);
    if (!row || row.archived_at === null) throw new NotFoundException(NO_VERSION(revision));
    return { ...summaryView(row), chapters: await this.repo.chaptersOf(lectureId, revision) };
  }

  /**
   * Saves an earlier list again as the current one (numbered next); the list it replaces is kept, as on any save. The
   * rows are checked as a saved list is (the lecture's length may have changed since), and `expectRevision` refuses a
   * stale restore.
   */
  async restore(
    principal: Principal,
    lectureId: string,
    revision: number,
    expectRevision: number | undefined,
  ): Promise<LectureChaptersView> {
    const lecture = await this.editable(principal, lectureId);
    const [row] = await this.repo.earlierLists(lectureId, revision);
    if (!row) throw new NotFoundException(NO_VERSION(revision));
    if (row.archived_at === null) throw new ConflictException('This list is already the current one; there is nothing to restore.');
    return this.store(lecture, principal, await this.repo.chaptersOf(lectureId, revision), expectRevision);
  }

  /** Checks a whole list and saves it as the current one; 400 names each bad row, 409 a list saved since. */
  private async store(
    lecture: ChapterLectureRow,
    principal: Principal,
    chapters: ReadonlyArray<{ title: string; startSec: number | null }>,
    expectRevision: number | undefined,
  ): Promise<LectureChaptersView> {
    const checked = validateChapters(
      chapters.map((c) => ({ title: c.title, startSec: c.startSec ?? Number.NaN })),
      this.durationOf(lecture),
    );
    if (!checked.ok) {
      const problems: ChapterRowProblem[] = checked.errors;
      const messages = problems.map((p) => p.message);
      throw new BadRequestException({ statusCode: 400, message: `${messages.join('. ')}.`, errors: messages, problems });
    }
    const saved: readonly LectureChapter[] = checked.chapters;
    const result = await this.repo.replace(lecture.id, principal.userId, saved, expectRevision);
    if (!result.saved) throw new ConflictException(STALE);
    return this.render(lecture, true);
  }

  /** The chapters the lecture's uploaded file carries, proposed for review; nothing is saved. */
  async importFromFile(principal: Principal, lectureId: string, lang: 'zh-CN' | 'en'): Promise<ChapterImportView> {
    const lecture = await this.editable(principal, lectureId);
    if (!lecture.asset_id) {
      throw new ConflictException('This lecture has no uploaded file yet. Upload its recording first, or mark the chapters by hand.');
    }
    // The upload service keeps each original as sources/<asset id>/original.<extension> until its media is swept.
    const prefix = `sources/${lecture.asset_id}`;
    const keys = await this.storage.list(prefix).catch(() => [] as string[]);
    const key = keys.find((k) => k.startsWith(`${prefix}/original.`));
    if (!key) {
      throw new ConflictException("The lecture's original file is no longer kept, so its chapters cannot be read. Mark them by hand.");
    }
    const scratch = await mkdtemp(join(tmpdir(), 'lectern-chapters-'));
    let output: string;
    try {
      output = await probeChapters(await this.storage.localPath(key, scratch));
    } catch (error) {
      if (error instanceof ChapterProbeError && error.reason === 'ffprobe_missing') {
        throw new ServiceUnavailableException(
          'Chapters cannot be read from files on this server now (ffprobe is missing). Ask the operator.',
        );
      }
      throw new UnprocessableEntityException("The lecture's file could not be read for chapters. Mark them by hand.");
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
    const foundInFile = countProbeChapters(output);
    const chapters = chaptersFromProbe(output, {
      durationSec: this.durationOf(lecture),
      untitled: (n) => (lang === 'en' ? `Chapter ${n}` : `第 ${n} 章`),
    });
    const message =
      chapters.length === 0
        ? foundInFile === 0
          ? "The lecture's file has no chapters of its own. Mark them by hand: a start time and a title per row."
          : `The file names ${foundInFile} chapters, but none starts inside the lecture. Mark them by hand.`
        : `${chapters.length} chapters read from the file. Review them, then save; nothing has changed yet.`;
    return { chapters, foundInFile, message };
  }

  /** The chapter each of a member's lectures was left in, for My study. */
  async stoppedIn(positions: ReadonlyArray<{ lectureId: string; positionSec: number }>): Promise<Map<string, StoppedInChapter | null>> {
    const chapters = await this.repo.currentChapters([...new Set(positions.map((p) => p.lectureId))]);
    return new Map(positions.map((p) => [p.lectureId, stoppedInChapter(chapters.get(p.lectureId) ?? [], p.positionSec)]));
  }

  private async render(lecture: ChapterLectureRow, mayEdit: boolean): Promise<LectureChaptersView> {
    const [list, chapters, previousLists] = await Promise.all([
      this.repo.currentList(lecture.id),
      this.repo.currentChapters([lecture.id]),
      mayEdit ? this.repo.previousLists(lecture.id) : Promise.resolve(0),
    ]);
    return {
      lectureId: lecture.id,
      lectureTitle: lecture.title,
      courseId: lecture.course_id,
      courseTitle: lecture.course_title,
      durationSec: this.durationOf(lecture),
      revision: list?.revision ?? 0,
      chapters: chapters.get(lecture.id) ?? [],
      savedAt: list?.saved_at.toISOString() ?? null,
      savedBy: mayEdit ? (list?.saved_by_name ?? null) : null,
      previousLists,
      mayEdit,
    };
  }

  private durationOf(lecture: ChapterLectureRow): number | null {
    return lecture.media_status === 'ready' && lecture.duration_sec !== null && Number(lecture.duration_sec) > 0
      ? Number(lecture.duration_sec)
      : null;
  }

  /** Whoever may play the lecture reads its chapters: as playback decides, so drafts only for their editors. */
  private async readable(principal: Principal, lectureId: string): Promise<{ lecture: ChapterLectureRow; mayEdit: boolean }> {
    const unitPath = await this.repo.unitPath(principal.orgUnitId);
    const lecture = await this.repo.lecture(lectureId, unitPath);
    if (!lecture || lecture.archived) throw new NotFoundException(NOT_OPEN);
    const access = playbackAccess(
      { role: principal.role, unitPath },
      { status: lecture.course_status, ownerPath: lecture.owner_path, visibleToCaller: lecture.visible },
    );
    if (access === 'none' || (access === 'learner' && !lecture.members_may_play)) throw new NotFoundException(NOT_OPEN);
    return { lecture, mayEdit: access === 'preview' };
  }

  /** Only the course's editors change chapters; to anyone else the lecture does not exist (404). */
  private async editable(principal: Principal, lectureId: string): Promise<ChapterLectureRow> {
    const { lecture, mayEdit } = await this.readable(principal, lectureId).catch(() => {
      throw new NotFoundException('No such lecture, or you do not edit its course.');
    });
    if (!mayEdit) throw new NotFoundException('No such lecture, or you do not edit its course.');
    return lecture;
  }
}

/** How many entries ffprobe's chapter list holds (0 for unreadable output). */
function countProbeChapters(output: string): number {
  try {
    const parsed = JSON.parse(output) as { chapters?: unknown };
    return Array.isArray(parsed.chapters) ? parsed.chapters.length : 0;
  } catch {
    return 0;
  }
}
