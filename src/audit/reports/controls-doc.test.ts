import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Control } from '../control.ts';
import { controlCatalog } from '../controls/control-catalog.ts';
import { auditDocs } from './audit-docs.ts';
import { renderControlsDoc } from './controls-doc.ts';

const root = new URL('../../../', import.meta.url);

describe('docs generated from the code', () => {
  it.each(auditDocs().map((doc) => [doc.path, doc.content] as const))('%s is up to date (run `npm run docs:controls`)', (path, content) => {
    expect(readFileSync(new URL(path, root), 'utf8')).toBe(content);
  });
});

describe('renderControlsDoc', () => {
  const doc = renderControlsDoc(controlCatalog);

  it('indexes every control, linking to its section', () => {
    for (const control of controlCatalog) {
      expect(doc).toContain(`| [${control.id}](#${control.id.toLowerCase()}) | `);
      expect(doc).toContain(`<a id="${control.id.toLowerCase()}"></a>\n\n### ${control.id} ${control.title}\n`);
    }
    expect(doc.match(/^### /gm)).toHaveLength(controlCatalog.length);
  });

  it('gives each control its severity, effort, SOC 2, risk, detection, remediation and example', () => {
    const control = controlCatalog.find((candidate) => candidate.id === 'REL-001');
    const section = doc.slice(doc.indexOf('### REL-001'), doc.indexOf('<a id=', doc.indexOf('### REL-001')));
    expect(section).toContain(`**Severity:** high · **Effort:** S · **SOC 2:** ${control?.soc2.join(', ')} · **Reads:** model`);
    expect(section).toContain(`**Risk.** ${control?.risk}`);
    expect(section).toContain(`**Detection.** ${control?.detection}`);
    expect(section).toContain(`**Remediation.** ${control?.remediation}`);
    expect(section).toContain(`\`\`\`\n${control?.example}\n\`\`\``);
  });

  it('fences an example that itself holds backticks with a longer fence, and escapes pipes in titles', () => {
    const odd: Control = { ...controlCatalog[0]!, id: 'ZZZ-001', title: 'a | b', example: 'echo ```x```' };
    const text = renderControlsDoc([odd]);
    expect(text).toContain('\n````\necho ```x```\n````');
    expect(text).toContain('| [ZZZ-001](#zzz-001) | a \\| b |');
  });
});
