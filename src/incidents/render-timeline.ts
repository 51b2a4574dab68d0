import type { IncidentTimeline } from './build-timeline.ts';
import { humanDuration, timelineSection, triggerSection } from './render-postmortem.ts';

/** Plain text for a terminal: one line per entry, the likely trigger marked. */
export function renderTimelineText(timeline: IncidentTimeline): string {
  const header = `${timeline.incidentId} timeline, ${timeline.window.since} to ${timeline.window.until} (${[...timeline.subjects.services, ...timeline.subjects.dependencies].join(', ')})`;
  const lines = timeline.entries.map((entry) => {
    const delay = entry.ingestionDelayMs ? ` [ingested ${humanDuration(entry.ingestionDelayMs)} late]` : '';
    const mark = entry.likelyTrigger ? `  <- likely trigger: ${entry.triggerReason ?? ''}` : '';
    return `${entry.time.slice(0, 19).replace('T', ' ')}  ${entry.kind.padEnd(8)} ${(entry.service ?? '-').padEnd(18)} ${entry.summary} (${entry.actor}, seq:${entry.seq})${delay}${mark}`;
  });
  const trigger = timeline.likelyTrigger ? `Likely trigger: seq:${timeline.likelyTrigger.seq} ${timeline.likelyTrigger.summary}` : 'Likely trigger: none recorded before the first alert';
  return `${[header, ...(lines.length > 0 ? lines : ['(nothing recorded in the window)']), trigger].join('\n')}\n`;
}

/** Markdown: the timeline table and the likely trigger, as the postmortem shows them. */
export function renderTimelineMarkdown(timeline: IncidentTimeline, serverUrl?: string): string {
  return `${[`# ${timeline.incidentId} timeline`, '', ...timelineSection(timeline, serverUrl), '', ...triggerSection(timeline)].join('\n')}\n`;
}
