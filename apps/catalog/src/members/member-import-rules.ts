import { isWithinScope } from '#auth';
import type { ImportedChanges } from '#contracts';
import { normalizeUnitPath, type MemberRow, type Problem } from './member-csv.js';

export interface ImportUnit {
  id: string;
  path: string;
  name: string;
}

export interface ImportCategory {
  code: string;
  nameZh: string;
  nameEn: string;
}

/** Someone whose login appears in the file, wherever they are. */
export interface ExistingPerson {
  id: string;
  login: string;
  name: string;
  role: string;
  unitId: string;
  unitPath: string;
  category: string | null;
  active: boolean;
}

/** What the database says, as far as one import is concerned. */
export interface ImportContext {
  /** The caller's own unit: the import reaches it and the units under it. */
  rootPath: string;
  /** Every unit in the caller's subtree. */
  units: ImportUnit[];
  categories: ImportCategory[];
  /** The people already holding a login the file names, by login. */
  existing: Map<string, ExistingPerson>;
}

export type RowOutcome =
  | {
      action: 'create';
      line: number;
      login: string;
      name: string;
      unitId: string;
      unitPath: string;
      category: string | null;
      active: boolean;
    }
  | {
      action: 'update';
      line: number;
      login: string;
      userId: string;
      name: string;
      unitPath: string;
      category: string | null;
      active: boolean;
      changes: ImportedChanges;
    }
  | { action: 'unchanged'; line: number; login: string; userId: string }
  | { action: 'reject'; line: number; login: string; problems: Problem[] };

type UnitAnswer = { unit: ImportUnit } | { problem: Problem };

/**
 * Finds the unit a cell names inside the caller's subtree: a path from the top (`committee/east/group-1`,
 * or with a leading "/"), a path below the caller's unit (`group-1`, or `east/group-1` for the admin of
 * east), or, without a "/", a unit name that only one unit in the subtree has.
 */
export function resolveUnit(
  raw: string,
  context: Pick<ImportContext, 'rootPath' | 'units'>,
  index = indexUnits(context.units),
): UnitAnswer {
  const value = raw.trim();
  const example = `${context.rootPath}/…`;
  if (!value) return { problem: { code: 'unit-missing' } };
  if (!value.includes('/')) {
    const named = index.byName.get(value) ?? [];
    if (named.length === 1) return { unit: named[0] };
    if (named.length > 1) return { problem: { code: 'unit-ambiguous', params: { unit: value.slice(0, 100), count: named.length } } };
  }
  const path = normalizeUnitPath(value);
  const shown = value.slice(0, 200);
  const rootParts = context.rootPath.split('/');
  const topSlug = rootParts[0];
  if (value.startsWith('/') || path.split('/')[0] === topSlug) {
    if (!isWithinScope(path, context.rootPath)) return { problem: { code: 'unit-outside', params: { unit: shown } } };
    const unit = index.byPath.get(path);
    return unit ? { unit } : { problem: { code: 'unit-unknown', params: { unit: shown, example } } };
  }
  const candidates = [`${context.rootPath}/${path}`];
  if (path.split('/')[0] === rootParts[rootParts.length - 1]) candidates.push([...rootParts.slice(0, -1), path].join('/'));
  for (const candidate of candidates) {
    const unit = index.byPath.get(candidate);
    if (unit) return { unit };
  }
  return { problem: { code: 'unit-unknown', params: { unit: shown, example } } };
}

export function indexUnits(units: ImportUnit[]) {
  const byPath = new Map(units.map((unit) => [unit.path, unit]));
  const byName = new Map<string, ImportUnit[]>();
  for (const unit of units) byName.set(unit.name.trim(), [...(byName.get(unit.name.trim()) ?? []), unit]);
  return { byPath, byName };
}

/** A category cell: its code, or its Chinese or English name; blank is null. */
export function resolveCategory(raw: string, categories: ImportCategory[]): { code: string | null } | { problem: Problem } {
  const value = raw.trim();
  if (!value) return { code: null };
  const lower = value.toLowerCase();
  const found = categories.find((c) => c.code === lower || c.nameZh === value || c.nameEn.toLowerCase() === lower);
  if (found) return { code: found.code };
  const known = categories.map((c) => `${c.code} (${c.nameZh})`).join(', ');
  return { problem: { code: 'category-unknown', params: { category: value.slice(0, 100), known } } };
}

/**
 * Decides what happens to each row: a new login is created; a member already in the caller's subtree is
 * updated (name, category, status; blank category or status cells keep what they have), or left alone if
 * nothing differs; anything else is rejected with its reasons. A different unit is never a silent move.
 */
export function classifyRows(rows: MemberRow[], context: ImportContext): RowOutcome[] {
  const index = indexUnits(context.units);
  return rows.map((row): RowOutcome => {
    const problems: Problem[] = [...row.problems];
    const person = row.login ? context.existing.get(row.login) : undefined;
    const reject = (): RowOutcome => ({ action: 'reject', line: row.line, login: row.login, problems });

    if (person && !isWithinScope(person.unitPath, context.rootPath)) {
      problems.push({ code: 'login-foreign', params: { login: row.login } });
      return reject();
    }
    if (person && person.role !== 'member') {
      problems.push({ code: 'login-not-member', params: { login: row.login, role: person.role } });
      return reject();
    }
    // A person already here may leave the unit blank: they stay where they are.
    const unitAnswer: UnitAnswer | null = person && !row.unit.trim() ? null : resolveUnit(row.unit, context, index);
    if (unitAnswer && 'problem' in unitAnswer) problems.push(unitAnswer.problem);
    const category = resolveCategory(row.category, context.categories);
    if ('problem' in category) problems.push(category.problem);
    if (person && unitAnswer && 'unit' in unitAnswer && unitAnswer.unit.id !== person.unitId) {
      problems.push({ code: 'unit-differs', params: { login: row.login, current: person.unitPath, unit: unitAnswer.unit.path } });
    }
    if (problems.length > 0 || 'problem' in category) return reject();

    if (!person) {
      const unit = (unitAnswer as { unit: ImportUnit }).unit;
      return {
        action: 'create',
        line: row.line,
        login: row.login,
        name: row.name,
        unitId: unit.id,
        unitPath: unit.path,
        category: category.code,
        active: row.active ?? true,
      };
    }
    const next = {
      name: row.name,
      category: category.code ?? person.category,
      active: row.active ?? person.active,
    };
    const changes: Extract<RowOutcome, { action: 'update' }>['changes'] = {};
    if (next.name !== person.name) changes.name = { from: person.name, to: next.name };
    if (next.category !== person.category) changes.category = { from: person.category, to: next.category };
    if (next.active !== person.active) changes.active = { from: person.active, to: next.active };
    if (Object.keys(changes).length === 0) return { action: 'unchanged', line: row.line, login: row.login, userId: person.id };
    return { action: 'update', line: row.line, login: row.login, userId: person.id, unitPath: person.unitPath, ...next, changes };
  });
}

/**
 * Rows that the preview would import (or leave alone) but the current state no longer allows as shown: now
 * rejected, a create whose login was taken meanwhile, or a row shown as unchanged that would now change someone.
 */
export function driftedRows(
  previewed: Array<{ line: number; action: RowOutcome['action'] }>,
  current: RowOutcome[],
): Array<{ line: number; login: string; problems: Problem[] }> {
  const before = new Map(previewed.map((row) => [row.line, row.action]));
  const drifted: Array<{ line: number; login: string; problems: Problem[] }> = [];
  for (const outcome of current) {
    const was = before.get(outcome.line);
    if (was === undefined || was === 'reject') continue;
    if (outcome.action === 'reject') drifted.push({ line: outcome.line, login: outcome.login, problems: outcome.problems });
    else if ((was === 'create') !== (outcome.action === 'create') || (was === 'unchanged' && outcome.action === 'update')) {
      drifted.push({ line: outcome.line, login: outcome.login, problems: [{ code: 'changed' }] });
    }
  }
  return drifted;
}
