import { getCourse, openPlayback } from '../api/catalog.js';
import type { CourseDetail, PlaybackSession } from '../api/types.js';
import { Alert } from '../components/alert.js';
import { Breadcrumb, type Crumb } from '../components/breadcrumb.js';
import { Page } from '../components/page.js';
import { useDuration } from '../format/use-format.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import { Icon } from '../player/icons.js';
import { Player } from '../player/player.js';
import { useHeartbeats, type StudyCredit } from '../player/use-heartbeats.js';
import { Link } from '../router/link.js';
import { lectureHref } from './course-page.js';

/** The course named in the address (?course=); else the playback session says which course the lecture is in. */
function courseIdFromUrl(): string | null {
  return new URLSearchParams(location.search).get('course');
}

export function LecturePage({ lectureId }: { lectureId: string }) {
  const { t } = useT();
  const playback = useResource(() => openPlayback(lectureId), [lectureId]);
  const courseId = courseIdFromUrl() ?? playback.data?.courseId ?? null;
  const course = useResource<CourseDetail | null>(() => (courseId ? getCourse(courseId) : Promise.resolve(null)), [courseId]);

  const lectures = [...(course.data?.lectures ?? [])].sort((a, b) => a.position - b.position);
  const index = lectures.findIndex((l) => l.id === lectureId);
  const lecture = index >= 0 ? lectures[index] : undefined;
  const title =
    lecture?.title ??
    playback.data?.lectureTitle ??
    (playback.loading || course.loading ? t('lecture.opening') : t('lecture.fallbackTitle'));

  const trail: Crumb[] = [{ href: '/courses', label: t('courses.title') }];
  if (course.data) trail.push({ href: `/courses/${encodeURIComponent(course.data.id)}`, label: course.data.title });

  // A new session supersedes the old one, so heartbeats wait for it and then carry on under it.
  const reopen = async (): Promise<PlaybackSession> => {
    study.hold();
    try {
      const fresh = await openPlayback(lectureId);
      playback.set(fresh);
      study.resume(fresh);
      return fresh;
    } catch (failure) {
      study.resume(null);
      throw failure;
    }
  };
  const study = useHeartbeats({ session: playback.data, reopen });

  const session = playback.data;
  return (
    <>
      <Breadcrumb trail={trail} current={title} />
      <Page title={title}>
        {lecture?.speaker && <p class="lecture-speaker">{t('course.speaker', { name: lecture.speaker })}</p>}
        <Alert message={playback.error && t(playback.error)} />
        {playback.error && (
          <p class="actions">
            <button type="button" class="button button--primary" onClick={playback.reload}>
              {t('common.retry')}
            </button>
          </p>
        )}
        {!session && playback.loading && (
          <p class="status" role="status">
            {t('lecture.opening')}
          </p>
        )}
        {session && (
          <Player
            session={session}
            title={lecture?.title ?? session.lectureTitle ?? t('lecture.fallbackTitle')}
            reopen={reopen}
            onPlaybackEvent={study.onPlaybackEvent}
          />
        )}
        {session && <StudyStatus study={study} onTakeOver={() => void reopen().catch(() => undefined)} />}
        {session && <LectureExtras session={session} />}

        <details class="shortcuts">
          <summary>{t('player.shortcuts')}</summary>
          <p>{t('player.shortcutList')}</p>
        </details>

        {lecture?.description && (
          <section class="lecture-about" aria-labelledby="lecture-about">
            <h2 id="lecture-about">{t('lecture.about')}</h2>
            <p class="description">{lecture.description}</p>
          </section>
        )}

        {course.data && lectures.length > 1 && (
          <nav class="lecture-nav" aria-label={t('lecture.otherLectures')}>
            {index > 0 && (
              <Link href={lectureHref(lectures[index - 1]!.id, course.data.id)} class="button lecture-nav__link">
                <span class="lecture-nav__label">{t('lecture.previous')}</span>
                <span>{lectures[index - 1]!.title}</span>
              </Link>
            )}
            {index >= 0 && index < lectures.length - 1 && (
              <Link href={lectureHref(lectures[index + 1]!.id, course.data.id)} class="button lecture-nav__link lecture-nav__next">
                <span class="lecture-nav__label">{t('lecture.next')}</span>
                <span>{lectures[index + 1]!.title}</span>
              </Link>
            )}
          </nav>
        )}
      </Page>
    </>
  );
}

/** Study time credited for this lecture, live from the heartbeat answers; or why this screen no longer counts. */
function StudyStatus({ study, onTakeOver }: { study: StudyCredit; onTakeOver(): void }) {
  const { t } = useT();
  const { duration } = useDuration();
  return (
    <>
      <div class={study.superseded ? 'alert alert--shown study-elsewhere' : 'alert'} role="alert">
        {study.superseded && (
          <>
            <p>{t('lecture.otherScreen')}</p>
            <button type="button" class="button" onClick={onTakeOver}>
              {t('lecture.countHere')}
            </button>
          </>
        )}
      </div>
      {study.creditedSec !== null && (
        <p class="study-credit">
          <span>{t('lecture.credited', { time: duration(study.creditedSec) })}</span>
          {study.completed && <span class="badge badge--done">{t('lecture.completed')}</span>}
        </p>
      )}
      {/* Said once, not at every heartbeat: the figure above changes every few seconds. */}
      <p class="visually-hidden" role="status">
        {study.completed ? t('lecture.completedAnnouncement') : ''}
      </p>
    </>
  );
}

function LectureExtras({ session }: { session: PlaybackSession }) {
  const { t } = useT();
  if (!session.downloadUrl) return null;
  return (
    <div class="lecture-extras">
      {session.downloadUrl && (
        <p>
          <a class="button" href={session.downloadUrl} download>
            <Icon name="download" />
            <span>{t('lecture.download')}</span>
          </a>
          <span class="hint">{t('lecture.downloadHint')}</span>
        </p>
      )}
    </div>
  );
}
