import { CONSTANTS } from 'cloudevents';
import { SteadyopsError } from '../lib/errors.ts';
import type { ErrorIssue } from '../lib/errors.ts';
import { validateEventData } from './event-types.ts';
import type { CloudEventInput } from './types.ts';

/*
 * CloudEvents 1.0 at the boundary. The SDK's `HTTP.toEvent` replaces a missing id with a fresh UUID,
 * an unparsable time with the current time and rewrites every time to millisecond precision, so it cannot
 * tell a client what is wrong and would change what gets hashed. We take the binding's names from the SDK
 * and validate the attributes ourselves, collecting every problem with its field path.
 */

export interface EventIssue {
  readonly path: string;
  readonly message: string;
}

const contextAttributes = ['specversion', 'id', 'source', 'type', 'subject', 'time', 'datacontenttype', 'dataschema'];
const dataAttributes = ['data', CONSTANTS.STRUCTURED_ATTRS_1.DATA_BASE64];
const extensionName = /^[a-z0-9]{1,20}$/;
const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;
const uriReferenceChars = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;
const uriScheme = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const mediaType = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(\s*;.*)?$/;
const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Parses a structured-mode body: one event object or a batch array. Rejects the whole batch if any event is bad. */
export function parseStructuredEvents(body: unknown): CloudEventInput[] {
  if (Array.isArray(body)) {
    const results = body.map((item, index) => normaliseEvent(item, (field) => joinPath(`[${index}]`, field)));
    throwIfInvalid(results.map((result) => result.issues));
    return results.map((result) => result.event as CloudEventInput);
  }
  const result = normaliseEvent(body, (field) => field);
  throwIfInvalid([result.issues]);
  return [result.event as CloudEventInput];
}

type Headers = Record<string, string | string[] | undefined>;

/**
 * Parses an HTTP binary-mode event: attributes in `ce-*` headers, data in the body. Issue paths name the
 * header (e.g. `ce-time`). A structured-mode content type (`application/cloudevents+json`) is accepted too.
 */
export function parseBinaryEvent(headers: Headers, body: unknown, contentType?: string): CloudEventInput {
  const lower = lowerCaseHeaders(headers);
  const type = contentType ?? lower[CONSTANTS.HEADER_CONTENT_TYPE];
  if (type !== undefined && type.toLowerCase().startsWith(CONSTANTS.MIME_CE_JSON)) {
    const structured = typeof body === 'string' || body instanceof Uint8Array ? parseJsonBody(body) : body;
    return parseStructuredEvents(structured)[0] as CloudEventInput;
  }
  const attributes: Record<string, unknown> = {};
  for (const [header, value] of Object.entries(lower)) {
    if (header.startsWith(CONSTANTS.EXTENSIONS_PREFIX) && value !== undefined) {
      attributes[header.slice(CONSTANTS.EXTENSIONS_PREFIX.length)] = percentDecode(value);
    }
  }
  for (const field of ['datacontenttype', ...dataAttributes]) delete attributes[field];
  if (type !== undefined) attributes['datacontenttype'] = type;
  const issues: EventIssue[] = [];
  const data = decodeBinaryBody(body, type, issues);
  if (data !== undefined) attributes['data'] = data;
  const result = normaliseEvent(attributes, (field) =>
    field.startsWith('data') ? field : field === 'datacontenttype' ? 'content-type' : `ce-${field}`,
  );
  const attributeIssues = issues.length > 0 ? result.issues.filter((issue) => !issue.path.startsWith('data')) : result.issues;
  throwIfInvalid([[...issues, ...attributeIssues]]);
  return result.event as CloudEventInput;
}

/**
 * Parses the text of an events file (`steadyops events push FILE|-`): a JSON object, a JSON array, or NDJSON
 * (one event per line, blank lines ignored). Every issue carries the file, and the line where it is known.
 */
export function parseEventText(text: string, file = '<stdin>'): CloudEventInput[] {
  if (text.trim() === '') {
    throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `${file}: contains no events` }, [
      { file, message: 'contains no events; expected a JSON object, a JSON array or NDJSON lines' },
    ]);
  }
  const whole = tryJson(text);
  if (whole.ok) return withFile(file, () => parseStructuredEvents(whole.value));
  const lines = text.split(/\r?\n/);
  const firstLine = lines.findIndex((line) => line.trim() !== '');
  const looksLikeNdjson = lines.filter((line) => line.trim() !== '').length > 1 && tryJson(lines[firstLine]!).ok;
  if (!looksLikeNdjson) {
    const { line, col } = positionOf(text, whole.offset);
    const message = `invalid JSON: ${whole.message}`;
    throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `${file}:${line}:${col}: ${message}` }, [
      { file, line, col, message },
    ]);
  }
  return parseNdjson(lines, file);
}

function parseNdjson(lines: readonly string[], file: string): CloudEventInput[] {
  const issues: ErrorIssue[] = [];
  const events: CloudEventInput[] = [];
  let firstBad: number | undefined;
  let index = 0;
  lines.forEach((text, lineIndex) => {
    if (text.trim() === '') return;
    const line = lineIndex + 1;
    const eventIndex = index++;
    const parsed = tryJson(text);
    const lineIssues: ErrorIssue[] = [];
    if (!parsed.ok) {
      const col = Math.min(parsed.offset, text.length) + 1;
      lineIssues.push({ file, line, col, path: `[${eventIndex}]`, message: `invalid JSON: ${parsed.message}` });
    } else {
      const result = normaliseEvent(parsed.value, (field) => field);
      if (result.event) events.push(result.event);
      for (const issue of result.issues) {
        lineIssues.push({ file, line, path: joinPath(`[${eventIndex}]`, issue.path), message: withPath(issue) });
      }
    }
    if (lineIssues.length > 0) firstBad ??= eventIndex;
    issues.push(...lineIssues);
  });
  if (issues.length > 0) {
    const first = issues[0]!;
    const detail = `${file}:${first.line}: ${first.message}${moreProblems(issues.length)}`;
    throw new SteadyopsError('SO_E_EVENT_INVALID', { index: firstBad ?? 0, detail }, issues);
  }
  return events;
}

interface Normalised {
  readonly event?: CloudEventInput;
  readonly issues: EventIssue[];
}

/** Validates one event object and, when valid, returns its normalised form. */
function normaliseEvent(raw: unknown, pathOf: (field: string) => string): Normalised {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { issues: [{ path: pathOf(''), message: `must be a CloudEvent JSON object, got ${describe(raw)}` }] };
  }
  const input = raw as Record<string, unknown>;
  const issues: EventIssue[] = [];
  const report = (field: string, message: string): void => {
    issues.push({ path: pathOf(field), message });
  };
  checkSpecversion(input['specversion'], report);
  for (const field of ['id', 'source', 'type'] as const) checkRequiredString(input, field, report);
  if (typeof input['source'] === 'string' && input['source'] !== '') checkUriReference(input['source'], report);
  checkOptionalAttributes(input, report);
  const extensions = collectExtensions(input, report);
  const issuesBeforeData = issues.length;
  const data = checkData(input, report);
  const dataReadable = issues.length === issuesBeforeData && !issues.some((issue) => issue.path === pathOf('dataschema'));
  if (dataReadable && typeof input['type'] === 'string' && input['type'] !== '') {
    const dataResult = validateEventData(input['type'], data, input['dataschema'] as string | undefined);
    if (!dataResult.ok) for (const issue of dataResult.issues) report(issue.path, issue.message);
  }
  if (issues.length > 0) return { issues };
  return { issues, event: buildEvent(input, data, extensions) };
}

type Report = (field: string, message: string) => void;

function checkSpecversion(value: unknown, report: Report): void {
  if (value === undefined) report('specversion', 'is required; use "1.0"');
  else if (value !== '1.0') report('specversion', `must be "1.0" (CloudEvents 1.0), got ${describe(value)}`);
}

function checkRequiredString(input: Record<string, unknown>, field: string, report: Report): void {
  const value = input[field];
  if (value === undefined) report(field, 'is required; use a non-empty string');
  else if (typeof value !== 'string' || value === '') report(field, `must be a non-empty string, got ${describe(value)}`);
}

function checkUriReference(value: string, report: Report): void {
  if (!uriReferenceChars.test(value)) {
    report('source', `must be a URI-reference (RFC 3986), e.g. /github/acme/checkout-api or https://ci.example.com; got ${describe(value)}`);
  }
}

function checkOptionalAttributes(input: Record<string, unknown>, report: Report): void {
  const { subject, time, datacontenttype, dataschema } = input;
  if (subject !== undefined && (typeof subject !== 'string' || subject === '')) {
    report('subject', `must be a non-empty string (the service, datastore or team), got ${describe(subject)}`);
  }
  if (time !== undefined && !(typeof time === 'string' && isRfc3339(time))) {
    report('time', `must be an RFC 3339 timestamp such as 2024-05-01T12:30:00Z, got ${describe(time)}`);
  }
  if (datacontenttype !== undefined && !(typeof datacontenttype === 'string' && mediaType.test(datacontenttype))) {
    report('datacontenttype', `must be a media type (RFC 2046) such as application/json, got ${describe(datacontenttype)}`);
  }
  if (
    dataschema !== undefined &&
    !(typeof dataschema === 'string' && uriScheme.test(dataschema) && uriReferenceChars.test(dataschema))
  ) {
    report('dataschema', `must be an absolute URI such as https://steadyops.dev/schemas/deploy.finished/v1, got ${describe(dataschema)}`);
  }
}

function collectExtensions(input: Record<string, unknown>, report: Report): Record<string, string | number | boolean> {
  const extensions: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(input)) {
    if (contextAttributes.includes(key) || dataAttributes.includes(key)) continue;
    if (!extensionName.test(key)) {
      report(key, 'is not a valid attribute name; extension attribute names are 1 to 20 lower-case letters or digits (a-z, 0-9)');
      continue;
    }
    if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) {
      extensions[key] = value;
    } else {
      report(key, `extension attribute values must be a string, number or boolean, got ${describe(value)}`);
    }
  }
  return extensions;
}

function checkData(input: Record<string, unknown>, report: Report): unknown {
  const encoded = input[CONSTANTS.STRUCTURED_ATTRS_1.DATA_BASE64];
  if (encoded === undefined) return input['data'];
  if (input['data'] !== undefined) {
    report(CONSTANTS.STRUCTURED_ATTRS_1.DATA_BASE64, 'an event carries data or data_base64, not both');
  } else if (typeof encoded !== 'string' || !base64.test(encoded)) {
    report(CONSTANTS.STRUCTURED_ATTRS_1.DATA_BASE64, 'must be a base64 string (RFC 4648)');
  } else if (isJsonMediaType(input['datacontenttype'])) {
    const decoded = tryJson(Buffer.from(encoded, 'base64').toString('utf8'));
    if (decoded.ok) return decoded.value;
    report(CONSTANTS.STRUCTURED_ATTRS_1.DATA_BASE64, `datacontenttype is JSON but the decoded data is not: ${decoded.message}`);
  }
  // Binary data stays base64-encoded: the ledger stores JSON only.
  return encoded;
}

function buildEvent(
  input: Record<string, unknown>,
  data: unknown,
  extensions: Record<string, string | number | boolean>,
): CloudEventInput {
  const optional = (field: string): Record<string, string> =>
    typeof input[field] === 'string' ? { [field]: input[field] as string } : {};
  return {
    specversion: '1.0',
    id: input['id'] as string,
    source: input['source'] as string,
    type: input['type'] as string,
    ...optional('subject'),
    ...optional('time'),
    ...optional('datacontenttype'),
    ...optional('dataschema'),
    ...(data === undefined ? {} : { data }),
    ...(Object.keys(extensions).length > 0 ? { extensions } : {}),
  };
}

function isRfc3339(text: string): boolean {
  const match = rfc3339.exec(text);
  if (!match) return false;
  const [, year, month, day, hour, minute, second, , , offsetHour, offsetMinute] = match.map(Number);
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  return (
    month! >= 1 &&
    month! <= 12 &&
    day! >= 1 &&
    day! <= daysInMonth &&
    hour! <= 23 &&
    minute! <= 59 &&
    second! <= 60 &&
    (Number.isNaN(offsetHour) || (offsetHour! <= 23 && offsetMinute! <= 59))
  );
}

function isJsonMediaType(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const base = value.split(';')[0]!.trim().toLowerCase();
  return base === 'application/json' || base.endsWith('+json') || base === 'text/json';
}

function decodeBinaryBody(body: unknown, contentType: string | undefined, issues: EventIssue[]): unknown {
  if (body === undefined || body === null) return undefined;
  const isBytes = body instanceof Uint8Array;
  if (typeof body !== 'string' && !isBytes) return body;
  const bytes = isBytes ? Buffer.from(body) : Buffer.from(body, 'utf8');
  if (bytes.length === 0) return undefined;
  if (contentType === undefined || isJsonMediaType(contentType)) {
    const parsed = tryJson(bytes.toString('utf8'));
    if (parsed.ok) return parsed.value;
    issues.push({ path: 'data', message: `content-type is JSON but the body is not valid JSON: ${parsed.message}` });
    return undefined;
  }
  if (contentType.toLowerCase().startsWith('text/')) return bytes.toString('utf8');
  return bytes.toString('base64');
}

function parseJsonBody(body: string | Uint8Array): unknown {
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  const parsed = tryJson(text);
  if (parsed.ok) return parsed.value;
  throw new SteadyopsError('SO_E_EVENT_INVALID', { index: 0, detail: `the body is not valid JSON: ${parsed.message}` }, [
    { path: '', message: `the body is not valid JSON: ${parsed.message}` },
  ]);
}

function lowerCaseHeaders(headers: Headers): Record<string, string | undefined> {
  const lower: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(headers)) {
    lower[key.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return lower;
}

/** HTTP binding 3.1.3.2: header values are percent-encoded where they are not printable ASCII. */
function percentDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

type JsonResult = { ok: true; value: unknown } | { ok: false; message: string; offset: number };

function tryJson(text: string): JsonResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const message = (error as Error).message;
    return {
      ok: false,
      message: message.replace(/ in JSON at position \d+.*$/, '').replace(/ \(line \d+ column \d+\)$/, ''),
      offset: errorOffset(text, message),
    };
  }
}

function errorOffset(text: string, message: string): number {
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position !== undefined) return Number(position);
  if (/end of JSON input/.test(message)) return text.length;
  return firstBadOffset(text);
}

/**
 * Some JSON.parse messages carry no position (e.g. "Unexpected token 'o', ... is not valid JSON"). A prefix
 * that ends before the first bad character fails only for ending early, so the shortest prefix that fails
 * for another reason ends at the bad character.
 */
function firstBadOffset(text: string): number {
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (failsBeforeEnd(text.slice(0, middle + 1))) high = middle;
    else low = middle + 1;
  }
  return low;
}

function failsBeforeEnd(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return false;
  } catch (error) {
    const message = (error as Error).message;
    if (/end of JSON input/.test(message)) return false;
    const position = /at position (\d+)/.exec(message)?.[1];
    return position === undefined || Number(position) < prefix.length;
  }
}

function positionOf(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - (before.lastIndexOf('\n') + 1) + 1;
  return { line, col };
}

function throwIfInvalid(perEvent: readonly (readonly EventIssue[])[]): void {
  const index = perEvent.findIndex((issues) => issues.length > 0);
  if (index === -1) return;
  const issues = perEvent.flat();
  const first = issues[0]!;
  throw new SteadyopsError('SO_E_EVENT_INVALID', { index, detail: `${withPath(first)}${moreProblems(issues.length)}` }, issues);
}

function withFile<T>(file: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof SteadyopsError)) throw error;
    const issues = error.issues.map((issue) => ({ ...issue, file, message: withPath(issue) }));
    throw new SteadyopsError(error.code, { ...error.params, detail: `${file}: ${error.params['detail']}` }, issues);
  }
}

function withPath(issue: { readonly path?: string; readonly message: string }): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

function moreProblems(total: number): string {
  return total > 1 ? ` (and ${total - 1} more problem${total > 2 ? 's' : ''})` : '';
}

function joinPath(prefix: string, field: string): string {
  if (field === '') return prefix;
  return field.startsWith('[') ? `${prefix}${field}` : `${prefix}.${field}`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
