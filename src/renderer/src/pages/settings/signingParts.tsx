import type { PersonView } from '../../../../shared/people';
import type { SettingsView, SigningSettingsView } from '../../../../shared/settings';
import { useCall } from '../../api/hooks';
import type { Save } from './types';

// Parts the clinic's token and the professionals' own credentials share in Ajustes → Certificado.

/** Professionals who may hold a signature of their own: the role and a registry number (the stamp shows it). */
export function useProfessionals(): PersonView[] {
  const people = useCall('people.list', {}).data ?? [];
  return people.filter((p) => p.active && p.roles.includes('professional') && p.registryNumber);
}

type SigningSwitch = { [K in keyof SigningSettingsView]: SigningSettingsView[K] extends boolean ? K : never }[keyof SigningSettingsView];

/** A yes/no signing setting, saved as soon as it is ticked. */
export function SigningCheck({ view, save, name, label, testId }: { view: SettingsView; save: Save; name: SigningSwitch; label: string; testId: string }) {
  return (
    <label className="check">
      <input type="checkbox" checked={view.signing[name]} onChange={(e) => void save({ signing: { [name]: e.target.checked } })} data-testid={testId} />
      <span>{label}</span>
    </label>
  );
}

/** Chooses one of the professionals (from useProfessionals), or none (`none` says what none means here). */
export function ProfessionalSelect({
  professionals,
  value,
  onChange,
  none,
  testId,
  ...field
}: {
  professionals: readonly PersonView[];
  value: number | null;
  onChange: (personId: number | null) => void;
  none: string;
  testId: string;
  /** Given by Field: the label's target and the field's hint or error. */
  id?: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
}) {
  return (
    <select {...field} value={value ?? ''} onChange={(e) => onChange(e.target.value ? Number(e.target.value) : null)} data-testid={testId}>
      <option value="">{none}</option>
      {professionals.map((p) => (
        <option key={p.id} value={p.id}>
          {p.name} ({p.registryNumber})
        </option>
      ))}
    </select>
  );
}
