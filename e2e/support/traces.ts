import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from '@bosun/messaging';
import { REPO_ROOT, testInfra } from '@bosun/testing';

/** Where one of the needles was found: a Redis key (and its type) or a file. */
export interface Trace { where: string; needle: string }

const found = (where: string, text: string, needles: readonly string[]): Trace[] =>
  needles.filter((n) => text.includes(n)).map((needle) => ({ where, needle }));

/** Every value of one key, whatever its type, as one text. */
async function contentOf(redis: Redis, key: string, type: string): Promise<string> {
  switch (type) {
    case 'string': return (await redis.getBuffer(key))?.toString('latin1') ?? '';
    case 'hash': return JSON.stringify(await redis.hgetall(key));
    case 'list': return JSON.stringify(await redis.lrange(key, 0, -1));
    case 'set': return JSON.stringify(await redis.smembers(key));
    case 'zset': return JSON.stringify(await redis.zrange(key, '0', '-1', 'WITHSCORES'));
    case 'stream': return JSON.stringify(await redis.xrange(key, '-', '+'));
    case 'none': return ''; // expired or deleted since SCAN saw it
    default: throw new Error(`key ${key} has type ${type}, which this scan cannot read: teach contentOf about it`);
  }
}

/**
 * SCANs every key of the Redis and reads every value of every type (strings, hashes, lists,
 * sets, sorted sets, streams); names the keys holding any needle. Key names are searched too.
 */
export async function redisTraces(redis: Redis, needles: readonly string[]): Promise<{ traces: Trace[]; keys: number }> {
  const traces: Trace[] = [];
  let keys = 0;
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'COUNT', 1000);
    cursor = next;
    for (const key of batch) {
      keys++;
      const type = await redis.type(key);
      traces.push(...found(`redis ${type} ${key}`, `${key}\n${await contentOf(redis, key, type)}`, needles));
    }
  } while (cursor !== '0');
  return { traces, keys };
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Reads every file under `dir` as raw bytes (no parsing: what an attacker with the disk sees). */
export function fileTraces(dir: string, needles: readonly string[]): { traces: Trace[]; files: string[] } {
  const files = filesUnder(dir);
  return { traces: files.flatMap((f) => found(f, readFileSync(f).toString('latin1'), needles)), files };
}

/** The test NATS and Redis data directories (scripts/infra.sh: `.bosun/<state>/{nats,redis}`). */
export function stateDirs(): { jetstream: string; aof: string } {
  const state = join(REPO_ROOT, '.bosun', testInfra().stateName);
  const dirs = { jetstream: join(state, 'nats', 'jetstream'), aof: join(state, 'redis', 'appendonlydir') };
  for (const [what, dir] of Object.entries(dirs)) {
    if (!existsSync(dir)) throw new Error(`${dir} (${what}) is missing: is BOSUN_TEST_STATE (${testInfra().stateName}) the state of the NATS/Redis at NATS_URL/REDIS_URL? (bash scripts/infra.sh start NAME NPORT RPORT)`);
  }
  return dirs;
}
