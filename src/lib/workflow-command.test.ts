import { describe, expect, it } from 'vitest';
import { workflowCommand } from './workflow-command.ts';

describe('workflowCommand', () => {
  it('writes the level, the properties in order and the message', () => {
    expect(workflowCommand('error', 'bad thing', { file: 'k8s/a.yaml', line: 12, title: 'RUN-001 probe' })).toBe(
      '::error file=k8s/a.yaml,line=12,title=RUN-001 probe::bad thing',
    );
    expect(workflowCommand('notice', 'plain')).toBe('::notice::plain');
  });

  it('leaves out properties without a value', () => {
    expect(workflowCommand('warning', 'm', { file: 'a', line: undefined, title: '' })).toBe('::warning file=a::m');
  });

  it('escapes so that hostile text can neither end the command nor start another', () => {
    const command = workflowCommand('error', '50% done\r\n::error::forged\u001b[31m', { title: 'a:b,c%\nd', file: 'x,y:z' });
    expect(command).toBe('::error title=a%3Ab%2Cc%25%0Ad,file=x%2Cy%3Az::50%25 done%0D%0A::error::forged[31m');
    expect(command.split('\n')).toHaveLength(1);
  });
});
