import type { LedgerEvent } from '../../ledger/types.ts';

/** A Slack incoming-webhook message (Mattermost, Rocket.Chat and Google Chat's Slack mode take the same). */
export interface ChatMessage {
  readonly text: string;
  readonly blocks: readonly unknown[];
}

/** Slack mrkdwn treats &, < and > as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `headline` is plain text (it is escaped here); `details` are `label: value` lines under it. */
export function chatMessage(headline: string, details: ReadonlyArray<readonly [string, string | undefined]>, event: LedgerEvent): ChatMessage {
  const lines = details.filter((detail): detail is readonly [string, string] => detail[1] !== undefined && detail[1] !== '');
  const body = [`*${escapeMrkdwn(headline)}*`, ...lines.map(([label, value]) => `${label}: ${escapeMrkdwn(value)}`)].join('\n');
  return {
    text: [headline, ...lines.map(([label, value]) => `${label}: ${value}`)].join('\n'),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: body } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(`steadyops ledger seq ${event.seq} · ${event.type} · ${event.time}`) }] },
    ],
  };
}
