import { GROUP_SESSION_LIMITS, type CourseCard, type CourseDetail, type GroupSessionKind } from '#contracts';
import { useState } from 'preact/hooks';
import { getCourse, listCourses } from '../api/catalog.js';
import { groupCapabilities, recordInPerson, startCollective } from '../api/group-study.js';
import { Alert } from '../components/alert.js';
import { Breadcrumb } from '../components/breadcrumb.js';
import { Page } from '../components/page.js';
import { clock } from '../format/format.js';
import { useResource } from '../hooks/use-resource.js';
import { errorKey } from '../i18n/error-key.js';
import { useT } from '../i18n/use-t.js';
import { navigate } from '../router/router.js';
import { localDateTime, sessionTimes } from './group-logic.js';

const kindFromUrl = (): GroupSessionKind => (new URLSearchParams(location.search).get('kind') === 'in_person' ? 'in_person' : 'collective');

/** Starting a collective viewing, or recording an in-person session. */
export function NewGroupSessionPage() {
  const { t } = useT();
  const capabilities = useResource(groupCapabilities, []);
  const [kind, setKind] = useState<GroupSessionKind>(kindFromUrl);
  const [unitId, setUnitId] = useState('');
  const units = capabilities.data?.units ?? [];
  // The outermost unit first (the list is in tree order), so a group leader with one group has nothing to choose.
  const chosenUnit = unitId || units[0]?.id || '';

  return (
    <>
      <Breadcrumb trail={[{ href: '/group', label: t('groupSessions.title') }]} current={t('groupSessions.newSession.title')} />
      <Page title={t('groupSessions.newSession.title')}>
        <Alert message={capabilities.error && t(capabilities.error)} />
        <p class="status" role="status">
          {capabilities.loading ? t('app.loading') : ''}
        </p>
        {capabilities.data && !capabilities.data.canLead && <p class="notice">{t('groupSessions.newSession.cannotLead')}</p>}
        {capabilities.data?.canLead && (
          <>
            <fieldset class="choices group-kind">
              <legend>{t('groupSessions.newSession.kindLabel')}</legend>
              {(['collective', 'in_person'] as const).map((k) => (
                <label class="choice" key={k}>
                  <input type="radio" name="group-kind" checked={kind === k} onChange={() => setKind(k)} />
                  {k === 'collective' ? t('groupSessions.newSession.collective') : t('groupSessions.newSession.inPerson')}
                </label>
              ))}
            </fieldset>
            <div class="field">
              <label for="group-unit">{t('groupSessions.newSession.unitLabel')}</label>
              <select
                id="group-unit"
                value={chosenUnit}
                aria-describedby="group-unit-hint"
                onChange={(e) => setUnitId(e.currentTarget.value)}
              >
                {units.map((unit) => (
                  <option key={unit.id} value={unit.id}>
                    {'\u3000'.repeat(Math.max(0, unit.path.split('/').length - (units[0]?.path.split('/').length ?? 1)))}
                    {unit.name}
                  </option>
                ))}
              </select>
              <p id="group-unit-hint" class="hint">
                {t('groupSessions.newSession.unitHint')}
              </p>
            </div>
            {kind === 'collective' ? <CollectiveForm unitId={chosenUnit} /> : <InPersonForm unitId={chosenUnit} />}
          </>
        )}
      </Page>
    </>
  );
}

function CollectiveForm({ unitId }: { unitId: string }) {
  const { t } = useT();
  const [query, setQuery] = useState('');
  const [searching, setSearching] = useState(false);
  const [courses, setCourses] = useState<CourseCard[] | null>(null);
  const [course, setCourse] = useState<CourseDetail | null>(null);
  const [lectureId, setLectureId] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const search = async () => {
    setSearching(true);
    setProblem(null);
    try {
      const page = await listCourses({ q: query.trim(), categoryId: '', sort: 'newest', limit: 20, offset: 0 });
      setCourses(page.items);
    } catch (failure) {
      setProblem(t(errorKey(failure)));
    } finally {
      setSearching(false);
    }
  };

  const pick = async (id: string) => {
    setProblem(null);
    setLectureId('');
    try {
      const detail = await getCourse(id);
      setCourse(detail);
      if (detail.lectures.length === 1) setLectureId(detail.lectures[0]!.id);
    } catch (failure) {
      setProblem(t(errorKey(failure)));
    }
  };

  const start = async () => {
    if (busy) return;
    if (!unitId) return setProblem(t('groupSessions.newSession.needUnit'));
    if (!lectureId) return setProblem(t('groupSessions.newSession.needLecture'));
    setBusy(true);
    setProblem(null);
    try {
      const session = await startCollective({ lectureId, unitId });
      navigate(`/group/sessions/${encodeURIComponent(session.id)}`);
    } catch (failure) {
      setProblem(t(errorKey(failure)));
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="group-collective">
      <h2 id="group-collective">{t('groupSessions.kind.collective')}</h2>
      <form
        class="search"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          void search();
        }}
      >
        <label for="group-course-q">{t('groupSessions.newSession.courseSearch')}</label>
        <div class="search__row">
          <input
            id="group-course-q"
            type="search"
            value={query}
            aria-describedby="group-course-q-hint"
            onInput={(e) => setQuery(e.currentTarget.value)}
          />
          <button type="submit" class="button" aria-disabled={searching}>
            {t('groupSessions.newSession.search')}
          </button>
        </div>
        <p id="group-course-q-hint" class="hint">
          {searching ? t('groupSessions.newSession.searching') : t('groupSessions.newSession.courseSearchHint')}
        </p>
      </form>
      {courses && courses.length === 0 && <p class="notice">{t('groupSessions.newSession.noCourses')}</p>}
      {courses && courses.length > 0 && (
        <fieldset class="choices">
          <legend>{t('groupSessions.newSession.pickCourse')}</legend>
          {courses.map((c) => (
            <label class="choice" key={c.id}>
              <input type="radio" name="group-course" checked={course?.id === c.id} onChange={() => void pick(c.id)} />
              {c.title}
            </label>
          ))}
        </fieldset>
      )}
      {course && course.lectures.length === 0 && <p class="notice">{t('groupSessions.newSession.lectureNone')}</p>}
      {course && course.lectures.length > 0 && (
        <fieldset class="choices">
          <legend>{t('groupSessions.newSession.lectureLabel')}</legend>
          {course.lectures.map((lecture) => (
            <label class="choice" key={lecture.id}>
              <input type="radio" name="group-lecture" checked={lectureId === lecture.id} onChange={() => setLectureId(lecture.id)} />
              <span>
                {lecture.title}
                {lecture.durationSec ? <span class="hint-inline"> {clock(lecture.durationSec)}</span> : null}
              </span>
            </label>
          ))}
        </fieldset>
      )}
      <Alert message={problem} />
      <p class="actions">
        <button type="button" class="button button--primary button--big" aria-disabled={busy} onClick={() => void start()}>
          {t('groupSessions.newSession.start')}
        </button>
      </p>
    </section>
  );
}

const LIMITS = GROUP_SESSION_LIMITS;

function InPersonForm({ unitId }: { unitId: string }) {
  const { t } = useT();
  const now = localDateTime(new Date());
  const [topic, setTopic] = useState('');
  const [date, setDate] = useState(now.date);
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [place, setPlace] = useState('');
  const [speaker, setSpeaker] = useState('');
  const [materials, setMaterials] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const times = sessionTimes(date, start, end);
  const edit = (set: (v: string) => void) => (value: string) => {
    set(value);
    setProblem(null);
  };
  const past = 'endsAt' in times && Date.parse(times.endsAt) < Date.now();

  const save = async () => {
    if (busy) return;
    if (!unitId) return setProblem(t('groupSessions.newSession.needUnit'));
    if (!topic.trim()) return setProblem(t('groupSessions.newSession.needTopic'));
    if ('problem' in times) return setProblem(t(`groupSessions.newSession.${times.problem}`));
    for (const [field, value, max] of [
      [t('groupSessions.newSession.topic'), topic, LIMITS.topic],
      [t('groupSessions.newSession.place'), place, LIMITS.place],
      [t('groupSessions.newSession.speaker'), speaker, LIMITS.speaker],
      [t('groupSessions.newSession.materials'), materials, LIMITS.materials],
    ] as const) {
      if (value.trim().length > max) return setProblem(t('groupSessions.newSession.tooLong', { field, max }));
    }
    setBusy(true);
    setProblem(null);
    try {
      const session = await recordInPerson({
        unitId,
        topic: topic.trim(),
        startsAt: times.startsAt,
        endsAt: times.endsAt,
        place: place.trim() || null,
        speaker: speaker.trim() || null,
        materials: materials.trim() || null,
      });
      navigate(`/group/sessions/${encodeURIComponent(session.id)}`);
    } catch (failure) {
      setProblem(t(errorKey(failure)));
      setBusy(false);
    }
  };

  const text = (id: string, label: string, value: string, set: (v: string) => void, max: number) => (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} type="text" value={value} maxLength={max} onInput={(e) => set(e.currentTarget.value)} />
    </div>
  );

  return (
    <form
      class="form group-form"
      noValidate
      aria-labelledby="group-in-person"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <h2 id="group-in-person">{t('groupSessions.kind.in_person')}</h2>
      {text('group-topic', t('groupSessions.newSession.topic'), topic, setTopic, LIMITS.topic)}
      <div class="field-row">
        <div class="field">
          <label for="group-date">{t('groupSessions.newSession.date')}</label>
          <input id="group-date" type="date" value={date} onInput={(e) => edit(setDate)(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="group-start">{t('groupSessions.newSession.starts')}</label>
          <input id="group-start" type="time" value={start} onInput={(e) => edit(setStart)(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="group-end">{t('groupSessions.newSession.ends')}</label>
          <input id="group-end" type="time" value={end} onInput={(e) => edit(setEnd)(e.currentTarget.value)} />
        </div>
      </div>
      {past && <p class="notice">{t('groupSessions.newSession.pastNote')}</p>}
      {text('group-place', t('groupSessions.newSession.place'), place, setPlace, LIMITS.place)}
      {text('group-speaker', t('groupSessions.newSession.speaker'), speaker, setSpeaker, LIMITS.speaker)}
      <div class="field">
        <label for="group-materials">{t('groupSessions.newSession.materials')}</label>
        <textarea
          id="group-materials"
          rows={4}
          value={materials}
          aria-describedby="group-materials-hint"
          onInput={(e) => setMaterials(e.currentTarget.value)}
        />
        <p id="group-materials-hint" class="hint">
          {t('groupSessions.newSession.materialsHint')}
        </p>
      </div>
      <Alert message={problem} />
      <p class="actions">
        <button type="submit" class="button button--primary button--big" aria-disabled={busy}>
          {t('groupSessions.newSession.record')}
        </button>
      </p>
    </form>
  );
}
