// What the benchmarks share: a fresh database, the built services started as child processes, free
// ports, the CPU time processes used, and the machine the figures came from. Node built-ins and pg only.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './setup-steps.mjs';

export { freePort } from './edge.mjs';

/** Runs a Node script to its end; rejects when it exits with a failure. */
export function runNode(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: 'inherit' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited ${code}`))));
  });
}

/** Drops and recreates `databaseUrl` from the compiled migrations, then adds the demo organisation and staff. */
export async function freshDemoDatabase(databaseUrl) {
  const cli = join(ROOT, 'dist/apps/catalog/src/cli.js');
  await runNode([cli, 'prepare-database', '--fresh'], { DATABASE_URL: databaseUrl });
  await runNode([cli, 'seed-demo'], { DATABASE_URL: databaseUrl });
}

/**
 * Starts a built service (`entry` relative to the repository) and resolves once `healthUrl` answers:
 * with any status when `anyStatus` (the gateway's /health is 503 without the upload service), else 2xx.
 */
export async function startService(entry, env, healthUrl, { anyStatus = false } = {}) {
  const child = spawn(process.execPath, [join(ROOT, entry)], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  for (let i = 0; i < 150; i++) {
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r(undefined), 200))]);
    if (code !== undefined) throw new Error(`${entry} exited ${code} while starting`);
    try {
      const answer = await fetch(healthUrl);
      if (anyStatus || answer.ok) return child;
    } catch {
      // not listening yet
    }
  }
  child.kill('SIGKILL');
  throw new Error(`${entry} did not start`);
}

/** Stops a child process and waits for it to be gone. */
export async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await gone;
  clearTimeout(timer);
}

const TICKS_PER_SECOND = 100; // USER_HZ, the unit of /proc/<pid>/stat's times on Linux

/** Fields of /proc/<pid>/stat after the command name, which may itself hold spaces and parentheses. */
function statFields(pid) {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** The pids whose parent is `pid` (nginx's workers under its master), read from /proc. */
export function childPids(pid) {
  const children = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (Number(statFields(name)[1]) === pid) children.push(Number(name));
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}

/** CPU seconds (user + system, every thread) each of `pids` has used so far, by pid; a pid that is gone counts 0. */
export function cpuSeconds(pids) {
  const used = new Map();
  for (const pid of pids) {
    try {
      const fields = statFields(pid);
      // utime and stime are the 14th and 15th fields of the line; here, after pid and (comm), at 11 and 12.
      used.set(pid, (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND);
    } catch {
      used.set(pid, 0);
    }
  }
  return used;
}

/** The machine the figures come from, for the printout: cores, CPU model, memory, load, Node. */
export function machine() {
  const model = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? 'unknown CPU';
  const load = loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  return `${cpus().length} × ${model}, ${Math.round(totalmem() / 2 ** 30)} GiB, load average ${load}, Node ${process.version}`;
}

/**
 * Waits until `pids` together use less than `share` of a core over `windowMs` (or `maxMs` passed), so work
 * left over from one measured load (answers to requests the client already gave up on, garbage collection)
 * is not billed to the next.
 */
export async function settle(pids, { share = 0.05, windowMs = 1000, maxMs = 30_000 } = {}) {
  const total = () => [...cpuSeconds(pids).values()].reduce((a, b) => a + b, 0);
  const until = Date.now() + maxMs;
  let before = total();
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, windowMs));
    const now = total();
    if (now - before < (share * windowMs) / 1000) return;
    before = now;
  }
}
