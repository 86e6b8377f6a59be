import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { TemplateInfo } from '../../../../shared/api';
import { humanizeCode, templateLabel } from './templateLabel';
import { effectiveTemplate, type TemplateDraft } from './templateDraft';

/** Template name (suggested from the synced ones), its language and one input per body parameter ({{1}}, {{2}}…). */
export function TemplateFields({
  draft,
  templates,
  onChange,
  invalid,
}: {
  draft: TemplateDraft;
  templates: readonly TemplateInfo[];
  onChange: (d: TemplateDraft) => void;
  invalid: boolean;
}) {
  const { t } = useTranslation();
  const listId = useId();
  const { known, params } = effectiveTemplate(draft, templates);
  const setParam = (i: number, value: string): void =>
    onChange({ ...draft, params: params.map((p, j) => (j === i ? value : p)) });

  return (
    <>
      <label className="field">
        <span>{t('send.templateName')}</span>
        <input
          value={draft.name}
          list={listId}
          spellCheck={false}
          onChange={(e) => onChange({ ...draft, name: e.target.value })}
          aria-invalid={invalid}
          data-testid="send-template-name"
        />
        <datalist id={listId}>
          {templates.map((x) => (
            <option key={`${x.name}/${x.language}`} value={x.name}>
              {`${templateLabel(x.name, t)} (${x.language}) · ${t(`templateStatus.${x.status.toUpperCase()}`, { defaultValue: humanizeCode(x.status.toLowerCase()) })}`}
            </option>
          ))}
        </datalist>
        {invalid && <small className="field-error">{t('send.errors.template')}</small>}
      </label>
      <label className="field">
        <span>{t('send.templateLanguage')}</span>
        <input
          value={draft.language}
          placeholder={known?.language ?? 'es'}
          spellCheck={false}
          onChange={(e) => onChange({ ...draft, language: e.target.value })}
          data-testid="send-template-language"
        />
      </label>
      <TemplateHint known={known} synced={templates.length > 0} />
      <div className="span-all params">
        <span className="field-label">{t('send.params')}</span>
        {params.length === 0 && <p className="muted">{t('send.noParams')}</p>}
        {params.map((value, i) => (
          <div className="param-row" key={i}>
            <label className="field grow">
              <span>{`{{${i + 1}}}`}</span>
              <input value={value} onChange={(e) => setParam(i, e.target.value)} data-testid="send-template-param" />
            </label>
            {/* A synced template fixes how many parameters it takes; otherwise the person decides. */}
            {!known && (
              <button
                type="button"
                className="link danger align-end"
                onClick={() => onChange({ ...draft, params: params.filter((_, j) => j !== i) })}
              >
                {t('wizard.remove')}
              </button>
            )}
          </div>
        ))}
        {!known && (
          <button
            type="button"
            className="secondary small"
            onClick={() => onChange({ ...draft, params: [...params, ''] })}
            data-testid="send-template-add-param"
          >
            {t('send.addParam')}
          </button>
        )}
      </div>
    </>
  );
}

function TemplateHint({ known, synced }: { known: TemplateInfo | undefined; synced: boolean }) {
  const { t } = useTranslation();
  if (known) {
    return (
      <p className="hint span-all">
        {t('send.templateKnown', { status: known.status, category: known.category, count: known.bodyParams })}
      </p>
    );
  }
  return <p className="hint span-all">{synced ? t('send.templateUnknown') : t('send.templatesNotSynced')}</p>;
}
