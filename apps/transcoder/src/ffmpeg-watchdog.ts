import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runFfmpeg } from '#media';

/**
 * A POSIX sh wrapper that runFfmpeg starts instead of ffmpeg, so ffmpeg cannot outlive this
 * worker. runFfmpeg runs it detached (its own process group, needed for timeouts), with stdin
 * closed, so a SIGKILLed worker would otherwise leave ffmpeg encoding on its own for hours.
 *
 * - With util-linux `setpriv` (always on Debian/Ubuntu): arm the parent-death signal SIGKILL and
 *   exec ffmpeg in place (same pid, same exit status). The kernel kills ffmpeg the moment the worker
 *   exits, however it exits. The `sh -c` step runs after arming and gives up if the worker already died.
 * - Without it (or with LECTERN_WATCHDOG_POLL=1): ffmpeg runs in the background and a watcher checks
 *   every second that the worker still lives, killing ffmpeg once it does not.
 */
export const FFMPEG_WATCHDOG_SCRIPT = `#!/bin/sh
# Lectern ffmpeg watchdog, written by the transcoder at start: see apps/transcoder/src/ffmpeg-watchdog.ts.
worker=$PPID
ffmpeg=\${LECTERN_FFMPEG:-ffmpeg}
if [ -z "\${LECTERN_WATCHDOG_POLL:-}" ] && command -v setpriv >/dev/null 2>&1; then
  exec setpriv --pdeathsig KILL -- /bin/sh -c '[ "$PPID" = "$1" ] || exit 137; shift; ffmpeg=$1; shift; exec "$ffmpeg" "$@"' \\
    ffmpeg-watchdog "$worker" "$ffmpeg" "$@"
fi
"$ffmpeg" "$@" &
child=$!
(
  while kill -0 "$worker" 2>/dev/null; do sleep 1; done
  kill -KILL "$child" 2>/dev/null
) </dev/null >/dev/null 2>&1 &
watcher=$!
wait "$child"
status=$?
kill "$watcher" 2>/dev/null
exit "$status"
`;

export const FFMPEG_WATCHDOG_NAME = 'ffmpeg-watchdog.sh';

/**
 * Writes the wrapper to `<workDir>/.bin` (atomically: other workers may share the folder) and
 * checks that it starts ffmpeg; returns its path, for runFfmpeg's `ffmpegPath`.
 */
export async function installFfmpegWatchdog(workDir: string): Promise<string> {
  const dir = join(workDir, '.bin');
  await mkdir(dir, { recursive: true });
  const path = join(dir, FFMPEG_WATCHDOG_NAME);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, FFMPEG_WATCHDOG_SCRIPT, { mode: 0o755 });
  await chmod(temporary, 0o755);
  await rename(temporary, path);
  try {
    await runFfmpeg(['-hide_banner', '-loglevel', 'error', '-version'], { timeoutMs: 15_000, ffmpegPath: path });
  } catch (error) {
    throw new Error(`ffmpeg does not start through ${path}: is ffmpeg installed and on PATH? (${(error as Error).message})`, {
      cause: error,
    });
  }
  return path;
}
