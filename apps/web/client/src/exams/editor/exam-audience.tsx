import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { ExamAudience } from '#contracts';
import { listMemberCategories } from '../../api/endpoints.js';
import { listVisibleOrgUnits } from '../../api/studio.js';
import type { MemberCategory, OrgUnit } from '../../api/types.js';
import { useSession } from '../../auth/session.js';
import { useResource } from '../../hooks/use-resource.js';
import { useT } from '../../i18n/use-t.js';
import {
  ClassPicker,
  classChoices,
  PositionPicker,
  positionChoices,
  type ClassChoice,
  type PositionChoice,
} from '../../reports/plan-targets.js';

/** Who may read the position kinds, training classes and study plans the server lists: admins and editors. */
export const mayReadTargets = (role: string) => role === 'admin' || role === 'editor';

const toggled = (list: string[], value: string, on: boolean) => (on ? [...list, value] : list.filter((x) => x !== value));

/**
 * Who may take the exam: units (with the units below them), member categories, positions and training
 * classes — the plan's targeting, with the plan pickers for positions and classes.
 */
export function ExamAudiencePicker({
  audience,
  onChange,
  error,
}: {
  audience: ExamAudience;
  onChange(audience: ExamAudience): void;
  /** Why the audience cannot be saved, shown under the units. */
  error?: ComponentChildren;
}) {
  const { t, lang } = useT();
  const units = useResource<OrgUnit[]>(listVisibleOrgUnits, []);
  const categories = useResource<MemberCategory[]>(listMemberCategories, []);
  const readable = mayReadTargets(useSession().user.role);
  const positions = useResource<PositionChoice[]>(() => (readable ? positionChoices() : Promise.resolve([])), [readable]);
  const classes = useResource<ClassChoice[]>(() => (readable ? classChoices() : Promise.resolve([])), [readable]);
  const [filter, setFilter] = useState('');
  const change = (changes: Partial<ExamAudience>) => onChange({ ...audience, ...changes });

  const all = [...(units.data ?? [])].sort((a, b) => a.path.localeCompare(b.path));
  const baseDepth = Math.min(...all.map((u) => u.path.split('/').length));
  const needle = filter.trim().toLowerCase();
  const shown = all.filter(
    (u) => !needle || u.name.toLowerCase().includes(needle) || u.path.toLowerCase().includes(needle) || audience.unitIds.includes(u.id),
  );

  return (
    <section class="panel" aria-labelledby="exam-audience-title">
      <h2 id="exam-audience-title">{t('examEditor.exam.audience')}</h2>
      <p class="hint">{t('examEditor.exam.audienceIntro')}</p>
      <div class="form form--compact">
        <fieldset class="choices" aria-describedby="exam-units-hint">
          <legend>{t('examEditor.exam.units')}</legend>
          <p class="hint" id="exam-units-hint">
            {t('examEditor.exam.unitsHint')}
          </p>
          {error}
          {units.error && <p class="notice">{t('examEditor.exam.unitsUnavailable')}</p>}
          {all.length > 8 && (
            <div class="field">
              <label for="exam-unit-filter">{t('examEditor.exam.unitFilter')}</label>
              <input
                id="exam-unit-filter"
                type="search"
                autocomplete="off"
                value={filter}
                onInput={(e) => setFilter(e.currentTarget.value)}
              />
            </div>
          )}
          {audience.unitIds.length > 0 && <p class="status">{t('examEditor.exam.unitsChosen', { count: audience.unitIds.length })}</p>}
          <ul class="unit-picker__list">
            {shown.map((unit) => (
              <li key={unit.id} style={{ paddingInlineStart: `${(unit.path.split('/').length - baseDepth) * 1.25}rem` }}>
                <label class="choice">
                  <input
                    type="checkbox"
                    name="unitIds"
                    checked={audience.unitIds.includes(unit.id)}
                    onChange={(e) => change({ unitIds: toggled(audience.unitIds, unit.id, e.currentTarget.checked) })}
                  />
                  {unit.name}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>

        <fieldset class="choices" aria-describedby="exam-categories-hint">
          <legend>{t('examEditor.exam.categories')}</legend>
          <p class="hint" id="exam-categories-hint">
            {t('examEditor.exam.categoriesHint')}
          </p>
          {(categories.data ?? []).map((category) => (
            <label key={category.code} class="choice">
              <input
                type="checkbox"
                name="categories"
                checked={audience.categories.includes(category.code)}
                onChange={(e) => change({ categories: toggled(audience.categories, category.code, e.currentTarget.checked) })}
              />
              {lang === 'en' ? category.nameEn : category.nameZh}
            </label>
          ))}
        </fieldset>

        {!readable && <p class="notice">{t('examEditor.exam.targetsAdminOnly')}</p>}
        {!readable ? null : positions.error ? (
          <p class="notice">{t('examEditor.exam.positionsUnavailable')}</p>
        ) : (
          <PositionPicker resource={positions} chosen={audience.positions} onChange={(chosen) => change({ positions: chosen })} />
        )}
        {!readable ? null : classes.error ? (
          <p class="notice">{t('examEditor.exam.classesUnavailable')}</p>
        ) : (
          <ClassPicker resource={classes} chosen={audience.classIds} onChange={(chosen) => change({ classIds: chosen })} />
        )}
      </div>
    </section>
  );
}
