import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, Fragment, useId, useState } from 'react';
import { ApiError, apiGet } from '../api.ts';
import { apiSend } from '../api-send.ts';
import type { AcceptanceResult, AuditFinding, AuditReport, AuditSeverity, Whoami } from '../api-types.ts';
import {
  acceptedFindings,
  backlogByMilestone,
  bars,
  type BacklogEntry,
  domainSeverityMatrix,
  factLabel,
  locationText,
  milestoneTitles,
  openCounts,
  operatingModelTitle,
  severities,
  sortScorecards,
  trendDirection,
  validateAcceptance,
} from '../audit-view.ts';
import { auditRunsLink, eventSeqLink, riskAcceptancesLink } from '../event-links.ts';
import { formatAge, formatTime, personOf } from '../format.ts';
import { Link } from '../Link.tsx';
import { ErrorNote, Loaded } from '../Panel.tsx';

const auditKey = ['audit'] as const;
const runRoles: ReadonlyArray<Whoami['role']> = ['operator', 'approver', 'admin'];
const acceptRoles: ReadonlyArray<Whoami['role']> = ['approver', 'admin'];

/** The latest audit of the server's repository: counts, bars, the prioritized backlog, scorecards, operating model. */
export function AuditPage() {
  const whoami = useQuery({ queryKey: ['whoami'], queryFn: () => apiGet<Whoami>('/api/v1/whoami') });
  const audit = useQuery({ queryKey: auditKey, queryFn: () => apiGet<AuditReport>('/api/v1/audit'), staleTime: 60_000 });
  const role = whoami.data?.role;
  return (
    <>
      <h1>Audit</h1>
      <RunBar report={audit.data} canRun={role !== undefined && runRoles.includes(role)} />
      <Loaded query={audit} what="the latest audit">
        {(report: AuditReport) => <Report report={report} canAccept={role !== undefined && acceptRoles.includes(role)} role={role} />}
      </Loaded>
    </>
  );
}

function RunBar(props: { readonly report: AuditReport | undefined; readonly canRun: boolean }) {
  const queryClient = useQueryClient();
  const run = useMutation({
    mutationFn: () => apiSend<AuditReport>('POST', '/api/v1/audit/runs'),
    onSuccess: (report) => queryClient.setQueryData(auditKey, report),
  });
  const now = new Date();
  return (
    <div className="audit-run">
      {props.report ? (
        <p data-testid="audit-run-at">
          Run <span title={formatTime(props.report.run.at)}>{formatAge(props.report.run.at, now)}</span> over <code>{props.report.run.root}</code>,{' '}
          {props.report.run.filesScanned} files scanned.
        </p>
      ) : null}
      {props.canRun ? (
        <button type="button" onClick={() => run.mutate()} disabled={run.isPending}>
          {run.isPending ? 'Running the audit…' : 'Run audit now'}
        </button>
      ) : null}
      {run.isError ? <ErrorNote error={run.error} what="a new audit run" /> : null}
      {run.isSuccess ? (
        <p role="status" className="ok-text">
          Audit recorded: {run.data.summary.open} open, {run.data.summary.riskAccepted} risk-accepted.
        </p>
      ) : null}
    </div>
  );
}

function Report(props: { readonly report: AuditReport; readonly canAccept: boolean; readonly role: Whoami['role'] | undefined }) {
  const { report } = props;
  const summary = report.summary;
  return (
    <>
      <section aria-labelledby="audit-summary" className="audit-section">
        <h2 id="audit-summary">Summary</h2>
        <dl className="stats" data-testid="audit-summary">
          <div>
            <dt>Open findings</dt>
            <dd>
              <Link to={auditRunsLink}>{summary.open}</Link>
            </dd>
          </div>
          <div>
            <dt>Risk-accepted</dt>
            <dd>
              <Link to={riskAcceptancesLink}>{summary.riskAccepted}</Link>
            </dd>
          </div>
          <div>
            <dt>Controls passing</dt>
            <dd>{summary.controls.pass}</dd>
          </div>
          <div>
            <dt>Controls failing</dt>
            <dd>{summary.controls.fail}</dd>
          </div>
          <div>
            <dt>Not applicable</dt>
            <dd>{summary.controls.notApplicable}</dd>
          </div>
        </dl>
        {summary.wouldAdd.length > 0 ? (
          <ul className="muted">
            {summary.wouldAdd.map((gap) => (
              <li key={gap.source}>
                Without the {gap.source}, {gap.controls.length} controls did not run: {gap.how}
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      <div className="audit-charts">
        <SeverityBars bySeverity={summary.bySeverity} />
        <DomainBars findings={report.run.findings} byDomain={summary.byDomain} />
      </div>
      <Backlog report={report} canAccept={props.canAccept} role={props.role} />
      <Accepted findings={report.run.findings} />
      <Scorecards report={report} />
      <OperatingModel model={report.operatingModel} />
      {report.run.warnings.length > 0 ? (
        <section aria-labelledby="audit-warnings" className="audit-section">
          <h2 id="audit-warnings">What the scanners could not read</h2>
          <ul>
            {report.run.warnings.map((warning, i) => (
              <li key={i}>{warning.message}</li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

function SeverityBars(props: { readonly bySeverity: Readonly<Record<AuditSeverity, number>> }) {
  return (
    <section aria-labelledby="audit-severity" className="panel audit-chart">
      <h2 id="audit-severity">Open findings by severity</h2>
      <ul className="bars" data-testid="severity-bars">
        {bars(props.bySeverity, severities).map((bar) => (
          <li key={bar.label}>
            <span className="bar-label">{bar.label}</span>
            <span className="bar-track" aria-hidden="true">
              <span className={`bar sev-${bar.label}`} style={{ width: `${bar.percent}%` }} />
            </span>
            <span className="bar-count">{bar.count}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function DomainBars(props: { readonly findings: readonly AuditFinding[]; readonly byDomain: Readonly<Record<string, number>> }) {
  const rows = domainSeverityMatrix(props.findings);
  const max = Math.max(1, ...rows.map((row) => row.total));
  const clean = Object.entries(props.byDomain)
    .filter(([, count]) => count === 0)
    .map(([domain]) => domain);
  return (
    <section aria-labelledby="audit-domain" className="panel audit-chart">
      <h2 id="audit-domain">Open findings by domain</h2>
      <ul className="bars" data-testid="domain-bars">
        {rows.map((row) => (
          <li key={row.domain} title={openCounts(row.bySeverity)}>
            <span className="bar-label">{row.domain}</span>
            <span className="bar-track" aria-hidden="true">
              {severities.map((severity) =>
                row.bySeverity[severity] > 0 ? <span key={severity} className={`bar sev-${severity}`} style={{ width: `${(row.bySeverity[severity] / max) * 100}%` }} /> : null,
              )}
            </span>
            <span className="bar-count">
              {row.total} <span className="sr-only">({openCounts(row.bySeverity)})</span>
            </span>
          </li>
        ))}
      </ul>
      <p className="legend muted" aria-hidden="true">
        {severities.map((severity) => (
          <span key={severity}>
            <span className={`swatch sev-${severity}`} /> {severity}
          </span>
        ))}
      </p>
      {clean.length > 0 ? <p className="muted">No open findings: {clean.join(', ')}.</p> : null}
    </section>
  );
}

function Backlog(props: { readonly report: AuditReport; readonly canAccept: boolean; readonly role: Whoami['role'] | undefined }) {
  const groups = backlogByMilestone(props.report);
  return (
    <section aria-labelledby="audit-backlog" className="audit-section">
      <h2 id="audit-backlog">Reliability backlog</h2>
      <p className="muted">
        Ranked by severity × blast radius × likelihood ÷ effort.{' '}
        {props.canAccept || props.role === undefined ? null : `Accepting a risk needs the approver role; you are signed in as ${props.role}.`}
      </p>
      {groups.length === 0 ? <p className="answer">Nothing is open.</p> : null}
      {groups.map((group) => (
        <section key={group.milestone} className="milestone" data-milestone={group.milestone} aria-label={milestoneTitles[group.milestone]}>
          <h3>
            {milestoneTitles[group.milestone]} <span className="muted">({group.entries.length})</span>
          </h3>
          <ol className="backlog">
            {group.entries.map((entry) => (
              <BacklogItem key={entry.item.fingerprint} entry={entry} canAccept={props.canAccept} />
            ))}
          </ol>
        </section>
      ))}
    </section>
  );
}

function BacklogItem(props: { readonly entry: BacklogEntry; readonly canAccept: boolean }) {
  const { item, finding } = props.entry;
  const [accepted, setAccepted] = useState<AcceptanceResult | undefined>();
  const location = locationText(finding?.location);
  return (
    <li className={`finding sev-border-${finding?.severity ?? 'low'}`} data-fingerprint={item.fingerprint} value={item.rank}>
      <p className="finding-head">
        <span className="rank">#{item.rank}</span> {finding ? <span className={`sev sev-${finding.severity}`}>{finding.severity}</span> : null} <strong>{finding?.title ?? item.fingerprint}</strong>{' '}
        {finding ? <code>{finding.controlId}</code> : null} {accepted ? <span className="badge accepted">risk accepted</span> : null}
      </p>
      {finding ? (
        <p className="finding-meta">
          {finding.resource}
          {finding.service ? <span className="muted"> · service {finding.service}</span> : null}
          {finding.team ? <span className="muted"> · team {finding.team}</span> : null}
          {location ? <span className="muted"> · {location}</span> : null}
          <span className="muted"> · effort {finding.effort} · priority {item.priority}</span>
        </p>
      ) : null}
      <p className="why">
        <span className="muted">Why here: </span>
        {item.why}
      </p>
      {finding ? (
        <details>
          <summary>Evidence</summary>
          <p className="evidence">{finding.evidence}</p>
        </details>
      ) : null}
      {accepted ? (
        <p role="status" className="accept-result ok-text" data-accepted={accepted.acceptance.fingerprint}>
          Risk accepted by {personOf(accepted.acceptance.acceptedBy)} until {formatTime(accepted.acceptance.expiresAt)} (<Link to={eventSeqLink(accepted.seq)}>ledger event #{accepted.seq}</Link>). The next audit run reports it
          as risk-accepted.
        </p>
      ) : props.canAccept && finding?.status === 'open' ? (
        <AcceptForm fingerprint={item.fingerprint} title={finding.title} onAccepted={setAccepted} />
      ) : null}
    </li>
  );
}

function AcceptForm(props: { readonly fingerprint: string; readonly title: string; readonly onAccepted: (result: AcceptanceResult) => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [expires, setExpires] = useState('30d');
  const [touched, setTouched] = useState(false);
  const id = useId();
  const accept = useMutation({
    mutationFn: () => apiSend<AcceptanceResult>('POST', '/api/v1/audit/acceptances', { fingerprint: props.fingerprint, reason: reason.trim(), expires: expires.trim() }),
    onSuccess: props.onAccepted,
  });
  if (!open) {
    return (
      <button type="button" className="accept-open" onClick={() => setOpen(true)} aria-label={`Accept risk: ${props.title}`}>
        Accept risk
      </button>
    );
  }
  const problems = validateAcceptance({ reason, expires });
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setTouched(true);
    if (problems.reason || problems.expires) return;
    accept.mutate();
  };
  return (
    <form className="accept-form" onSubmit={submit} aria-label={`Accept the risk of ${props.title}`} noValidate>
      <label htmlFor={`${id}-reason`}>Why is this risk acceptable for now?</label>
      <textarea
        id={`${id}-reason`}
        rows={2}
        autoFocus
        value={reason}
        onChange={(event) => setReason(event.target.value)}
        aria-invalid={touched && problems.reason ? true : undefined}
        aria-describedby={touched && problems.reason ? `${id}-reason-error` : undefined}
      />
      {touched && problems.reason ? (
        <p id={`${id}-reason-error`} className="error">
          {problems.reason}
        </p>
      ) : null}
      <label htmlFor={`${id}-expires`}>Expires in</label>
      <input
        id={`${id}-expires`}
        value={expires}
        onChange={(event) => setExpires(event.target.value)}
        list={`${id}-expiries`}
        aria-invalid={touched && problems.expires ? true : undefined}
        aria-describedby={`${id}-expires-help`}
      />
      <datalist id={`${id}-expiries`}>
        <option value="7d" />
        <option value="30d" />
        <option value="90d" />
        <option value="180d" />
      </datalist>
      <p id={`${id}-expires-help`} className={touched && problems.expires ? 'error' : 'muted'}>
        {touched && problems.expires ? problems.expires : 'A duration of at most 180d, e.g. 30d.'}
      </p>
      <div className="form-actions">
        <button type="submit" disabled={accept.isPending}>
          Record acceptance
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
      {accept.isError ? (
        <p role="alert" className="error">
          {accept.error instanceof ApiError ? `Refused (${accept.error.status}): ${accept.error.message}` : String(accept.error)}
        </p>
      ) : null}
    </form>
  );
}

function Accepted(props: { readonly findings: readonly AuditFinding[] }) {
  const accepted = acceptedFindings(props.findings);
  if (accepted.length === 0) return null;
  return (
    <section aria-labelledby="audit-accepted" className="audit-section">
      <h2 id="audit-accepted">Risk-accepted findings</h2>
      <table data-testid="accepted-findings">
        <thead>
          <tr>
            <th scope="col">Finding</th>
            <th scope="col">Accepted by</th>
            <th scope="col">Reason</th>
            <th scope="col">Until</th>
          </tr>
        </thead>
        <tbody>
          {accepted.map((finding) => (
            <tr key={finding.fingerprint} data-fingerprint={finding.fingerprint}>
              <td>
                <span className={`sev sev-${finding.severity}`}>{finding.severity}</span> {finding.title} <span className="muted">{finding.resource}</span>
              </td>
              <td>{personOf(finding.acceptance?.acceptedBy)}</td>
              <td>{finding.acceptance?.reason}</td>
              <td>{finding.acceptance ? formatTime(finding.acceptance.expiresAt) : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

const trendSymbols = { up: '▲ better', down: '▼ worse', same: '= same', new: 'first run' } as const;

function Scorecards(props: { readonly report: AuditReport }) {
  const cards = sortScorecards(props.report.scorecards);
  return (
    <section aria-labelledby="audit-scorecards" className="audit-section">
      <h2 id="audit-scorecards">Scorecards</h2>
      {cards.length === 0 ? (
        <p className="muted">No scorecards: the audit found no ownership model.</p>
      ) : (
        <table data-testid="scorecards">
          <thead>
            <tr>
              <th scope="col">Team or service</th>
              <th scope="col">Level</th>
              <th scope="col">Trend</th>
              <th scope="col">Open findings</th>
              <th scope="col">Next level needs</th>
            </tr>
          </thead>
          <tbody>
            {cards.map((card) => {
              const direction = trendDirection(card.trend);
              return (
                <tr key={`${card.kind} ${card.name}`}>
                  <td>
                    <span className="muted">{card.kind}</span> <strong>{card.name}</strong>
                  </td>
                  <td>
                    <span className={`level level-${card.level}`}>{card.level}</span>
                  </td>
                  <td className={`trend-${direction}`} title={card.trend.join(' → ')}>
                    {trendSymbols[direction]}
                    {card.trend.length > 1 ? <span className="muted"> ({card.trend.join(' → ')})</span> : null}
                  </td>
                  <td>{openCounts(card.openFindings)}</td>
                  <td>{card.nextLevelBlockers.length === 0 ? <span className="muted">top level</span> : card.nextLevelBlockers.join('; ')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

function OperatingModel(props: { readonly model: AuditReport['operatingModel'] }) {
  return (
    <section aria-labelledby="audit-operating-model" className="audit-section" data-testid="operating-model">
      <h2 id="audit-operating-model">Operating model</h2>
      <p className="answer">Recommended: {operatingModelTitle(props.model.recommended)}</p>
      <ul>
        {props.model.reasons.map((reason) => (
          <li key={reason}>{reason}</li>
        ))}
      </ul>
      <dl className="facts">
        {Object.entries(props.model.facts).map(([key, value]) => (
          <Fragment key={key}>
            <dt>{factLabel(key)}</dt>
            <dd>{value}</dd>
          </Fragment>
        ))}
      </dl>
    </section>
  );
}
