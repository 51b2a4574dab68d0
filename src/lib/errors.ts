/**
 * The one catalogue of coded errors. Every error the product raises on purpose has a code here;
 * `server/plugins/problem-details.ts` maps them to RFC 9457 problem+json and `cli/exit-code.ts`
 * maps them to exit codes. docs/errors.md documents each code (a test keeps them in step).
 */
export const errorCatalogue = {
  SO_E_USAGE: { status: 400, exit: 2, title: 'Invalid usage', template: '{detail}' },
  SO_E_INPUT_INVALID: { status: 400, exit: 2, title: 'Invalid input', template: '{detail}' },
  SO_E_MODEL_INVALID: {
    status: 422,
    exit: 2,
    title: 'Ownership model is invalid',
    template: 'the ownership model has {count} problem(s)',
  },
  SO_E_MODEL_NOT_FOUND: {
    status: 404,
    exit: 2,
    title: 'Ownership model not found',
    template: 'no ownership model at {path} (expected steadyops.yaml or a .steadyops/ folder)',
  },
  SO_E_EVENT_INVALID: {
    status: 422,
    exit: 2,
    title: 'Invalid CloudEvent',
    template: 'event {index} is invalid: {detail}',
  },
  SO_E_BODY_TOO_LARGE: {
    status: 413,
    exit: 2,
    title: 'Request body too large',
    template: 'the body is larger than the limit of {limit} bytes',
  },
  SO_E_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    exit: 2,
    title: 'Unsupported media type',
    template: 'content type {contentType} is not accepted here; use {accepted}',
  },
  SO_E_UNAUTHENTICATED: {
    status: 401,
    exit: 2,
    title: 'Authentication required',
    template: 'a valid bearer token is required',
  },
  SO_E_FORBIDDEN: {
    status: 403,
    exit: 2,
    title: 'Forbidden',
    template: 'role {role} may not do this; it needs {required} or higher',
  },
  SO_E_NOT_FOUND: { status: 404, exit: 2, title: 'Not found', template: '{what} {id} was not found' },
  SO_E_INCIDENT_TRANSITION: {
    status: 409,
    exit: 2,
    title: 'Incident transition refused',
    template: 'cannot {command} {incidentId}: {detail}',
  },
  SO_E_FOLLOWUP_CLOSED: {
    status: 409,
    exit: 2,
    title: 'Follow-up already closed',
    template: 'follow-up {id} is already closed: {detail}',
  },
  SO_E_CHECKPOINT_MISSING: {
    status: 409,
    exit: 1,
    title: 'No checkpoint covers this',
    template: 'no signed checkpoint covers tree size {size} yet',
  },
  SO_E_LEDGER_TAMPERED: {
    status: 409,
    exit: 1,
    title: 'Ledger verification failed',
    template: 'ledger verification failed at sequence {seq}: {detail}',
  },
  SO_E_PROOF_INVALID: { status: 409, exit: 1, title: 'Proof does not verify', template: '{detail}' },
  SO_E_SIGNING_KEY_MISMATCH: {
    status: 500,
    exit: 2,
    title: 'Signing key does not match the ledger',
    template: 'the signing key {keyFile} ({verifierKey}) is not the key this ledger was started with ({recorded}); point STEADYOPS_SIGNING_KEY_FILE at the ledger key',
  },
  SO_E_UNREACHABLE: {
    status: 502,
    exit: 3,
    title: 'Outside system unreachable',
    template: 'could not reach {target}: {detail}',
  },
  SO_E_DB_UNAVAILABLE: {
    status: 503,
    exit: 3,
    title: 'Database unavailable',
    template: 'the database {target} is unavailable: {detail}',
  },
  SO_E_HOOK_NOT_CONFIGURED: {
    status: 503,
    exit: 2,
    title: 'Webhook not configured',
    template: 'the {hook} webhook is not configured on this server: set {setting} to the secret configured at the sender',
  },
  SO_E_NOT_CONFIGURED: {
    status: 503,
    exit: 2,
    title: 'Not configured',
    template: '{feature} is not configured on this server: {detail}',
  },
  SO_E_INTERNAL: { status: 500, exit: 70, title: 'Internal error', template: 'internal error: {detail}' },
} as const satisfies Record<string, ErrorSpec>;

export interface ErrorSpec {
  readonly status: number;
  readonly exit: number;
  readonly title: string;
  readonly template: string;
}

export type ErrorCode = keyof typeof errorCatalogue;

/** One located problem, e.g. a model issue or a field of an event. */
export interface ErrorIssue {
  readonly message: string;
  readonly path?: string;
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
}

export type ErrorParams = Readonly<Record<string, string | number>>;

export class SteadyopsError extends Error {
  readonly code: ErrorCode;
  readonly params: ErrorParams;
  readonly issues: readonly ErrorIssue[];

  constructor(code: ErrorCode, params: ErrorParams = {}, issues: readonly ErrorIssue[] = [], options?: ErrorOptions) {
    super(renderTemplate(errorCatalogue[code].template, params), options);
    this.name = 'SteadyopsError';
    this.code = code;
    this.params = params;
    this.issues = issues;
  }

  get spec(): ErrorSpec {
    return errorCatalogue[this.code];
  }
}

export function renderTemplate(template: string, params: ErrorParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));
}

export function formatIssue(issue: ErrorIssue): string {
  if (issue.file) {
    const where = [issue.file, issue.line, issue.col].filter((part) => part !== undefined).join(':');
    return `${where}: ${issue.message}`;
  }
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

export function isSteadyopsError(error: unknown): error is SteadyopsError {
  return error instanceof SteadyopsError;
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(errorCatalogue, code);
}

/** Rebuilds an error a server reported (problem+json) with its code and the server's own detail. */
export function errorFromRemote(code: ErrorCode, detail: string, issues: readonly ErrorIssue[] = []): SteadyopsError {
  const error = new SteadyopsError(code, {}, issues);
  error.message = detail;
  return error;
}
