/**
 * The studio's one line about media that is still being encoded, e.g.
 * "可以预览 · 已编码 34% · 约还需 12 分钟" / "Previewable now · 34 % encoded · about 12 min left".
 * Pure: it names message keys of the `preview` namespace and their values; the page translates them.
 */

export interface EncodingFacts {
  /** A growing set can be played now. */
  previewable: boolean;
  /** 0–100; null while the transcoder has not reported yet. */
  encodedPercent: number | null;
  /** Seconds until ready; null when unknown. */
  etaSeconds: number | null;
}

export interface StatusPart {
  key: 'preview.previewableNow' | 'preview.encodedPercent' | 'preview.minutesLeft' | 'preview.underAMinute';
  values?: Record<string, number>;
}

/** Whole minutes left, rounded up ("about 12 min" for 11 min 10 s); 0 under a minute; null when unknown. */
export function minutesLeft(etaSeconds: number | null): number | null {
  if (etaSeconds === null || !Number.isFinite(etaSeconds) || etaSeconds < 0) return null;
  return etaSeconds < 60 ? 0 : Math.ceil(etaSeconds / 60);
}

/** Whole percent encoded, never 100 while encoding goes on (only "ready" is complete); null when unknown. */
export function encodedPercentText(percent: number | null): number | null {
  if (percent === null || !Number.isFinite(percent)) return null;
  return Math.min(99, Math.max(0, Math.floor(percent)));
}

export function encodingStatusParts(facts: EncodingFacts): StatusPart[] {
  const parts: StatusPart[] = [];
  if (facts.previewable) parts.push({ key: 'preview.previewableNow' });
  const percent = encodedPercentText(facts.encodedPercent);
  if (percent !== null) parts.push({ key: 'preview.encodedPercent', values: { percent } });
  const minutes = minutesLeft(facts.etaSeconds);
  if (minutes === 0) parts.push({ key: 'preview.underAMinute' });
  else if (minutes !== null) parts.push({ key: 'preview.minutesLeft', values: { minutes } });
  return parts;
}

/** The parts joined with " · ", translated by `t`. */
export function encodingStatusText(t: (key: StatusPart['key'], values?: Record<string, number>) => string, facts: EncodingFacts): string {
  return encodingStatusParts(facts)
    .map((part) => t(part.key, part.values))
    .join(' · ');
}

/** What members see of a lecture still being encoded, by the course's setting and state. */
export function membersNoteKey(course: {
  publishWhenPreviewable: boolean;
  status: string;
}): 'preview.membersWait' | 'preview.membersSeeSoFar' | 'preview.membersWillSeeSoFar' {
  if (!course.publishWhenPreviewable) return 'preview.membersWait';
  return course.status === 'published' ? 'preview.membersSeeSoFar' : 'preview.membersWillSeeSoFar';
}
