import type { CommandArgs } from './command.grammar';
import { DNS_LOOKUP_TYPES, type ChatCommand, type DnsLookupType } from './command.types';
import { checkDnsName, checkLabel, checkQuantity, checkRef, checkSubdomain, optional, type Checked } from './name.validators';

// Builders of the verbs backed by the dns-inspector, storage, provisioner and autoscaler
// services (API.md → Chat → Grammar); the deployer's are in command.grammar.

type Cmd = Checked<ChatCommand>;

export const buildDnsCheck = ({ positional: [target] }: CommandArgs): Cmd => {
  if (target === undefined) return { ok: true, value: { verb: 'dns check' } };
  if (!target.includes('/')) {
    // A bare namespace checks DNS as seen from that namespace, as the API allows.
    const ns = checkLabel('namespace', target);
    return ns.ok ? { ok: true, value: { verb: 'dns check', namespace: ns.value } } : ns;
  }
  const ref = checkRef(target, 'service');
  if (!ref.ok) return ref;
  return { ok: true, value: { verb: 'dns check', namespace: ref.value.namespace, service: ref.value.name } };
};

const checkLookupType = (value: string): Checked<DnsLookupType> => {
  const upper = value.toUpperCase();
  const found = DNS_LOOKUP_TYPES.find((t) => t === upper);
  return found ? { ok: true, value: found } : { ok: false, reason: `type must be one of ${DNS_LOOKUP_TYPES.join(', ')}, got ${JSON.stringify(value.slice(0, 20))}` };
};

export const buildDnsLookup = ({ positional: [namespace, name], options }: CommandArgs): Cmd => {
  if (namespace.includes('/')) return { ok: false, reason: `dns lookup takes the namespace and the name as two words: dns lookup ${namespace.split('/')[0]} <name>` };
  const ns = checkLabel('namespace', namespace);
  if (!ns.ok) return ns;
  const dnsName = checkDnsName(name);
  if (!dnsName.ok) return dnsName;
  const type = optional(options.get('type'), checkLookupType);
  if (!type.ok) return type;
  const cmd: ChatCommand = { verb: 'dns lookup', namespace: ns.value, name: dnsName.value };
  if (type.value !== undefined) cmd.type = type.value;
  return { ok: true, value: cmd };
};

export const buildPvcWhy = ({ positional: [target] }: CommandArgs): Cmd => {
  const ref = checkRef(target, 'claim');
  if (!ref.ok) return ref;
  return { ok: true, value: { verb: 'pvc why', namespace: ref.value.namespace, claim: ref.value.name } };
};

export const buildTenantCreate = ({ positional: [name], options }: CommandArgs): Cmd => {
  const tenant = checkLabel('tenant name', name);
  if (!tenant.ok) return tenant;
  const cpu = optional(options.get('cpu'), (v) => checkQuantity('cpu', v));
  if (!cpu.ok) return cpu;
  const memory = optional(options.get('memory'), (v) => checkQuantity('memory', v));
  if (!memory.ok) return memory;
  const cmd: ChatCommand = { verb: 'tenant create', name: tenant.value };
  if (cpu.value !== undefined) cmd.cpu = cpu.value;
  if (memory.value !== undefined) cmd.memory = memory.value;
  return { ok: true, value: cmd };
};

// `dry-run` as API.md writes it, and the spellings people carry over from kubectl.
const DRY_RUN_WORDS = new Set(['dry-run', 'dry_run', 'dryrun', '--dry-run', '--dry-run=client', '--dry-run=server']);

export const buildDrain = ({ positional: [node, mode] }: CommandArgs): Cmd => {
  const checked = checkSubdomain('node name', node);
  if (!checked.ok) return checked;
  if (mode === undefined) return { ok: true, value: { verb: 'drain', node: checked.value } };
  if (!DRY_RUN_WORDS.has(mode.toLowerCase())) return { ok: false, reason: `expected dry-run after the node name, got ${JSON.stringify(mode.slice(0, 40))}` };
  return { ok: true, value: { verb: 'drain', node: checked.value, dryRun: true } };
};

export const buildAutoscalers = ({ positional: [namespace] }: CommandArgs): Cmd => {
  if (namespace === undefined) return { ok: true, value: { verb: 'autoscalers' } };
  const ns = checkLabel('namespace', namespace);
  return ns.ok ? { ok: true, value: { verb: 'autoscalers', namespace: ns.value } } : ns;
};

export const buildWhyScale = ({ positional: [target] }: CommandArgs): Cmd => {
  const ref = checkRef(target);
  return ref.ok ? { ok: true, value: { verb: 'why-scale', ...ref.value } } : ref;
};
