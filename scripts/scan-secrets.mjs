#!/usr/bin/env node
// The last check of `npm test`: no secret of the run in anything it wrote.
//
//   node scripts/scan-secrets.mjs RESULTS_DIR STATE_NAME
//
// Secrets: the NATS seeds of the test infrastructure (.bosun/STATE/nats-auth/*.nk) and what
// the end-to-end stacks made up and recorded (RESULTS_DIR/secrets.list: tokens, signing
// secrets, the encryption key). Scanned: every file under RESULTS_DIR (the runners' output,
// every app's log) and the NATS and Redis logs. A hit names the file and the secret's kind,
// never the secret.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

const [results, state = 'test'] = process.argv.slice(2);
if (!results) {
  console.error('usage: scan-secrets.mjs RESULTS_DIR [STATE_NAME]');
  process.exit(2);
}
const root = resolve(import.meta.dirname, '..');
const secrets = new Map(); // value -> kind
const seeds = join(root, '.bosun', state, 'nats-auth');
if (existsSync(seeds)) {
  for (const f of readdirSync(seeds).filter((f) => f.endsWith('.nk'))) secrets.set(readFileSync(join(seeds, f), 'utf8').trim(), `NATS seed of ${basename(f, '.nk')}`);
}
const listed = join(results, 'secrets.list');
if (existsSync(listed)) {
  for (const s of new Set(readFileSync(listed, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l.length >= 16))) {
    if (!secrets.has(s)) secrets.set(s, 'a generated token or key');
  }
}

const files = [];
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (p !== listed) files.push(p);
  }
};
walk(results);
for (const log of ['nats.log', 'nats.out', 'redis.log', 'redis.out']) {
  const p = join(root, '.bosun', state, log);
  if (existsSync(p)) files.push(p);
}

let hits = 0;
let bytes = 0;
for (const file of files) {
  const text = readFileSync(file, 'latin1');
  bytes += statSync(file).size;
  for (const [value, kind] of secrets) {
    if (text.includes(value)) {
      hits++;
      console.log(`[secret-scan] ${kind} found in ${file}`);
    }
  }
}
console.log(`[secret-scan] ${secrets.size} secrets, ${files.length} files (${(bytes / 1048576).toFixed(1)} MiB): ${hits ? `${hits} leaks` : 'none found'}`);
if (!secrets.size) {
  console.log('[secret-scan] no secrets to look for: the scan would prove nothing');
  process.exit(1);
}
process.exit(hits ? 1 : 0);
