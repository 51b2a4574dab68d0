import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SteadyopsError, isSteadyopsError, type ErrorIssue } from '../../lib/errors.ts';
import type { Problem } from '../schemas/problem.ts';

export const problemContentType = 'application/problem+json';

interface FastifyValidationIssue {
  readonly instancePath?: string;
  readonly message?: string;
  readonly params?: Record<string, unknown>;
}

/** Installs the one error mapper: every failure leaves the server as RFC 9457 problem+json. */
export function problemDetails(app: FastifyInstance, options: { bodyLimit: number }): void {
  app.setErrorHandler((error: unknown, request, reply) => {
    const coded = toSteadyopsError(error, { bodyLimit: options.bodyLimit, contentType: request.headers['content-type'] });
    if (coded.spec.status >= 500) request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, request, coded);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, request, new SteadyopsError('SO_E_NOT_FOUND', { what: 'route', id: `${request.method} ${request.url}` })),
  );
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, error: SteadyopsError): FastifyReply {
  const problem = toProblem(error, request.url);
  if (problem.status === 401) reply.header('WWW-Authenticate', 'Bearer realm="steadyops"');
  return reply.code(problem.status).type(problemContentType).send(problem);
}

export function toProblem(error: SteadyopsError, instance: string): Problem {
  const spec = error.spec;
  return {
    type: `https://steadyops.dev/errors/${error.code}`,
    title: spec.title,
    status: spec.status,
    detail: error.message,
    code: error.code,
    instance,
    ...(error.issues.length > 0 ? { issues: error.issues.map((issue) => ({ ...issue })) } : {}),
  };
}

/** Maps anything thrown while serving a request onto the error catalogue. */
export function toSteadyopsError(error: unknown, context: { bodyLimit: number; contentType?: string }): SteadyopsError {
  if (isSteadyopsError(error)) return error;
  const fastifyError = error as Partial<FastifyError> | undefined;
  if (fastifyError?.validation) return validationError(fastifyError.validation, fastifyError.validationContext);
  switch (fastifyError?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new SteadyopsError('SO_E_BODY_TOO_LARGE', { limit: context.bodyLimit });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new SteadyopsError('SO_E_INPUT_INVALID', { detail: 'the body is not valid JSON' }, [{ path: 'body', message: 'is not valid JSON' }]);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new SteadyopsError('SO_E_INPUT_INVALID', { detail: 'the body is empty; send a JSON document' }, [
        { path: 'body', message: 'is empty; send a JSON document' },
      ]);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new SteadyopsError('SO_E_UNSUPPORTED_MEDIA_TYPE', {
        contentType: context.contentType ?? '(none)',
        accepted: 'application/json',
      });
  }
  const status = fastifyError?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new SteadyopsError('SO_E_INPUT_INVALID', { detail: fastifyError?.message ?? 'the request is invalid' });
  }
  return new SteadyopsError('SO_E_INTERNAL', { detail: 'the request could not be completed; the server log has the details' });
}

function validationError(validation: readonly FastifyValidationIssue[], context: string | undefined): SteadyopsError {
  const location = context ?? 'request';
  const issues: ErrorIssue[] = validation.map((issue) => ({
    path: fieldPath(location, issue),
    message: issue.message ?? 'is invalid',
  }));
  const detail = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  return new SteadyopsError('SO_E_INPUT_INVALID', { detail: `invalid ${location}: ${detail}` }, issues);
}

function fieldPath(location: string, issue: FastifyValidationIssue): string {
  const segments = (issue.instancePath ?? '').split('/').filter((segment) => segment !== '');
  const missing = issue.params?.['missingProperty'];
  if (typeof missing === 'string') segments.push(missing);
  const extra = issue.params?.['additionalProperty'];
  if (typeof extra === 'string') segments.push(extra);
  return [location, ...segments].join('.');
}
