import { describe, expect, it } from 'vitest';
import { alertEventsLink, auditRunsLink, eventLink, eventSeqLink, riskAcceptancesLink, seqLink } from './event-links.ts';

describe('links from figures to their ledger events', () => {
  it("opens an event's own page by id and source", () => {
    expect(eventLink({ id: 'deploy 1', source: '/github/acme' })).toBe('/events/deploy%201?source=%2Fgithub%2Facme');
  });

  it("opens an event's own page by its sequence number, the colon of seq:N encoded", () => {
    expect(eventSeqLink(41)).toBe('/events/seq%3A41');
    expect(decodeURIComponent(eventSeqLink(7).slice('/events/'.length))).toBe('seq:7');
  });

  it('opens the Changes page at a seq, keeping a filter', () => {
    expect(seqLink(41)).toBe('/changes?since=365d&before=42');
    expect(seqLink(9, { service: 'checkout-api', type: 'dev.steadyops.incident.*' })).toBe('/changes?since=365d&service=checkout-api&type=dev.steadyops.incident.*&before=10');
  });

  it("shows the alert events of a window, of the owner's team unless unowned", () => {
    expect(alertEventsLink('7d')).toBe('/changes?since=7d&type=dev.steadyops.alert.*');
    expect(alertEventsLink('7d', 'payments')).toBe('/changes?since=7d&team=payments&type=dev.steadyops.alert.*');
    expect(alertEventsLink('7d', 'unowned')).toBe('/changes?since=7d&type=dev.steadyops.alert.*');
  });

  it('shows the audit runs and risk acceptances behind the Audit counts', () => {
    expect(auditRunsLink).toBe('/changes?since=30d&type=dev.steadyops.audit.completed');
    expect(riskAcceptancesLink).toBe('/changes?since=365d&type=dev.steadyops.audit.risk.accepted');
  });
});
