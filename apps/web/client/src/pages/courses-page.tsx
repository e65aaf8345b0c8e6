import type { TargetedSubmitEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { listCourseCategories, listCourses } from '../api/catalog.js';
import { getCourseShares, type CourseShare } from '../api/progress.js';
import type { CourseCard as Course, CourseCategory, CourseSort } from '../api/types.js';
import { Alert } from '../components/alert.js';
import { Page } from '../components/page.js';
import { categoryName } from '../format/format.js';
import { errorKey, type ErrorKey } from '../i18n/error-key.js';
import { useT } from '../i18n/use-t.js';
import { CourseCard } from './course-card.js';
import './course.css';

// Small pages: each card brings a cover image, and many members are on slow connections.
const pageSize = 12;

interface Filters {
  q: string;
  categoryId: string;
  sort: CourseSort;
}

/** Filters live in the address, so Back from a course returns to the same search. */
function filtersFromUrl(): Filters {
  const params = new URLSearchParams(location.search);
  return {
    q: params.get('q') ?? '',
    categoryId: params.get('category') ?? '',
    sort: params.get('sort') === 'popular' ? 'popular' : 'newest',
  };
}

function writeFiltersToUrl({ q, categoryId, sort }: Filters): void {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (categoryId) params.set('category', categoryId);
  if (sort !== 'newest') params.set('sort', sort);
  const search = params.toString();
  history.replaceState(history.state, '', search ? `${location.pathname}?${search}` : location.pathname);
}

export function CoursesPage() {
  const { t, lang } = useT();
  const [filters, setFilters] = useState(filtersFromUrl);
  const [draft, setDraft] = useState(filters.q);
  const [categories, setCategories] = useState<CourseCategory[]>([]);
  const [items, setItems] = useState<Course[]>([]);
  // The member's share of the courses shown, for those they started; one request per page of courses.
  const [shares, setShares] = useState<ReadonlyMap<string, CourseShare>>(new Map());
  const [total, setTotal] = useState<number | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ErrorKey | null>(null);
  const [generation, setGeneration] = useState(0);
  const list = useRef<HTMLUListElement>(null);
  const focusFrom = useRef<number | null>(null);

  useEffect(() => {
    // Without categories the filter just offers "All categories"; no message needed.
    listCourseCategories()
      .then(setCategories)
      .catch(() => undefined);
  }, []);

  const load = (offset: number, stale: () => boolean) => {
    setLoading(true);
    setError(null);
    listCourses({ ...filters, limit: pageSize, offset })
      .then((page) => {
        if (stale()) return;
        setItems((previous) => (offset === 0 ? page.items : [...previous, ...page.items]));
        setTotal(page.total);
        // Progress is extra: without it the cards are just as usable.
        getCourseShares(page.items.map((course) => course.id))
          .then(
            (found) => !stale() && setShares((known) => new Map([...known, ...found.map((s): [string, CourseShare] => [s.courseId, s])])),
          )
          .catch(() => undefined);
      })
      .catch((failure: unknown) => !stale() && setError(errorKey(failure)))
      .finally(() => !stale() && setLoading(false));
  };

  useEffect(() => {
    let stale = false;
    writeFiltersToUrl(filters);
    load(0, () => stale);
    return () => {
      stale = true;
    };
  }, [filters, generation]);

  useEffect(() => {
    // After "show more", keyboard focus goes to the first new course instead of staying at the bottom.
    if (focusFrom.current === null || loading) return;
    list.current?.querySelectorAll<HTMLAnchorElement>('.course-card__link')[focusFrom.current]?.focus();
    focusFrom.current = null;
  }, [items, loading]);

  const onSearch = (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFilters({ ...filters, q: draft.trim() });
  };

  const loadMore = () => {
    focusFrom.current = items.length;
    load(items.length, () => false);
  };

  const shown = items.length;
  const status = loading
    ? t('app.loading')
    : total === null
      ? ''
      : total === 0
        ? `${t('courses.empty')} ${filters.q || filters.categoryId ? t('courses.emptyHint') : ''}`
        : t('courses.total', { count: total, shown });

  return (
    <Page title={t('courses.title')}>
      <form class="search course-search" role="search" onSubmit={onSearch}>
        <label for="course-search">{t('courses.searchLabel')}</label>
        <div class="search__row">
          <input id="course-search" type="search" autocomplete="off" value={draft} onInput={(e) => setDraft(e.currentTarget.value)} />
          <button type="submit" class="button button--primary">
            {t('courses.search')}
          </button>
          {filters.q && (
            <button
              type="button"
              class="button"
              onClick={() => {
                setDraft('');
                setFilters({ ...filters, q: '' });
              }}
            >
              {t('courses.clearSearch')}
            </button>
          )}
        </div>
      </form>

      <div class="filters course-filters" role="group" aria-label={t('courses.filters')}>
        <div class="field">
          <label for="course-category">{t('courses.category')}</label>
          <select
            id="course-category"
            value={filters.categoryId}
            onChange={(e) => setFilters({ ...filters, categoryId: e.currentTarget.value })}
          >
            <option value="">{t('courses.allCategories')}</option>
            {categories.map((category) => (
              <option key={category.id} value={category.id}>
                {categoryName(category, lang)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="course-sort">{t('courses.sort')}</label>
          <select
            id="course-sort"
            value={filters.sort}
            onChange={(e) => setFilters({ ...filters, sort: e.currentTarget.value as CourseSort })}
          >
            <option value="newest">{t('courses.sortNewest')}</option>
            <option value="popular">{t('courses.sortPopular')}</option>
          </select>
        </div>
      </div>

      <Alert message={error && t(error)} />
      {error && (
        <p>
          <button type="button" class="button" onClick={() => setGeneration((g) => g + 1)}>
            {t('common.retry')}
          </button>
        </p>
      )}

      <p class="status" role="status">
        {status}
      </p>

      {shown > 0 && (
        <ul ref={list} class="course-grid" aria-label={t('courses.list')} aria-busy={loading}>
          {items.map((course) => (
            <li key={course.id}>
              <CourseCard course={course} share={shares.get(course.id)} />
            </li>
          ))}
        </ul>
      )}

      {total !== null && shown < total && !error && (
        <p class="load-more">
          <button type="button" class="button button--wide" aria-disabled={loading} onClick={() => !loading && loadMore()}>
            {loading ? t('app.loading') : t('courses.loadMore')}
          </button>
        </p>
      )}
    </Page>
  );
}
