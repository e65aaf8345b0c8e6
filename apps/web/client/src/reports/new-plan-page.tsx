import type { TargetedSubmitEvent } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { getCourse, listCourses } from '../api/catalog.js';
import { publishedExams, type ExamView } from '../api/exam-admin.js';
import { listMemberCategories } from '../api/endpoints.js';
import { createPlan, listOrgUnits, type PlanInput, type PlanMode } from '../api/study.js';
import type { CourseCard, CourseDetail, MemberCategory, OrgUnitNode } from '../api/types.js';
import { Breadcrumb } from '../components/breadcrumb.js';
import { Page } from '../components/page.js';
import { date } from '../format/format.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import { navigate } from '../router/router.js';
import { adminPaths } from './paths.js';
import { failureText } from './plans-page.js';
import { ClassPicker, classChoices, PositionPicker, positionChoices, type ClassChoice, type PositionChoice } from './plan-targets.js';
import {
  DEFAULT_RULES_DRAFT,
  PlanRulesFields,
  rulesInput,
  type RuleErrors,
  type RulesDraft,
  type RulesField,
} from './plan-rules-fields.js';
import { MaterialReadingField, readMinutesInput } from '../materials/plan-reading.js';

type Field = 'name' | 'periodStart' | 'periodEnd' | 'requiredHours' | 'creditHoursPerLecture' | 'courseIds' | 'requiredReflections';
type Invalid = Partial<Record<Field, string>>;

interface Draft {
  name: string;
  periodStart: string;
  periodEnd: string;
  requiredHours: string;
  mode: PlanMode;
  creditHoursPerLecture: string;
  unitIds: string[];
  categories: string[];
  positions: string[];
  classIds: string[];
  allCourses: boolean;
  courseIds: string[];
  compulsory: Array<{ id: string; title: string; courseTitle: string }>;
  examIds: string[];
  /** Accepted learning reflections required, as typed: empty is none. */
  requiredReflections: string;
}

function thisYear(): Pick<Draft, 'periodStart' | 'periodEnd'> {
  const year = new Date().getFullYear();
  return { periodStart: `${year}-01-01`, periodEnd: `${year}-12-31` };
}

/** A whole number of reflections from 0 to 50 (empty: 0), or null. */
export const reflectionCount = (text: string) => {
  const trimmed = text.trim();
  if (trimmed === '') return 0;
  if (!/^\d{1,2}$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return value <= 50 ? value : null;
};

const positive = (text: string) => {
  const value = Number(text.replace(',', '.'));
  return Number.isFinite(value) && value > 0 ? value : null;
};

/** A new study plan: who (units, categories, positions, training classes) must study how many hours of what (courses), and when. */
export function NewPlanPage() {
  const { t, lang } = useT();
  const [draft, setDraft] = useState<Draft>(() => ({
    name: '',
    ...thisYear(),
    requiredHours: '',
    mode: 'watch_time',
    creditHoursPerLecture: '',
    unitIds: [],
    categories: [],
    positions: [],
    classIds: [],
    allCourses: true,
    courseIds: [],
    compulsory: [],
    examIds: [],
    requiredReflections: '',
  }));
  const [invalid, setInvalid] = useState<Invalid>({});
  const [rules, setRules] = useState<RulesDraft>(DEFAULT_RULES_DRAFT);
  const [rulesInvalid, setRulesInvalid] = useState<RuleErrors>({});
  const [readMinutes, setReadMinutes] = useState('');
  const readMinutesRef = useRef<HTMLInputElement>(null);
  const ruleRefs: Record<RulesField, { current: HTMLInputElement | null }> = {
    dailyLimitHours: useRef<HTMLInputElement>(null),
    minutesPerStudyHour: useRef<HTMLInputElement>(null),
    minLectureMinutes: useRef<HTMLInputElement>(null),
    inPersonMaxHours: useRef<HTMLInputElement>(null),
    checkinMinMinutes: useRef<HTMLInputElement>(null),
    checkinMaxMinutes: useRef<HTMLInputElement>(null),
  };
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [unitFilter, setUnitFilter] = useState('');
  const [lectureCourse, setLectureCourse] = useState('');
  const units = useResource<OrgUnitNode[]>(() => listOrgUnits(), []);
  const categories = useResource<MemberCategory[]>(() => listMemberCategories(), []);
  // Loaded on their own: if either list cannot be had, the plan is made without that target.
  const positions = useResource<PositionChoice[]>(() => positionChoices(), []);
  const classes = useResource<ClassChoice[]>(() => classChoices(), []);
  const courses = useResource<CourseCard[]>(
    async () => (await listCourses({ q: '', categoryId: '', sort: 'newest', limit: 100, offset: 0 })).items,
    [],
  );
  // Loaded on its own: without it, the plan is made without required exams.
  const exams = useResource<ExamView[]>(async () => (await publishedExams()).items, []);
  const lectures = useResource<CourseDetail | null>(
    () => (lectureCourse ? getCourse(lectureCourse) : Promise.resolve(null)),
    [lectureCourse],
  );
  const refs = {
    name: useRef<HTMLInputElement>(null),
    periodStart: useRef<HTMLInputElement>(null),
    periodEnd: useRef<HTMLInputElement>(null),
    requiredHours: useRef<HTMLInputElement>(null),
    creditHoursPerLecture: useRef<HTMLInputElement>(null),
    courseIds: useRef<HTMLFieldSetElement>(null),
    requiredReflections: useRef<HTMLInputElement>(null),
  };

  const change = (changes: Partial<Draft>) => setDraft({ ...draft, ...changes });
  const toggle = (list: string[], id: string, on: boolean) => (on ? [...list, id] : list.filter((x) => x !== id));
  const root = units.data?.[0];

  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const found: Invalid = {};
    const name = draft.name.trim();
    const required = positive(draft.requiredHours);
    const perLecture = positive(draft.creditHoursPerLecture);
    if (!name) found.name = t('planForm.nameRequired');
    if (!draft.periodStart) found.periodStart = t('planForm.dateRequired');
    if (!draft.periodEnd) found.periodEnd = t('planForm.dateRequired');
    else if (draft.periodStart && draft.periodEnd < draft.periodStart) found.periodEnd = t('planForm.endBeforeStart');
    if (required === null) found.requiredHours = t('planForm.hoursRequired');
    if (draft.mode === 'per_lecture' && perLecture === null) found.creditHoursPerLecture = t('planForm.perLectureRequired');
    if (!draft.allCourses && draft.courseIds.length === 0) found.courseIds = t('planForm.coursesRequired');
    const reflections = reflectionCount(draft.requiredReflections);
    if (reflections === null) found.requiredReflections = t('planForm.reflectionsInvalid');
    setInvalid(found);
    const checked = rulesInput(rules, draft.mode === 'per_lecture');
    setRulesInvalid(checked.errors);
    const first = (Object.keys(refs) as Field[]).find((field) => found[field]);
    const firstRule = (Object.keys(ruleRefs) as RulesField[]).find((field) => checked.errors[field]);
    const materialReadMinutes = readMinutesInput(readMinutes);
    if (first || firstRule || materialReadMinutes === 'invalid') {
      setProblem(t('planForm.fixErrors'));
      if (first) refs[first].current?.focus();
      else if (firstRule) ruleRefs[firstRule].current?.focus();
      else readMinutesRef.current?.focus();
      return;
    }
    const input: PlanInput & {
      positions: string[];
      classIds: string[];
      examIds?: string[];
      requiredReflections?: number;
    } & typeof checked.input = {
      name,
      periodStart: draft.periodStart,
      periodEnd: draft.periodEnd,
      requiredHours: required!,
      mode: draft.mode,
      creditHoursPerLecture: draft.mode === 'per_lecture' ? perLecture : null,
      unitIds: draft.unitIds,
      categories: draft.categories,
      positions: draft.positions,
      classIds: draft.classIds,
      courseIds: draft.allCourses ? null : draft.courseIds,
      compulsoryLectureIds: draft.compulsory.map((l) => l.id),
      // Sent only when chosen, so a plan without exams is the same request as before.
      ...(draft.examIds.length > 0 ? { examIds: draft.examIds } : {}),
      ...(reflections ? { requiredReflections: reflections } : {}),
      ...checked.input,
      // Sent only when reading counts, so a plan without it is the same request as before.
      ...(materialReadMinutes !== null ? { materialReadMinutes } : {}),
    };
    setBusy(true);
    setProblem(null);
    try {
      const plan = await createPlan(input);
      navigate(adminPaths.plan(plan.id));
    } catch (failure) {
      setProblem(failureText(failure, t));
    } finally {
      setBusy(false);
    }
  };

  const needle = unitFilter.trim().toLowerCase();
  const shownUnits = (units.data ?? []).filter(
    (u) => !needle || u.name.toLowerCase().includes(needle) || u.path.toLowerCase().includes(needle) || draft.unitIds.includes(u.id),
  );
  const baseDepth = root?.depth ?? 0;
  // The API counts a unit's own members; a plan for a unit reaches everyone below it too.
  const reach = (unit: OrgUnitNode) =>
    (units.data ?? []).filter((u) => u.path === unit.path || u.path.startsWith(`${unit.path}/`)).reduce((sum, u) => sum + u.memberCount, 0);
  const errorOf = (field: Field) =>
    invalid[field] ? (
      <p id={`plan-${field}-error`} class="field__error">
        {invalid[field]}
      </p>
    ) : null;
  const described = (field: Field, hint?: string) =>
    [invalid[field] ? `plan-${field}-error` : '', hint ?? ''].filter(Boolean).join(' ') || undefined;
  const courseChoices = draft.allCourses ? (courses.data ?? []) : (courses.data ?? []).filter((c) => draft.courseIds.includes(c.id));

  return (
    <>
      <Breadcrumb
        trail={[
          { href: adminPaths.reports, label: t('reports.title') },
          { href: adminPaths.plans, label: t('plans.title') },
        ]}
        current={t('plans.new')}
      />
      <Page title={t('plans.new')}>
        <form class="form plan-form" noValidate aria-busy={busy} onSubmit={submit}>
          <div class={problem ? 'alert alert--shown' : 'alert'} role="alert">
            {problem}
          </div>
          <div class="field">
            <label for="plan-name">{t('planForm.name')}</label>
            <input
              ref={refs.name}
              id="plan-name"
              type="text"
              maxLength={200}
              required
              aria-invalid={!!invalid.name}
              aria-describedby={described('name')}
              value={draft.name}
              onInput={(e) => change({ name: e.currentTarget.value })}
            />
            {errorOf('name')}
          </div>
          <fieldset class="choices">
            <legend>{t('planForm.period')}</legend>
            <div class="field-row">
              <div class="field">
                <label for="plan-start">{t('planForm.periodStart')}</label>
                <input
                  ref={refs.periodStart}
                  id="plan-start"
                  type="date"
                  required
                  aria-invalid={!!invalid.periodStart}
                  aria-describedby={described('periodStart')}
                  value={draft.periodStart}
                  onInput={(e) => change({ periodStart: e.currentTarget.value })}
                />
                {errorOf('periodStart')}
              </div>
              <div class="field">
                <label for="plan-end">{t('planForm.periodEnd')}</label>
                <input
                  ref={refs.periodEnd}
                  id="plan-end"
                  type="date"
                  required
                  aria-invalid={!!invalid.periodEnd}
                  aria-describedby={described('periodEnd')}
                  value={draft.periodEnd}
                  onInput={(e) => change({ periodEnd: e.currentTarget.value })}
                />
                {errorOf('periodEnd')}
              </div>
            </div>
            <p class="actions actions--compact">
              <button type="button" class="button" onClick={() => change(thisYear())}>
                {t('planForm.thisYear')}
              </button>
            </p>
          </fieldset>
          <div class="field">
            <label for="plan-hours">{t('planForm.requiredHours')}</label>
            <input
              ref={refs.requiredHours}
              id="plan-hours"
              type="number"
              inputMode="decimal"
              min={0.5}
              step={0.5}
              required
              aria-invalid={!!invalid.requiredHours}
              aria-describedby={described('requiredHours')}
              value={draft.requiredHours}
              onInput={(e) => change({ requiredHours: e.currentTarget.value })}
            />
            {errorOf('requiredHours')}
          </div>
          <fieldset class="choices">
            <legend>{t('planForm.mode')}</legend>
            <label class="choice">
              <input type="radio" name="mode" checked={draft.mode === 'watch_time'} onChange={() => change({ mode: 'watch_time' })} />
              {t('planForm.watchTime')}
            </label>
            <label class="choice">
              <input type="radio" name="mode" checked={draft.mode === 'per_lecture'} onChange={() => change({ mode: 'per_lecture' })} />
              {t('planForm.perLecture')}
            </label>
            {draft.mode === 'per_lecture' && (
              <div class="field">
                <label for="plan-per-lecture">{t('planForm.hoursPerLecture')}</label>
                <input
                  ref={refs.creditHoursPerLecture}
                  id="plan-per-lecture"
                  type="number"
                  inputMode="decimal"
                  min={0.1}
                  step={0.1}
                  aria-invalid={!!invalid.creditHoursPerLecture}
                  aria-describedby={described('creditHoursPerLecture')}
                  value={draft.creditHoursPerLecture}
                  onInput={(e) => change({ creditHoursPerLecture: e.currentTarget.value })}
                />
                {errorOf('creditHoursPerLecture')}
              </div>
            )}
          </fieldset>

          <fieldset class="choices">
            <legend>{t('planForm.units')}</legend>
            <p class="hint" id="plan-units-hint">
              {root ? t('planForm.unitsHint', { unit: root.name }) : t('app.loading')}
            </p>
            {(units.data?.length ?? 0) > 8 && (
              <div class="field">
                <label for="plan-unit-filter">{t('courseForm.unitsFilter')}</label>
                <input
                  id="plan-unit-filter"
                  type="search"
                  autocomplete="off"
                  value={unitFilter}
                  onInput={(e) => setUnitFilter(e.currentTarget.value)}
                />
              </div>
            )}
            <p class="status">
              {draft.unitIds.length === 0
                ? t('planForm.wholeUnit', { unit: root?.name ?? '' })
                : t('courseForm.unitsChosen', { count: draft.unitIds.length })}
            </p>
            <ul class="unit-picker__list">
              {shownUnits.map((unit) => (
                <li key={unit.id} style={{ paddingInlineStart: `${(unit.depth - baseDepth) * 1.25}rem` }}>
                  <label class="choice">
                    <input
                      type="checkbox"
                      checked={draft.unitIds.includes(unit.id)}
                      onChange={(e) => change({ unitIds: toggle(draft.unitIds, unit.id, e.currentTarget.checked) })}
                    />
                    <span>
                      {unit.name} <span class="unit-picker__path">{t('planForm.unitMembers', { count: reach(unit) })}</span>
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>

          <fieldset class="choices">
            <legend>{t('planForm.categories')}</legend>
            <p class="hint">{t('planForm.categoriesHint')}</p>
            {(categories.data ?? []).map((category) => (
              <label key={category.code} class="choice">
                <input
                  type="checkbox"
                  checked={draft.categories.includes(category.code)}
                  onChange={(e) => change({ categories: toggle(draft.categories, category.code, e.currentTarget.checked) })}
                />
                {lang === 'en' ? category.nameEn : category.nameZh}
              </label>
            ))}
          </fieldset>

          <PositionPicker resource={positions} chosen={draft.positions} onChange={(chosen) => change({ positions: chosen })} />
          <ClassPicker resource={classes} chosen={draft.classIds} onChange={(chosen) => change({ classIds: chosen })} />

          <fieldset ref={refs.courseIds} class="choices" tabIndex={-1} aria-describedby={described('courseIds')}>
            <legend>{t('planForm.courses')}</legend>
            <label class="choice">
              <input type="radio" name="courses" checked={draft.allCourses} onChange={() => change({ allCourses: true })} />
              {t('planForm.allCourses')}
            </label>
            <label class="choice">
              <input type="radio" name="courses" checked={!draft.allCourses} onChange={() => change({ allCourses: false })} />
              {t('planForm.chosenCourses')}
            </label>
            {!draft.allCourses && (
              <ul class="unit-picker__list">
                {courses.loading && <li class="status">{t('app.loading')}</li>}
                {(courses.data ?? []).map((course) => (
                  <li key={course.id}>
                    <label class="choice">
                      <input
                        type="checkbox"
                        checked={draft.courseIds.includes(course.id)}
                        onChange={(e) => change({ courseIds: toggle(draft.courseIds, course.id, e.currentTarget.checked) })}
                      />
                      {course.title}
                    </label>
                  </li>
                ))}
              </ul>
            )}
            {errorOf('courseIds')}
          </fieldset>

          <fieldset class="choices">
            <legend>{t('planForm.compulsory')}</legend>
            <p class="hint">{t('planForm.compulsoryHint')}</p>
            {draft.compulsory.length > 0 && (
              <ol class="chosen-list">
                {draft.compulsory.map((lecture) => (
                  <li key={lecture.id}>
                    <span>
                      {lecture.title} <span class="unit-picker__path">{lecture.courseTitle}</span>
                    </span>
                    <button
                      type="button"
                      class="button button--danger"
                      aria-label={t('planForm.removeLecture', { title: lecture.title })}
                      onClick={() => change({ compulsory: draft.compulsory.filter((l) => l.id !== lecture.id) })}
                    >
                      {t('planForm.remove')}
                    </button>
                  </li>
                ))}
              </ol>
            )}
            <div class="field">
              <label for="plan-lecture-course">{t('planForm.pickCourse')}</label>
              <select id="plan-lecture-course" value={lectureCourse} onChange={(e) => setLectureCourse(e.currentTarget.value)}>
                <option value="">{t('planForm.pickCourseNone')}</option>
                {courseChoices.map((course) => (
                  <option key={course.id} value={course.id}>
                    {course.title}
                  </option>
                ))}
              </select>
            </div>
            {lectures.data && (
              <ul class="unit-picker__list">
                {[...lectures.data.lectures]
                  .sort((a, b) => a.position - b.position)
                  .map((lecture) => (
                    <li key={lecture.id}>
                      <label class="choice">
                        <input
                          type="checkbox"
                          checked={draft.compulsory.some((l) => l.id === lecture.id)}
                          onChange={(e) =>
                            change({
                              compulsory: e.currentTarget.checked
                                ? [...draft.compulsory, { id: lecture.id, title: lecture.title, courseTitle: lectures.data!.title }]
                                : draft.compulsory.filter((l) => l.id !== lecture.id),
                            })
                          }
                        />
                        {lecture.title}
                      </label>
                    </li>
                  ))}
              </ul>
            )}
          </fieldset>

          <fieldset class="choices">
            <legend>{t('examAdmin.plan.exams')}</legend>
            <p class="hint">{t('examAdmin.plan.examsHint')}</p>
            {exams.loading && <p class="status">{t('app.loading')}</p>}
            {exams.error && <p class="status">{t(exams.error)}</p>}
            {exams.data && exams.data.length === 0 && <p class="status">{t('examAdmin.plan.noExams')}</p>}
            {exams.data && exams.data.length > 0 && (
              <ul class="unit-picker__list">
                {exams.data.map((exam) => (
                  <li key={exam.id}>
                    <label class="choice">
                      <input
                        type="checkbox"
                        checked={draft.examIds.includes(exam.id)}
                        onChange={(e) => change({ examIds: toggle(draft.examIds, exam.id, e.currentTarget.checked) })}
                      />
                      <span>
                        {exam.title}{' '}
                        <span class="unit-picker__path">
                          {t('examAdmin.reports.period', { from: date(exam.opensAt, lang), to: date(exam.closesAt, lang) })}
                        </span>
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
            )}
          </fieldset>

          <div class="field">
            <label for="plan-reflections">{t('planForm.requiredReflections')}</label>
            <p id="plan-reflections-hint" class="hint">
              {t('planForm.requiredReflectionsHint')}
            </p>
            <input
              ref={refs.requiredReflections}
              id="plan-reflections"
              type="number"
              inputMode="numeric"
              min={0}
              max={50}
              step={1}
              placeholder="0"
              aria-invalid={!!invalid.requiredReflections}
              aria-describedby={described('requiredReflections', 'plan-reflections-hint')}
              value={draft.requiredReflections}
              onInput={(e) => change({ requiredReflections: e.currentTarget.value })}
            />
            {errorOf('requiredReflections')}
          </div>

          <PlanRulesFields
            draft={rules}
            perLecture={draft.mode === 'per_lecture'}
            errors={rulesInvalid}
            refs={ruleRefs}
            onChange={(changes) => setRules((current) => ({ ...current, ...changes }))}
          />
          <MaterialReadingField
            value={readMinutes}
            invalid={readMinutesInput(readMinutes) === 'invalid' && problem !== null}
            onChange={setReadMinutes}
            inputRef={readMinutesRef}
          />

          <div class="actions">
            <button type="submit" class="button button--primary button--big" aria-disabled={busy}>
              {busy ? t('planForm.creating') : t('planForm.create')}
            </button>
            <button type="button" class="button button--big" onClick={() => navigate(adminPaths.plans)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      </Page>
    </>
  );
}
