import { execFile } from 'node:child_process';
import { isAbsolute } from 'node:path';
import { INPUT_FORMAT_WHITELIST } from './input-formats.js';
import { parseFfprobeOutput, type MediaProbe } from './media-probe.js';
import { DEFAULT_PROBE_LIMITS, checkProbeLimits, type ProbeLimits } from './probe-limits.js';
import { PROBE_REJECTION_MESSAGES, ProbeError } from './probe-error.js';

export interface ProbeOptions {
  /** ffprobe is killed after this long; a hostile file must not pin a worker. Default 30 s. */
  timeoutMs?: number;
  ffprobePath?: string;
}

const DEFAULT_PROBE_TIMEOUT_MS = 30_000;
// 16 streams of JSON are a few KB; anything near this is a hostile file, not a lecture.
const MAX_FFPROBE_OUTPUT_BYTES = 1024 * 1024;

/** The exact ffprobe command line: whitelists come before the input so they govern opening it. */
export function buildProbeArguments(path: string): string[] {
  return [
    '-v',
    'error',
    '-protocol_whitelist',
    'file',
    '-format_whitelist',
    INPUT_FORMAT_WHITELIST,
    '-show_format',
    '-show_streams',
    '-of',
    'json',
    path,
  ];
}

/**
 * Reads an upload with ffprobe and checks it against limits. Throws ProbeError for anything the
 * editor caused (bad format, corrupt file, over limits); throws a plain Error when ffprobe itself
 * is missing, so a job queue can tell "retry later" from "tell the editor".
 */
export async function probeMedia(
  path: string,
  limits: ProbeLimits = DEFAULT_PROBE_LIMITS,
  options: ProbeOptions = {},
): Promise<MediaProbe> {
  if (!isAbsolute(path)) throw new Error(`probeMedia needs an absolute path, got "${path}"`);
  const stdout = await runFfprobe(path, options);
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch (cause) {
    throw new ProbeError('unreadable', PROBE_REJECTION_MESSAGES.unreadable, { cause });
  }
  const probe = parseFfprobeOutput(json);
  const rejection = checkProbeLimits(probe, limits);
  if (rejection) throw ProbeError.from(rejection);
  return probe;
}

function runFfprobe(path: string, options: ProbeOptions): Promise<string> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    execFile(
      options.ffprobePath ?? 'ffprobe',
      buildProbeArguments(path),
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: MAX_FFPROBE_OUTPUT_BYTES, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        reject(probeFailure(error, stderr));
      },
    );
  });
}

type ExecFailure = Error & { code?: unknown; killed?: boolean; signal?: NodeJS.Signals | null };

function probeFailure(error: ExecFailure, stderr: string): Error {
  if (error.code === 'ENOENT') return new Error('ffprobe is not installed or not on PATH', { cause: error });
  if (error.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
    return new ProbeError('unreadable', PROBE_REJECTION_MESSAGES.unreadable, { cause: error });
  }
  if (error.killed || error.signal === 'SIGKILL') {
    return new ProbeError('unreadable', 'Reading this file took too long. It may be damaged — please export it again and re-upload it.', {
      cause: error,
    });
  }
  const code = classifyFfprobeStderr(stderr);
  return new ProbeError(code, PROBE_REJECTION_MESSAGES[code], { cause: new Error(stderr.trim().slice(-2000)) });
}

/** ffprobe names the whitelist when it refuses a demuxer or protocol; everything else is a damaged file. */
export function classifyFfprobeStderr(stderr: string): 'format_not_allowed' | 'unreadable' {
  return /Format not on whitelist|Protocol '[^']*' not on whitelist/.test(stderr) ? 'format_not_allowed' : 'unreadable';
}
