// The preview namespace. Previewing a lecture while it is still being encoded, and publishing it early.
// `en` (in preview.en.ts) has exactly the shape of `zh`.
export const zh = {
  title: '预览',
  heading: '预览：{{title}}',
  back: '返回课程',
  // The studio's line for media that is still being encoded.
  previewableNow: '可以预览',
  encodedPercent: '已编码 {{percent}}%',
  minutesLeft: '约还需 {{minutes}} 分钟',
  underAMinute: '不到 1 分钟即可完成',
  progressLabel: '编码进度',
  previewButton: '预览',
  previewLabel: '预览“{{title}}”（已编码的部分）',
  // What members see of a lecture still being encoded.
  membersWait: '学员要等编码全部完成后才能看到这一讲。',
  membersSeeSoFar: '已发布：学员现在就能观看已编码的部分，视频会随编码进度不断变长。',
  membersWillSeeSoFar: '课程发布后，学员就能观看已编码的部分，视频会随编码进度不断变长。',
  // The course setting.
  earlyPublish: '允许在编码过程中发布',
  earlyPublishHint: '勾选后，讲座一可以预览，学员就能观看已编码的部分；不勾选则等编码全部完成。',
  earlyPublishOn: '允许（学员可观看已编码的部分）',
  earlyPublishOff: '不允许（等编码全部完成）',
  // The preview page.
  opening: '正在打开预览…',
  encodedUpTo: '已编码到 {{time}}',
  stillEncoding: '仍在编码，视频会随编码进度不断变长，可以一直播放下去。',
  waitingForMore: '已播放到编码完成的位置，正在等待后面的部分…',
  complete: '编码已完成，整讲都可以播放。',
  notYet: '这一讲还不能预览：第一段视频编码完成后即可预览，请稍候。',
  failed: '这一讲的视频处理失败，无法预览。请在课程页重新上传。',
  playerLabel: '预览播放器：{{title}}',
  errorNetwork: '网络中断，预览无法继续加载。请检查网络后重试。',
  errorMedia: '这段视频无法在此浏览器中播放。',
  retry: '重试',
};

// For checks that read both languages from this one module; the app itself takes `en` from preview.en.ts.
export { en } from './preview.en.js';
