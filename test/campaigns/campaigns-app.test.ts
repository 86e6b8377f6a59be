import { afterEach, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { cloudRig } from '../helpers/cloud';

function until(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = async () => {
      if (await check()) return resolve();
      if (Date.now() - start > timeoutMs) return reject(new Error('timed out'));
      setTimeout(() => void tick(), 20);
    };
    void tick();
  });
}

let rig: Awaited<ReturnType<typeof cloudRig>> | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

describe('campaigns through the Cloud API (Graph API fake, real webhooks)', () => {
  it('reaches only opted-in patients with a valid phone, personalised, and audits each action', async () => {
    rig = await cloudRig();
    const r = rig;
    const ana = await r.patient();
    const beto = await r.patient();
    const noConsent = await r.call('patients.create', {
      firstNames: 'Carla', lastNames: 'Sin Permiso', documentType: 'DNI', documentNumber: '41000001', phone: '987000111', consent: false,
    });
    const noPhone = await r.call('patients.create', {
      firstNames: 'Dante', lastNames: 'Sin Celular', documentType: 'DNI', documentNumber: '41000002', phone: null, consent: true,
    });
    const draft = {
      name: 'Campaña de prueba',
      segment: {},
      templateName: 'aviso_clinica',
      templateParams: ['Hola {nombre}, le invitamos a su chequeo anual.'],
      body: '',
    };
    expect(await r.call('campaigns.preview', { segment: {} })).toMatchObject({
      matched: 4,
      reached: 2,
      excluded: { no_consent: 1, no_phone: 1, opted_out: 0 },
    });
    const created = await r.call('campaigns.create', draft);
    expect(created.state).toBe('draft');
    const scheduled = await r.call('campaigns.schedule', { id: created.id });
    expect(scheduled.state).toBe('sending');
    await until(() => r.fake.accepted.length === 2);
    const to = r.fake.accepted.map((a) => `+${a.to}`).sort();
    expect(to).toEqual([ana.phoneE164, beto.phoneE164].sort());
    expect(to).not.toContain(noConsent.phoneE164);
    expect(JSON.stringify(r.fake.accepted[0]?.body)).toContain('Hola Ana, le invitamos');
    await until(async () => (await r.call('campaigns.list', {}))[0]?.state === 'done');
    const [done] = await r.call('campaigns.list', {});
    expect(done?.metrics).toMatchObject({ targeted: 2, sent: 2, failed: 0, excluded: { no_consent: 1, no_phone: 1 } });
    // Scheduling twice cannot send twice: the key campaign:<id>:<patient> is unique.
    await expect(r.call('campaigns.schedule', { id: created.id })).rejects.toThrow(/not_draft/);
    expect(noPhone.phoneE164).toBeNull();
    expect((await r.call('audit.verify', {})).ok).toBe(true);
  }, 60_000);

  it('a BAJA that arrives while the campaign is sending: nothing more goes to that patient', async () => {
    rig = await cloudRig();
    const r = rig;
    await r.call('settings.update', { cloudApi: { maxPerSecond: 4 } });
    const patients = [];
    for (let i = 0; i < 10; i++) patients.push(await r.patient());
    const c = await r.call('campaigns.create', {
      name: 'Campaña BAJA',
      segment: {},
      templateName: 'aviso_clinica',
      templateParams: ['Hola {nombre}'],
      body: '',
    });
    await r.call('campaigns.schedule', { id: c.id });
    await until(() => r.fake.accepted.length >= 2);
    // A patient a few places down the line (about a second away at 4 per second: room for the reply on a busy machine)
    // writes BAJA.
    const target = patients[r.fake.accepted.length + 4]!;
    const repliedAt = Date.now();
    await r.fake.inbound({ from: target.phoneE164!.slice(1), text: 'BAJA' });
    await until(async () => (await r.call('campaigns.list', {}))[0]?.state === 'done');
    const toTarget = r.fake.accepted.filter((a) => `+${a.to}` === target.phoneE164);
    expect(toTarget.filter((a) => a.at >= repliedAt)).toEqual([]);
    const [done] = await r.call('campaigns.list', {});
    expect(done?.metrics.sent).toBe(9);
    expect(done?.metrics.cancelled).toBe(1);
    const withdrawn = (await r.call('messages.list', { state: 'cancelled' })).rows;
    expect(withdrawn.map((m) => m.patientId)).toEqual([target.id]);
    expect(withdrawn[0]?.lastErrorReason).toMatch(/no recibir/);
  }, 60_000);

  it('plans a follow-up N days after an attended visit, at the hour in the site zone, only with consent', async () => {
    rig = await cloudRig();
    const r = rig;
    const [service] = await r.call('services.list', {});
    const [site] = await r.call('sites.list', {});
    const rules = await r.call('followUps.saveRule', {
      name: 'Control post-análisis',
      serviceId: service!.id,
      daysAfter: 3,
      hourOfDay: 10,
      templateName: 'aviso_clinica',
      templateParams: ['Hola {nombre}, ¿cómo se siente después de su visita?'],
      body: '',
    });
    const rule = rules[0]!;
    const ana = await r.patient();
    const carla = await r.call('patients.create', {
      firstNames: 'Carla', lastNames: 'Sin Permiso', documentType: 'DNI', documentNumber: '41000003', phone: '987000112', consent: false,
    });
    const startsAt = Date.now() - 3_600_000;
    const visit = await r.call('appointments.create', { patientId: ana.id, siteId: site!.id, serviceId: service!.id, startsAt });
    const other = await r.call('appointments.create', { patientId: carla.id, siteId: site!.id, serviceId: service!.id, startsAt });
    const followUps = async () => (await r.call('messages.list', { limit: 100 })).rows.filter((m) => m.kind === 'followup');
    expect(await followUps()).toEqual([]);

    await r.call('appointments.setStatus', { id: visit.id, status: 'attended' });
    await r.call('appointments.setStatus', { id: other.id, status: 'attended' });
    await r.call('appointments.setStatus', { id: visit.id, status: 'attended' }); // again: still one
    const planned = await followUps();
    expect(planned).toHaveLength(1);
    const expected = DateTime.fromMillis(startsAt, { zone: 'America/Lima' }).startOf('day').plus({ days: 3 }).set({ hour: 10 });
    expect(planned[0]).toMatchObject({
      idempotencyKey: `follow_up:${visit.id}:${rule.id}`,
      patientId: ana.id,
      state: 'queued',
      notBefore: expected.toMillis(),
    });
    expect(planned[0]?.body).toContain('Hola Ana');
    expect((await r.call('followUps.rules', {}))[0]).toMatchObject({ queued: 1, sent: 0 });

    // Deleting the rule before it goes withdraws it, with the reason.
    await r.call('followUps.deleteRule', { id: rule.id });
    const [withdrawn] = await followUps();
    expect(withdrawn).toMatchObject({ state: 'cancelled', lastErrorCode: 'follow_up.rule_deleted' });
    expect(withdrawn?.lastErrorReason).toMatch(/regla de seguimiento/);
    expect(r.fake.accepted).toEqual([]);
  }, 60_000);
});
