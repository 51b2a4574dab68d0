import { parseBinaryEvent, parseStructuredEvents } from '../../ledger/cloud-event.ts';
import type { CloudEventInput } from '../../ledger/types.ts';
import { SteadyopsError } from '../../lib/errors.ts';

export const cloudEventsJson = 'application/cloudevents+json';
export const cloudEventsBatchJson = 'application/cloudevents-batch+json';

export interface HttpMessage {
  readonly headers: Record<string, string | string[] | undefined>;
  /** the parsed JSON for JSON media types, the raw bytes otherwise */
  readonly body: unknown;
}

/**
 * The CloudEvents HTTP binding: structured mode (one event or a batch) by media type, else binary
 * mode when `ce-specversion` is present, else plain JSON as structured mode.
 */
export function cloudEventsFromHttp(message: HttpMessage): CloudEventInput[] {
  const header = message.headers['content-type'];
  const contentType = typeof header === 'string' ? header : undefined;
  const mediaType = mediaTypeOf(contentType);
  if (mediaType === cloudEventsJson) {
    if (Array.isArray(message.body)) {
      throw new SteadyopsError('SO_E_INPUT_INVALID', {
        detail: `${cloudEventsJson} carries one event; send an array as ${cloudEventsBatchJson}`,
      });
    }
    return parseStructuredEvents(message.body);
  }
  if (mediaType === cloudEventsBatchJson) {
    if (!Array.isArray(message.body)) {
      throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `${cloudEventsBatchJson} must be a JSON array of events` });
    }
    return parseStructuredEvents(message.body);
  }
  if (message.headers['ce-specversion'] !== undefined) return [parseBinaryEvent(message.headers, message.body, contentType)];
  if (mediaType === 'application/json') return parseStructuredEvents(message.body);
  throw new SteadyopsError('SO_E_UNSUPPORTED_MEDIA_TYPE', {
    contentType: mediaType ?? '(none)',
    accepted: `${cloudEventsJson}, ${cloudEventsBatchJson}, application/json, or binary mode with ce-* headers`,
  });
}

function mediaTypeOf(header: string | undefined): string | undefined {
  return header?.split(';')[0]?.trim().toLowerCase() || undefined;
}
