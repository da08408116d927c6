/**
 * The built apps as child processes (like e2e/support/stack.ts) and what /proc says about
 * them: resident memory, CPU time and their established TCP connections to the apiserver.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { testNatsEnv } from '@bosun/testing';

export const freePort = (): Promise<number> => new Promise((resolve, reject) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  });
  s.on('error', reject);
});

export class App {
  readonly logs: string[] = [];
  private exited = false;

  private constructor(readonly name: string, private readonly proc: ChildProcess) {
    const keep = (b: Buffer): void => {
      this.logs.push(...String(b).split('\n').filter(Boolean));
      this.logs.splice(0, Math.max(0, this.logs.length - 300));
    };
    proc.stdout!.on('data', keep);
    proc.stderr!.on('data', keep);
    proc.on('exit', () => { this.exited = true; });
  }

  static start(root: string, app: string, env: Record<string, string>): App {
    const main = join(root, `dist/apps/${app}/src/main.js`);
    if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
    // BENCH_CPU_PROF_DIR: each app writes a V8 CPU profile there when it stops (open in DevTools).
    const prof = process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`, `--cpu-prof-name=${app}.cpuprofile`] : [];
    return new App(app, spawn(process.execPath, [...prof, main], { env: { ...env, ...testNatsEnv(app) }, stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  get pid(): number {
    return this.proc.pid!;
  }

  get alive(): boolean {
    return !this.exited;
  }

  stop(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      this.proc.once('exit', () => resolve());
      this.proc.kill('SIGTERM');
      setTimeout(() => this.proc.kill('SIGKILL'), 10_000).unref();
    });
  }

  tail(n = 30): string {
    return this.logs.slice(-n).join('\n');
  }
}

/** VmRSS and VmHWM (peak RSS) in MiB. */
export function memoryMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** User + system CPU seconds the process has used. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/**
 * The process's ESTABLISHED TCP connections to `port` (what `ss -tnp state established
 * dport = :port` shows for its pid): socket inodes from /proc/pid/fd, matched in /proc/pid/net/tcp{,6}.
 * Returns their local ports, so connections can be followed across samples.
 */
export function connectionsTo(pid: number, port: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch { /* closed meanwhile */ }
  }
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const local: number[] = [];
  for (const table of ['tcp', 'tcp6']) {
    let text = '';
    try { text = readFileSync(`/proc/${pid}/net/${table}`, 'utf8'); } catch { continue; }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      const [, localAddr, remAddr, st, , , , , , inode] = f;
      if (st === '01' && remAddr.endsWith(`:${hexPort}`) && inodes.has(inode)) local.push(parseInt(localAddr.split(':')[1], 16));
    }
  }
  return local;
}

/** CPU seconds used by a set of named processes between `start()` and `stop()` (a missing pid counts 0). */
export class CpuMeter {
  constructor(private readonly pids: Record<string, number | undefined>) {}

  snapshot(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, pid] of Object.entries(this.pids)) {
      try { out[name] = pid === process.pid ? (process.cpuUsage().user + process.cpuUsage().system) / 1e6 : pid ? cpuSeconds(pid) : 0; } catch { out[name] = 0; }
    }
    return out;
  }

  static diff(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
    return Object.fromEntries(Object.keys(a).map((k) => [k, (b[k] ?? 0) - a[k]]));
  }
}

/** A pid from a pid file, if the file exists and the process is alive. */
export function pidFrom(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return pid && existsSync(`/proc/${pid}`) ? pid : undefined;
  } catch {
    return undefined;
  }
}
