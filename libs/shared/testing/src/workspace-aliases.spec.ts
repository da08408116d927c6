import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './infra';

// The build (.swcrc) resolves the same workspace aliases as the type checker (tsconfig.base.json):
// a library added to one and not the other compiles and then fails at run time.
it('.swcrc and tsconfig.base.json name the same aliases with the same targets', () => {
  const ts = JSON.parse(readFileSync(join(REPO_ROOT, 'tsconfig.base.json'), 'utf8')).compilerOptions.paths as Record<string, string[]>;
  const swc = JSON.parse(readFileSync(join(REPO_ROOT, '.swcrc'), 'utf8')).jsc.paths as Record<string, string[]>;
  const norm = (m: Record<string, string[]>): Record<string, string> => Object.fromEntries(Object.entries(m).map(([k, [v]]) => [k, v.replace(/^\.\//, '')]).sort());
  expect(norm(swc)).toEqual(norm(ts));
});
