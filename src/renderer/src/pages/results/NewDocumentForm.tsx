import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import type { IssueDocumentInput, IssuedDocument } from '../../../../shared/api';
import type { Patient, ResultKind } from '../../../../shared/domain';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useNotify } from '../../components/Notify';
import { useFormAction } from '../../components/useFormAction';
import { readAsBase64 } from '../../files';
import { PatientPicker } from '../messages/PatientPicker';

const KINDS: ResultKind[] = ['certificate', 'attestation', 'receipt', 'result'];
type Source = 'text' | 'pdf';
type Problem = 'patient' | 'title' | 'body' | 'file';

/**
 * "Nuevo documento": a certificate, attestation or receipt for one patient, typed (Avisa lays it out as a PDF) or
 * uploaded. It is signed by its kind's rule and queued like any result; what cannot go yet waits in "por revisar".
 */
export function NewDocumentForm({ onClose, onIssued }: { onClose: () => void; onIssued: (d: IssuedDocument) => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const { run, busy, error } = useFormAction();
  // One id per opened form: a second click on "Emitir" finds the same document instead of issuing another.
  const [requestId] = useState(() => crypto.randomUUID());
  const [patient, setPatient] = useState<Patient | null>(null);
  const [kind, setKind] = useState<ResultKind>('certificate');
  const [title, setTitle] = useState('');
  const [source, setSource] = useState<Source>('text');
  const [body, setBody] = useState('');
  const [file, setFile] = useState<{ name: string; base64: string } | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  const choose = async (chosen: File | undefined): Promise<void> => {
    setFile(chosen ? { name: chosen.name, base64: await readAsBase64(chosen) } : null);
  };

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!patient) return setProblem('patient');
    if (!title.trim()) return setProblem('title');
    if (source === 'text' && !body.trim()) return setProblem('body');
    if (source === 'pdf' && !file) return setProblem('file');
    setProblem(null);
    const content: IssueDocumentInput['content'] =
      source === 'text' ? { type: 'text', body: body.trim() } : { type: 'pdf', base64: file!.base64, filename: file!.name };
    const issued = await run(() => call('documents.issue', { requestId, patientId: patient.id, kind, title: title.trim(), content }));
    if (!issued) return;
    if (issued.state === 'queued' || issued.state === 'duplicate') notify.ok(t('newDocument.queued'));
    onIssued(issued);
  };

  return (
    <form className="card form-grid" onSubmit={(e) => void submit(e)} noValidate data-testid="new-document-form">
      <h3 className="span-all">{t('newDocument.heading')}</h3>
      <div className="field span-all">
        <span>{t('results.patient')}</span>
        <PatientPicker value={patient} onChange={setPatient} invalid={problem === 'patient'} testIdPrefix="doc" />
      </div>
      <Field label={t('results.kind')}>
        <select value={kind} onChange={(e) => setKind(e.target.value as ResultKind)} data-testid="doc-kind">
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`resultKind.${k}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('results.title')} error={problem === 'title' ? t('newDocument.errors.title') : null}>
        <input
          value={title}
          maxLength={200}
          onChange={(e) => setTitle(e.target.value)}
          placeholder={t('newDocument.titlePlaceholder')}
          data-testid="doc-title"
        />
      </Field>
      <fieldset className="field span-all">
        <span>{t('newDocument.source')}</span>
        <div className="row wrap">
          {(['text', 'pdf'] as const).map((s) => (
            <label key={s} className="check">
              <input type="radio" name="doc-source" checked={source === s} onChange={() => setSource(s)} data-testid={`doc-source-${s}`} />
              <span>{t(`newDocument.sources.${s}`)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      {source === 'text' ? (
        <Field
          label={t('newDocument.body')}
          hint={t('newDocument.bodyHint')}
          error={problem === 'body' ? t('newDocument.errors.body') : null}
          wide
        >
          <textarea rows={8} value={body} maxLength={8000} onChange={(e) => setBody(e.target.value)} data-testid="doc-body" />
        </Field>
      ) : (
        <Field label={t('newDocument.file')} error={problem === 'file' ? t('newDocument.errors.file') : null} wide>
          <input type="file" accept="application/pdf,.pdf" onChange={(e) => void choose(e.target.files?.[0])} data-testid="doc-file" />
        </Field>
      )}
      {problem === 'patient' && <small className="field-error span-all">{t('newDocument.errors.patient')}</small>}
      <div className="span-all">
        <ErrorNote error={error} />
      </div>
      <div className="form-actions span-all">
        <button type="button" className="secondary" onClick={onClose}>
          {t('common.cancel')}
        </button>
        <button type="submit" disabled={busy} data-testid="doc-issue">
          {t('newDocument.issue')}
        </button>
      </div>
    </form>
  );
}
