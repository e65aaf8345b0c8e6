/**
 * Publishing before "ready". A lecture whose media is still being encoded becomes *previewable* as soon
 * as the first segments of every rendition are stored. Members see it only once it is ready, unless its
 * course allows publishing while still encoding: then they watch the part encoded so far, which grows.
 */

/** Where a lecture's media is, as far as publishing goes. */
export type LectureStage = 'ready' | 'previewable' | 'other';

export interface LectureForPublishing {
  title: string;
  stage: LectureStage;
  /** 0–100 when known. */
  encodedPercent?: number | null;
}

/** Whether members may watch a lecture of a published course at this stage. */
export function membersMayWatch(stage: LectureStage, publishWhenPreviewable: boolean): boolean {
  return stage === 'ready' || (stage === 'previewable' && publishWhenPreviewable);
}

/**
 * Why publishing the course is refused, or null. Only one case is refused: nothing of the course is
 * ready for members yet, while a lecture could already be played early, and the course does not allow
 * that. Publishing would show members an empty course while the editor evidently waits for the encoding.
 * A course with any ready lecture publishes as before; its still-encoding lectures follow when ready.
 */
export function earlyPublishRefusal(lectures: readonly LectureForPublishing[], publishWhenPreviewable: boolean): string | null {
  if (publishWhenPreviewable) return null;
  if (lectures.some((lecture) => lecture.stage === 'ready')) return null;
  const encoding = lectures.filter((lecture) => lecture.stage === 'previewable');
  if (encoding.length === 0) return null;
  const names = encoding
    .slice(0, 3)
    .map((lecture) => `“${lecture.title}”`)
    .join(', ');
  const more = encoding.length > 3 ? ` and ${encoding.length - 3} more` : '';
  return (
    `No lecture of this course is ready for members yet: ${names}${more} ${encoding.length === 1 ? 'is' : 'are'} still being encoded. ` +
    'Publish once encoding is finished, or turn on “Allow publishing while still encoding” in the course details ' +
    '(publishWhenPreviewable) so members can watch the part encoded so far.'
  );
}
