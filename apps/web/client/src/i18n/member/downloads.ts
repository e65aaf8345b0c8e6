// The memberDownloads namespace; `en` (in downloads.en.ts) has exactly the shape of `zh`.
export const zh = {
  title: '下载到本机，离线观看',
  /** Under the title of a video lecture. */
  hintVideo: '下载好的文件不用网络，用手机自带的视频播放器就能看。文件较大，最好连上无线网（Wi-Fi）再下载。',
  /** Under the title of an audio lecture. */
  hintAudio: '下载好的文件不用网络，用手机自带的播放器就能听。',
  /** `{{resolution}}`: "360p", or empty when the size is not known. */
  standard: '标准清晰度 {{resolution}}',
  high: '高清 {{resolution}}',
  audio: '仅声音',
  /** A choice with its file size: "高清 720p · 330 MB". */
  withSize: '{{label}} · {{size}}',
  recommended: '推荐用手机流量时下载',
  audioNote: '只听讲课，文件最小',
};
