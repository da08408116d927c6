import type { LabelSelector, NodeSelector, NodeSelectorRequirement } from './kube-types';

// Label selectors as apimachinery evaluates them: matchLabels and matchExpressions are ANDed;
// In needs the key with one of the values, NotIn is met by a missing key, Exists and
// DoesNotExist look at the key only. Compiled once per claim, then run against every volume.

/** One requirement of a compiled selector, with its words (`tier In (db, cache)`). */
export interface Requirement {
  key: string;
  operator: string;
  values: readonly string[];
  text: string;
}

type Labels = Readonly<Record<string, string>> | undefined;

const describe = (key: string, operator: string, values: readonly string[]): string => {
  if (operator === 'Exists' || operator === 'DoesNotExist') return `${key} ${operator}`;
  if (operator === '=') return `${key}=${values[0]}`;
  return `${key} ${operator} (${values.join(', ')})`;
};

const requirement = (key: string, operator: string, values: readonly string[] = []): Requirement => ({
  key, operator, values, text: describe(key, operator, values),
});

/** The selector's requirements, matchLabels first (as `key=value`), in a stable order. */
export const compileLabelSelector = (selector: LabelSelector | undefined): Requirement[] => {
  if (!selector) return [];
  const fromLabels = Object.entries(selector.matchLabels ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => requirement(key, '=', [value]));
  const fromExpressions = (selector.matchExpressions ?? []).map((e) => requirement(e.key, e.operator, e.values ?? []));
  return [...fromLabels, ...fromExpressions];
};

const numeric = (text: string | undefined): number | undefined =>
  text !== undefined && /^-?\d+$/.test(text) ? Number(text) : undefined;

/** Whether one requirement holds for these labels (node selectors add Gt and Lt). */
export const requirementMet = (r: Requirement, labels: Labels): boolean => {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case '=':
    case 'In':
      return has && r.values.includes(value as string);
    case 'NotIn':
      return !has || !r.values.includes(value as string);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      const [have, bound] = [numeric(value), numeric(r.values[0])];
      if (have === undefined || bound === undefined) return false;
      return r.operator === 'Gt' ? have > bound : have < bound;
    }
    default:
      // An unknown operator never matches: the API server would have refused it anyway.
      return false;
  }
};

const observed = (key: string, labels: Labels): string =>
  labels && Object.prototype.hasOwnProperty.call(labels, key) ? `label ${key}="${labels[key]}"` : `no label ${key}`;

/** One sentence per unmet requirement, naming what the labels hold: `selector app=db not satisfied (label app="web")`. */
export const unmetRequirements = (requirements: readonly Requirement[], labels: Labels): string[] =>
  requirements.filter((r) => !requirementMet(r, labels)).map((r) => `selector ${r.text} not satisfied (${observed(r.key, labels)})`);

const nodeRequirement = (e: NodeSelectorRequirement): Requirement => requirement(e.key, e.operator, e.values ?? []);

/** A node as the matcher sees it: its name (for matchFields metadata.name) and labels. */
export interface NodeFacts {
  name: string;
  labels?: Record<string, string>;
}

const termMatches = (term: NodeSelector['nodeSelectorTerms'][number], node: NodeFacts): boolean => {
  const expressions = (term.matchExpressions ?? []).map(nodeRequirement);
  const fields = (term.matchFields ?? []).map(nodeRequirement);
  // A term with no requirement selects nothing (upstream's nodeaffinity helper).
  if (expressions.length + fields.length === 0) return false;
  return expressions.every((r) => requirementMet(r, node.labels)) && fields.every((r) => requirementMet(r, { 'metadata.name': node.name }));
};

/** Terms are ORed, requirements within a term ANDed; no selector admits every node. */
export const nodeSelectorAdmits = (selector: NodeSelector | undefined, node: NodeFacts): boolean =>
  selector === undefined || selector.nodeSelectorTerms.some((term) => termMatches(term, node));

/** `kubernetes.io/hostname In (node-b)` or, for several terms, each joined with " or ". */
export const describeNodeSelector = (selector: NodeSelector): string =>
  selector.nodeSelectorTerms
    .map((t) => [...(t.matchExpressions ?? []), ...(t.matchFields ?? [])].map((e) => nodeRequirement(e).text).join(' and '))
    .join(' or ');
