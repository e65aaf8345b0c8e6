// Publishes a demo course on a fresh installation the way an editor would: generate two short
// lectures with ffmpeg, upload them over tus, wait for transcoding, publish. Runs once.
// Node built-ins only at the top: npm start loads this file before set-up has installed the packages.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { api } from './demo-api.mjs';
import { ROOT } from './setup-steps.mjs';

const DONE_MARKER = join(ROOT, 'var', 'demo-course.done');
export const DEMO_COURSE_TITLE = '基层党员学习示范课';

const LECTURES = [
  {
    title: '第一讲：新时代基层工作方法',
    speaker: '李明 教授',
    description: '结合基层实际，介绍联系群众、调查研究的基本方法。',
    kind: 'video',
    tone: 440,
  },
  {
    title: '第二讲：现代农业科技入门（音频）',
    speaker: '王农艺师',
    description: '大棚蔬菜种植与节水灌溉技术，适合在田间收听。',
    kind: 'audio',
    tone: 330,
  },
];

function makeMedia(dir, lecture, index) {
  const file = join(dir, `demo-${index}.${lecture.kind === 'video' ? 'mp4' : 'mp3'}`);
  if (existsSync(file)) return file;
  const audio = ['-f', 'lavfi', '-i', `sine=frequency=${lecture.tone}:duration=90`];
  const args =
    lecture.kind === 'video'
      ? [
          '-f',
          'lavfi',
          '-i',
          'testsrc2=size=1280x720:rate=25:duration=90',
          ...audio,
          '-c:v',
          'libx264',
          '-preset',
          'veryfast',
          '-pix_fmt',
          'yuv420p',
          '-c:a',
          'aac',
          '-shortest',
        ]
      : [...audio, '-c:a', 'libmp3lame', '-b:a', '64k'];
  execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', ...args, file]);
  return file;
}

async function upload(base, token, file, name) {
  const tus = await import('tus-js-client');
  return new Promise((resolve, reject) => {
    const task = new tus.Upload(readFileSync(file), {
      endpoint: `${base}/files/`,
      headers: { Authorization: `Bearer ${token}` },
      metadata: { filename: name, filetype: name.endsWith('.mp3') ? 'audio/mpeg' : 'video/mp4' },
      chunkSize: 4 * 1024 * 1024,
      retryDelays: [0, 1000, 3000, 5000],
      onSuccess: () => resolve(task.url.split('/').pop()),
      onError: reject,
    });
    task.start();
  });
}

/**
 * Publishes the demo course unless it was done before. Answers 'published' when the demo course is published
 * (now or by an earlier start) and 'skipped' when the installation already has courses of its own.
 * With `required` (smoke mode) it never skips: an earlier start's demo course, finished or not, is completed
 * and published, and a missing one is made, so the answer is 'published' or an error.
 */
export async function publishDemoCourse(base, password, log = console.log, { required = false } = {}) {
  if (existsSync(DONE_MARKER) && !required) return 'published';
  const { accessToken: token } = await api(base, '/api/auth/login', null, { login: 'editor', password });
  const existing = await api(base, '/api/studio/courses', token);
  let course = existing.find((c) => c.title === DEMO_COURSE_TITLE);
  if (!course && existing.length > 0 && !required) {
    writeFileSync(DONE_MARKER, 'skipped: courses exist\n');
    return 'skipped';
  }
  if (course?.status === 'published') {
    writeFileSync(DONE_MARKER, `${course.id}\n`);
    log(`Demo course "${course.title}" is already published.`);
    return 'published';
  }
  if (!course) {
    const categories = await api(base, '/api/course-categories', token);
    course = await api(base, '/api/courses', token, {
      title: DEMO_COURSE_TITLE,
      description: '演示课程：两讲，一讲视频、一讲音频，可在线观看、收听或下载离线学习。',
      categoryId: categories[0].id,
      compulsory: true,
    });
  }
  // Lectures an earlier, interrupted start did not add yet.
  const dir = join(ROOT, 'var', 'demo');
  mkdirSync(dir, { recursive: true });
  for (const [index, lecture] of LECTURES.entries()) {
    if (course.lectures.some((l) => l.title === lecture.title)) continue;
    const file = makeMedia(dir, lecture, index);
    const uploadId = await upload(base, token, file, `${lecture.title}.${lecture.kind === 'video' ? 'mp4' : 'mp3'}`);
    const asset = await api(base, `/api/uploads/${uploadId}/asset`, token);
    await api(base, `/api/courses/${course.id}/lectures`, token, {
      title: lecture.title,
      speaker: lecture.speaker,
      description: lecture.description,
      assetId: asset.id,
    });
  }
  log('Demo course uploaded; it is published as soon as both lectures are transcoded.');
  for (let i = 0; i < 600; i++) {
    const view = await api(base, `/api/studio/courses/${course.id}`, token);
    const states = view.lectures.map((l) => l.media?.status);
    if (states.every((s) => s === 'ready')) {
      await api(base, `/api/courses/${course.id}/publish`, token, {});
      writeFileSync(DONE_MARKER, `${course.id}\n`);
      log(`Demo course "${view.title}" is published: log in as member / ${password} to watch it.`);
      return 'published';
    }
    const failed = view.lectures.find((l) => l.media?.status === 'failed');
    if (failed)
      throw new Error(`the demo lecture "${failed.title}" failed to transcode: ${failed.media.failureReason ?? failed.media.failureCode}`);
    await new Promise((r) => setTimeout(r, 2000));
  }
  throw new Error('the demo lectures did not finish transcoding in 20 minutes');
}
