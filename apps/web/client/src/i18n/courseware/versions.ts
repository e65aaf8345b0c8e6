// The versions namespace: the earlier versions kept of a lecture's captions and chapters, viewed and restored in
// the studio's editors. `en` (in versions.en.ts) has exactly the shape of `zh`.
export const zh = {
  heading: '历史版本',
  intro: '之前保存的每个版本都保留在这里。可以查看，也可以恢复为现在的版本；恢复后，现在的版本同样会保留。',
  loading: '正在加载历史版本…',
  none: '还没有历史版本。',
  savedBy: '{{time}}，{{name}} 保存',
  view: '查看',
  hide: '收起',
  forVersion: '：{{time}} 的版本',
  viewing: '{{time}} 的版本（只读）',
  restore: '恢复此版本',
  restoring: '正在恢复…',
  restoreConfirm: '要把 {{time}} 由 {{name}} 保存的版本恢复为现在的版本吗？现在的版本会保留在历史版本中；编辑区里没有保存的修改会被替换。',
  restored: '已恢复 {{time}} 的版本，编辑区现在显示的就是它。被替换的版本已保留。',
  conflict: '在您打开这个页面之后，别人又保存了新的版本。请刷新页面，看过现在的内容后再恢复。',
  captionSize_one: '{{count}} 条字幕，{{size}} KB',
  captionSize_other: '{{count}} 条字幕，{{size}} KB',
  languageOff: '当时停用了这种语言的字幕',
  chapterCount_one: '{{count}} 个章节',
  chapterCount_other: '{{count}} 个章节',
  noChapters: '没有章节',
};
