import { describe, expect, it } from 'vitest';
import { axeCheck } from '../helpers/axe';
import { oneSiteClinic } from '../helpers/fixtures';
import { useE2e } from './fixture';

// Ajustes → Recordatorios lists each rule's template as a receptionist reads it ("Recordatorio de cita"), with the
// name WhatsApp knows it by in the details line — the same words the message detail and the exports use.

const e2e = useE2e({ clinic: oneSiteClinic() });
const { api } = e2e;

describe('Ajustes → Recordatorios: rules name their template in words', () => {
  it('shows Avisa’s default template and a clinic’s own one in words, each code in its details line', async () => {
    // A clinic's own template, approved at Meta under its code name.
    await api('reminders.saveRule', { siteId: null, serviceId: null, leadMinutes: 72 * 60, templateName: 'control_prenatal_v2', templateLanguage: 'es' });
    const { page, errors } = await e2e.openPage({ locale: 'es-PE', viewport: { width: 1366, height: 768 } });
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-reminders').click();
    const rows = page.getByTestId('rule-row');
    await expect.poll(() => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-rule'))), { timeout: 10_000 }).toEqual(['72h', '24h', '2h']);

    const labels = () => rows.getByTestId('rule-template-label').allInnerTexts();
    const codes = () => rows.getByTestId('rule-template-code').allInnerTexts();
    await expect.poll(labels, { timeout: 10_000 }).toEqual(['Control prenatal v2', 'Recordatorio de cita', 'Recordatorio de cita']);
    expect(await codes()).toEqual([
      'Nombre en WhatsApp: control_prenatal_v2 · es',
      'Nombre en WhatsApp: recordatorio_cita · es',
      'Nombre en WhatsApp: recordatorio_cita · es',
    ]);
    // The code appears only in the details line, never in place of the words.
    const dayBefore = page.locator('[data-testid="rule-row"][data-rule="24h"]');
    expect((await dayBefore.innerText()).split('recordatorio_cita')).toHaveLength(2);
    expect(await axeCheck(page, 'Ajustes → Recordatorios, rules')).toEqual([]);
    await page.getByTestId('reminder-rules').screenshot({ path: 'test-artifacts/settings-reminder-rules-1366.png' });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
