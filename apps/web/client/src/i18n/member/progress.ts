// The memberProgress namespace; `en` has exactly the shape of `zh`.
export const zh = {
  summary: '已学完 {{done}}/{{total}} 讲',
  continue: '继续学习：第 {{n}} 讲 {{time}}',
  continueFromStart: '继续学习：第 {{n}} 讲',
  continueTitle: '第 {{n}} 讲：{{title}}',
  finished: '这门课程已全部学完，您可以随时重新观看。',
  watchAgain: '从第 1 讲重新观看',
  lectureDone: '已学完',
  lecturePercent: '已学 {{percent}}%',
  lectureBar: '第 {{n}} 讲的学习进度',
  courseShare: '已学 {{percent}}%',
  courseDone: '已学完',
  courseBar: '这门课程的学习进度',
  /** Beside the lecture the main button continues with. */
  nextHere: '从这一讲继续',
};

export const en: typeof zh = {
  summary: '{{done}} of {{total}} lectures finished',
  continue: 'Continue: lecture {{n}} at {{time}}',
  continueFromStart: 'Continue: lecture {{n}}',
  continueTitle: 'Lecture {{n}}: {{title}}',
  finished: 'You have finished every lecture of this course. You can watch it again at any time.',
  watchAgain: 'Watch again from the start',
  lectureDone: 'Finished',
  lecturePercent: '{{percent}}% watched',
  lectureBar: 'Progress in lecture {{n}}',
  courseShare: '{{percent}}% watched',
  courseDone: 'Finished',
  courseBar: 'Progress in this course',
  nextHere: 'Continue with this lecture',
};
