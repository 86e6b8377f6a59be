import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClinicDbSourceSettings, ClinicDbTestResult } from '../../../../shared/api';
import type { SettingsView } from '../../../../shared/settings';
import { call } from '../../api/client';
import { DataTable, type Column } from '../../components/DataTable';
import { useFormAction } from '../../components/useFormAction';
import { useNotify } from '../../components/Notify';
import { wholeNumber } from './SendingSection';
import { ClinicDbRefusedList } from './ClinicDbRefusedList';
import { SiteCodesTable } from './SiteCodesTable';

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
          </button>
        ))}
      </div>
      {/* Keyed by kind: each tab starts from its own saved configuration. */}
      <ClinicDbForm key={kind} kind={kind} saved={configs[kind]} onSaved={setConfigs} />
      {kind === 'appointments' && configs.appointments && (
        <div className="form-grid">
          <SiteCodesTable
            id="db"
            initial={configs.appointments.siteCodes ?? []}
            onSave={(siteCodes) => void saveSiteCodes(siteCodes)}
            title={t('clinicDb.siteCodes.title')}
            hint={t('clinicDb.siteCodes.hint')}
          />
          <ClinicDbRefusedList />
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

function ClinicDbForm({ kind, saved, onSaved }: { kind: Kind; saved: ClinicDbSourceSettings | null; onSaved: (c: Configs) => void }) {
  const { t, i18n } = useTranslation();
  const notify = useNotify();
  const { run, busy, error } = useFormAction();
  const conn = saved?.connection;
  const network = conn && conn.driver !== 'sqlite' ? conn : null;
  const [enabled, setEnabled] = useState(saved?.enabled ?? false);
  const [driver, setDriver] = useState<Driver>(conn?.driver ?? 'sqlite');
  const [file, setFile] = useState(conn?.driver === 'sqlite' ? conn.file : '');
  const [host, setHost] = useState(network?.host ?? '');
  const [port, setPort] = useState(network ? String(network.port) : '');
  const [database, setDatabase] = useState(network?.database ?? '');
  const [user, setUser] = useState(network?.user ?? '');
  const [password, setPassword] = useState('');
  const [ssl, setSsl] = useState(network?.ssl ?? false);
  const [sslCaFile, setSslCaFile] = useState(network?.sslCaFile ?? '');
  const [query, setQuery] = useState(saved?.query ?? '');
  const [cursorColumn, setCursorColumn] = useState(saved?.cursorColumn ?? DEFAULT_CURSOR[kind]);
  const [poll, setPoll] = useState(String(saved?.pollSeconds ?? 60));
  const [timeZone, setTimeZone] = useState(saved?.timeZone ?? 'America/Lima');
  const [fileBaseDir, setFileBaseDir] = useState(saved?.fileBaseDir ?? '');
  const wb = saved?.writeBack ?? null;
  const [writeBack, setWriteBack] = useState(wb !== null);
  const [wbTable, setWbTable] = useState(wb?.table ?? '');
  const [wbKey, setWbKey] = useState(wb?.keyColumn ?? '');
  const [wbColumn, setWbColumn] = useState(wb?.column ?? '');
  const [wbConfirmed, setWbConfirmed] = useState(wb ? String(wb.confirmedValue) : '');
  const [wbCancelled, setWbCancelled] = useState(wb ? String(wb.cancelledValue) : '');
  const [trustedResults, setTrustedResults] = useState(saved?.trustedResults ?? false);
  const [test, setTest] = useState<ClinicDbTestResult | null>(null);

  const isSqlite = driver === 'sqlite';
  const portNumber = isSqlite ? 0 : wholeNumber(port || DEFAULT_PORT[driver], 1, 65535);
  const pollSeconds = wholeNumber(poll, 1, 86_400);
  const fileMissing = enabled && isSqlite && !file.trim();
  const hostMissing = enabled && !isSqlite && !host.trim();
  const queryMissing = enabled && !query.trim();
  const cursorMissing = enabled && !query.includes(':cursor');
  const wbMissing = writeBack && (!wbTable.trim() || !wbKey.trim() || !wbColumn.trim());
  const invalid =
    portNumber === null || pollSeconds === null || fileMissing || hostMissing || queryMissing || cursorMissing || wbMissing || !cursorColumn.trim();

  const changeDriver = (next: Driver): void => {
    setDriver(next);
    // A port still at the other driver's default follows the new driver.
    if (!port || port === DEFAULT_PORT[driver]) setPort(DEFAULT_PORT[next]);
  };

  const build = (): ClinicDbSourceSettings | null => {
    if (portNumber === null || pollSeconds === null) return null;
    return {
      enabled,
      kind,
      connection: isSqlite
        ? { driver: 'sqlite', file: file.trim() }
        : { driver, host: host.trim(), port: portNumber, database: database.trim(), user: user.trim(), ssl, sslCaFile: sslCaFile.trim() },
      query: query.trim(),
      cursorColumn: cursorColumn.trim(),
      initialCursor: saved?.initialCursor ?? 0,
      keyPrefix: saved?.keyPrefix ?? 'clinic-db',
      timeZone: timeZone.trim() || 'America/Lima',
      statusMap: saved?.statusMap ?? {},
      fileBaseDir: fileBaseDir.trim(),
      pollSeconds,
      timeoutSeconds: saved?.timeoutSeconds ?? 30,
      trustedResults: kind === 'results' && trustedResults,
      siteCodes: saved?.siteCodes ?? [],
      writeBack:
        kind === 'appointments' && writeBack
          ? {
              table: wbTable.trim(),
              keyColumn: wbKey.trim(),
              column: wbColumn.trim(),
              // A hand-written UPDATE is no longer run: saving the form clears one left by an older version.
              sql: '',
              confirmedValue: wbConfirmed.trim(),
              cancelledValue: wbCancelled.trim(),
            }
          : null,
    };
  };

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const config = build();
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

  const text = (label: string, value: string, set: (v: string) => void, testId: string, missing = false, hint?: string) => (
    <label className="field">
      <span>{label}</span>
      <input value={value} onChange={(e) => set(e.target.value)} aria-invalid={missing} data-testid={testId} />
      {missing ? <small className="field-error">{t('clinicDb.errors.required')}</small> : hint && <small className="hint">{hint}</small>}
    </label>
  );

  return (
    <form className="form-grid" onSubmit={(e) => void submit(e)} noValidate>
      <label className="check span-all">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} data-testid="db-enabled" />
        <span>{t(`clinicDb.enabled.${kind}`)}</span>
      </label>
      <label className="field">
        <span>{t('clinicDb.driver')}</span>
        <select value={driver} onChange={(e) => changeDriver(e.target.value as Driver)} data-testid="db-driver">
          <option value="sqlite">SQLite</option>
          <option value="postgres">PostgreSQL</option>
          <option value="mysql">MySQL / MariaDB</option>
        </select>
      </label>
      {isSqlite ? (
        <label className="field span-all">
          <span>{t('clinicDb.file')}</span>
          <input
            value={file}
            placeholder={t('clinicDb.filePlaceholder')}
            onChange={(e) => setFile(e.target.value)}
            aria-invalid={fileMissing}
            data-testid="db-file"
          />
          {fileMissing && <small className="field-error">{t('clinicDb.errors.required')}</small>}
        </label>
      ) : (
        <>
          {text(t('clinicDb.host'), host, setHost, 'db-host', hostMissing)}
          <label className="field">
            <span>{t('clinicDb.port')}</span>
            <input
              type="number"
              min={1}
              max={65535}
              value={port}
              placeholder={DEFAULT_PORT[driver]}
              onChange={(e) => setPort(e.target.value)}
              aria-invalid={portNumber === null}
              data-testid="db-port"
            />
            {portNumber === null && <small className="field-error">{t('hl7.portError')}</small>}
          </label>
          {text(t('clinicDb.database'), database, setDatabase, 'db-database')}
          {text(t('clinicDb.user'), user, setUser, 'db-user')}
          <label className="field">
            <span>{t('clinicDb.password')}</span>
            <input
              type="password"
              autoComplete="new-password"
              value={password}
              placeholder={saved ? t('clinicDb.passwordUnchanged') : ''}
              onChange={(e) => setPassword(e.target.value)}
              data-testid="db-password"
            />
            <small className="hint">{t('clinicDb.passwordHint')}</small>
          </label>
          <label className="check">
            <input type="checkbox" checked={ssl} onChange={(e) => setSsl(e.target.checked)} data-testid="db-ssl" />
            <span>{t('clinicDb.ssl')}</span>
          </label>
          {ssl && text(t('clinicDb.sslCaFile'), sslCaFile, setSslCaFile, 'db-ssl-ca', false, t('clinicDb.sslCaFileHint'))}
        </>
      )}
      <label className="field span-all">
        <span>{t('clinicDb.query')}</span>
        <textarea
          rows={6}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          aria-invalid={queryMissing || cursorMissing}
          spellCheck={false}
          data-testid="db-query"
        />
        {(queryMissing || cursorMissing) && (
          <small className="field-error">{queryMissing ? t('clinicDb.errors.required') : t('clinicDb.errors.cursor')}</small>
        )}
        <small className="hint">{t(`clinicDb.queryHint.${kind}`)}</small>
      </label>
      {text(t('clinicDb.cursorColumn'), cursorColumn, setCursorColumn, 'db-cursor-column', !cursorColumn.trim(), t('clinicDb.cursorHint'))}
      <label className="field">
        <span>{t('clinicDb.pollSeconds')}</span>
        <input
          type="number"
          min={1}
          max={86_400}
          value={poll}
          onChange={(e) => setPoll(e.target.value)}
          aria-invalid={pollSeconds === null}
          data-testid="db-poll"
        />
        {pollSeconds === null && <small className="field-error">{t('clinicDb.errors.poll', { min: 1, max: 86_400 })}</small>}
      </label>
      {text(t('clinicDb.timeZone'), timeZone, setTimeZone, 'db-time-zone', false, t('clinicDb.timeZoneHint'))}
      {kind === 'results' &&
        text(t('clinicDb.fileBaseDir'), fileBaseDir, setFileBaseDir, 'db-file-base-dir', false, t('clinicDb.fileBaseDirHint'))}
      {kind === 'results' && (
        <label className="check span-all">
          <input type="checkbox" checked={trustedResults} onChange={(e) => setTrustedResults(e.target.checked)} data-testid="db-trusted-results" />
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
            <input type="checkbox" checked={writeBack} onChange={(e) => setWriteBack(e.target.checked)} data-testid="db-writeback" />
            <span>{t('clinicDb.writeBack.enabled')}</span>
          </label>
          {writeBack && (
            <>
              <p className="hint span-all">{t('clinicDb.writeBack.hint')}</p>
              {text(t('clinicDb.writeBack.table'), wbTable, setWbTable, 'db-wb-table', !wbTable.trim())}
              {text(t('clinicDb.writeBack.keyColumn'), wbKey, setWbKey, 'db-wb-key', !wbKey.trim())}
              {text(t('clinicDb.writeBack.column'), wbColumn, setWbColumn, 'db-wb-column', !wbColumn.trim())}
              {text(t('clinicDb.writeBack.confirmed'), wbConfirmed, setWbConfirmed, 'db-wb-confirmed')}
              {text(t('clinicDb.writeBack.cancelled'), wbCancelled, setWbCancelled, 'db-wb-cancelled')}
            </>
          )}
        </>
      )}
      {error && (
        <p className="error-note span-all" role="alert">
          {error.message}
        </p>
      )}
      <div className="form-actions span-all">
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
