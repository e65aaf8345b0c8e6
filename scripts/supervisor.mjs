// Runs the Lectern processes side by side with readable, prefixed log lines; restarts one that dies.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const COLORS = { catalog: 32, upload: 35, transcoder: 33, web: 36 };
const LEVELS = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const QUIET_KEYS = new Set(['level', 'time', 'pid', 'hostname', 'process', 'msg', 'context']);

/** Turns a pino JSON line into one short human line; other lines pass through. */
export function formatLine(line) {
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof entry !== 'object' || entry === null || !('msg' in entry)) return line;
  const extra = Object.entries(entry)
    .filter(([key]) => !QUIET_KEYS.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'object' ? JSON.stringify(value) : value}`)
    .join(' ');
  const level = LEVELS[entry.level] ?? entry.level;
  return `${level.padEnd(5)} ${entry.context ? `[${entry.context}] ` : ''}${entry.msg}${extra ? `  ${extra}` : ''}`;
}

/**
 * `onAllStopped` runs once every process has exited after a stop; `onCrash(name, reason)` runs whenever one
 * exits on its own (it is restarted unless it crashed too often).
 */
export function supervise(processes, { onAllStopped, onCrash } = {}) {
  const width = Math.max(...processes.map((p) => p.name.length));
  const running = new Map();
  let stopping = false;

  const print = (name, line) => {
    const color = COLORS[name] ?? 37;
    process.stdout.write(`\x1b[${color}m${name.padEnd(width)} │\x1b[0m ${formatLine(line)}\n`);
  };

  const launch = (spec, restarts = []) => {
    const child = spawn(process.execPath, spec.args, { env: spec.env, stdio: ['ignore', 'pipe', 'pipe'] });
    running.set(spec.name, child);
    for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream }).on('line', (line) => print(spec.name, line));
    child.on('exit', (code, signal) => {
      running.delete(spec.name);
      if (stopping) {
        if (running.size === 0) onAllStopped?.();
        return;
      }
      onCrash?.(spec.name, signal ?? `exit ${code}`);
      if (stopping) return;
      const recent = [...restarts, Date.now()].filter((t) => Date.now() - t < 60_000);
      if (recent.length > 5) {
        print(
          spec.name,
          `stopped (${signal ?? `exit ${code}`}) and restarted too often; giving up on it. Fix the error above and run npm start again.`,
        );
        return;
      }
      print(spec.name, `stopped (${signal ?? `exit ${code}`}); restarting in 2 s`);
      setTimeout(() => !stopping && launch(spec, recent), 2000);
    });
  };

  for (const spec of processes) launch(spec);

  const stopAll = () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nStopping Lectern…\n');
    for (const child of running.values()) child.kill('SIGTERM');
    if (running.size === 0) onAllStopped?.();
    setTimeout(() => {
      for (const child of running.values()) child.kill('SIGKILL');
    }, 15_000).unref();
  };
  process.on('SIGINT', stopAll);
  process.on('SIGTERM', stopAll);
  return { stopAll };
}
