import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClinicDbSourceSettings, ClinicDbTestResult } from '../../../../shared/api';
import type { SettingsView } from '../../../../shared/settings';
import { call } from '../../api/client';
import { DataTable, type Column } from '../../components/DataTable';
import { Field } from '../../components/Field';
import { useFormAction } from '../../components/useFormAction';
import { useNotify } from '../../components/Notify';
import { wholeNumber } from './SendingSection';
import { ClinicDbRefusedList } from './ClinicDbRefusedList';
import { SiteCodesTable } from './SiteCodesTable';
import { UnsavedNote, useUnsaved } from './unsaved';

type Kind = 'results' | 'appointments';
type Driver = ClinicDbSourceSettings['connection']['driver'];
type Configs = { results: ClinicDbSourceSettings | null; appointments: ClinicDbSourceSettings | null };

const KINDS: readonly Kind[] = ['results', 'appointments'];
const DEFAULT_PORT: Record<Driver, string> = { sqlite: '', postgres: '5432', mysql: '3306' };
const DEFAULT_CURSOR: Record<Kind, string> = { results: 'result_id', appointments: 'appointment_id' };
const SHOWN_ROWS = 5;

/** Ajustes → Base de datos de la clínica: results and appointments read straight from the clinic's own database. */
export function ClinicDbSection({ view }: { view: SettingsView }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<Kind>('results');
  const [configs, setConfigs] = useState<Configs>(view.clinicDb);
  // Which parts of each tab hold unsaved edits ("results.form", "appointments.codes"): a tab says so while the other
  // one is shown.
  const [edited, setEdited] = useState<ReadonlySet<string>>(new Set());
  const markEdited = useCallback((part: string, dirty: boolean) => {
    setEdited((all) => {
      if (all.has(part) === dirty) return all;
      const next = new Set(all);
      if (dirty) next.add(part);
      else next.delete(part);
      return next;
    });
  }, []);
  const codesEdited = useCallback((dirty: boolean) => markEdited('appointments.codes', dirty), [markEdited]);
  const tabEdited = (k: Kind): boolean => [...edited].some((part) => part.startsWith(`${k}.`));
  const notify = useNotify();
  const { run } = useFormAction();

  const saveSiteCodes = async (siteCodes: { code: string; siteId: number }[]): Promise<void> => {
    const appointments = await run(() => call('clinicDb.setSiteCodes', { siteCodes }));
    if (!appointments) return;
    setConfigs((all) => ({ ...all, appointments }));
    notify.ok(t('common.saved'));
  };

  return (
    <section className="card settings-group" data-testid="settings-clinic-db">
      <h3>{t('clinicDb.title')}</h3>
      <p className="hint">{t('clinicDb.hint')}</p>
      <div className="tabs" role="tablist">
        {KINDS.map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={kind === k}
            className={kind === k ? 'tab active' : 'tab'}
            onClick={() => setKind(k)}
            data-testid={`db-kind-${k}`}
          >
            {t(`clinicDb.kind.${k}`)}
            {tabEdited(k) && kind !== k && <span className="unsaved-note"> · {t('settings.unsaved')}</span>}
          </button>
        ))}
      </div>
      {/* Both kinds stay mounted, the other one hidden, so switching tabs keeps what was typed in each. The shown one
          comes first: the page's own order of fields is the one on screen. */}
      {[kind, ...KINDS.filter((k) => k !== kind)].map((k) => (
        <div key={k} hidden={k !== kind} data-testid={`db-form-${k}`}>
          <ClinicDbForm kind={k} saved={configs[k]} onSaved={setConfigs} onEdited={markEdited} />
        </div>
      ))}
      {/* The codes stay mounted too, hidden with the appointments tab, for the same reason. */}
      {configs.appointments && (
        <div hidden={kind !== 'appointments'}>
          <div className="form-grid">
            <SiteCodesTable
              id="db"
              initial={configs.appointments.siteCodes ?? []}
              onSave={(siteCodes) => void saveSiteCodes(siteCodes)}
              onEdited={codesEdited}
              title={t('clinicDb.siteCodes.title')}
              hint={t('clinicDb.siteCodes.hint')}
            />
            {kind === 'appointments' && <ClinicDbRefusedList />}
          </div>
        </div>
      )}
      {kind === 'results' && configs.results && (
        <div className="form-grid">
          <ClinicDbRefusedList kind="result" />
        </div>
      )}
    </section>
  );
}

/** The form as typed: text fields as strings, ticks as booleans. */
interface DbFields {
  enabled: boolean;
  driver: Driver;
  file: string;
  host: string;
  port: string;
  database: string;
  user: string;
  ssl: boolean;
  sslCaFile: string;
  query: string;
  cursorColumn: string;
  poll: string;
  timeZone: string;
  fileBaseDir: string;
  writeBack: boolean;
  wbTable: string;
  wbKey: string;
  wbColumn: string;
  wbConfirmed: string;
  wbCancelled: string;
  trustedResults: boolean;
}

/** What the form shows for a saved configuration (or for none yet). */
function fieldsOf(saved: ClinicDbSourceSettings | null, kind: Kind): DbFields {
  const conn = saved?.connection;
  const network = conn && conn.driver !== 'sqlite' ? conn : null;
  const wb = saved?.writeBack ?? null;
  return {
    enabled: saved?.enabled ?? false,
    driver: conn?.driver ?? 'sqlite',
    file: conn?.driver === 'sqlite' ? conn.file : '',
    host: network?.host ?? '',
    port: network ? String(network.port) : '',
    database: network?.database ?? '',
    user: network?.user ?? '',
    ssl: network?.ssl ?? false,
    sslCaFile: network?.sslCaFile ?? '',
    query: saved?.query ?? '',
    cursorColumn: saved?.cursorColumn ?? DEFAULT_CURSOR[kind],
    poll: String(saved?.pollSeconds ?? 60),
    timeZone: saved?.timeZone ?? 'America/Lima',
    fileBaseDir: saved?.fileBaseDir ?? '',
    writeBack: wb !== null,
    wbTable: wb?.table ?? '',
    wbKey: wb?.keyColumn ?? '',
    wbColumn: wb?.column ?? '',
    wbConfirmed: wb ? String(wb.confirmedValue) : '',
    wbCancelled: wb ? String(wb.cancelledValue) : '',
    trustedResults: saved?.trustedResults ?? false,
  };
}

/** The configuration the form would save, or null while a number in it is not one. */
function configOf(f: DbFields, kind: Kind, saved: ClinicDbSourceSettings | null): ClinicDbSourceSettings | null {
  const isSqlite = f.driver === 'sqlite';
  const portNumber = isSqlite ? 0 : wholeNumber(f.port || DEFAULT_PORT[f.driver], 1, 65535);
  const pollSeconds = wholeNumber(f.poll, 1, 86_400);
  if (portNumber === null || pollSeconds === null) return null;
  return {
    enabled: f.enabled,
    kind,
    connection:
      f.driver === 'sqlite'
        ? { driver: 'sqlite', file: f.file.trim() }
        : { driver: f.driver, host: f.host.trim(), port: portNumber, database: f.database.trim(), user: f.user.trim(), ssl: f.ssl, sslCaFile: f.sslCaFile.trim() },
    query: f.query.trim(),
    cursorColumn: f.cursorColumn.trim(),
    initialCursor: saved?.initialCursor ?? 0,
    keyPrefix: saved?.keyPrefix ?? 'clinic-db',
    timeZone: f.timeZone.trim() || 'America/Lima',
    statusMap: saved?.statusMap ?? {},
    fileBaseDir: f.fileBaseDir.trim(),
    pollSeconds,
    timeoutSeconds: saved?.timeoutSeconds ?? 30,
    trustedResults: kind === 'results' && f.trustedResults,
    siteCodes: saved?.siteCodes ?? [],
    writeBack:
      kind === 'appointments' && f.writeBack
        ? {
            table: f.wbTable.trim(),
            keyColumn: f.wbKey.trim(),
            column: f.wbColumn.trim(),
            // A hand-written UPDATE is no longer run: saving the form clears one left by an older version.
            sql: '',
            confirmedValue: f.wbConfirmed.trim(),
            cancelledValue: f.wbCancelled.trim(),
          }
        : null,
  };
}

function ClinicDbForm({
  kind,
  saved,
  onSaved,
  onEdited,
}: {
  kind: Kind;
  saved: ClinicDbSourceSettings | null;
  onSaved: (c: Configs) => void;
  onEdited: (part: string, dirty: boolean) => void;
}) {
  const { t, i18n } = useTranslation();
  const notify = useNotify();
  const { run, busy, error } = useFormAction();
  const [f, setFields] = useState<DbFields>(() => fieldsOf(saved, kind));
  const set = (patch: Partial<DbFields>): void => setFields((all) => ({ ...all, ...patch }));
  const [password, setPassword] = useState('');
  const [test, setTest] = useState<ClinicDbTestResult | null>(null);

  const isSqlite = f.driver === 'sqlite';
  const portNumber = isSqlite ? 0 : wholeNumber(f.port || DEFAULT_PORT[f.driver], 1, 65535);
  const pollSeconds = wholeNumber(f.poll, 1, 86_400);
  const fileMissing = f.enabled && isSqlite && !f.file.trim();
  const hostMissing = f.enabled && !isSqlite && !f.host.trim();
  const queryMissing = f.enabled && !f.query.trim();
  const cursorMissing = f.enabled && !f.query.includes(':cursor');
  const wbMissing = f.writeBack && (!f.wbTable.trim() || !f.wbKey.trim() || !f.wbColumn.trim());
  const invalid =
    portNumber === null || pollSeconds === null || fileMissing || hostMissing || queryMissing || cursorMissing || wbMissing || !f.cursorColumn.trim();
  const config = configOf(f, kind, saved);
  // Compared as saved: a field at its default or with spaces around it is not an edit; a typed password always is.
  const dirty =
    config === null || JSON.stringify(config) !== JSON.stringify(configOf(fieldsOf(saved, kind), kind, saved)) || (!isSqlite && password !== '');
  useUnsaved(`clinic-db-${kind}`, dirty);
  useEffect(() => onEdited(`${kind}.form`, dirty), [kind, dirty, onEdited]);

  const changeDriver = (next: Driver): void => {
    // A port still at the other driver's default follows the new driver.
    set({ driver: next, ...(!f.port || f.port === DEFAULT_PORT[f.driver] ? { port: DEFAULT_PORT[next] } : {}) });
  };

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (invalid || !config) return;
    const result = await run(() =>
      call('sources.clinicDb.set', { kind, config, ...(password && !isSqlite ? { password } : {}) }),
    );
    if (!result) return;
    setPassword('');
    onSaved(result);
    notify.ok(t('common.saved'));
  };

  const runTest = async (): Promise<void> => {
    setTest(null);
    const result = await run(() => call('sources.clinicDb.test', { kind }));
    if (result) setTest(result);
  };

  type TextField = 'file' | 'host' | 'database' | 'user' | 'sslCaFile' | 'cursorColumn' | 'timeZone' | 'fileBaseDir' | 'wbTable' | 'wbKey' | 'wbColumn' | 'wbConfirmed' | 'wbCancelled';
  const text = (label: string, name: TextField, testId: string, missing = false, hint?: string) => (
    <Field label={label} hint={hint} error={missing ? t('clinicDb.errors.required') : null}>
      <input value={f[name]} onChange={(e) => set({ [name]: e.target.value })} data-testid={testId} />
    </Field>
  );

  return (
    <form className="form-grid" onSubmit={(e) => void submit(e)} noValidate>
      <label className="check span-all">
        <input type="checkbox" checked={f.enabled} onChange={(e) => set({ enabled: e.target.checked })} data-testid="db-enabled" />
        <span>{t(`clinicDb.enabled.${kind}`)}</span>
      </label>
      <Field label={t('clinicDb.driver')}>
        <select value={f.driver} onChange={(e) => changeDriver(e.target.value as Driver)} data-testid="db-driver">
          <option value="sqlite">SQLite</option>
          <option value="postgres">PostgreSQL</option>
          <option value="mysql">MySQL / MariaDB</option>
        </select>
      </Field>
      {isSqlite ? (
        <Field label={t('clinicDb.file')} error={fileMissing ? t('clinicDb.errors.required') : null} wide>
          <input value={f.file} placeholder={t('clinicDb.filePlaceholder')} onChange={(e) => set({ file: e.target.value })} data-testid="db-file" />
        </Field>
      ) : (
        <>
          {text(t('clinicDb.host'), 'host', 'db-host', hostMissing)}
          <Field label={t('clinicDb.port')} error={portNumber === null ? t('hl7.portError') : null}>
            <input
              type="number"
              min={1}
              max={65535}
              value={f.port}
              placeholder={DEFAULT_PORT[f.driver]}
              onChange={(e) => set({ port: e.target.value })}
              data-testid="db-port"
            />
          </Field>
          {text(t('clinicDb.database'), 'database', 'db-database')}
          {text(t('clinicDb.user'), 'user', 'db-user')}
          <Field label={t('clinicDb.password')} hint={t('clinicDb.passwordHint')}>
            <input
              type="password"
              autoComplete="new-password"
              value={password}
              placeholder={saved ? t('clinicDb.passwordUnchanged') : ''}
              onChange={(e) => setPassword(e.target.value)}
              data-testid="db-password"
            />
          </Field>
          <label className="check">
            <input type="checkbox" checked={f.ssl} onChange={(e) => set({ ssl: e.target.checked })} data-testid="db-ssl" />
            <span>{t('clinicDb.ssl')}</span>
          </label>
          {f.ssl && text(t('clinicDb.sslCaFile'), 'sslCaFile', 'db-ssl-ca', false, t('clinicDb.sslCaFileHint'))}
        </>
      )}
      <Field
        label={t('clinicDb.query')}
        hint={t(`clinicDb.queryHint.${kind}`)}
        error={queryMissing ? t('clinicDb.errors.required') : cursorMissing ? t('clinicDb.errors.cursor') : null}
        wide
      >
        <textarea rows={6} value={f.query} onChange={(e) => set({ query: e.target.value })} spellCheck={false} data-testid="db-query" />
      </Field>
      {text(t('clinicDb.cursorColumn'), 'cursorColumn', 'db-cursor-column', !f.cursorColumn.trim(), t('clinicDb.cursorHint'))}
      <Field label={t('clinicDb.pollSeconds')} error={pollSeconds === null ? t('clinicDb.errors.poll', { min: 1, max: 86_400 }) : null}>
        <input type="number" min={1} max={86_400} value={f.poll} onChange={(e) => set({ poll: e.target.value })} data-testid="db-poll" />
      </Field>
      {text(t('clinicDb.timeZone'), 'timeZone', 'db-time-zone', false, t('clinicDb.timeZoneHint'))}
      {kind === 'results' && text(t('clinicDb.fileBaseDir'), 'fileBaseDir', 'db-file-base-dir', false, t('clinicDb.fileBaseDirHint'))}
      {kind === 'results' && (
        <label className="check span-all">
          <input type="checkbox" checked={f.trustedResults} onChange={(e) => set({ trustedResults: e.target.checked })} data-testid="db-trusted-results" />
          <span>
            {t('clinicDb.trustedResults')}
            <br />
            <small className="hint">{t('clinicDb.trustedResultsHint')}</small>
          </span>
        </label>
      )}
      {kind === 'appointments' && (
        <>
          <label className="check span-all">
            <input type="checkbox" checked={f.writeBack} onChange={(e) => set({ writeBack: e.target.checked })} data-testid="db-writeback" />
            <span>{t('clinicDb.writeBack.enabled')}</span>
          </label>
          {f.writeBack && (
            <>
              <p className="hint span-all">{t('clinicDb.writeBack.hint')}</p>
              {text(t('clinicDb.writeBack.table'), 'wbTable', 'db-wb-table', !f.wbTable.trim())}
              {text(t('clinicDb.writeBack.keyColumn'), 'wbKey', 'db-wb-key', !f.wbKey.trim())}
              {text(t('clinicDb.writeBack.column'), 'wbColumn', 'db-wb-column', !f.wbColumn.trim())}
              {text(t('clinicDb.writeBack.confirmed'), 'wbConfirmed', 'db-wb-confirmed')}
              {text(t('clinicDb.writeBack.cancelled'), 'wbCancelled', 'db-wb-cancelled')}
            </>
          )}
        </>
      )}
      {error && (
        <p className="error-note span-all" role="alert">
          {error.message}
        </p>
      )}
      <div className="form-actions span-all save-bar">
        <UnsavedNote dirty={dirty} />
        <button type="submit" disabled={busy || invalid} data-testid="db-save">
          {t('common.save')}
        </button>
        <button type="button" className="secondary" disabled={busy || !saved} onClick={() => void runTest()} data-testid="db-test">
          {t('clinicDb.test')}
        </button>
      </div>
      {!saved && <p className="hint span-all">{t('clinicDb.testNeedsSave')}</p>}
      {test && !test.ok && (
        <div className="error-note span-all" role="alert" data-testid="db-test-error">
          <p>{i18n.language === 'en' ? test.en : test.es}</p>
          {test.detail && <small className="hint">{test.detail}</small>}
        </div>
      )}
      {test?.ok && <TestResult result={test} />}
    </form>
  );
}

function TestResult({ result }: { result: Extract<ClinicDbTestResult, { ok: true }> }) {
  const { t } = useTranslation();
  const rows = result.rows.slice(0, SHOWN_ROWS);
  // The query's own columns, as the database named them; a row has no id of its own but its place.
  const columns: Column<{ row: Record<string, string | null>; i: number }>[] = result.columns.map((c) => ({
    key: c,
    header: c,
    cell: ({ row }) => row[c] ?? t('common.none'),
  }));
  return (
    <div className="span-all" data-testid="db-test-result">
      {result.missing.length > 0 ? (
        <p className="field-error">{t('clinicDb.missing', { columns: result.missing.join(', ') })}</p>
      ) : (
        <p className="hint">{t('clinicDb.testOk', { count: result.rows.length })}</p>
      )}
      <DataTable columns={columns} rows={rows.map((row, i) => ({ row, i }))} rowKey={({ i }) => i} framed="inner" />
    </div>
  );
}
