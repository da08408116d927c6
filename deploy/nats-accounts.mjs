#!/usr/bin/env node
// Bosun's NATS `accounts` block for a NATS server Bosun does not start itself (the Helm
// chart's case), from the one permission matrix, tools/nats-auth/permissions.cjs (ADR 0005),
// through the same renderAccounts() that tools/nats-auth/render.mjs writes accounts.conf with.
//
//   node deploy/nats-accounts.mjs conf DIR          the accounts block, NATS config syntax: a
//                                                   file for `nats-server -c` or an `include`
//   node deploy/nats-accounts.mjs nats-values DIR   values for the nats-io/nats chart
//                                                   (config.merge.accounts, JetStream on)
//   node deploy/nats-accounts.mjs bosun-values DIR  values for deploy/helm/bosun: nats.auth.publicKeys
//   node deploy/nats-accounts.mjs chart-file        deploy/helm/bosun/files/nats-accounts.conf: the
//                                                   block with placeholders the chart fills from
//                                                   nats.auth.publicKeys (deploy/validate.sh keeps it
//                                                   identical to this output)
//
// DIR holds the seeds `node tools/nats-auth/render.mjs DIR` made (<principal>.nk). Only
// public keys are printed; no seed leaves DIR.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fromSeed } from '@nats-io/nkeys';
import { renderAccounts } from '../tools/nats-auth/render.mjs';

const require = createRequire(import.meta.url);
const { PRINCIPALS, WORKLOAD_PRINCIPALS } = require('../tools/nats-auth/permissions.cjs');

/** Every principal the accounts block names a user for, in the matrix's order. */
export const ALL_PRINCIPALS = [...PRINCIPALS, ...WORKLOAD_PRINCIPALS];

/** What the chart puts where a public key goes (deploy/helm/bosun/templates/nats-accounts.yaml). */
export const placeholder = (principal) => `@nkey:${principal}@`;

const HEADER = "# Bosun's NATS accounts (ADR 0005): tools/nats-auth/permissions.cjs rendered by deploy/nats-accounts.mjs; do not edit.\n";

/** The accounts block as NATS configuration: `accounts: {…}` (JSON values are NATS syntax). */
export function accountsConf(publicKeys) {
  return `${HEADER}accounts: ${JSON.stringify(renderAccounts(publicKeys).accounts, null, 2)}\n`;
}

function publicKeysIn(dir) {
  const keys = {};
  for (const p of ALL_PRINCIPALS) {
    const file = join(dir, `${p}.nk`);
    let seed;
    try {
      seed = readFileSync(file, 'utf8').trim();
    } catch (e) {
      throw new Error(`${file}: ${e.code ?? e.message} (make the seeds with: node tools/nats-auth/render.mjs ${dir})`);
    }
    keys[p] = fromSeed(new TextEncoder().encode(seed)).getPublicKey();
  }
  return keys;
}

const json = (value) => `${JSON.stringify(value, null, 2)}\n`;

function main([mode, dir]) {
  const needDir = () => {
    if (!dir) throw new Error(`${mode} needs the directory of seeds (node tools/nats-auth/render.mjs DIR)`);
    return publicKeysIn(dir);
  };
  switch (mode) {
    case 'conf':
      return accountsConf(needDir());
    case 'nats-values':
      // JSON is YAML: `helm install nats nats/nats -f` takes it as is.
      return `# values for the nats-io/nats chart: Bosun's accounts (deploy/nats-accounts.mjs)\n${json({
        config: { jetstream: { enabled: true }, merge: renderAccounts(needDir()) },
      })}`;
    case 'bosun-values':
      return `# values for deploy/helm/bosun: the NATS principals' public keys (deploy/nats-accounts.mjs)\n${json({
        nats: { auth: { publicKeys: needDir() } },
      })}`;
    case 'chart-file':
      return accountsConf(Object.fromEntries(ALL_PRINCIPALS.map((p) => [p, placeholder(p)])));
    default:
      throw new Error('usage: nats-accounts.mjs conf|nats-values|bosun-values DIR | chart-file');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    process.stdout.write(main(process.argv.slice(2)));
  } catch (e) {
    console.error(`nats-accounts: ${e.message}`);
    process.exit(2);
  }
}
