import { describe, expect, it } from '@jest/globals';
import { problemsOf } from './captions-problems.js';

const t = (key: string, options?: Record<string, unknown>) => `${key}${options ? JSON.stringify(options) : ''}`;

describe('problemsOf', () => {
  const problem = { line: 6, code: 'expected_time_line', message: 'line 6: expected a time line' };

  it('shows the parser sentence as it is in English', () => {
    expect(problemsOf([problem], t, 'en')).toEqual([{ text: 'line 6: expected a time line', detail: null }]);
  });

  it('names the line and translates the problem in Chinese, keeping the sentence as detail', () => {
    const [shown] = problemsOf([problem], t, 'zh-CN');
    expect(shown.text).toBe('captions.problemLine{"line":6,"what":"captions.problem.expected_time_line"}');
    expect(shown.detail).toContain('line 6: expected a time line');
  });

  it('speaks of the file as a whole when there is no line, and passes unknown codes through', () => {
    expect(problemsOf([{ line: 0, code: 'not_text', message: 'm' }], t, 'zh-CN')[0].text).toBe(
      'captions.problemFile{"what":"captions.problem.not_text"}',
    );
    expect(problemsOf([{ line: 2, code: 'new_code', message: 'line 2: x' }], t, 'zh-CN')[0]).toEqual({ text: 'line 2: x', detail: null });
  });
});
