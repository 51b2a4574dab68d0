import { type FormEvent, useState } from 'react';
import type { ChangesResponse, LedgerEvent } from '../api-types.ts';
import { type ChangesFilter, changesApiQuery, filterFromSearch, filterToSearch, pageSize, timeRanges, typeAreas, typePrefix, withFilter } from '../changes-filter.ts';
import { formatAge, formatTime, personOf, shortType } from '../format.ts';
import { Link } from '../Link.tsx';
import { Loaded } from '../Panel.tsx';
import { useChanges, useModel } from '../queries.ts';
import { navigate } from '../router.ts';

/** The ledger timeline, filtered and paginated by the server; the filter lives in the URL. */
export function ChangesPage(props: { readonly search: string }) {
  const filter = filterFromSearch(props.search);
  const changes = useChanges(changesApiQuery(filter));
  const apply = (change: Partial<ChangesFilter>): void => navigate(`/changes${filterToSearch(withFilter(filter, change))}`);
  return (
    <>
      <h1>Changes</h1>
      <Filters key={props.search} filter={filter} apply={apply} />
      <Loaded query={changes} what="changes">
        {(data: ChangesResponse) => (
          <>
            <p className="muted" aria-live="polite">
              {data.events.length === 0 ? 'No events match.' : `${data.events.length} event${data.events.length === 1 ? '' : 's'}`} from {formatTime(data.since)} to{' '}
              {formatTime(data.until)}
              {filter.before ? `, older than #${filter.before}` : ''}
            </p>
            <Timeline events={data.events} filter={filter} />
            <nav className="pager" aria-label="Pages of events">
              {filter.before ? (
                <button type="button" onClick={() => apply({ before: '' })}>
                  Newest
                </button>
              ) : null}
              {data.next && data.events.length >= pageSize ? (
                <button type="button" onClick={() => apply({ before: String(data.next) })}>
                  Older events
                </button>
              ) : null}
            </nav>
          </>
        )}
      </Loaded>
    </>
  );
}

function Filters(props: { readonly filter: ChangesFilter; readonly apply: (change: Partial<ChangesFilter>) => void }) {
  const model = useModel();
  const [draft, setDraft] = useState(props.filter);
  const set = (change: Partial<ChangesFilter>): void => setDraft({ ...draft, ...change });
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    props.apply(draft);
  };
  const subjects = [...(model.data?.services ?? []).map((service) => service.name), ...(model.data?.datastores ?? []).map((store) => store.name)];
  const areaTypes = typeAreas.map(typePrefix);
  return (
    <form className="filters" onSubmit={submit} aria-label="Filter changes">
      <label>
        Service
        <input name="service" list="subjects" value={draft.service} placeholder="any" onChange={(event) => set({ service: event.target.value })} />
        <datalist id="subjects">
          {subjects.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
      </label>
      <label>
        Team
        <select name="team" value={draft.team} onChange={(event) => props.apply({ ...draft, team: event.target.value })}>
          <option value="">any</option>
          {(model.data?.teams ?? []).map((team) => (
            <option key={team.name} value={team.name}>
              {team.title ?? team.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Type
        <input name="type" list="types" value={draft.type} placeholder="any" onChange={(event) => set({ type: event.target.value })} />
        <datalist id="types">
          {areaTypes.map((type) => (
            <option key={type} value={type} />
          ))}
        </datalist>
      </label>
      <label>
        Actor
        <input name="actor" value={draft.actor} placeholder="any, e.g. token:ci" onChange={(event) => set({ actor: event.target.value })} />
      </label>
      <label>
        Since
        <select name="since" value={draft.since} onChange={(event) => props.apply({ ...draft, since: event.target.value })}>
          {[...new Set([...timeRanges, draft.since])].map((range) => (
            <option key={range} value={range}>
              last {range}
            </option>
          ))}
        </select>
      </label>
      <label>
        Until
        <input name="until" value={draft.until} placeholder="now" onChange={(event) => set({ until: event.target.value })} />
      </label>
      <div className="filter-actions">
        <button type="submit">Apply</button>
        <button type="button" onClick={() => navigate('/changes')}>
          Reset
        </button>
      </div>
    </form>
  );
}

function Timeline(props: { readonly events: readonly LedgerEvent[]; readonly filter: ChangesFilter }) {
  const now = new Date();
  const narrowed = (change: Partial<ChangesFilter>): string => `/changes${filterToSearch(withFilter(props.filter, change))}`;
  if (props.events.length === 0) return null;
  return (
    <table className="timeline">
      <caption className="sr-only">Ledger events, newest first</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Type</th>
          <th scope="col">Subject</th>
          <th scope="col">Environment</th>
          <th scope="col">Actor</th>
          <th scope="col">Seq</th>
        </tr>
      </thead>
      <tbody>
        {props.events.map((event) => (
          <tr key={event.seq} data-seq={event.seq}>
            <td title={event.time}>
              {formatTime(event.time)} <span className="muted">{formatAge(event.time, now)}</span>
            </td>
            <td>
              <Link to={`/events/${encodeURIComponent(event.id)}?source=${encodeURIComponent(event.source)}`}>{shortType(event.type)}</Link>
            </td>
            <td className="subject">{event.subject ? <Link to={narrowed({ service: event.subject })}>{event.subject}</Link> : <span className="muted">unowned</span>}</td>
            <td>{event.environment ?? '–'}</td>
            <td>
              <Link to={narrowed({ actor: event.actor })}>{personOf(event.actor)}</Link>
            </td>
            <td className="num">{event.seq}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
