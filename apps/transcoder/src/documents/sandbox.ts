import { spawn } from 'node:child_process';

/** What this machine offers to fence LibreOffice in, found once when the worker starts. */
export interface Sandbox {
  /** `unshare --net --pid --fork --kill-child --map-root-user` works (user namespaces allowed). */
  isolateNetwork: boolean;
  /** `setpriv --pdeathsig` exists: the run dies with the worker. */
  killWithParent: boolean;
  /** `prlimit` exists: memory and file-size limits. */
  limits: boolean;
  /** Why network isolation is unavailable, for the operator's log. */
  isolationProblem: string | null;
}

/** Runs a short command; resolves with its exit code and output (null code when it could not start). */
function tryRun(command: string, args: string[], timeoutMs = 10_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-2000)));
    child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-2000)));
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, output: error.message });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output: output.trim() });
    });
  });
}

/** Tries each wrapper for real: a kernel or container may forbid user namespaces even where unshare is installed. */
export async function probeSandbox(): Promise<Sandbox> {
  const [unshare, setpriv, prlimit] = await Promise.all([
    tryRun('unshare', ['--net', '--pid', '--fork', '--kill-child', '--map-root-user', '--', 'true']),
    tryRun('setpriv', ['--pdeathsig', 'KILL', '--', 'true']),
    tryRun('prlimit', ['--as=1073741824', '--', 'true']),
  ]);
  return {
    isolateNetwork: unshare.code === 0,
    killWithParent: setpriv.code === 0,
    limits: prlimit.code === 0,
    isolationProblem: unshare.code === 0 ? null : unshare.output || `unshare exited with ${unshare.code}`,
  };
}

/** Whether LibreOffice's program is on PATH (or at the configured path). */
export async function hasSoffice(sofficePath: string): Promise<boolean> {
  const found = await tryRun('sh', ['-c', 'command -v "$1"', 'sh', sofficePath]);
  return found.code === 0;
}
