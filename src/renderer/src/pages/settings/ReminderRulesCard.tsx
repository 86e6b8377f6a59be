import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReminderRuleView } from '../../../../shared/api';
import { call } from '../../api/client';
import { useCall } from '../../api/hooks';
import { DataTable, type Column } from '../../components/DataTable';
import { useAction, useNotify } from '../../components/Notify';
import { useFormAction } from '../../components/useFormAction';
import { ruleKeyForLead, useLeadLabel } from '../../leadTime';
import type { RemindersContext } from './RemindersSection';
import { wholeNumber } from './SendingSection';
import { useUnsaved } from './unsaved';
import { FormActions } from '../../components/FormActions';
import { NamedOptions } from '../../components/NamedOptions';
import { templateLabel } from '../messages/templateLabel';

// The bounds the core checks (src/main/core/api/schemas.ts): from 5 minutes to 30 days before the appointment.
const MIN_LEAD = 5;
const MAX_LEAD = 30 * 24 * 60;
const DEFAULT_TEMPLATE = 'recordatorio_cita';

/** Which reminders each appointment gets: per site and service, how long before, with which template. */
export function ReminderRulesCard({ ctx }: { ctx: RemindersContext }) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState(false);
  const columns = useRuleColumns(ctx);

  return (
    <section className="card" data-testid="reminder-rules">
      <div className="card-head">
        <h3>{t('reminders.rules.title')}</h3>
        {!adding && (
          <button type="button" className="secondary" onClick={() => setAdding(true)} data-testid="rule-add">
            {t('reminders.rules.add')}
          </button>
        )}
      </div>
      <p className="hint">{t('reminders.rules.hint')}</p>
      {adding && (
        <NewRuleForm
          ctx={ctx}
          onClose={() => setAdding(false)}
          onSaved={(view) => {
            setAdding(false);
            ctx.apply(view);
          }}
        />
      )}
      {ctx.view.rules.length > 0 ? (
        <DataTable
          columns={columns}
          rows={ctx.view.rules}
          rowKey={(r) => r.id}
          rowProps={(r) => ({
            'data-testid': 'rule-row',
            'data-id': r.id,
            'data-rule': r.ruleKey,
            'data-enabled': String(r.enabled),
            className: r.enabled ? undefined : 'muted',
          })}
          framed="inner"
        />
      ) : (
        <p className="warning">{t('reminders.rules.empty')}</p>
      )}
    </section>
  );
}

/** The rules' columns; switching a rule on or off and deleting it are saved at once, one change at a time. */
function useRuleColumns(ctx: RemindersContext): Column<ReminderRuleView>[] {
  const { t } = useTranslation();
  const lead = useLeadLabel();
  const notify = useNotify();
  const [run, busy] = useAction();

  const setEnabled = async (rule: ReminderRuleView, enabled: boolean): Promise<void> => {
    const view = await run(() =>
      call('reminders.saveRule', {
        id: rule.id,
        siteId: rule.siteId,
        serviceId: rule.serviceId,
        leadMinutes: rule.leadMinutes,
        templateName: rule.templateName,
        templateLanguage: rule.templateLanguage,
        enabled,
      }),
    );
    if (!view) return;
    notify.ok(enabled ? t('reminders.rules.enabledOn') : t('reminders.rules.enabledOff'));
    ctx.apply(view);
  };
  const remove = async (rule: ReminderRuleView): Promise<void> => {
    const view = await run(() => call('reminders.deleteRule', { id: rule.id }));
    if (!view) return;
    notify.ok(t('reminders.rules.deleted'));
    ctx.apply(view);
  };
  const siteName = (rule: ReminderRuleView) =>
    rule.siteId === null ? t('reminders.rules.allSites') : (ctx.sites.find((s) => s.id === rule.siteId)?.name ?? `#${rule.siteId}`);
  const serviceName = (rule: ReminderRuleView) =>
    rule.serviceId === null ? t('reminders.rules.allServices') : (ctx.services.find((s) => s.id === rule.serviceId)?.name ?? `#${rule.serviceId}`);

  return [
    { key: 'site', header: t('reminders.rules.site'), cell: siteName },
    { key: 'service', header: t('reminders.rules.service'), cell: serviceName },
    { key: 'lead', header: t('reminders.rules.lead'), cell: (r) => lead(r.leadMinutes), className: 'nowrap strong' },
    {
      key: 'template',
      header: t('reminders.rules.template'),
      // In words ("Recordatorio de cita"); the name Meta knows it by, and its language, in the details line.
      cell: (r) => (
        <>
          <span data-testid="rule-template-label">{templateLabel(r.templateName, t)}</span>
          <div className="details-line" data-testid="rule-template-code">
            {t('detail.templateCode', { name: r.templateName })} · {r.templateLanguage}
          </div>
        </>
      ),
    },
    {
      key: 'enabled',
      header: t('reminders.rules.enabled'),
      cell: (r) => (
        <input
          type="checkbox"
          checked={r.enabled}
          disabled={busy}
          onChange={(e) => void setEnabled(r, e.target.checked)}
          aria-label={t('reminders.rules.enabled')}
          data-testid="rule-enabled"
        />
      ),
    },
    {
      key: 'actions',
      header: null,
      className: 'actions',
      cell: (r) => (
        <button type="button" className="link danger" disabled={busy} onClick={() => void remove(r)} data-testid="rule-delete">
          {t('reminders.rules.delete')}
        </button>
      ),
    },
  ];
}

type Unit = 'h' | 'min';
type Problem = 'lead' | 'template' | 'duplicate';

function NewRuleForm({
  ctx,
  onClose,
  onSaved,
}: {
  ctx: RemindersContext;
  onClose: () => void;
  onSaved: (view: RemindersContext['view']) => void;
}) {
  const { t } = useTranslation();
  const lead = useLeadLabel();
  const notify = useNotify();
  const { run, busy, error } = useFormAction();
  const templates = useCall('cloudApi.templates', {});
  const [amount, setAmount] = useState('');
  const [unit, setUnit] = useState<Unit>('h');
  const [templateName, setTemplateName] = useState(DEFAULT_TEMPLATE);
  const [templateLanguage, setTemplateLanguage] = useState('es');
  const [siteId, setSiteId] = useState<number | null>(null);
  const [serviceId, setServiceId] = useState<number | null>(null);
  const [tried, setTried] = useState(false);
  useUnsaved('reminder-rule-new', amount.trim() !== '');

  const n = wholeNumber(amount, 1, MAX_LEAD);
  const leadMinutes = n === null ? null : unit === 'h' ? n * 60 : n;
  const validLead = leadMinutes !== null && leadMinutes >= MIN_LEAD && leadMinutes <= MAX_LEAD ? leadMinutes : null;
  const name = templateName.trim();
  // The core refuses a second rule with the same lead for the same site and service; say so before asking it.
  const duplicate =
    validLead !== null &&
    ctx.view.rules.some((r) => r.ruleKey === ruleKeyForLead(validLead) && r.siteId === siteId && r.serviceId === serviceId);
  const found: Problem | null = validLead === null ? 'lead' : !name ? 'template' : duplicate ? 'duplicate' : null;
  // Shown once a save was tried, and checked again at every edit: a fixed field loses its message at once.
  const problem = tried ? found : null;

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setTried(true);
    if (found || validLead === null) return;
    const view = await run(() =>
      call('reminders.saveRule', {
        siteId,
        serviceId,
        leadMinutes: validLead,
        templateName: name,
        ...(templateLanguage.trim() ? { templateLanguage: templateLanguage.trim() } : {}),
      }),
    );
    if (!view) return;
    notify.ok(t('reminders.rules.saved'));
    onSaved(view);
  };

  return (
    <form className="form-grid subsection rule-form" onSubmit={(e) => void submit(e)} noValidate data-testid="rule-form">
      <div className="field">
        <span>{t('reminders.rules.lead')}</span>
        <div className="lead-input">
          <input
            type="number"
            min={1}
            step={1}
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            aria-invalid={problem === 'lead' || problem === 'duplicate'}
            aria-label={t('reminders.rules.lead')}
            data-testid="rule-lead"
          />
          <select
            value={unit}
            onChange={(e) => setUnit(e.target.value as Unit)}
            aria-label={t('reminders.rules.unit')}
            data-testid="rule-lead-unit"
          >
            <option value="h">{t('reminders.rules.hours')}</option>
            <option value="min">{t('reminders.rules.minutes')}</option>
          </select>
        </div>
        {problem === 'lead' && <small className="field-error">{t('reminders.rules.errors.lead')}</small>}
        {problem === 'duplicate' && validLead !== null && (
          <small className="field-error">{t('reminders.rules.errors.duplicate', { lead: lead(validLead) })}</small>
        )}
      </div>
      <label className="field">
        <span>{t('reminders.rules.template')}</span>
        <input
          value={templateName}
          list="reminder-rule-templates"
          onChange={(e) => setTemplateName(e.target.value)}
          aria-invalid={problem === 'template'}
          data-testid="rule-template"
        />
        <datalist id="reminder-rule-templates">
          {templates.data?.map((x) => (
            <option key={`${x.name}/${x.language}`} value={x.name}>
              {`${templateLabel(x.name, t)} · ${x.language}`}
            </option>
          ))}
        </datalist>
        {problem === 'template' && <small className="field-error">{t('reminders.rules.errors.template')}</small>}
      </label>
      <label className="field">
        <span>{t('reminders.rules.templateLanguage')}</span>
        <input value={templateLanguage} onChange={(e) => setTemplateLanguage(e.target.value)} data-testid="rule-template-language" />
      </label>
      <label className="field">
        <span>{t('reminders.rules.site')}</span>
        <select
          value={siteId ?? ''}
          onChange={(e) => setSiteId(e.target.value ? Number(e.target.value) : null)}
          data-testid="rule-site"
        >
          <option value="">{t('reminders.rules.allSites')}</option>
          <NamedOptions items={ctx.sites} />
        </select>
      </label>
      <label className="field">
        <span>{t('reminders.rules.service')}</span>
        <select
          value={serviceId ?? ''}
          onChange={(e) => setServiceId(e.target.value ? Number(e.target.value) : null)}
          data-testid="rule-service"
        >
          <option value="">{t('reminders.rules.allServices')}</option>
          <NamedOptions items={ctx.services} />
        </select>
      </label>
      <p className="hint span-all">{t('reminders.rules.specificHint')}</p>
      <FormActions error={error} busy={busy} onCancel={onClose} submit={t('reminders.rules.save')} submitTestId="rule-save" wide />
    </form>
  );
}
