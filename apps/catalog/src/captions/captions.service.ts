import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import type { CaptionLang, CaptionProblemView, CaptionRejection, LectureCaptions, StudioCaptionTrack, StudioCaptions } from '#contracts';
import type { Principal } from '#auth';
import { CaptionFileError, captionSearchText, decodeCaptionBytes, parseCaptions, toWebVtt, type CaptionProblem } from '#media';
import { mayEditCourse, playbackAccess } from '../courses/access-rules.js';
import { documentTerms } from '../courses/search-terms.js';
import { ScopeService } from '../org/scope.service.js';
import { CaptionsRepository, type CaptionLectureRow, type LiveCaptionRow } from './captions.repository.js';

const NOT_FOUND = 'No such lecture, or it is not open to you.';

const problemView = ({ line, code, message }: CaptionProblem): CaptionProblemView => ({ line, code, message });

function rejection(code: CaptionRejection['code'], problems: CaptionProblemView[]): BadRequestException {
  const body: CaptionRejection = { statusCode: 400, code, message: problems[0].message, errors: problems.map((p) => p.message), problems };
  return new BadRequestException(body);
}

const trackView = (row: LiveCaptionRow, warnings: CaptionProblemView[] = []): StudioCaptionTrack => ({
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
      throw new NotFoundException(`This lecture has no ${lang === 'en' ? 'English' : 'Chinese'} captions to archive.`);
    }
    return this.render(lecture);
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
