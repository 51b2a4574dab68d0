import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SteadyopsError } from '../../lib/errors.ts';

type ParserDone = (error: Error | null, body?: unknown) => void;

/**
 * Registers JSON body parsing for these media types. Parsing stays Fastify's own (with its
 * prototype-poisoning protection); when it fails, the error says what is wrong and where,
 * which Fastify's generic "Body is not valid JSON" does not.
 */
export function jsonBody(app: FastifyInstance, mediaTypes: readonly string[]): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  for (const mediaType of mediaTypes) {
    if (app.hasContentTypeParser(mediaType)) app.removeContentTypeParser(mediaType);
  }
  app.addContentTypeParser([...mediaTypes], { parseAs: 'string' }, (request: FastifyRequest, body: string | Buffer, done: ParserDone) => {
    const text = String(body);
    parse(request, text, (error: Error | null, parsed?: unknown) => done(error ? describeJsonError(error, text) : null, parsed));
  });
}

export function describeJsonError(error: Error, text: string): Error {
  if ((error as { code?: string }).code !== 'FST_ERR_CTP_INVALID_JSON_BODY') return error;
  try {
    JSON.parse(text);
  } catch (syntaxError) {
    return syntaxProblem((syntaxError as Error).message, text);
  }
  const message = 'contains a "__proto__" or "constructor.prototype" key, which is refused';
  return new SteadyopsError('SO_E_INPUT_INVALID', { detail: `the body ${message}` }, [{ path: 'body', message }]);
}

function syntaxProblem(reason: string, text: string): SteadyopsError {
  const position = /at position (\d+)/.exec(reason)?.[1];
  const cause = reason.replace(/ in JSON at position \d+.*$/, '');
  if (position === undefined) {
    const message = `not valid JSON: ${cause}`;
    return new SteadyopsError('SO_E_INPUT_INVALID', { detail: `the body is ${message}` }, [{ path: 'body', message }]);
  }
  const { line, col } = lineAndColumn(text, Number(position));
  const message = `not valid JSON at line ${line} column ${col}: ${cause}`;
  return new SteadyopsError('SO_E_INPUT_INVALID', { detail: `the body is ${message}` }, [{ path: 'body', line, col, message }]);
}

function lineAndColumn(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, col: offset - (before.lastIndexOf('\n') + 1) + 1 };
}
