import { FfmpegRunError, ProbeError } from '#media';
import { BadInputError, TRY_AGAIN, TransientJobError, isStalledTooOften } from './worker-lifecycle.js';

/** The upload itself cannot be transcoded: failing at once, since a retry would fail the same way. */
export class BadMediaError extends BadInputError {}

/** Infrastructure trouble (a missing source, full disk, database): retried by BullMQ with backoff. */
export class TransientTranscodeError extends TransientJobError {
  override readonly name = 'TransientTranscodeError';
}

export interface FailureDescription {
  /** For programs and logs. */
  code: string;
  /** For the editor: what happened and what to do. */
  reason: string;
}

/** What a final failure means to an editor; infrastructure details stay in the logs. */
export function describeFailure(error: unknown): FailureDescription {
  if (error instanceof BadMediaError) return { code: error.code, reason: error.reason };
  if (error instanceof ProbeError) return { code: error.code, reason: error.message };
  if (isStalledTooOften(error)) {
    return {
      code: 'worker_lost',
      reason: `Converting this file stopped the conversion service twice, so it was not tried again. The file may be damaged — please export it again and re-upload it. ${TRY_AGAIN}`,
    };
  }
  if (error instanceof FfmpegRunError) {
    if (error.reason === 'timeout') {
      return {
        code: 'timeout',
        reason: `Converting this file took longer than the time limit, several times. Very long recordings can be split into parts. ${TRY_AGAIN}`,
      };
    }
    if (error.reason === 'exit') {
      return {
        code: 'conversion_failed',
        reason:
          'We could not convert this file to streaming video. It may be damaged or use an unusual format — please export it again (for example as MP4 with H.264) and re-upload it.',
      };
    }
    return { code: 'converter_unavailable', reason: `The video converter is not available at the moment. ${TRY_AGAIN}` };
  }
  if (error instanceof TransientTranscodeError && error.code === 'source_missing') {
    return {
      code: error.code,
      reason: 'We could not find the uploaded file in storage. Please upload it again; if it keeps failing, contact your administrator.',
    };
  }
  if (error instanceof TransientTranscodeError) {
    return { code: error.code, reason: `The file could not be converted because of a problem on our side. ${TRY_AGAIN}` };
  }
  return { code: 'internal_error', reason: `The file could not be converted because of a problem on our side. ${TRY_AGAIN}` };
}
