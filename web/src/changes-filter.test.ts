import { describe, expect, it } from 'vitest';
import { changesApiQuery, changesLink, defaultChangesFilter, filterFromSearch, filterToSearch, typePrefix, withFilter } from './changes-filter.ts';

describe('the Changes filter in the URL', () => {
  it('reads defaults from an empty query and round-trips every field', () => {
    expect(filterFromSearch('')).toEqual(defaultChangesFilter);
    const filter = { since: '7d', until: '2026-11-26T10:00:00Z', service: 'checkout-api,billing', team: 'payments', type: 'dev.steadyops.deploy.*', actor: 'token:ci', before: '120' };
    const search = filterToSearch(filter);
    expect(search).toBe('?since=7d&until=2026-11-26T10%3A00%3A00Z&service=checkout-api%2Cbilling&team=payments&type=dev.steadyops.deploy.*&actor=token%3Aci&before=120');
    expect(filterFromSearch(search)).toEqual(filter);
  });

  it('leaves defaults and blanks out of links, and ignores unknown or empty parameters', () => {
    expect(filterToSearch(defaultChangesFilter)).toBe('');
    expect(filterToSearch({ ...defaultChangesFilter, service: '  ' })).toBe('');
    expect(filterFromSearch('?service=&foo=bar&actor=%20ana%20')).toEqual({ ...defaultChangesFilter, actor: 'ana' });
    expect(changesLink({ since: '30m' })).toBe('/changes?since=30m');
    expect(changesLink({ since: '7d', type: typePrefix('access') })).toBe('/changes?since=7d&type=dev.steadyops.access.*');
  });

  it('goes back to the newest page when a filter changes', () => {
    const paged = { ...defaultChangesFilter, before: '500' };
    expect(withFilter(paged, { service: 'search-api' })).toEqual({ ...defaultChangesFilter, service: 'search-api' });
    expect(withFilter(paged, { before: '450' }).before).toBe('450');
  });

  it('asks the server to filter and paginate', () => {
    expect(changesApiQuery(defaultChangesFilter)).toBe('/api/v1/changes?since=24h&limit=50');
    const query = new URL(changesApiQuery({ ...defaultChangesFilter, service: 'checkout-api', team: 'payments', type: 'dev.steadyops.alert.*', actor: 'token:ci', before: '77', until: '1h' }), 'http://x');
    expect(Object.fromEntries(query.searchParams)).toEqual({ since: '24h', limit: '50', until: '1h', service: 'checkout-api', team: 'payments', type: 'dev.steadyops.alert.*', actor: 'token:ci', before: '77' });
  });
});
