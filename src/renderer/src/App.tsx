import { useCallback, useEffect, useMemo, useRef, useState, type ComponentType, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppStatus } from '../../shared/api';
import { ApiError, call, logout, onAuthRequired, toApiError } from './api/client';
import { useStatusEvents } from './api/hooks';
import { useLatest } from './api/useLatest';
import { AppStatusContext, useAppStatus, type AppStatusApi } from './appStatus';
import { ClinicPlaceProvider } from './components/ClinicPlaceProvider';
import { Banners } from './components/Banners';
import { useChannelAlerts } from './components/ChannelAlerts';
import { ChannelStateChip } from './components/ChannelStateChip';
import { ErrorNote } from './components/ErrorNote';
import { LinkedDeviceChip } from './components/LinkedDeviceChip';
import { useNotify } from './components/Notify';
import { useScrollRegions } from './components/scrollRegions';
import { useFocusOnOpen } from './components/focusOnOpen';
import { useFormat } from './format';
import { setLanguage } from './i18n';
import { NavContext, mayLeave, targetOfHash, useNav, useUrlHash, type NavApi, type NavTarget, type PageId } from './nav';
import { Appointments } from './pages/Appointments';
import { Campaigns } from './pages/Campaigns';
import { SignIn } from './pages/Login';
import type { SessionView } from '../../shared/people';
import { SessionContext, sessionApi, useSession } from './session';
import { useIdleLock } from './idle-lock';
import { Messages } from './pages/Messages';
import { Panel } from './pages/Panel';
import { Patients } from './pages/Patients';
import { Results } from './pages/Results';
import { Settings } from './pages/Settings';
import { Wizard } from './pages/Wizard';

const PAGES: Record<PageId, ComponentType> = {
  panel: Panel,
  messages: Messages,
  appointments: Appointments,
  results: Results,
  patients: Patients,
  campaigns: Campaigns,
  settings: Settings,
};
const PAGE_IDS = Object.keys(PAGES) as PageId[];
// Pages only some roles use: hidden from the others (the core refuses their calls anyway).
const PAGE_NEEDS: Partial<Record<PageId, 'settings.update' | 'campaigns.create'>> = {
  settings: 'settings.update',
  campaigns: 'campaigns.create',
};

export function App() {
  const { t } = useTranslation();
  const [session, setSession] = useState<SessionView | null>(null);
  const [status, setStatus] = useState<AppStatus | null>(null);
  const [bootError, setBootError] = useState<ApiError | null>(null);
  const [attempt, setAttempt] = useState(0);
  const again = useCallback(() => setAttempt((a) => a + 1), []);

  // The core asked for a person (session ended, desktop locked itself): ask who is here again.
  useEffect(() => onAuthRequired(again), [again]);

  useEffect(() => {
    let current = true;
    call('session.current', {})
      .then(async (who) => {
        if (!current) return;
        setLanguage(who.language);
        setSession(who);
        if (!who.person && who.transport !== 'automation') {
          setStatus(null);
          setBootError(null);
          return;
        }
        const [s, settings] = await Promise.all([call('app.status', {}), call('settings.get', {})]);
        if (!current) return;
        setLanguage(settings.language);
        setStatus(s);
        setBootError(null);
      })
      .catch((error: unknown) => {
        if (current) setBootError(toApiError(error));
      });
    return () => {
      current = false;
    };
  }, [attempt]);

  const lock = useCallback(() => {
    void logout().finally(again);
  }, [again]);
  const api = useMemo(() => (session ? sessionApi(session, lock) : null), [session, lock]);

  if (session && !session.person && session.transport !== 'automation') {
    return <SignIn session={session} onSignedIn={again} />;
  }
  if (!status) {
    return (
      <div className="wizard-screen">
        <div className="card login">
          <div className="brand">Avisa</div>
          {bootError ? (
            <>
              <h1>{t('app.startError')}</h1>
              <ErrorNote error={bootError} onRetry={() => setAttempt((a) => a + 1)} retryLabel={t('common.retry')} />
            </>
          ) : (
            <p className="muted">{t('common.loading')}</p>
          )}
        </div>
      </div>
    );
  }
  if (!status.setupComplete) {
    return (
      <SessionContext.Provider value={api}>
        <Wizard
          onDone={(s) => {
            setStatus(s);
            // The wizard may have switched language; the core now stores it.
            setAttempt((a) => a + 1);
          }}
        />
      </SessionContext.Provider>
    );
  }
  return (
    <SessionContext.Provider value={api}>
      <Shell initial={status} />
    </SessionContext.Provider>
  );
}

/** Who is signed in, and the way out: lock (desktop: the next person picks themselves) or sign out (browser). */
function PersonChip() {
  const { t } = useTranslation();
  const { session, lock } = useSession();
  if (!session.person) return null;
  const desktop = session.transport === 'desktop';
  return (
    <span className="person-chip">
      <strong data-testid="signed-in-person">{session.person.name}</strong>
      <button type="button" className="secondary small" onClick={lock} data-testid="session-lock" title={desktop ? t('lock.hintSwitch') : undefined}>
        {desktop ? t('lock.lockOrSwitch') : t('login.signOut')}
      </button>
    </span>
  );
}

/** The desktop locks itself after the configured idle time; sending goes on in the core meanwhile. */
function IdleLock() {
  const { session, lock } = useSession();
  useIdleLock(session.transport === 'desktop' ? session.autoLockMinutes : 0, lock);
  return null;
}

function Shell({ initial }: { initial: AppStatus }) {
  const [status, setStatus] = useState(initial);
  const [statusError, setStatusError] = useState<ApiError | null>(null);
  const [refreshes, setRefreshes] = useState(0);
  // A status pushed or applied is newer than any `app.status` answer asked for before it, which must not undo it
  // (a late "ready" would clear a channel alert that came after it).
  const latest = useLatest();
  const applyStatus = useCallback(
    (s: AppStatus) => {
      latest.push();
      setStatus(s);
    },
    [latest],
  );
  const stale = useStatusEvents(applyStatus, true);

  useEffect(() => {
    if (stale === 0 && refreshes === 0) return undefined;
    let current = true;
    const asked = latest.ask();
    call('app.status', {}).then(
      (s) => {
        if (!current || !latest.answer(asked)) return;
        setStatus(s);
        setStatusError(null);
      },
      (error: unknown) => {
        if (current) setStatusError(toApiError(error));
      },
    );
    return () => {
      current = false;
    };
  }, [stale, refreshes, latest]);

  const api = useMemo<AppStatusApi>(
    () => ({ status, apply: applyStatus, refresh: () => setRefreshes((r) => r + 1) }),
    [status, applyStatus],
  );

  return (
    <AppStatusContext.Provider value={api}>
      <IdleLock />
      <ClinicPlaceProvider>
        <Layout statusError={statusError} />
      </ClinicPlaceProvider>
    </AppStatusContext.Provider>
  );
}

function Layout({ statusError }: { statusError: ApiError | null }) {
  const { t } = useTranslation();
  const { status } = useAppStatus();
  // `seq` opens the page afresh on every navigation, so a target's filter (e.g. unknown messages) always applies.
  const [nav, setNav] = useState<{ target: NavTarget; seq: number }>(() => ({ target: targetOfHash(window.location.hash), seq: 0 }));
  const { clear } = useNotify();
  // Notes are about the page they came from: moving on closes them.
  const goTo = useCallback(
    (target: NavTarget) => {
      if (!mayLeave(target)) return;
      clear();
      setNav((n) => ({ target, seq: n.seq + 1 }));
    },
    [clear],
  );
  useUrlHash(nav.target, goTo);
  const navApi = useMemo<NavApi>(() => ({ current: nav.target, goTo }), [nav.target, goTo]);
  const page = nav.target.page;
  const Page = PAGES[page];
  const { can } = useSession();
  const pages = PAGE_IDS.filter((id) => {
    const needs = PAGE_NEEDS[id];
    return !needs || can(needs);
  });
  useChannelAlerts(goTo);
  // Below 900 px the sections fold behind a menu button; choosing one folds them again.
  const [menuOpen, setMenuOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const content = useRef<HTMLElement>(null);
  useScrollRegions(content);
  useFocusOnOpen(content);
  const choose = (id: PageId): void => {
    setMenuOpen(false);
    goTo({ page: id });
  };
  useEffect(() => {
    if (!menuOpen) return undefined;
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape') return;
      setMenuOpen(false);
      menuButton.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [menuOpen]);

  return (
    <NavContext.Provider value={navApi}>
      <a
        className="skip-link"
        href="#content"
        data-testid="skip-link"
        onClick={(event) => {
          // Focus, not only scroll: the next Tab goes on from the page, past the sections and the header.
          event.preventDefault();
          content.current?.focus();
        }}
      >
        {t('nav.skip')}
      </a>
      <div className={menuOpen ? 'shell menu-open' : 'shell'}>
        <nav className="sidebar" id="sections" aria-label={t('nav.label')}>
          <div className="brand">Avisa</div>
          <ul>
            {pages.map((id) => (
              <li key={id}>
                <button
                  type="button"
                  className={id === page ? 'active' : ''}
                  aria-current={id === page ? 'page' : undefined}
                  data-testid={`nav-${id}`}
                  onClick={() => choose(id)}
                >
                  {t(`nav.${id}`)}
                </button>
              </li>
            ))}
          </ul>
          <div className="version">{t('app.version', { version: status.version })}</div>
        </nav>
        <div className="main">
          <Header
            menu={
              <button
                type="button"
                ref={menuButton}
                className="menu-button secondary"
                aria-expanded={menuOpen}
                aria-controls="sections"
                data-testid="menu-button"
                onClick={() => setMenuOpen((open) => !open)}
              >
                <span aria-hidden="true">☰</span> {t('nav.menu')}
              </button>
            }
          />
          <Banners />
          <ErrorNote error={statusError} />
          <main className="content" id="content" ref={content} tabIndex={-1}>
            <Page key={nav.seq} />
          </main>
        </div>
      </div>
    </NavContext.Provider>
  );
}

function Header({ menu }: { menu: ReactNode }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { status } = useAppStatus();
  const { goTo } = useNav();
  return (
    <header className="topbar">
      <div className="clinic">
        {menu}
        <h1>{status.clinicName}</h1>
        {status.demo && (
          <span className="badge-demo" title={t('header.demoHint')}>
            {t('header.demo')}
          </span>
        )}
      </div>
      <div className="topbar-meta">
        <span className="muted">
          {t('header.channel')}: <strong>{t(`channel.${status.channel ?? 'none'}`)}</strong>{' '}
          {status.channel === 'linked-device' ? (
            <LinkedDeviceChip />
          ) : (
            <ChannelStateChip testId="header-channel-state" />
          )}
        </span>
        <span className="muted">{t('header.queued', { count: status.queued, n: f.number(status.queued) })}</span>
        {status.failed > 0 && (
          <button
            type="button"
            className="link text-bad"
            data-testid="header-failed"
            onClick={() => goTo({ page: 'messages', messageState: 'failed', openFailures: true })}
          >
            {t('header.failed', { count: status.failed, n: f.number(status.failed) })}
          </button>
        )}
        <PersonChip />
      </div>
    </header>
  );
}
