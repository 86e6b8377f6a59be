import { useState } from 'react';
import { Field } from '../../components/Field';
import { useUnsaved } from './unsaved';

/**
 * A .p12 being chosen: the file, its password, and whether either is there (unsaved work for Ajustes' leave question).
 * After a success the form gets a new file input: the file taken is no longer "chosen".
 */
export function useP12Draft(unsavedKey: string) {
  const [file, setFile] = useState<File | null>(null);
  const [password, setPassword] = useState('');
  const [fileInput, setFileInput] = useState(0);
  const chosenOrTyped = file !== null || password !== '';
  useUnsaved(unsavedKey, chosenOrTyped);
  return {
    file,
    setFile,
    password,
    setPassword,
    fileInput,
    chosenOrTyped,
    /** Forgets the file and the password once they were taken. */
    clear(): void {
      setPassword('');
      setFile(null);
      setFileInput((n) => n + 1);
    },
  };
}

type P12Draft = ReturnType<typeof useP12Draft>;

/** The .p12 file and password fields of a draft. */
export function P12Fields(o: {
  draft: P12Draft;
  fileLabel: string;
  passwordLabel: string;
  fileTestId: string;
  passwordTestId: string;
  autoComplete: 'off' | 'new-password';
}) {
  const { draft } = o;
  return (
    <>
      <Field label={o.fileLabel}>
        <input
          key={draft.fileInput}
          type="file"
          accept=".p12,.pfx,application/x-pkcs12"
          onChange={(e) => draft.setFile(e.target.files?.[0] ?? null)}
          data-testid={o.fileTestId}
        />
      </Field>
      <Field label={o.passwordLabel}>
        <input
          type="password"
          autoComplete={o.autoComplete}
          value={draft.password}
          onChange={(e) => draft.setPassword(e.target.value)}
          data-testid={o.passwordTestId}
        />
      </Field>
    </>
  );
}
