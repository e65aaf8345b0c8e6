// node scripts/bench-heartbeat-cpu.mjs (after `npm run build:server`) — runs bench-heartbeats.mjs and
// counts the CPU seconds its catalog process and the PostgreSQL backends of its database spend, from
// /proc, so the heartbeat rate can be given per core: the load generator, the bare server and other
// work on the machine do not count against the catalog. Linux only.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clearInterval, setInterval } from 'node:timers';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TICKS_PER_SECOND = 100; // USER_HZ on Linux
const DATABASE = 'lectern_bench_heartbeats';

/** utime + stime of a process in seconds, or null once it is gone. */
function cpuOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

const cmdline = (pid) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
};
const parentOf = (pid) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return -1;
  }
};
const pids = () => readdirSync('/proc').filter((name) => /^\d+$/.test(name));

const bench = spawn(process.execPath, [join(root, 'scripts/bench-heartbeats.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
/** Last CPU seen per process; `start` is what each had when the measured load began. */
const last = { catalog: new Map(), postgres: new Map() };
const start = { catalog: new Map(), postgres: new Map() };
let measuring = false;
let loadStart = loadavg();

function sample() {
  for (const pid of pids()) {
    const line = cmdline(pid);
    const kind =
      line.includes('dist/apps/catalog/src/main.js') && parentOf(pid) === bench.pid
        ? 'catalog'
        : line.startsWith('postgres: ') && line.includes(DATABASE)
          ? 'postgres'
          : null;
    if (!kind) continue;
    const cpu = cpuOf(pid);
    if (cpu === null) continue;
    last[kind].set(pid, cpu);
    // A backend first seen after the load began started during it, from nothing.
    if (!start[kind].has(pid)) start[kind].set(pid, measuring && kind === 'postgres' ? 0 : cpu);
  }
}
const spent = (kind) => [...last[kind]].reduce((sum, [pid, cpu]) => sum + cpu - (start[kind].get(pid) ?? cpu), 0);

const timer = setInterval(sample, 200);
let output = '';
bench.stdout.on('data', (chunk) => {
  const text = chunk.toString();
  process.stdout.write(text);
  output += text;
  if (!measuring && output.includes('Loading each')) {
    // The catalog has started and is idle: what it spent starting up is not heartbeat work.
    start.catalog.clear();
    start.postgres.clear();
    sample();
    measuring = true;
    loadStart = loadavg();
  }
});
const code = await new Promise((resolve) => bench.on('exit', resolve));
clearInterval(timer);
const accepted = Number(/credited totals:\s+(\d+) accepted/.exec(output)?.[1] ?? NaN);
const catalogCpu = spent('catalog');
const postgresCpu = spent('postgres');
console.log(`
heartbeat CPU, ${cpus().length} × ${cpus()[0].model}; load average ${loadStart.map((l) => l.toFixed(2)).join(' ')} at the start of the load, ${loadavg()
  .map((l) => l.toFixed(2))
  .join(' ')} at the end
heartbeats accepted:   ${accepted} (warm-up and the measured rounds)
catalog process:       ${catalogCpu.toFixed(1)} CPU s → ${(accepted / catalogCpu).toFixed(0)} heartbeats per catalog CPU second (${((catalogCpu / accepted) * 1e6).toFixed(0)} µs each)
PostgreSQL backends:   ${postgresCpu.toFixed(1)} CPU s → ${(accepted / postgresCpu).toFixed(0)} heartbeats per PostgreSQL CPU second (${((postgresCpu / accepted) * 1e6).toFixed(0)} µs each)
(the bench exited ${code})`);
