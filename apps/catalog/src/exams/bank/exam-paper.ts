import type { DrawRuleInput, FixedItemInput } from '#contracts';
import { round2, type DrawShortage } from '#exams';
import { KIND_NAMES } from './question-rules.js';

/**
 * How many questions a member gets and the paper's total: a fixed paper adds its items' points (the item's
 * own on this paper, or the question's); a drawn paper adds count × points of each rule. A drawn paper's
 * rules must each set their points (see `ruleProblems`), so every member's paper has the same total.
 */
export function paperSize(
  paperKind: 'fixed' | 'drawn',
  fixedItems: Array<FixedItemInput & { questionPoints: number }>,
  drawRules: DrawRuleInput[],
): { questionCount: number; maxScore: number } {
  if (paperKind === 'fixed') {
    return {
      questionCount: fixedItems.length,
      maxScore: round2(fixedItems.reduce((sum, item) => sum + (item.points ?? item.questionPoints), 0)),
    };
  }
  return {
    questionCount: drawRules.reduce((sum, rule) => sum + rule.count, 0),
    maxScore: round2(drawRules.reduce((sum, rule) => sum + rule.count * (rule.points ?? 0), 0)),
  };
}

/** A rule in words, as the editor wrote it: "rule 2 (5 single-choice, topic "党史", difficulty 3)". */
export function describeRule(rule: DrawRuleInput, index: number): string {
  const parts = [`${rule.count} ${KIND_NAMES[rule.kind]}`];
  if (rule.topic) parts.push(`topic "${rule.topic}"`);
  if (rule.courseId) parts.push('of the chosen course');
  if (rule.difficulty) parts.push(`difficulty ${rule.difficulty}`);
  return `rule ${index + 1} (${parts.join(', ')})`;
}

/** What a drawn paper's rules lack before the bank is asked: each rule's points. */
export function ruleProblems(rules: DrawRuleInput[]): string[] {
  return rules.flatMap((rule, i) =>
    rule.points === null || rule.points === undefined
      ? [`drawRules: ${describeRule(rule, i)} needs its points: how many points each drawn question is worth on this paper.`]
      : [],
  );
}

/** Each rule the bank cannot fill, in words that name the rule and say what to do. */
export function shortageMessages(rules: DrawRuleInput[], shortages: DrawShortage[]): string[] {
  return shortages.map(
    (s) =>
      `drawRules: ${describeRule(rules[s.rule], s.rule)} needs ${s.needed} question${s.needed === 1 ? '' : 's'} but the bank has only ${s.available} that fit${
        rules.length > 1 ? ' (besides those the other rules draw)' : ''
      }. Add questions to the bank, widen the rule, or lower its count.`,
  );
}
