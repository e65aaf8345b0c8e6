// The queue board panel of the organisation settings; `en` (in queue-board.en.ts) has exactly the shape of `zh`.
export const zh = {
  heading: '后台任务队列',
  text: '视频转码等后台任务：排队、进行中、失败与重试。仅委员会管理员可以打开。',
  open: '打开任务队列面板',
  opening: '正在打开…',
};
