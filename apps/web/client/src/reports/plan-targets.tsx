import { request } from '../api/api.js';
import type { StudyPlan } from '../api/study.js';
import type { MemberCategory } from '../api/types.js';
import { useSession } from '../auth/session.js';
import { day } from '../format/numbers.js';
import type { Resource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import './plan-targets.css';

/** A plan as the server describes it, with the positions and training classes it is for. */
export type TargetedPlan = StudyPlan & {
  positions?: string[];
  positionKinds?: Array<{ code: string; nameZh: string; nameEn: string }>;
  classIds?: string[];
  classes?: Array<{ id: string; name: string }>;
};

export interface PositionChoice {
  code: string;
  nameZh: string;
  nameEn: string;
}

export interface ClassChoice {
  id: string;
  name: string;
  startsOn: string;
  endsOn: string;
  archivedAt: string | null;
}

/** The position kinds the admin's organisation uses. */
export function positionChoices(): Promise<PositionChoice[]> {
  return request<PositionChoice[]>('GET', '/api/position-kinds');
}

/** The training classes of the admin's subtree (a page of them, or a plain list). */
export async function classChoices(): Promise<ClassChoice[]> {
  const answer = await request<ClassChoice[] | { items: ClassChoice[] }>('GET', '/api/training-classes?limit=200&includeArchived=true');
  return Array.isArray(answer) ? answer : answer.items;
}

/** Only admins change plans; an inspector reads and exports. */
export function useMayChangePlans(): boolean {
  return useSession().user.role === 'admin';
}

/**
 * Who a plan is for, as description-list entries: its member categories, positions and training
 * classes, or everyone in its units when it names none.
 */
export function PlanTargetFacts({ plan, categories }: { plan: TargetedPlan; categories?: MemberCategory[] | null }) {
  const { t, lang } = useT();
  const list = (names: string[]) => names.join(lang === 'en' ? ', ' : '、');
  const categoryName = (code: string) => {
    const found = categories?.find((c) => c.code === code);
    return found ? (lang === 'en' ? found.nameEn : found.nameZh) : code;
  };
  const positions = plan.positionKinds ?? [];
  const classes = plan.classes ?? [];
  const facts = [
    plan.categories.length > 0 && t('planTargets.categoriesFact', { names: list(plan.categories.map(categoryName)) }),
    positions.length > 0 && t('planTargets.positionsFact', { names: list(positions.map((p) => (lang === 'en' ? p.nameEn : p.nameZh))) }),
    classes.length > 0 && t('planTargets.classesFact', { names: list(classes.map((c) => c.name)) }),
  ].filter((fact): fact is string => Boolean(fact));
  return (
    <>
      <dt>{t('planTargets.targets')}</dt>
      <dd>
        {facts.length === 0 ? (
          t('planTargets.everyone')
        ) : (
          <ul class="plan-targets">
            {facts.map((fact) => (
              <li key={fact}>{fact}</li>
            ))}
          </ul>
        )}
      </dd>
    </>
  );
}

interface PickerProps<T> {
  resource: Resource<T[]>;
  chosen: string[];
  onChange(chosen: string[]): void;
}

const toggled = (list: string[], value: string, on: boolean) => (on ? [...list, value] : list.filter((x) => x !== value));

/** Checkboxes for the positions a plan is for; a failed load says so and leaves the plan without positions. */
export function PositionPicker({ resource, chosen, onChange }: PickerProps<PositionChoice>) {
  const { t, lang } = useT();
  return (
    <fieldset class="choices" aria-describedby="plan-positions-hint">
      <legend>{t('planTargets.positions')}</legend>
      <p class="hint" id="plan-positions-hint">
        {t('planTargets.positionsHint')}
      </p>
      {resource.loading && !resource.data && (
        <p class="status" role="status">
          {t('app.loading')}
        </p>
      )}
      {resource.error && <p class="notice">{t('planTargets.positionsUnavailable')}</p>}
      {resource.data?.length === 0 && <p class="notice">{t('planTargets.noPositions')}</p>}
      {chosen.length > 0 && <p class="status">{t('planTargets.chosen', { count: chosen.length })}</p>}
      {(resource.data ?? []).map((kind) => (
        <label key={kind.code} class="choice">
          <input
            type="checkbox"
            name="positions"
            value={kind.code}
            checked={chosen.includes(kind.code)}
            onChange={(e) => onChange(toggled(chosen, kind.code, e.currentTarget.checked))}
          />
          {lang === 'en' ? kind.nameEn : kind.nameZh}
        </label>
      ))}
    </fieldset>
  );
}

/** Checkboxes for the training classes a plan is for. */
export function ClassPicker({ resource, chosen, onChange }: PickerProps<ClassChoice>) {
  const { t, lang } = useT();
  return (
    <fieldset class="choices" aria-describedby="plan-classes-hint">
      <legend>{t('planTargets.classes')}</legend>
      <p class="hint" id="plan-classes-hint">
        {t('planTargets.classesHint')}
      </p>
      {resource.loading && !resource.data && (
        <p class="status" role="status">
          {t('app.loading')}
        </p>
      )}
      {resource.error && <p class="notice">{t('planTargets.classesUnavailable')}</p>}
      {resource.data?.length === 0 && <p class="notice">{t('planTargets.noClasses')}</p>}
      {chosen.length > 0 && <p class="status">{t('planTargets.chosen', { count: chosen.length })}</p>}
      {(resource.data ?? []).length > 0 && (
        <ul class="unit-picker__list">
          {(resource.data ?? []).map((item) => (
            <li key={item.id}>
              <label class="choice">
                <input
                  type="checkbox"
                  name="classIds"
                  value={item.id}
                  checked={chosen.includes(item.id)}
                  onChange={(e) => onChange(toggled(chosen, item.id, e.currentTarget.checked))}
                />
                <span>
                  {item.name}{' '}
                  <span class="unit-picker__path">
                    {t('planTargets.classDates', { from: day(item.startsOn, lang, 'medium'), to: day(item.endsOn, lang, 'medium') })}
                    {item.archivedAt ? ` · ${t('planTargets.archived')}` : ''}
                  </span>
                </span>
              </label>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
