import { useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client.ts';
import { SignIn } from '../features/auth/SignIn.tsx';
import { CampaignCreate, CampaignEdit } from '../features/campaigns/CampaignCreate.tsx';
import { CampaignDetail } from '../features/campaigns/CampaignDetail.tsx';
import { CampaignList } from '../features/campaigns/CampaignList.tsx';
import { ContactHistory } from '../features/contacts/ContactHistory.tsx';
import { ContactsPage } from '../features/contacts/ContactsPage.tsx';
import { Overview } from '../features/overview/Overview.tsx';
import { RunPage } from '../features/runs/RunPage.tsx';
import { SettingsPage } from '../features/settings/SettingsPage.tsx';
import { TemplatesPage } from '../features/templates/TemplatesPage.tsx';
import { ErrorNotice } from './ErrorNotice.tsx';
import { Link, match, navigate, useLocation } from './router.tsx';
import { SessionContext, useSessionQuery, type Session } from './session.tsx';

const sections = [
  { to: '/', label: 'Overview' },
  { to: '/campaigns', label: 'Campaigns' },
  { to: '/contacts', label: 'Contacts' },
  { to: '/templates', label: 'Templates' },
  { to: '/settings', label: 'Settings' },
];

function Page({ path }: { path: string }) {
  let params: Record<string, string> | undefined;
  if (path === '/' || path.startsWith('/?')) return <Overview />;
  if (match('/campaigns/new', path)) return <CampaignCreate />;
  if ((params = match('/campaigns/:id/edit', path))) return <CampaignEdit id={params.id!} />;
  if ((params = match('/campaigns/:id', path))) return <CampaignDetail id={params.id!} />;
  if (match('/campaigns', path)) return <CampaignList />;
  if ((params = match('/runs/:id', path))) return <RunPage id={params.id!} />;
  if ((params = match('/contacts/:id', path))) return <ContactHistory id={params.id!} />;
  if (match('/contacts', path)) return <ContactsPage />;
  if (match('/templates', path)) return <TemplatesPage />;
  if (match('/settings', path)) return <SettingsPage />;
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        <Link to="/">Back to the overview</Link>
      </p>
    </section>
  );
}

function Shell({ session, path }: { session: Session; path: string }) {
  const queryClient = useQueryClient();
  const signOut = async () => {
    await unwrap(api.DELETE('/v1/sessions/current'));
    queryClient.clear();
    queryClient.setQueryData(['session'], null);
    navigate('/');
  };
  const current = (to: string) => (to === '/' ? path === '/' : path.startsWith(to));
  return (
    <SessionContext.Provider value={session}>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">EkTola</span>
        <nav aria-label="Sections">
          <ul>
            {sections.map((section) => (
              <li key={section.to}>
                <Link to={section.to} aria-current={current(section.to) ? 'page' : undefined}>
                  {section.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <span className="who">
          {session.apiKey.name} · <span className="role">{session.apiKey.role}</span>
        </span>
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <main id="main">
        <Page path={path} />
      </main>
    </SessionContext.Provider>
  );
}

export function App() {
  const path = useLocation();
  const session = useSessionQuery();
  if (session.isPending) return <p className="loading">Loading…</p>;
  if (session.error) return <ErrorNotice error={session.error} />;
  if (!session.data) return <SignIn />;
  return <Shell session={session.data} path={path} />;
}
