import type { QuestionOption } from '#contracts';
import type { BankQuestion, DrawRule, PaperItem } from './types.js';

/**
 * A deterministic pseudo-random generator in [0, 1): the string is hashed (cyrb128) into the 128-bit state of
 * sfc32. The same seed always gives the same sequence.
 */
export function seededRandom(seed: string): () => number {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < seed.length; i++) {
    const k = seed.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  let a = (h1 ^ h2 ^ h3 ^ h4) >>> 0;
  let b = (h2 ^ h1) >>> 0;
  let c = (h3 ^ h1) >>> 0;
  let d = (h4 ^ h1) >>> 0;
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

/** A shuffled copy of `items` (Fisher–Yates driven by `random`); the input is left as it was. */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.min(i, Math.floor(random() * (i + 1)));
    [result[i], result[j]] = [result[j], result[i]];
  }
  return result;
}

export interface DrawShortage {
  /** Index of the rule in the exam's list of rules. */
  rule: number;
  needed: number;
  available: number;
}

/** Thrown by {@link drawPaper} when some rule cannot be filled from the bank. */
export class DrawShortageError extends Error {
  constructor(readonly shortages: DrawShortage[]) {
    super(
      `The question bank cannot fill the paper: ${shortages
        .map((s) => `rule ${s.rule + 1} needs ${s.needed} question${s.needed === 1 ? '' : 's'} but only ${s.available} can be drawn`)
        .join('; ')}.`,
    );
    this.name = 'DrawShortageError';
  }
}

/** Whether a bank question can be drawn by a rule: the same kind, and equal in each field the rule sets. */
export function matchesRule(question: BankQuestion, rule: DrawRule): boolean {
  if (question.kind !== rule.kind) return false;
  if (rule.topic !== undefined && rule.topic !== null && question.topic !== rule.topic) return false;
  if (rule.courseId !== undefined && rule.courseId !== null && question.courseId !== rule.courseId) return false;
  if (rule.difficulty !== undefined && rule.difficulty !== null && question.difficulty !== rule.difficulty) return false;
  return true;
}

function specificity(rule: DrawRule): number {
  return [rule.topic, rule.courseId, rule.difficulty].filter((field) => field !== undefined && field !== null).length;
}

/** Rule indices in the order they are filled: most fields set first; equal ones in the exam's order. */
export function ruleFillOrder(rules: readonly DrawRule[]): number[] {
  return rules.map((_, index) => index).sort((a, b) => specificity(rules[b]) - specificity(rules[a]) || a - b);
}

function wanted(rule: DrawRule): number {
  return Number.isFinite(rule.count) ? Math.max(0, Math.floor(rule.count)) : 0;
}

/**
 * The questions grouped by the exact set of rules they match ("classes"): questions of one class are
 * interchangeable as far as the rules are concerned. Questions matching no rule are left out.
 */
interface Classes {
  /** For each class, the questions in it (bank sorted by id). */
  members: BankQuestion[][];
  /** For each rule, the classes it may draw from. */
  ruleClasses: number[][];
}

function classify(bank: readonly BankQuestion[], rules: readonly DrawRule[]): Classes {
  const sorted = [...bank].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const seen = new Set<string>();
  const bySignature = new Map<string, number>();
  const members: BankQuestion[][] = [];
  const ruleClasses: number[][] = rules.map(() => []);
  for (const question of sorted) {
    if (seen.has(question.id)) continue;
    seen.add(question.id);
    const matching = rules.flatMap((rule, index) => (matchesRule(question, rule) ? [index] : []));
    if (matching.length === 0) continue;
    const signature = matching.join(',');
    let cls = bySignature.get(signature);
    if (cls === undefined) {
      cls = members.length;
      bySignature.set(signature, cls);
      members.push([]);
      for (const rule of matching) ruleClasses[rule].push(cls);
    }
    members[cls].push(question);
  }
  return { members, ruleClasses };
}

/**
 * Integer flow from rules to classes: rule r may take up to `need[r]` questions, class c gives up to
 * `size[c]`. Filling rules one after another by augmenting paths (which may move questions an earlier rule
 * holds to another class that rule also matches) never lowers what an earlier rule got, and ends at the
 * largest possible total.
 */
class Assignment {
  /** flow[r][k]: how many questions rule r takes from its k-th class. */
  private readonly flow: number[][];
  private readonly used: number[];

  constructor(
    private readonly ruleClasses: number[][],
    private readonly size: number[],
  ) {
    this.flow = ruleClasses.map((classes) => classes.map(() => 0));
    this.used = size.map(() => 0);
  }

  /** Adds up to `amount` questions to rule `rule`; returns how many could be added. */
  fill(rule: number, amount: number): number {
    let added = 0;
    while (added < amount && this.augment(rule, new Set<number>())) added += 1;
    return added;
  }

  /** One more question for `rule`: a free one in its classes, or one freed by moving another rule's question. */
  private augment(rule: number, visited: Set<number>): boolean {
    const classes = this.ruleClasses[rule];
    const flow = this.flow[rule];
    for (let k = 0; k < classes.length; k++) {
      const cls = classes[k];
      if (visited.has(cls)) continue;
      visited.add(cls);
      if (this.used[cls] < this.size[cls] || this.release(cls, rule, visited)) {
        this.used[cls] += 1;
        flow[k] += 1;
        return true;
      }
    }
    return false;
  }

  /** Frees one question of class `cls` by moving a question some other rule holds there to another class. */
  private release(cls: number, except: number, visited: Set<number>): boolean {
    for (let other = 0; other < this.ruleClasses.length; other++) {
      if (other === except) continue;
      const k = this.ruleClasses[other].indexOf(cls);
      if (k < 0 || this.flow[other][k] === 0) continue;
      if (this.augment(other, visited)) {
        this.flow[other][k] -= 1;
        this.used[cls] -= 1;
        return true;
      }
    }
    return false;
  }
}

/**
 * Which rules the bank cannot fill, and how many questions each of them could get. A question matches a rule
 * when its kind equals the rule's and each field the rule sets (topic, courseId, difficulty) equals; a
 * question is drawn by one rule only.
 *
 * Rules are filled from the most specific (most fields set) to the least, and in the exam's order among equals,
 * so a broad rule ("any single choice") does not use up the questions a narrow rule ("single choice on topic
 * X") needs. A rule's `available` is how many questions it can have while every rule filled before it keeps
 * what it got; a question an earlier rule holds is moved to another question of that rule when that lets a
 * later rule fill, so a paper the bank can fill is never reported short. Empty when every rule can be filled.
 */
export function drawShortages(bank: readonly BankQuestion[], rules: readonly DrawRule[]): DrawShortage[] {
  const { members, ruleClasses } = classify(bank, rules);
  const assignment = new Assignment(
    ruleClasses,
    members.map((list) => list.length),
  );
  const shortages: DrawShortage[] = [];
  for (const rule of ruleFillOrder(rules)) {
    const needed = wanted(rules[rule]);
    const available = assignment.fill(rule, needed);
    if (available < needed) shortages.push({ rule, needed, available });
  }
  return shortages.sort((a, b) => a.rule - b.rule);
}

function feasible(ruleClasses: number[][], size: number[], need: number[], order: number[]): boolean {
  const assignment = new Assignment(ruleClasses, size);
  return order.every((rule) => assignment.fill(rule, need[rule]) === need[rule]);
}

export interface DrawnQuestion {
  question: BankQuestion;
  /** Points of the question on this paper: the rule's, or the question's own. */
  points: number;
}

/**
 * Draws a paper from the bank by the rules, in rule order (rule 1's questions first). Each rule gets `count`
 * distinct questions that match it, picked at random with the seeded generator among those matching it and not
 * yet drawn, filling rules in the order {@link drawShortages} uses; a pick that would leave a later rule unable
 * to fill is skipped. The bank's order does not matter (it is sorted by id first), so the same seed, bank and
 * rules always give the same paper. Throws {@link DrawShortageError} when any rule cannot be filled.
 */
export function drawPaper(bank: readonly BankQuestion[], rules: readonly DrawRule[], seed: string): DrawnQuestion[] {
  const shortages = drawShortages(bank, rules);
  if (shortages.length > 0) throw new DrawShortageError(shortages);
  const { members, ruleClasses } = classify(bank, rules);
  const random = seededRandom(`draw|${seed}`);
  const classOf = new Map<string, number>();
  members.forEach((list, cls) => list.forEach((question) => classOf.set(question.id, cls)));
  const size = members.map((list) => list.length);
  // A class only one rule matches can always give that rule a question: no other rule could use it.
  const rulesOfClass = members.map(() => 0);
  ruleClasses.forEach((classes) => classes.forEach((cls) => (rulesOfClass[cls] += 1)));
  const need = rules.map(wanted);
  const order = ruleFillOrder(rules);
  const taken = new Set<string>();
  const picked: BankQuestion[][] = rules.map(() => []);
  for (const rule of order) {
    const candidates = shuffle(
      ruleClasses[rule].flatMap((cls) => members[cls]),
      random,
    ).filter((question) => !taken.has(question.id));
    while (need[rule] > 0) {
      // The first candidate that leaves every rule still fillable; candidates of a class refused once are
      // refused again (questions of one class are interchangeable), so each pick checks each class at most once.
      const refused = new Set<number>();
      const index = candidates.findIndex((candidate) => {
        const cls = classOf.get(candidate.id) as number;
        if (taken.has(candidate.id) || refused.has(cls)) return false;
        size[cls] -= 1;
        need[rule] -= 1;
        if (rulesOfClass[cls] === 1 || feasible(ruleClasses, size, need, order)) return true;
        size[cls] += 1;
        need[rule] += 1;
        refused.add(cls);
        return false;
      });
      if (index < 0) throw new DrawShortageError(drawShortages(bank, rules));
      const [chosen] = candidates.splice(index, 1);
      taken.add(chosen.id);
      picked[rule].push(chosen);
    }
  }
  return picked.flatMap((questions, rule) => {
    const points = rules[rule].points;
    return questions.map((question) => ({ question, points: typeof points === 'number' && points >= 0 ? points : question.points }));
  });
}

function copyOptions(options: readonly QuestionOption[]): QuestionOption[] {
  return options.map((option) => ({ key: option.key, text: option.text }));
}

/**
 * Freezes picked questions into one attempt's paper. With `shuffleQuestions` the order is shuffled; with
 * `shuffleOptions` the options of each single and multiple choice question are shuffled (other kinds keep
 * theirs). Each option keeps its `key`, so shuffling never changes which text is right; the web client labels
 * options A, B, C by position. Both shuffles are driven by the seed, so the same seed gives the same paper.
 */
export function buildPaper(
  picked: readonly DrawnQuestion[],
  seed: string,
  options: { shuffleQuestions: boolean; shuffleOptions: boolean },
): PaperItem[] {
  const ordered = options.shuffleQuestions ? shuffle(picked, seededRandom(`order|${seed}`)) : [...picked];
  return ordered.map(({ question, points }) => {
    const choice = question.kind === 'single' || question.kind === 'multiple';
    const own = copyOptions(question.options);
    return {
      questionId: question.id,
      kind: question.kind,
      stem: question.stem,
      options: choice && options.shuffleOptions ? shuffle(own, seededRandom(`options|${seed}|${question.id}`)) : own,
      key: structuredClone(question.answer),
      points,
      explanation: question.explanation,
      imageId: question.imageId,
      topic: question.topic,
      courseId: question.courseId,
      lectureId: question.lectureId,
    };
  });
}
