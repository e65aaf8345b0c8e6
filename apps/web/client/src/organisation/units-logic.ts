// The units page's tree arithmetic: pure, so it is table-tested without a browser.
import type { TreeUnit, UnitKind } from '../api/org-units.js';

/** The tree as the page walks it: units by id, and each unit's children in path order. */
export interface UnitIndex {
  byId: Map<string, TreeUnit>;
  children: Map<string, TreeUnit[]>;
  /** Units whose parent is not in the list: the admin's own top unit. */
  tops: TreeUnit[];
}

export function indexUnits(units: readonly TreeUnit[]): UnitIndex {
  const byId = new Map(units.map((u) => [u.id, u]));
  const children = new Map<string, TreeUnit[]>();
  const tops: TreeUnit[] = [];
  for (const unit of units) {
    if (unit.parentId && byId.has(unit.parentId)) {
      const list = children.get(unit.parentId) ?? [];
      list.push(unit);
      children.set(unit.parentId, list);
    } else {
      tops.push(unit);
    }
  }
  return { byId, children, tops };
}

/** The unit's ancestors inside the list, top first. */
export function ancestorsOf(index: UnitIndex, unitId: string): TreeUnit[] {
  const chain: TreeUnit[] = [];
  let current = index.byId.get(unitId);
  while (current?.parentId && index.byId.has(current.parentId)) {
    current = index.byId.get(current.parentId)!;
    chain.unshift(current);
  }
  return chain;
}

/** "委员会 / 东区 / 一组": names from the admin's top unit down to the unit. */
export function namesPath(index: UnitIndex, unit: TreeUnit): string {
  return [...ancestorsOf(index, unit.id), unit].map((u) => u.name).join(' / ');
}

const isWithin = (path: string, root: string) => path === root || path.startsWith(`${root}/`);

/**
 * Where `unit` may be moved: any unit of the list except itself and those below it, its present parent,
 * and parents that already have a child with its short name. None for the admin's own top unit.
 */
export function moveTargets(index: UnitIndex, unit: TreeUnit): TreeUnit[] {
  if (!unit.parentId || !index.byId.has(unit.parentId)) return [];
  return [...index.byId.values()].filter(
    (target) =>
      !isWithin(target.path, unit.path) &&
      target.id !== unit.parentId &&
      !(index.children.get(target.id) ?? []).some((child) => child.slug === unit.slug),
  );
}

/** The kind a new unit most likely has under `parent`. */
export function kindBelow(parent: UnitKind): UnitKind {
  return parent === 'committee' ? 'branch' : parent === 'branch' ? 'group' : 'unit';
}

export const unitRowId = (unitId: string) => `unit-${unitId}`;
