export interface CodeownersRule {
  pattern: string;
  owners: string[];
  line: number;
}

/** Parses a CODEOWNERS file: one `pattern owner...` rule a line, `#` comments. */
export function parseCodeowners(text: string): CodeownersRule[] {
  const rules: CodeownersRule[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) return;
    const [pattern, ...owners] = line.split(/\s+/);
    if (pattern) rules.push({ pattern: pattern.replace(/^\\#/, '#'), owners, line: index + 1 });
  });
  return rules;
}

/** The owners of a repository path: the last matching rule wins, as on GitHub. */
export function ownersOf(rules: readonly CodeownersRule[], path: string): string[] {
  let owners: string[] = [];
  for (const rule of rules) if (patternToRegExp(rule.pattern).test(path)) owners = rule.owners;
  return owners;
}

/** `@org/team` → `team`; users (`@login`) and emails are not teams. */
export function teamSlug(owner: string): string | undefined {
  const match = /^@[^/\s]+\/(.+)$/.exec(owner);
  return match?.[1];
}

export function patternToRegExp(pattern: string): RegExp {
  const directoryOnly = pattern.endsWith('/');
  const trimmed = pattern.replace(/\/+$/, '');
  const anchored = trimmed.startsWith('/') || trimmed.includes('/');
  const body = trimmed
    .replace(/^\//, '')
    .split(/(\*\*\/?|\*|\?)/)
    .map((part) => {
      if (part === '**/' ) return '(?:.*/)?';
      if (part === '**') return '.*';
      if (part === '*') return '[^/]*';
      if (part === '?') return '[^/]';
      return part.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  const prefix = anchored ? '^' : '^(?:.*/)?';
  // `docs/*` owns the files directly in docs/, not those in its subfolders.
  const endsWithSingleStar = /(^|[^*])\*$/.test(trimmed);
  const suffix = directoryOnly ? '/.*' : endsWithSingleStar ? '' : '(?:/.*)?';
  return new RegExp(`${prefix}${body}${suffix}$`);
}
