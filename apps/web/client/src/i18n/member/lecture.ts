// The memberLecture namespace; `en` (in lecture.en.ts) has exactly the shape of `zh`.
export const zh = {
  /** Shown over the picture when a lecture has ended, counting down each second. */
  nextIn: '下一讲将在 {{seconds}} 秒后开始',
  /** Said once by screen readers when the countdown starts. */
  nextAnnouncement: '这一讲播放完了。下一讲“{{title}}”将在 {{seconds}} 秒后自动开始；按 Esc 键或“取消”留在这一讲。',
  playNow: '现在就播放',
  cancelNext: '取消',
  nextCancelled: '已取消。想看下一讲时，请点页面下方的“下一讲”。',
  /** Over the player of a lecture that has sound only (and no picture of its own). */
  audioLecture: '这一讲只有声音，请打开声音收听',
  errorUnsupported: '这个浏览器放不了课程视频。在微信里请点右上角“···”，选“在浏览器打开”；或者把浏览器更新到新版本。',
};
