export type WorkflowCommandLevel = 'error' | 'warning' | 'notice';

/** The properties GitHub Actions reads from an annotation command. */
export interface AnnotationProperties {
  readonly title?: string;
  /** relative to the repository root (GITHUB_WORKSPACE) */
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
}

/**
 * `::error file=...,line=...,title=...::message`, escaped as the Actions toolkit does: the message
 * keeps `:` and `,` but not `%`, CR or LF; property values lose `:` and `,` too, so a hostile value
 * can neither end the command nor start another one.
 */
export function workflowCommand(level: WorkflowCommandLevel, message: string, properties: AnnotationProperties = {}): string {
  const pairs = Object.entries(properties)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`);
  return `::${level}${pairs.length > 0 ? ` ${pairs.join(',')}` : ''}::${escapeData(message)}`;
}

/** Other control characters (ANSI escapes from a hostile file) are dropped, not passed to the log. */
function escapeData(text: string): string {
  return text
    .replace(/%/g, '%25')
    .replace(/\r/g, '%0D')
    .replace(/\n/g, '%0A')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
