import type { ComponentChildren } from 'preact';
import type { TreeUnit } from '../api/org-units.js';
import { useT } from '../i18n/use-t.js';
import { unitRowId, type UnitIndex } from './units-logic.js';

interface TreeProps {
  index: UnitIndex;
  expanded: ReadonlySet<string>;
  highlighted: string | null;
  onToggle(unitId: string): void;
  /** What to show under a unit's row (its actions), if anything. */
  renderActions(unit: TreeUnit): ComponentChildren;
}

/** Nested lists with expand/collapse buttons; only expanded units render their children. */
export function UnitTree(props: TreeProps) {
  const { t } = useT();
  return (
    <ul class="unit-tree" aria-label={t('orgUnits.treeLabel')}>
      {props.index.tops.map((unit) => (
        <UnitNode key={unit.id} unit={unit} {...props} />
      ))}
    </ul>
  );
}

function UnitNode({ unit, ...props }: TreeProps & { unit: TreeUnit }) {
  const { t } = useT();
  const children = props.index.children.get(unit.id) ?? [];
  const open = props.expanded.has(unit.id);
  const groupId = `unit-children-${unit.id}`;
  const nameId = `unit-name-${unit.id}`;
  return (
    <li class="unit-tree__item">
      <div
        id={unitRowId(unit.id)}
        class={props.highlighted === unit.id ? 'unit-row unit-row--highlighted' : 'unit-row'}
        tabIndex={-1}
        aria-labelledby={nameId}
        role="group"
      >
        {children.length > 0 ? (
          <button
            type="button"
            class="unit-row__toggle"
            aria-expanded={open}
            aria-controls={open ? groupId : undefined}
            onClick={() => props.onToggle(unit.id)}
          >
            <span aria-hidden="true">{open ? '▾' : '▸'}</span>
            <span class="visually-hidden">{t(open ? 'orgUnits.collapse' : 'orgUnits.expand', { name: unit.name })}</span>
          </button>
        ) : (
          <span class="unit-row__leaf" aria-hidden="true" />
        )}
        <div class="unit-row__body">
          <p class="unit-row__title">
            <span id={nameId} class="unit-row__name">
              {unit.name}
            </span>
            <span class="badge unit-row__kind">{t(`orgUnits.kind.${unit.kind}`)}</span>
          </p>
          <p class="unit-row__facts">
            <span>{unit.secretary ? t('orgUnits.secretary', { name: unit.secretary.name }) : t('orgUnits.noSecretary')}</span>
            <span>{t('orgUnits.members', { direct: unit.memberCount, total: unit.subtreeMemberCount })}</span>
            {unit.childCount > 0 && <span>{t('orgUnits.subUnits', { count: unit.childCount })}</span>}
          </p>
          {props.renderActions(unit)}
        </div>
      </div>
      {open && children.length > 0 && (
        <ul id={groupId} class="unit-tree__children">
          {children.map((child) => (
            <UnitNode key={child.id} unit={child} {...props} />
          ))}
        </ul>
      )}
    </li>
  );
}
