import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type {
  CaptionLang,
  CaptionProblemView,
  CaptionRejection,
  CaptionVersionList,
  CaptionVersionSummary,
  CaptionVersionView,
  LectureCaptions,
  StudioCaptionTrack,
  StudioCaptions,
} from '#contracts';
import type { Principal } from '#auth';
import { CaptionFileError, captionSearchText, decodeCaptionBytes, parseCaptions, toWebVtt, type CaptionProblem } from '#media';
import { mayEditCourse, playbackAccess } from '../courses/access-rules.js';
import { documentTerms } from '../courses/search-terms.js';
import { ScopeService } from '../org/scope.service.js';
import { CaptionsRepository, type CaptionLectureRow, type CaptionVersionRow, type LiveCaptionRow } from './captions.repository.js';

const NOT_FOUND = 'No such lecture, or it is not open to you.';

const problemView = ({ line, code, message }: CaptionProblem): CaptionProblemView => ({ line, code, message });

function rejection(code: CaptionRejection['code'], problems: CaptionProblemView[]): BadRequestException {
  const body: CaptionRejection = { statusCode: 400, code, message: problems[0].message, errors: problems.map((p) => p.message), problems };
  return new BadRequestException(body);
}

const langName = (lang: CaptionLang) => (lang === 'en' ? 'English' : 'Chinese');

const NO_VERSION = (lang: CaptionLang) =>
  `This lecture has no such earlier version of its ${langName(lang)} captions. Open the list of earlier versions and choose one there.`;

const STALE_RESTORE =
  'Someone else saved these captions after you opened them. Reload to see the current text, then restore the version again if you still want it.';

const summaryView = (row: CaptionVersionRow): CaptionVersionSummary => ({
  id: row.id,
  savedAt: row.updated_at.toISOString(),
  savedByName: row.updated_by_name,
  cueCount: row.cue_count,
  bytes: row.bytes,
  sourceName: row.source_name,
  archivedAt: (row.archived_at ?? row.updated_at).toISOString(),
  archiveReason: row.archive_reason ?? 'replaced',
});

const trackView = (row: LiveCaptionRow, warnings: CaptionProblemView[] = []): StudioCaptionTrack => ({
  versionId: row.id,
  lang: row.lang,
  vtt: row.vtt,
  cueCount: row.cue_count,
  sourceName: row.source_name,
  sourceFormat: row.source_format,
  sourceEncoding: row.source_encoding,
  updatedAt: row.updated_at.toISOString(),
  updatedByName: row.updated_by_name,
  earlierVersions: row.earlier_versions,
  warnings,
});

/**
 * Captions per lecture and language: editors upload or edit them (every save keeps the text before it), members
 * read the live ones of lectures they may watch. Uploads may be WebVTT or SRT in UTF-8 or GBK; what is stored and
 * served is normalised WebVTT.
 */
@Injectable()
export class CaptionsService {
  constructor(
    private readonly captions: CaptionsRepository,
    private readonly scope: ScopeService,
  ) {}

  async studio(principal: Principal, lectureId: string): Promise<StudioCaptions> {
    const lecture = await this.editable(principal, lectureId);
    return this.render(lecture);
  }

  /** Saves bytes (an uploaded file, or the text edited in the page) as the live captions of the language. */
  async save(
    principal: Principal,
    lectureId: string,
    lang: CaptionLang,
    bytes: Uint8Array,
    sourceName: string | null,
  ): Promise<StudioCaptions> {
    const lecture = await this.editable(principal, lectureId);
    let decoded: ReturnType<typeof decodeCaptionBytes>;
    try {
      decoded = decodeCaptionBytes(bytes);
    } catch (error) {
      if (error instanceof CaptionFileError) throw rejection('caption_file', [{ line: 0, code: error.code, message: error.message }]);
      throw error;
    }
    const parsed = parseCaptions(decoded.text);
    if (!parsed.ok) throw rejection('caption_invalid', parsed.errors.map(problemView));
    const searchText = captionSearchText(parsed.cues);
    await this.captions.replace({
      lectureId,
      lang,
      vtt: toWebVtt(parsed.cues),
      cueCount: parsed.cues.length,
      searchText,
      searchTerms: documentTerms(searchText),
      sourceName,
      sourceFormat: parsed.format,
      sourceEncoding: decoded.encoding,
      userId: principal.userId,
    });
    return this.render(lecture, { lang, warnings: parsed.warnings.map(problemView) });
  }

  async archive(principal: Principal, lectureId: string, lang: CaptionLang): Promise<StudioCaptions> {
    const lecture = await this.editable(principal, lectureId);
    if (!(await this.captions.archive(lectureId, lang, principal.userId))) {
      throw new NotFoundException(`This lecture has no ${langName(lang)} captions to archive.`);
    }
    return this.render(lecture);
  }

  /** The earlier texts of a language (replaced or archived), newest first; nothing of them is ever deleted. */
  async versions(principal: Principal, lectureId: string, lang: CaptionLang): Promise<CaptionVersionList> {
    await this.editable(principal, lectureId);
    const { currentId, versions } = await this.captions.earlier(lectureId, lang);
    return { lectureId, lang, currentId, versions: versions.map(summaryView) };
  }

  /** One earlier text of a language, to read before restoring it. */
  async version(principal: Principal, lectureId: string, lang: CaptionLang, versionId: string): Promise<CaptionVersionView> {
    await this.editable(principal, lectureId);
    const row = await this.captions.version(lectureId, lang, versionId);
    if (!row || row.archived_at === null) throw new NotFoundException(NO_VERSION(lang));
    return { ...summaryView(row), lang: row.lang, vtt: row.vtt ?? '' };
  }

  /**
   * Saves an earlier text again as the live one: the text it replaces is kept as an earlier version, as on any save.
   * It is checked as an edited text is; `expectCurrent` (the live text the editor saw) refuses a stale restore.
   */
  async restore(
    principal: Principal,
    lectureId: string,
    lang: CaptionLang,
    versionId: string,
    expectCurrent: string | null | undefined,
  ): Promise<StudioCaptions> {
    const lecture = await this.editable(principal, lectureId);
    const row = await this.captions.version(lectureId, lang, versionId);
    if (!row) throw new NotFoundException(NO_VERSION(lang));
    if (row.archived_at === null) {
      throw new ConflictException('This version is already the current text; there is nothing to restore.');
    }
    const parsed = parseCaptions(row.vtt ?? '');
    if (!parsed.ok) throw rejection('caption_invalid', parsed.errors.map(problemView));
    const result = await this.captions.restore(lectureId, lang, versionId, principal.userId, expectCurrent);
    if (!result.restored) {
      if (result.reason === 'missing') throw new NotFoundException(NO_VERSION(lang));
      if (result.reason === 'current')
        throw new ConflictException('This version is already the current text; there is nothing to restore.');
      throw new ConflictException(STALE_RESTORE);
    }
    return this.render(lecture, { lang, warnings: parsed.warnings.map(problemView) });
  }

  /** The live tracks for the player: anyone who may open the lecture (the same rule as playback). */
  async forViewer(principal: Principal, lectureId: string): Promise<LectureCaptions> {
    const unit = await this.scope.rootOf(principal);
    const lecture = await this.captions.lecture(lectureId, unit.path);
    const access = lecture
      ? playbackAccess(
          { role: principal.role, unitPath: unit.path },
          { status: lecture.course_status, ownerPath: lecture.owner_path, visibleToCaller: lecture.visible },
        )
      : 'none';
    if (access === 'none' || (access === 'learner' && !lecture!.members_may_play)) throw new NotFoundException(NOT_FOUND);
    const rows = await this.captions.live(lectureId);
    return {
      lectureId,
      tracks: rows.map((row) => ({ lang: row.lang, vtt: row.vtt, cueCount: row.cue_count, updatedAt: row.updated_at.toISOString() })),
    };
  }

  private async render(lecture: CaptionLectureRow, saved?: { lang: CaptionLang; warnings: CaptionProblemView[] }): Promise<StudioCaptions> {
    const rows = await this.captions.live(lecture.id);
    return {
      lectureId: lecture.id,
      lectureTitle: lecture.title,
      courseId: lecture.course_id,
      courseTitle: lecture.course_title,
      tracks: rows.map((row) => trackView(row, row.lang === saved?.lang ? saved.warnings : [])),
    };
  }

  /** The lecture if the caller may edit its course; otherwise 404, so other units' lectures are not even confirmed. */
  private async editable(principal: Principal, lectureId: string): Promise<CaptionLectureRow> {
    const unit = await this.scope.rootOf(principal);
    const lecture = await this.captions.lecture(lectureId, unit.path);
    if (!lecture || !mayEditCourse({ role: principal.role, unitPath: unit.path }, lecture.owner_path)) {
      throw new NotFoundException('No such lecture.');
    }
    return lecture;
  }
}
