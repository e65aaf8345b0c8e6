// The listening namespace: audio with the screen off, the lock-screen controls and the still-listening check-in.
// `en` (in listening.en.ts) has exactly the shape of `zh`.
export const zh = {
  title: '收听',
  prompt: {
    /** The heading of the large prompt over the lecture page. */
    title: '您还在听吗？',
    /** While there is still time; {{time}} is a time of day ("14:05"). */
    pending: '请在 {{time}} 前点下面的大按钮，收听的时间才会继续计入学时。',
    /** Past the time given: said calmly, with what to do. */
    missed: '从 {{time}} 起的收听未计入学时，确认后继续计时。',
    answer: '我在听',
    answering: '正在确认…',
    failed: '没能确认，请检查网络后再点一次“我在听”。',
  },
  /** Said by screen readers once the answer arrived. */
  answered: '已确认，收听继续计入学时。',
  /** On the phone's lock screen, in place of the lecture's title, while a check-in waits. */
  lockScreen: '还在听吗？请打开页面确认',
  /** The admin's member report: the panel of check-ins. */
  report: {
    title: '收听确认记录',
    intro: '关掉屏幕或只听声音时，系统会不时问“您还在听吗？”。没有按时确认的那段收听不计入学时。',
    empty: '这位学员还没有收听确认记录。',
    summary: '共问过 {{total}} 次，其中 {{missed}} 次没有按时确认；未计入学时共 {{time}}。',
    col: {
      askedAt: '提问时间',
      lecture: '讲座',
      outcome: '结果',
      answeredAt: '确认时间',
      uncredited: '未计入学时',
    },
    outcome: {
      answered: '按时确认',
      late: '过时确认',
      missed: '未确认',
      pending: '等待确认',
    },
    notAnswered: '—',
  },
};
