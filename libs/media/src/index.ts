// Public API of #media: ffprobe/ffmpeg wrappers and the pure ladder, argument and playlist builders the transcoder uses.
export { PROBE_REJECTION_MESSAGES, ProbeError, type ProbeRejection, type ProbeRejectionCode } from './probe-error.js';
export {
  frameRateOf,
  parseFfprobeOutput,
  parseRatio,
  rotationOf,
  type AudioStreamProbe,
  type MediaProbe,
  type VideoStreamProbe,
} from './media-probe.js';
export { DEFAULT_PROBE_LIMITS, checkProbeLimits, formatDuration, type ProbeLimits } from './probe-limits.js';
export { buildProbeArguments, classifyFfprobeStderr, probeMedia, type ProbeOptions } from './probe.js';
export {
  ALLOWED_INPUT_FORMATS,
  INPUT_FORMAT_WHITELIST,
  OWN_HLS_FORMAT_WHITELIST,
  demuxerFor,
  uploadInputArguments,
} from './input-formats.js';
export {
  DOWNLOAD_MAX_SHORT_SIDE,
  ENCODER_SETTINGS,
  H264_BITS_PER_PIXEL,
  HIGH_FPS_MIN_SHORT_SIDE,
  HLS_SEGMENT_SEC,
  HLS_SETTINGS,
  KEYFRAME_INTERVAL_SEC,
  LOW_RUNG_MAX_FPS,
  MAX_FPS,
  MIN_RUNG_STEP_RATIO,
  STANDARD_DOWNLOAD_MIN_SHORT_SIDE,
  STANDARD_DOWNLOAD_SHORT_SIDE,
  STANDARD_RUNG_SHORT_SIDES,
  ladderFor,
  rungShortSides,
  standardDownloadRung,
  type AudioDownloadPlan,
  type DownloadFilePlan,
  type DownloadQuality,
  type AudioRendition,
  type AudioTranscodePlan,
  type EncoderSettings,
  type FramePosterPlan,
  type HlsSettings,
  type SourceFacts,
  type ThumbnailPlan,
  type TranscodePlan,
  type VideoDownloadPlan,
  type VideoRung,
  type VideoTranscodePlan,
  type WaveformPosterPlan,
} from './ladder.js';
export { FFMPEG_GLOBAL_ARGUMENTS, audioEncoderArguments, rungFilterChain, videoEncoderArguments } from './encoder-arguments.js';
export { buildBaselinePerRungArguments, buildHlsArguments, ladderFilterGraph, varStreamMap, type HlsTarget } from './hls-arguments.js';
export { buildDownloadArguments, buildDownloadFileArguments } from './download-arguments.js';
export { buildPosterArguments, buildThumbnailArguments } from './poster-arguments.js';
export { estimateProgress, parseProgressBlocks, type FfmpegProgressBlock, type ProgressEstimate } from './progress.js';
export {
  FfmpegRunError,
  killFfmpegOnProcessExit,
  killLiveFfmpegProcesses,
  runFfmpeg,
  type FfmpegFailureReason,
  type RunFfmpegOptions,
  type RunFfmpegResult,
} from './run-ffmpeg.js';
export {
  PlaylistParseError,
  parseAttributeList,
  parseMasterPlaylist,
  parseMediaPlaylist,
  type HlsMasterPlaylist,
  type HlsMediaPlaylist,
  type HlsRendition,
  type HlsResolution,
  type HlsSegment,
  type HlsVariant,
} from './master-playlist.js';
export {
  AAC_LC_CODEC,
  averageSegmentBitrate,
  buildMasterPlaylist,
  peakSegmentBitrate,
  type MasterPlaylistFacts,
  type RenditionBitrate,
  type SegmentSize,
} from './master-playlist-builder.js';
export { finalizeMasterPlaylist, type FinalizedMasterPlaylist } from './finalize-master-playlist.js';
export {
  DEFAULT_PDF_LIMITS,
  DEFAULT_ZIP_LIMITS,
  MATERIAL_TYPES,
  MATERIAL_TYPE_BY_KIND,
  checkMaterialSize,
  detectTextEncoding,
  inflateWithLimit,
  inspectPdf,
  inspectZip,
  materialTypeFor,
  sniffFormat,
  sniffMaterial,
  type InflateResult,
  type MaterialKind,
  type MaterialRefusal,
  type MaterialRefusalCode,
  type MaterialType,
  type PdfInspection,
  type PdfLimits,
  type SniffResult,
  type SniffedFormat,
  type ZipEntry,
  type ZipInspection,
  type ZipLimits,
} from './documents.js';
