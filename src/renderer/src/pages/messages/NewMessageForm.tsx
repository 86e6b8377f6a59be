import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ManualSendInput, TemplateInfo } from '../../../../shared/api';
import type { Message, Patient } from '../../../../shared/domain';
import { call } from '../../api/client';
import { useCall } from '../../api/hooks';
import { FormActions } from '../../components/FormActions';
import { useNotify } from '../../components/Notify';
import { useFormAction } from '../../components/useFormAction';
import { DocumentFields, type DocumentDraft } from './DocumentFields';
import { PatientPicker } from './PatientPicker';
import { TemplateFields } from './TemplateFields';
import { effectiveTemplate, type TemplateDraft } from './templateDraft';

type Mode = ManualSendInput['mode'];
const MODES: Mode[] = ['text', 'template', 'document'];
const NO_TEMPLATES: readonly TemplateInfo[] = [];

type Problem = 'patient' | 'text' | 'template' | 'document';

/** A receptionist's own message (`messages.send`): free text, an approved template, or a PDF. */
export function NewMessageForm({ onClose, onSent }: { onClose: () => void; onSent: (m: Message) => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const { run, busy, error } = useFormAction();
  const [patient, setPatient] = useState<Patient | null>(null);
  const [mode, setMode] = useState<Mode>('text');
  const [text, setText] = useState('');
  const [template, setTemplate] = useState<TemplateDraft>({ name: '', language: '', params: [] });
  const [doc, setDoc] = useState<DocumentDraft>({ filename: '', base64: '', caption: '' });
  const [problem, setProblem] = useState<Problem | null>(null);
  const templates = useCall('cloudApi.templates', {}).data ?? NO_TEMPLATES;

  const build = (p: Patient): ManualSendInput | Problem => {
    switch (mode) {
      case 'text':
        return text.trim() ? { patientId: p.id, mode, text: text.trim() } : 'text';
      case 'template': {
        const chosen = effectiveTemplate(template, templates);
        if (!chosen.name) return 'template';
        return {
          patientId: p.id,
          mode,
          templateName: chosen.name,
          ...(chosen.language ? { templateLanguage: chosen.language } : {}),
          templateParams: chosen.params.map((v) => v.trim()),
        };
      }
      case 'document':
        if (!doc.base64 || !doc.filename.trim()) return 'document';
        return {
          patientId: p.id,
          mode,
          filename: doc.filename.trim(),
          base64: doc.base64,
          ...(doc.caption.trim() ? { caption: doc.caption.trim() } : {}),
        };
    }
  };

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const input = patient ? build(patient) : 'patient';
    if (typeof input === 'string') {
      setProblem(input);
      return;
    }
    setProblem(null);
    const sent = await run(() => call('messages.send', input));
    if (!sent) return;
    notify.ok(t('send.queued'));
    onSent(sent);
  };

  return (
    <form className="card form-grid" onSubmit={(e) => void submit(e)} noValidate data-testid="new-message-form">
      <h3 className="span-all">{t('send.title')}</h3>
      <PatientPicker value={patient} onChange={setPatient} invalid={problem === 'patient'} />
      <fieldset className="modes span-all">
        <legend>{t('send.mode')}</legend>
        {MODES.map((m) => (
          <label key={m} className="check">
            <input
              type="radio"
              name="send-mode"
              value={m}
              checked={mode === m}
              onChange={() => setMode(m)}
              data-testid={`send-mode-${m}`}
            />
            <span>{t(`send.modes.${m}`)}</span>
          </label>
        ))}
      </fieldset>
      {mode === 'text' && (
        <label className="field span-all">
          <span>{t('send.text')}</span>
          <textarea
            rows={4}
            value={text}
            maxLength={4096}
            onChange={(e) => setText(e.target.value)}
            aria-invalid={problem === 'text'}
            data-testid="send-text"
          />
          <small className="hint">{t('send.textHint')}</small>
          {problem === 'text' && <small className="field-error">{t('send.errors.text')}</small>}
        </label>
      )}
      {mode === 'template' && (
        <TemplateFields draft={template} templates={templates} onChange={setTemplate} invalid={problem === 'template'} />
      )}
      {mode === 'document' && <DocumentFields draft={doc} onChange={setDoc} invalid={problem === 'document'} />}
      <FormActions
        wide
        error={error}
        busy={busy}
        onCancel={onClose}
        submit={t('send.submit')}
        busyLabel={t('send.sending')}
        submitTestId="send-submit"
      />
    </form>
  );
}
