import type { CaptionProblemView } from '../../../../../libs/contracts/src/captions.js';

type Translate = (key: string, options?: Record<string, unknown>) => string;

export interface ShownProblem {
  text: string;
  /** The parser's own sentence (English), under a translated one. */
  detail: string | null;
}

const KNOWN = new Set([
  'too_large',
  'not_text',
  'utf16',
  'empty',
  'missing_header',
  'expected_time_line',
  'bad_time',
  'time_too_late',
  'end_before_start',
  'cue_too_long',
  'too_many_cues',
  'too_many_errors',
  'more_left_out',
  'zero_length_cue',
  'empty_cue',
]);

/**
 * Caption problems as the editor reads them: in English the parser's sentence as it is (it names the line and
 * what to fix); in Chinese the line number and a translated explanation, with the parser's sentence after it.
 */
export function problemsOf(problems: readonly CaptionProblemView[], t: Translate, pageLang: string): ShownProblem[] {
  return problems.map((problem) => {
    if (pageLang === 'en' || !KNOWN.has(problem.code)) return { text: problem.message, detail: null };
    const what = t(`captions.problem.${problem.code}`);
    const text = problem.line > 0 ? t('captions.problemLine', { line: problem.line, what }) : t('captions.problemFile', { what });
    return { text, detail: t('captions.detail', { message: problem.message }) };
  });
}
