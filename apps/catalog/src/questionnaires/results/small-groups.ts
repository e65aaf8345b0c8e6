/**
 * The small-group rule of questionnaire results: a figure is shown only for a group of at least `MIN_GROUP`
 * respondents, and no hidden figure can be worked out from the ones shown.
 *
 * The groups ("cells") are a unit's subtree, the members directly in a unit, and each of these by member
 * category. Any table a report shows is a total with its parts: a unit and the units below it plus the members
 * directly in it; a unit and its categories; a unit's category and the same category in the units below. Were
 * a single part hidden, the total minus the parts shown would tell it; so in every table whose total is shown,
 * the hidden parts together hold nobody or at least `MIN_GROUP` respondents: when they hold fewer, the smallest
 * part still shown is hidden too, until that holds everywhere. A hidden group hides every group inside it.
 *
 * It is worked out once over the whole organisation, not per viewer, so no two views (an admin's and a branch
 * admin's, or a unit's and its parent's) together tell a hidden figure.
 */

export const MIN_GROUP = 5;

/** Every category ('' for none), or all of them together. */
const ALL = '*';

export interface UnitNode {
  id: string;
  parentId: string | null;
}

/** How many respondents are directly in a unit with a category ('' or null for none). */
export interface RespondentCount {
  unitId: string;
  category: string | null;
  count: number;
}

type Cell = string;
const subtreeCell = (unit: string, category: string): Cell => `t|${unit}|${category}`;
const directCell = (unit: string, category: string): Cell => `d|${unit}|${category}`;

interface Table {
  total: Cell;
  parts: Cell[];
}

export class SmallGroups {
  private readonly counts = new Map<Cell, number>();
  private readonly hidden = new Set<Cell>();
  private readonly parent = new Map<string, string | null>();
  private readonly children = new Map<string, string[]>();
  readonly categories: string[];

  constructor(
    units: readonly UnitNode[],
    respondents: readonly RespondentCount[],
    readonly min = MIN_GROUP,
  ) {
    for (const unit of units) {
      this.parent.set(unit.id, unit.parentId);
      if (!unit.parentId) continue;
      const siblings = this.children.get(unit.parentId);
      if (siblings) siblings.push(unit.id);
      else this.children.set(unit.parentId, [unit.id]);
    }
    const categories = new Set<string>();
    for (const r of respondents) {
      if (r.count <= 0 || !this.parent.has(r.unitId)) continue;
      const category = r.category ?? '';
      categories.add(category);
      for (const c of [category, ALL]) {
        this.add(directCell(r.unitId, c), r.count);
        for (let unit: string | null | undefined = r.unitId; unit; unit = this.parent.get(unit)) this.add(subtreeCell(unit, c), r.count);
      }
    }
    this.categories = [...categories].sort();
    for (const [cell, count] of this.counts) if (count < min) this.hide(cell);
    this.settle();
  }

  private add(cell: Cell, count: number) {
    this.counts.set(cell, (this.counts.get(cell) ?? 0) + count);
  }

  private count(cell: Cell): number {
    return this.counts.get(cell) ?? 0;
  }

  /** Every table with at least one respondent: a total and the parts that add up to it. */
  private tables(): Table[] {
    const tables: Table[] = [];
    for (const unit of this.parent.keys()) {
      if (!this.count(subtreeCell(unit, ALL))) continue;
      const below = this.children.get(unit) ?? [];
      for (const c of [ALL, ...this.categories]) {
        tables.push({ total: subtreeCell(unit, c), parts: [...below.map((child) => subtreeCell(child, c)), directCell(unit, c)] });
      }
      tables.push({ total: subtreeCell(unit, ALL), parts: this.categories.map((c) => subtreeCell(unit, c)) });
      tables.push({ total: directCell(unit, ALL), parts: this.categories.map((c) => directCell(unit, c)) });
    }
    return tables;
  }

  /**
   * Hides parts until, in every table whose total is shown, the hidden parts hold nobody or at least `min`. A
   * table is looked at again whenever one of its parts is hidden.
   */
  private settle() {
    const tables = this.tables();
    const containing = new Map<Cell, number[]>();
    tables.forEach((table, index) => {
      for (const part of table.parts) {
        const list = containing.get(part);
        if (list) list.push(index);
        else containing.set(part, [index]);
      }
    });
    const queued = new Set<number>(tables.keys());
    const queue = [...queued];
    for (let head = 0; head < queue.length; head++) {
      const index = queue[head]!;
      queued.delete(index);
      const { total, parts } = tables[index]!;
      if (this.isHidden(total)) continue;
      let hiddenSum = 0;
      let next: Cell | null = null;
      for (const part of parts) {
        const count = this.count(part);
        if (this.isHidden(part)) hiddenSum += count;
        else if (count > 0 && (next === null || count < this.count(next) || (count === this.count(next) && part < next))) next = part;
      }
      if (hiddenSum === 0 || hiddenSum >= this.min) continue;
      for (const cell of this.hide(next ?? total)) {
        for (const other of containing.get(cell) ?? []) {
          if (!queued.has(other)) {
            queued.add(other);
            queue.push(other);
          }
        }
      }
    }
  }

  /**
   * Hides a cell and every group inside it: the same category in the units below and among the members directly
   * in the unit; for all categories together, each category too.
   */
  private hide(cell: Cell): Cell[] {
    const added: Cell[] = [];
    const stack = [cell];
    while (stack.length) {
      const next = stack.pop()!;
      if (this.hidden.has(next)) continue;
      this.hidden.add(next);
      added.push(next);
      const [kind, unit, category] = next.split('|') as ['t' | 'd', string, string];
      const categories = category === ALL ? this.categories : [];
      if (kind === 'd') {
        for (const c of categories) stack.push(directCell(unit, c));
        continue;
      }
      for (const child of this.children.get(unit) ?? []) stack.push(subtreeCell(child, category));
      stack.push(directCell(unit, category));
      for (const c of categories) stack.push(subtreeCell(unit, c));
    }
    return added;
  }

  /** Hidden itself, or inside a hidden group. */
  private isHidden(cell: Cell): boolean {
    return this.hidden.has(cell);
  }

  private figure(cell: Cell): { count: number; shown: boolean } {
    const [kind, unit, category] = cell.split('|') as ['t' | 'd', string, string];
    // A category nobody of the organisation responded in has no cells of its own: it goes with all categories.
    const known = category === ALL || this.categories.includes(category);
    const shown = known ? !this.isHidden(cell) : !this.isHidden(kind === 't' ? subtreeCell(unit, ALL) : directCell(unit, ALL));
    return { count: this.count(cell), shown };
  }

  /** The unit and the units below it; of one category ('' for none) when given. */
  subtree(unitId: string, category?: string | null): { count: number; shown: boolean } {
    return this.figure(subtreeCell(unitId, category === undefined ? ALL : (category ?? '')));
  }

  /** The members directly in the unit, not in a unit below it; of one category ('' for none) when given. */
  direct(unitId: string, category?: string | null): { count: number; shown: boolean } {
    return this.figure(directCell(unitId, category === undefined ? ALL : (category ?? '')));
  }

  /** The smallest unit on the way from `unitId` up to `top` that is shown: what an anonymous answer may be told of. */
  shownUnitOf(unitId: string, top: string): string | null {
    const path: string[] = [];
    for (let u: string | null | undefined = unitId; u; u = this.parent.get(u)) {
      path.push(u);
      if (u === top) break;
    }
    if (path[path.length - 1] !== top) return null;
    for (let i = path.length - 1; i >= 0; i--) {
      if (!this.subtree(path[i]!).shown) return i === path.length - 1 ? null : path[i + 1]!;
    }
    return path[0]!;
  }
}
