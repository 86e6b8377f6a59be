import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '../../../../shared/people';

/** The three roles as checkboxes: a person may hold several. */
export function RoleChecks({ roles, onChange, prefix }: { roles: Role[]; onChange: (roles: Role[]) => void; prefix: string }) {
  const { t } = useTranslation();
  return (
    <span className="row wrap">
      {ROLES.map((role) => (
        <label key={role} className="check">
          <input
            type="checkbox"
            checked={roles.includes(role)}
            data-testid={`${prefix}-role-${role}`}
            onChange={(e) => onChange(e.target.checked ? [...roles, role] : roles.filter((r) => r !== role))}
          />
          <span>{t(`people.role.${role}`)}</span>
        </label>
      ))}
    </span>
  );
}
