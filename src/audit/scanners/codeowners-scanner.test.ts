import { describe, expect, it } from 'vitest';
import { scanCodeowners } from './codeowners-scanner.ts';
import { isRunbookFile, scanRunbooks } from './runbook-scanner.ts';
import { emptyModel, type ResolvedService } from '../../model/resolve.ts';

describe('scanCodeowners', () => {
  it('reads pattern and owners per line; comments and blank lines are not entries; a pattern may have no owner', () => {
    const text = ['# owners', '', '*            @org/platform', '/db/  @org/data dana@example.com  # schema', '/docs/', 'path\\#with-hash @org/docs'].join('\n');
    expect(scanCodeowners('.github/CODEOWNERS', text)).toEqual({
      file: '.github/CODEOWNERS',
      entries: [
        { line: 3, pattern: '*', owners: ['@org/platform'] },
        { line: 4, pattern: '/db/', owners: ['@org/data', 'dana@example.com'] },
        { line: 5, pattern: '/docs/', owners: [] },
        { line: 6, pattern: 'path\\#with-hash', owners: ['@org/docs'] },
      ],
    });
  });
});

describe('scanRunbooks', () => {
  it('Markdown in runbook folders, and the files the model points at when they exist', () => {
    const service = {
      name: 'orders',
      runbooks: [{ name: 'Orders', path: './docs/orders.md' }, { name: 'Wiki', url: 'https://wiki.example/orders' }],
      alerts: [{ alertname: 'A', runbook: 'docs/oncall.md#first-steps' }, { alertname: 'B', runbook: 'https://wiki.example/b' }, { alertname: 'C', runbook: 'docs/missing.md' }],
    } as unknown as ResolvedService;
    const files = ['runbooks/orders.md', 'ops/Runbook/db.markdown', 'runbooks/notes.txt', 'docs/orders.md', 'docs/oncall.md', 'docs/other.md', 'runbooks.md'];
    expect(files.filter(isRunbookFile)).toEqual(['runbooks/orders.md', 'ops/Runbook/db.markdown']);
    expect(scanRunbooks(files, { ...emptyModel(), services: [service] })).toEqual(['docs/oncall.md', 'docs/orders.md', 'ops/Runbook/db.markdown', 'runbooks/orders.md']);
  });
});
