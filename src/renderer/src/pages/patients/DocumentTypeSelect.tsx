import { useTranslation } from 'react-i18next';
import type { DocumentType } from '../../../../shared/domain';

const DOCUMENT_TYPES: readonly DocumentType[] = ['DNI', 'CE', 'PASAPORTE'];

/**
 * The kind of identity document, named in the person's language: the same choice when a patient is registered and
 * when a document's patient is fixed. Inside a `Field`, which passes the id and the aria attributes on to the select.
 */
export function DocumentTypeSelect({
  value,
  onChange,
  ...control
}: {
  value: DocumentType;
  onChange: (value: DocumentType) => void;
  id?: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
}) {
  const { t } = useTranslation();
  // The options are exactly DOCUMENT_TYPES, so the value read back is one of them.
  return (
    <select {...control} value={value} onChange={(e) => onChange(e.target.value as DocumentType)}>
      {DOCUMENT_TYPES.map((d) => (
        <option key={d} value={d}>
          {t(`documentType.${d}`)}
        </option>
      ))}
    </select>
  );
}
