// Captions and transcripts of lectures, per language.

export const CAPTION_LANGS = ['zh-CN', 'en'] as const;
export type CaptionLang = (typeof CAPTION_LANGS)[number];

/** One problem in an uploaded or edited caption text; `line` is 1-based, 0 for the file as a whole. */
export interface CaptionProblemView {
  line: number;
  code: string;
  /** A complete sentence that starts with "line N:" when it names a line, and says what to fix. */
  message: string;
}

/** The 400 answer to a caption file or text that cannot be used: `message` is the first problem. */
export interface CaptionRejection {
  statusCode: 400;
  code: 'caption_invalid' | 'caption_file';
  message: string;
  /** Every problem's message, first one first. */
  errors: string[];
  problems: CaptionProblemView[];
}

/** A live caption track as editors see it. */
export interface StudioCaptionTrack {
  /** This text's id; a restore names it as the text it replaces. */
  versionId: string;
  lang: CaptionLang;
  /** Normalised WebVTT, as served to the player and edited in the page. */
  vtt: string;
  cueCount: number;
  sourceName: string | null;
  sourceFormat: 'vtt' | 'srt';
  sourceEncoding: 'utf-8' | 'gbk';
  updatedAt: string;
  updatedByName: string;
  /** Earlier texts kept for this language (replaced or archived), newest first. */
  earlierVersions: number;
  /** Warnings the parser gave when this text was saved (e.g. an empty cue left out). */
  warnings: CaptionProblemView[];
}

export interface StudioCaptions {
  lectureId: string;
  lectureTitle: string;
  courseId: string;
  courseTitle: string;
  tracks: StudioCaptionTrack[];
}

/** What the player loads: the live tracks of a lecture the member may watch. */
export interface LectureCaptionTrack {
  lang: CaptionLang;
  vtt: string;
  cueCount: number;
  updatedAt: string;
}

export interface LectureCaptions {
  lectureId: string;
  tracks: LectureCaptionTrack[];
}

/** A course found because a lecture said the searched words: where, and from what moment. */
export interface SpokenMatch {
  lectureId: string;
  lectureTitle: string;
  lang: CaptionLang;
  /** Start of the first caption that says the words (null when only the whole text matched). */
  atSec: number | null;
  /** That caption's text, for showing under the course. */
  snippet: string;
}

/** One caption text of a language, kept when another replaced it or the language was taken off. */
export interface CaptionVersionSummary {
  id: string;
  /** When it was saved as the live text, and by whom. */
  savedAt: string;
  savedByName: string;
  cueCount: number;
  /** Size of the stored WebVTT in bytes. */
  bytes: number;
  sourceName: string | null;
  /** When it stopped being live: replaced by a newer text, or the language taken off (`archived`). */
  archivedAt: string;
  archiveReason: 'replaced' | 'archived';
}

/** `GET /api/studio/lectures/:id/captions/:lang/versions`: the earlier texts of a language, newest first. */
export interface CaptionVersionList {
  lectureId: string;
  lang: CaptionLang;
  /** The live text's id (null when the language has none); a restore may name it to refuse a stale one (409). */
  currentId: string | null;
  versions: CaptionVersionSummary[];
}

/** `GET /api/studio/lectures/:id/captions/:lang/versions/:versionId`: one earlier text, read-only. */
export interface CaptionVersionView extends CaptionVersionSummary {
  lang: CaptionLang;
  vtt: string;
}

/** `POST …/captions/:lang/versions/:versionId/restore`: saves that text as the live one. */
export interface RestoreCaptionVersionInput {
  /** The live text's id the editor saw (null: none); when another was saved since, the restore is refused (409). */
  currentId?: string | null;
}
