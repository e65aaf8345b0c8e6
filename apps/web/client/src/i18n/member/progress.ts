// The memberProgress namespace; `en` (in progress.en.ts) has exactly the shape of `zh`.
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
  /** A plan's required learning reflections on My study. */
  reflections: {
    title: '心得体会',
    count: '已认可 {{accepted}} 篇，共需 {{required}} 篇',
    met: '心得体会已够数。',
    missing: '还需要 {{missing}} 篇心得体会被认可（评为“已阅”或“优秀”）。写好后交给支部审阅。',
    write: '为这个计划写一篇心得体会',
    closed: '计划结束时已认可 {{accepted}} 篇，共需 {{required}} 篇',
  },
};
