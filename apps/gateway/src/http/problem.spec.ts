import { FAILURE_CODES, FAILURE_HTTP_STATUS } from '@bosun/contracts';
import { Problem, TITLES } from './problem';

describe('Problem.fromFailure: every failure code is mapped', () => {
  it.each(FAILURE_CODES.map((c) => [c]))('%s → a 4xx/5xx with its HTTP title and the code kept', (code) => {
    const status = FAILURE_HTTP_STATUS[code];
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(600);
    const p = Problem.fromFailure({ code, message: `a ${code} failure`, fieldErrors: [{ path: 'name', message: 'bad' }] });
    expect(p).toMatchObject({ status, title: TITLES[status], code, detail: `a ${code} failure`, errors: [{ path: 'name', message: 'bad' }] });
    expect(TITLES[status]).toBeDefined();
    expect(p.unmappedCode).toBeUndefined();
  });

  it('Kubernetes reasons keep their meaning', () => {
    expect(Problem.fromFailure({ code: 'Invalid', message: 'x' }).status).toBe(422);
    expect(Problem.fromFailure({ code: 'AlreadyExists', message: 'x' }).status).toBe(409);
    expect(Problem.fromFailure({ code: 'Expired', message: 'x' }).status).toBe(410);
    expect(Problem.fromFailure({ code: 'ServerTimeout', message: 'x' }).status).toBe(504);
  });

  it('an unknown code is a 502 flagged as unmapped (the filter logs and counts it)', () => {
    const p = Problem.fromFailure({ code: 'Bogus', message: 'x' });
    expect(p).toMatchObject({ status: 502, title: 'Bad Gateway', code: 'Bogus', unmappedCode: 'Bogus' });
    expect(Problem.fromFailure({ code: 'toString', message: 'x' }).unmappedCode).toBe('toString');
  });
});
