import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SteadyopsError, errorCatalogue, formatIssue, renderTemplate, type ErrorCode } from './errors.ts';

const documented = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

describe('error catalogue', () => {
  it.each(Object.entries(errorCatalogue))('%s is documented with its HTTP status and exit code', (code, spec) => {
    const row = documented.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
    expect(row, `docs/errors.md has no row for ${code}`).toBeDefined();
    expect(row).toContain(`| ${spec.status} | ${spec.exit} |`);
  });

  it('documents no code that does not exist', () => {
    const codes = [...documented.matchAll(/^\| `(SO_E_[A-Z_]+)` \|/gm)].map((match) => match[1]);
    expect(codes.sort()).toEqual(Object.keys(errorCatalogue).sort());
  });

  it('keeps to the exit codes the CLI promises', () => {
    for (const spec of Object.values(errorCatalogue)) expect([1, 2, 3, 70]).toContain(spec.exit);
  });

  it('renders templates and issues', () => {
    expect(renderTemplate('{what} {id} was not found', { what: 'event', id: 7 })).toBe('event 7 was not found');
    const error = new SteadyopsError('SO_E_NOT_FOUND' satisfies ErrorCode, { what: 'token', id: 'tok_1' });
    expect(error.message).toBe('token tok_1 was not found');
    expect(error.spec.status).toBe(404);
    expect(formatIssue({ file: 'a.yaml', line: 3, col: 5, message: 'bad' })).toBe('a.yaml:3:5: bad');
    expect(formatIssue({ path: '[2].time', message: 'bad' })).toBe('[2].time: bad');
  });
});
