import { useState } from 'preact/hooks';
import { getCourse, openPlayback } from '../api/catalog.js';
import type { CourseDetail, PlaybackSession } from '../api/types.js';
import { Alert } from '../components/alert.js';
import { Breadcrumb, type Crumb } from '../components/breadcrumb.js';
import { Page } from '../components/page.js';
import { useDuration } from '../format/use-format.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import { autoplayOnArrival, takeAutoplay } from '../player/autoplay.js';
import { Player } from '../player/player.js';
import { useHeartbeats, type StudyCredit } from '../player/use-heartbeats.js';
import { MaterialsList } from '../materials/materials-list.js';
import { Link } from '../router/link.js';
import { navigate } from '../router/router.js';
import { ReflectionPrompt } from '../voice/reflections/reflection-prompt.js';
import { lectureHref } from './course-page.js';
import { LectureDownloads } from './lecture-downloads.js';

/** The course named in the address (?course=); else the playback session says which course the lecture is in. */
function courseIdFromUrl(): string | null {
  return new URLSearchParams(location.search).get('course');
}

/**
 * One lecture: the player first (on a phone it sits at the top of the page with its controls on the first
 * screen), then where it belongs, its title, the study time credited, downloads and the description.
 */
export function LecturePage({ lectureId }: { lectureId: string }) {
  const { t } = useT();
  const playback = useResource(() => openPlayback(lectureId), [lectureId]);
  const courseId = courseIdFromUrl() ?? playback.data?.courseId ?? null;
  const course = useResource<CourseDetail | null>(() => (courseId ? getCourse(courseId) : Promise.resolve(null)), [courseId]);
  // Opened by the previous lecture's countdown: play at once (if the browser allows it without a tap).
  const [autoplay] = useState(() => takeAutoplay(lectureId));

  const lectures = [...(course.data?.lectures ?? [])].sort((a, b) => a.position - b.position);
  const index = lectures.findIndex((l) => l.id === lectureId);
  const lecture = index >= 0 ? lectures[index] : undefined;
  const previous = index > 0 ? lectures[index - 1] : undefined;
  const following = index >= 0 && index < lectures.length - 1 ? lectures[index + 1] : undefined;
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
  const takeOver = () => void reopen().catch(() => undefined);

  const next =
    course.data && following
      ? {
          title: following.title,
          go: () => {
            autoplayOnArrival(following.id);
            navigate(lectureHref(following.id, course.data!.id));
          },
        }
      : null;

  const session = playback.data;
  return (
    <div class="lecture">
      <div class="lecture__player">
        {session && (
          <Player
            session={session}
            title={lecture?.title ?? session.lectureTitle ?? t('lecture.fallbackTitle')}
            reopen={reopen}
            onPlaybackEvent={study.onPlaybackEvent}
            notice={study.superseded ? <OtherScreenNotice onTakeOver={takeOver} /> : null}
            next={next}
            autoplay={autoplay}
          />
        )}
        {!session && (
          <div class="lecture__placeholder">
            <Alert message={playback.error && t(playback.error)} />
            {playback.error && (
              <p class="actions">
                <button type="button" class="button button--primary" onClick={playback.reload}>
                  {t('common.retry')}
                </button>
              </p>
            )}
            {playback.loading && (
              <p class="status" role="status">
                {t('lecture.opening')}
              </p>
            )}
          </div>
        )}
      </div>

      <div class="lecture__crumbs">
        <Breadcrumb trail={trail} current={title} />
      </div>

      <div class="lecture__details">
        <Page title={title}>
          {lecture?.speaker && <p class="lecture-speaker">{t('course.speaker', { name: lecture.speaker })}</p>}
          {session && <StudyStatus study={study} />}
          {session && <LectureDownloads session={session} />}
          <MaterialsList lectureId={lectureId} />
          {session && study.completed && <ReflectionPrompt kind="lecture" id={lectureId} />}

          {lecture?.description && (
            <section class="lecture-about" aria-labelledby="lecture-about">
              <h2 id="lecture-about">{t('lecture.about')}</h2>
              <p class="description">{lecture.description}</p>
            </section>
          )}

          {course.data && lectures.length > 1 && (
            <nav class="lecture-nav" aria-label={t('lecture.otherLectures')}>
              {previous && (
                <Link href={lectureHref(previous.id, course.data.id)} class="button lecture-nav__link">
                  <span class="lecture-nav__label">{t('lecture.previous')}</span>
                  <span>{previous.title}</span>
                </Link>
              )}
              {following && (
                <Link href={lectureHref(following.id, course.data.id)} class="button lecture-nav__link lecture-nav__next">
                  <span class="lecture-nav__label">{t('lecture.next')}</span>
                  <span>{following.title}</span>
                </Link>
              )}
            </nav>
          )}

          <details class="shortcuts">
            <summary>{t('player.shortcuts')}</summary>
            <p>{t('player.shortcutList')}</p>
          </details>
        </Page>
      </div>
    </div>
  );
}

/** Over the picture: this screen no longer counts study time, and the way to make it count again. */
function OtherScreenNotice({ onTakeOver }: { onTakeOver(): void }) {
  const { t } = useT();
  return (
    <div class="study-elsewhere">
      <p>{t('lecture.otherScreen')}</p>
      <button type="button" class="button button--primary" onClick={onTakeOver}>
        {t('lecture.countHere')}
      </button>
    </div>
  );
}

/** Study time credited for this lecture, live from the heartbeat answers. */
function StudyStatus({ study }: { study: StudyCredit }) {
  const { t } = useT();
  const { duration } = useDuration();
  return (
    <>
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
