// scripts/supervise.sh, the supervisor `npm run up` runs each app under, driven for real: a
// bash process supervising a small node program that writes its pid to a file, killed and
// restarted, then stopped. No services needed; about five seconds, nearly all of it back-off.
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const script = join(__dirname, '../../scripts/supervise.sh');

/** The child: says where it is (the pid file comes from the environment, which the supervisor passes on). */
const program = (then: string): string => `
  require('node:fs').appendFileSync(process.env.DEMO_PID_FILE, process.pid + '\\n');
  console.log('started ' + process.pid);
  console.error('on stderr from ' + process.pid);
  ${then}`;
const staysUp = program('setInterval(() => {}, 1000);');
const exits3 = program('process.exitCode = 3;');

interface Supervised {
  proc: ChildProcess;
  out: () => string;
  err: () => string;
  pids: () => number[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  closed: Promise<void>;
}

let dir: string;
let running: Supervised | undefined;

function supervise(child: string): Supervised {
  const pidFile = join(dir, 'pids');
  const proc = spawn('bash', [script, 'demo', '--', process.execPath, '-e', child], {
    env: { ...process.env, DEMO_PID_FILE: pidFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  proc.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  const pids = (): number[] => {
    try {
      return readFileSync(pidFile, 'utf8').split('\n').filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })));
  // 'close': every holder of the supervisor's stdout and stderr is gone (its sed and sleep too).
  const closed = new Promise<void>((resolve) => proc.on('close', () => resolve()));
  running = { proc, out: () => out, err: () => err, pids, exited, closed };
  return running;
}

/** Alive: /proc has it and it is not a zombie waiting for its parent. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function until<T>(what: string, s: Supervised, probe: () => T | undefined | false, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`no ${what} within ${ms} ms\nstdout:\n${s.out()}\nstderr:\n${s.err()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
const started = (s: Supervised, n: number): Promise<number> => until(`child #${n}`, s, () => {
  const pid = s.pids()[n - 1];
  return pid !== undefined && s.out().includes(`[demo] started ${pid}\n`) && pid;
});
const said = (s: Supervised, line: string): Promise<true> => until(`"${line}"`, s, () => s.out().includes(line));
const within = <T>(what: string, p: Promise<T>, ms = 10_000): Promise<T> =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} not within ${ms} ms`)), ms).unref())]);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bosun-supervise-'));
});
afterEach(() => {
  // Only after a failure is anything left: take it down so it outlives no test.
  for (const pid of running?.pids() ?? []) if (alive(pid)) process.kill(pid, 'SIGKILL');
  if (running && running.proc.exitCode === null && running.proc.signalCode === null) running.proc.kill('SIGKILL');
  running = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('scripts/supervise.sh', () => {
  it('restarts a killed child with a doubling back-off, prefixes its lines and stops it on SIGTERM', async () => {
    const s = supervise(staysUp);
    const first = await started(s, 1);
    expect(s.out()).toMatch(new RegExp(`^\\[demo\\] started ${first}$`, 'm'));
    await until('the prefixed stderr line', s, () => s.err().includes(`[demo] on stderr from ${first}\n`));

    process.kill(first, 'SIGKILL');
    await said(s, 'demo exited with status 137; restarting in 1s');
    const second = await started(s, 2);
    expect(second).not.toBe(first);

    process.kill(second, 'SIGKILL');
    await said(s, 'demo exited with status 137; restarting in 2s');
    const third = await started(s, 3);
    expect(new Set([first, second, third]).size).toBe(3);
    expect(alive(third)).toBe(true);

    s.proc.kill('SIGTERM');
    expect(await within('the supervisor exiting', s.exited)).toEqual({ code: 0, signal: null });
    expect(s.pids().filter(alive)).toEqual([]);
    await within('stdout and stderr closing', s.closed);
    expect(s.out().match(/exited with status/g)).toHaveLength(2); // the stopped child was not reported, nor restarted
    expect(s.pids()).toHaveLength(3);
    expect(s.err()).not.toMatch(/Killed/); // bash's own job report stays out of the console
  }, 30_000);

  it('restarts a child that exits by itself, reports its status, and stops on SIGINT while backing off', async () => {
    const s = supervise(exits3);
    await started(s, 1);
    await said(s, 'demo exited with status 3; restarting in 1s');
    await started(s, 2);
    await said(s, 'demo exited with status 3; restarting in 2s');

    const asked = Date.now();
    s.proc.kill('SIGINT');
    expect(await within('the supervisor exiting', s.exited)).toEqual({ code: 0, signal: null });
    expect(Date.now() - asked).toBeLessThan(1_500); // it did not sit out the 2 s back-off first
    await within('stdout and stderr closing', s.closed); // the back-off sleep went with it
    expect(s.pids().filter(alive)).toEqual([]);
    expect(s.pids()).toHaveLength(2);
  }, 30_000);
});
