import type { TargetedSubmitEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { listCourseCategories } from '../api/catalog.js';
import { listVisibleOrgUnits } from '../api/studio.js';
import type { CourseCategory, CourseInput, OrgUnit } from '../api/types.js';
import { categoryName } from '../format/format.js';
import { useT } from '../i18n/use-t.js';
import { ProblemAlert, problemOf, type Problem } from './problem.js';

export const emptyCourse: CourseInput = { title: '', description: '', categoryId: '', compulsory: false, visibleUnitIds: [] };

type Field = 'title' | 'categoryId' | 'visibleUnitIds';
type Invalid = Partial<Record<Field, 'courseForm.titleRequired' | 'courseForm.categoryRequired' | 'courseForm.unitsRequired'>>;

interface CourseFormProps {
  initial: CourseInput;
  submitLabel: string;
  busyLabel: string;
  onSubmit(input: CourseInput): Promise<void>;
  onCancel?: () => void;
}

/** Title, description, category, compulsory or elective, and who may see the course; used to create and to edit. */
export function CourseForm({ initial, submitLabel, busyLabel, onSubmit, onCancel }: CourseFormProps) {
  const { t, lang } = useT();
  const [input, setInput] = useState(initial);
  const [restricted, setRestricted] = useState(initial.visibleUnitIds.length > 0);
  const [categories, setCategories] = useState<CourseCategory[] | null>(null);
  const [units, setUnits] = useState<OrgUnit[] | null>(null);
  const [unitFilter, setUnitFilter] = useState('');
  const [invalid, setInvalid] = useState<Invalid>({});
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const titleInput = useRef<HTMLInputElement>(null);
  const categorySelect = useRef<HTMLSelectElement>(null);

  useEffect(() => {
    listCourseCategories()
      .then(setCategories)
      .catch((failure: unknown) => setProblem(problemOf(failure)));
    listVisibleOrgUnits()
      .then((list) => setUnits([...list].sort((a, b) => a.path.localeCompare(b.path))))
      .catch((failure: unknown) => setProblem(problemOf(failure)));
  }, []);

  // Only a committee editor, whose units include the root, may show a course to everyone.
  const mayShowEveryone = units === null || units.some((unit) => !unit.path.includes('/'));
  const isRestricted = restricted || !mayShowEveryone;
  const change = (changes: Partial<CourseInput>) => setInput({ ...input, ...changes });
  const toggleUnit = (id: string, on: boolean) =>
    change({ visibleUnitIds: on ? [...input.visibleUnitIds, id] : input.visibleUnitIds.filter((u) => u !== id) });

  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const cleaned: CourseInput = {
      ...input,
      title: input.title.trim(),
      description: input.description.trim(),
      visibleUnitIds: isRestricted ? input.visibleUnitIds : [],
    };
    const found: Invalid = {};
    if (!cleaned.title) found.title = 'courseForm.titleRequired';
    if (!cleaned.categoryId) found.categoryId = 'courseForm.categoryRequired';
    if (isRestricted && cleaned.visibleUnitIds.length === 0) found.visibleUnitIds = 'courseForm.unitsRequired';
    setInvalid(found);
    if (Object.keys(found).length > 0) {
      setProblem({ key: 'courseForm.fixErrors', detail: null });
      if (found.title) titleInput.current?.focus();
      else if (found.categoryId) categorySelect.current?.focus();
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await onSubmit(cleaned);
    } catch (failure) {
      setProblem(problemOf(failure));
    } finally {
      setBusy(false);
    }
  };

  const needle = unitFilter.trim().toLowerCase();
  const shownUnits = (units ?? []).filter(
    (u) => !needle || u.name.toLowerCase().includes(needle) || u.path.toLowerCase().includes(needle) || input.visibleUnitIds.includes(u.id),
  );
  const depth = (unit: OrgUnit) => unit.path.split('/').length - 1;

  return (
    <form class="form" noValidate aria-busy={busy} onSubmit={submit}>
      <ProblemAlert problem={problem} />
      <div class="field">
        <label for="course-title">{t('courseForm.title')}</label>
        <input
          ref={titleInput}
          id="course-title"
          type="text"
          required
          maxLength={200}
          aria-invalid={!!invalid.title}
          aria-describedby={invalid.title ? 'course-title-error' : undefined}
          value={input.title}
          onInput={(e) => change({ title: e.currentTarget.value })}
        />
        {invalid.title && (
          <p id="course-title-error" class="field__error">
            {t(invalid.title)}
          </p>
        )}
      </div>
      <div class="field">
        <label for="course-description">{t('courseForm.description')}</label>
        <textarea
          id="course-description"
          rows={5}
          maxLength={5000}
          value={input.description}
          onInput={(e) => change({ description: e.currentTarget.value })}
        />
      </div>
      <div class="field">
        <label for="course-category-input">{t('courseForm.category')}</label>
        <select
          ref={categorySelect}
          id="course-category-input"
          required
          aria-invalid={!!invalid.categoryId}
          aria-describedby={invalid.categoryId ? 'course-category-error' : undefined}
          value={input.categoryId}
          onChange={(e) => change({ categoryId: e.currentTarget.value })}
        >
          <option value="">{categories ? t('courseForm.chooseCategory') : t('app.loading')}</option>
          {(categories ?? []).map((category) => (
            <option key={category.id} value={category.id}>
              {categoryName(category, lang)}
            </option>
          ))}
        </select>
        {invalid.categoryId && (
          <p id="course-category-error" class="field__error">
            {t(invalid.categoryId)}
          </p>
        )}
      </div>
      <fieldset class="choices">
        <legend>{t('courseForm.kind')}</legend>
        <label class="choice">
          <input type="radio" name="compulsory" checked={input.compulsory} onChange={() => change({ compulsory: true })} />
          {t('courseForm.compulsory')}
        </label>
        <label class="choice">
          <input type="radio" name="compulsory" checked={!input.compulsory} onChange={() => change({ compulsory: false })} />
          {t('courseForm.elective')}
        </label>
      </fieldset>
      <fieldset class="choices" aria-describedby={invalid.visibleUnitIds ? 'course-units-error' : undefined}>
        <legend>{t('courseForm.visibility')}</legend>
        {mayShowEveryone && (
          <label class="choice">
            <input type="radio" name="visibility" checked={!isRestricted} onChange={() => setRestricted(false)} />
            {t('courseForm.visibleAll')}
          </label>
        )}
        <label class="choice">
          <input type="radio" name="visibility" checked={isRestricted} onChange={() => setRestricted(true)} />
          {t('courseForm.visibleSome')}
        </label>
        {isRestricted && (
          <div class="unit-picker">
            {(units?.length ?? 0) > 8 && (
              <div class="field">
                <label for="unit-filter">{t('courseForm.unitsFilter')}</label>
                <input
                  id="unit-filter"
                  type="search"
                  autocomplete="off"
                  value={unitFilter}
                  onInput={(e) => setUnitFilter(e.currentTarget.value)}
                />
              </div>
            )}
            <p class="status">{t('courseForm.unitsChosen', { count: input.visibleUnitIds.length })}</p>
            {units === null && <p class="status">{t('app.loading')}</p>}
            <ul class="unit-picker__list">
              {shownUnits.map((unit) => (
                <li key={unit.id} style={{ paddingInlineStart: `${depth(unit) * 1.25}rem` }}>
                  <label class="choice">
                    <input
                      type="checkbox"
                      checked={input.visibleUnitIds.includes(unit.id)}
                      onChange={(e) => toggleUnit(unit.id, e.currentTarget.checked)}
                    />
                    <span>
                      {unit.name} <span class="unit-picker__path">{unit.path}</span>
                    </span>
                  </label>
                </li>
              ))}
            </ul>
            {invalid.visibleUnitIds && (
              <p id="course-units-error" class="field__error">
                {t(invalid.visibleUnitIds)}
              </p>
            )}
          </div>
        )}
      </fieldset>
      <div class="field">
        <label class="choice">
          <input
            type="checkbox"
            aria-describedby="course-early-publish-hint"
            checked={input.publishWhenPreviewable ?? false}
            onChange={(e) => change({ publishWhenPreviewable: e.currentTarget.checked })}
          />
          {t('preview.earlyPublish')}
        </label>
        <p id="course-early-publish-hint" class="hint">
          {t('preview.earlyPublishHint')}
        </p>
      </div>
      <div class="actions">
        <button type="submit" class="button button--primary button--big" aria-disabled={busy}>
          {busy ? busyLabel : submitLabel}
        </button>
        {onCancel && (
          <button type="button" class="button button--big" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
