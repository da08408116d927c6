import { z } from 'zod';

/** DNS-1123 label: what Kubernetes requires of namespace and most object names. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const dnsLabel = (what = 'name'): z.ZodString =>
  z
    .string({ error: `${what} is required` })
    .max(63, `${what} must be at most 63 characters`)
    .regex(DNS1123_LABEL, `${what} must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit`);

export const subjectSchema = z
  .string()
  .regex(/^(user|group|serviceaccount):[^\s]+$/, 'subject must look like user:NAME (or serviceaccount:NS:NAME)');

export const actorSchema = z.object({
  subject: z.string().min(1),
  groups: z.array(z.string()).default([]),
  via: z.enum(['api', 'chat']),
});
export type Actor = z.infer<typeof actorSchema>;

export const targetSchema = z.object({
  cluster: z.string().min(1),
  namespace: z.string().optional(),
  kind: z.string().min(1),
  name: z.string().optional(),
});
export type Target = z.infer<typeof targetSchema>;

/** One invalid field, in the shape problem+json `errors[]` uses. */
export interface FieldError {
  path: string;
  message: string;
}

/** A typed, expected failure: a stable machine code and words for people. */
export interface Failure {
  code: string;
  message: string;
  fieldErrors?: FieldError[];
}

type Issue = z.core.$ZodIssue;
/** Issues at a union member's root that mean "the input is not this member at all" (wrong type, not the literal). */
const NOT_THIS_MEMBER = new Set<string>(['invalid_type', 'invalid_value', 'invalid_union']);

/**
 * A union none of whose members matched: when exactly one member has the input's type (the
 * others failed on the type itself), its issues say what is wrong, deeper down
 * (`env.FOO.valueFrom.secretKeyRef.key`) instead of "Invalid input" at the union.
 */
const unionIssues = (issue: Issue): Issue[] => {
  if (issue.code !== 'invalid_union' || !issue.errors?.length) return [issue];
  const typed = issue.errors.filter((branch) => !branch.some((i) => i.path.length === 0 && NOT_THIS_MEMBER.has(i.code)));
  if (typed.length !== 1) return [issue];
  return typed[0].flatMap((i) => unionIssues({ ...i, path: [...issue.path, ...i.path] } as Issue));
};

/** Converts zod issues to field errors with dotted paths (`ports.0.containerPort`). */
export const toFieldErrors = (error: z.ZodError): FieldError[] =>
  error.issues.flatMap(unionIssues).map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message }));
