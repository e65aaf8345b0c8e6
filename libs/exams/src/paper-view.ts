import type { PaperQuestion } from '#contracts';
import { blankCount } from './grading.js';
import type { PaperItem } from './types.js';

/**
 * A paper item as the member sees it while sitting: no key, explanation, topic, course, lecture or question
 * id; `blanks` is the number of blanks of a fill-in-the-blank question (0 otherwise). Built field by field so
 * that nothing added to {@link PaperItem} later can reach the member by accident.
 */
export function toMemberQuestion(item: PaperItem, index: number, imageUrl: (id: string) => string): PaperQuestion {
  return {
    item: index,
    kind: item.kind,
    stem: item.stem,
    options: item.options.map((option) => ({ key: option.key, text: option.text })),
    blanks: item.kind === 'fill_blank' ? blankCount(item.key) : 0,
    points: item.points,
    imageUrl: item.imageId ? imageUrl(item.imageId) : null,
  };
}
