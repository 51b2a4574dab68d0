import { useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useState } from 'react';
import { apiGet, forgetToken, storedToken } from './api.ts';
import type { Whoami } from './api-types.ts';
import { Link } from './Link.tsx';
import { LiveIndicator } from './LiveIndicator.tsx';
import { AuditPage } from './pages/AuditPage.tsx';
import { ChangesPage } from './pages/ChangesPage.tsx';
import { EventPage } from './pages/EventPage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { NowPage } from './pages/NowPage.tsx';
import { ServicePage } from './pages/ServicePage.tsx';
import { SettingsPage } from './pages/SettingsPage.tsx';
import { ServicesPage } from './pages/ServicesPage.tsx';
import { metricsPagePath } from './metrics-view.ts';
import { useLocation } from './router.ts';

// pages of their own chunk, fetched when first opened (the incident list and detail share one)
const IncidentsPage = lazy(() => import('./pages/IncidentsPage.tsx').then((module) => ({ default: module.IncidentsPage })));
const IncidentPage = lazy(() => import('./pages/IncidentsPage.tsx').then((module) => ({ default: module.IncidentPage })));
const MetricsPage = lazy(() => import('./pages/MetricsPage.tsx').then((module) => ({ default: module.MetricsPage })));

export function App() {
  const [token, setToken] = useState(storedToken);
  const queryClient = useQueryClient();
  useEffect(() => {
    const logout = (): void => {
      setToken(null);
      queryClient.clear();
    };
    window.addEventListener('steadyops:logout', logout);
    return () => window.removeEventListener('steadyops:logout', logout);
  }, [queryClient]);
  if (!token) return <LoginPage onLogin={setToken} />;
  return <Shell />;
}

function Shell() {
  const location = useLocation();
  const whoami = useQuery({ queryKey: ['whoami'], queryFn: () => apiGet<Whoami>('/api/v1/whoami') });
  const section = location.path.startsWith('/changes') || location.path.startsWith('/events/') ? 'changes' : location.path === '/' ? 'now' : '';
  const inServices = location.path === '/services' || location.path.startsWith('/services/');
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link to="/" className="brand">
          steadyops
        </Link>
        <nav aria-label="Pages">
          <Link to="/" aria-current={section === 'now' ? 'page' : undefined}>
            Now
          </Link>
          <Link to="/changes" aria-current={section === 'changes' ? 'page' : undefined}>
            Changes
          </Link>
          <Link to="/services" aria-current={inServices ? 'page' : undefined}>
            Services
          </Link>
          <Link to="/incidents" aria-current={location.path === '/incidents' || location.path.startsWith('/incidents/') ? 'page' : undefined}>
            Incidents
          </Link>
          <Link to={metricsPagePath} aria-current={location.path === metricsPagePath ? 'page' : undefined}>
            Metrics
          </Link>
          <Link to="/audit" aria-current={location.path === '/audit' ? 'page' : undefined}>
            Audit
          </Link>
          <Link to="/settings" aria-current={location.path === '/settings' ? 'page' : undefined}>
            Settings
          </Link>
        </nav>
        <LiveIndicator />
        <div className="who" data-testid="whoami">
          {whoami.data ? (
            <>
              <span>{whoami.data.name}</span> <span className="role">{whoami.data.role}</span>
            </>
          ) : null}
          <button type="button" onClick={forgetToken}>
            Log out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<p className="muted">Loading the page…</p>}>
          <Page path={location.path} search={location.search} />
        </Suspense>
      </main>
    </>
  );
}

function Page(props: { readonly path: string; readonly search: string }) {
  if (props.path === '/') return <NowPage />;
  if (props.path === '/changes') return <ChangesPage search={props.search} />;
  if (props.path === '/services') return <ServicesPage search={props.search} />;
  if (props.path === '/audit') return <AuditPage />;
  if (props.path === '/incidents') return <IncidentsPage search={props.search} />;
  if (props.path.startsWith('/incidents/')) return <IncidentPage id={decodeURIComponent(props.path.slice('/incidents/'.length))} />;
  if (props.path === metricsPagePath) return <MetricsPage search={props.search} />;
  if (props.path === '/settings') return <SettingsPage />;
  if (props.path.startsWith('/services/')) return <ServicePage name={decodeURIComponent(props.path.slice('/services/'.length))} search={props.search} />;
  if (props.path.startsWith('/events/')) return <EventPage id={decodeURIComponent(props.path.slice('/events/'.length))} search={props.search} />;
  return (
    <section>
      <h1>Not found</h1>
      <p>
        There is no page at {props.path}. <Link to="/">Go to Now</Link>.
      </p>
    </section>
  );
}
