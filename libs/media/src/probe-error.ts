/** Stable machine codes for why an upload cannot be transcoded; the UI maps them, logs keep them. */
export type ProbeRejectionCode = 'format_not_allowed' | 'unreadable' | 'no_media_streams' | 'too_many_streams' | 'too_large' | 'too_long';

/** A reason an editor can act on: `message` is plain English, `code` is for programs. */
export interface ProbeRejection {
  code: ProbeRejectionCode;
  message: string;
}

export const PROBE_REJECTION_MESSAGES = {
  format_not_allowed:
    'This file type is not supported. Please upload a video (MP4, MOV, MKV, WebM, AVI, FLV, MPEG-TS) or audio file (MP3, AAC, WAV, FLAC, OGG).',
  unreadable: 'We could not read this file. It may be damaged or only partly uploaded — please export it again and re-upload it.',
  no_media_streams: 'This file contains no video or audio that we can play.',
} as const satisfies Partial<Record<ProbeRejectionCode, string>>;

/** Thrown for problems caused by the uploaded file itself (not by our infrastructure), so jobs should not retry. */
export class ProbeError extends Error {
  override readonly name = 'ProbeError';

  constructor(
    readonly code: ProbeRejectionCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  static from(rejection: ProbeRejection): ProbeError {
    return new ProbeError(rejection.code, rejection.message);
  }

  toRejection(): ProbeRejection {
    return { code: this.code, message: this.message };
  }
}
