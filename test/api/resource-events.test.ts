import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AvisaEvent } from '../../src/shared/api';
import type { AvisaCore } from '../../src/main/core/app';
import { samplePdf } from '../documents/pdf-tools';
import { startCore } from '../helpers/core';
import { oneSiteClinic } from '../helpers/fixtures';
import { tempDir } from '../helpers/temp';

// Each list in the UI reloads on the events that change it and no other: the core names the resource that changed,
// whether a person changed it or a source (a PDF dropped in the shared folder) did.

const cores: AvisaCore[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
});

const named = (events: AvisaEvent[], name: AvisaEvent['name']) => events.filter((e) => e.name === name).map((e) => e.data);

describe('the core names the resource that changed', () => {
  it('a new or edited patient → patients.changed; a campaign created or cancelled → campaigns.changed; a list read → nothing', async () => {
    const { core, call } = await startCore();
    cores.push(core);
    await call('setup.complete', oneSiteClinic({ channel: 'demo' }));
    const events: AvisaEvent[] = [];
    core.subscribe((e) => events.push(e));

    const rosa = await call('patients.create', {
      firstNames: 'Rosa',
      lastNames: 'Mamani',
      documentType: 'DNI',
      documentNumber: '45871236',
      phone: '987 654 321',
      consent: true,
    });
    await call('patients.update', { id: rosa.id, email: 'rosa@correo.test' });
    expect(named(events, 'patients.changed')).toEqual([{ id: null }, { id: rosa.id }]);
    expect(named(events, 'campaigns.changed')).toEqual([]);
    expect(named(events, 'results.changed')).toEqual([]);

    events.length = 0;
    await call('patients.list', {});
    await call('campaigns.list', {});
    expect(events.filter((e) => e.name.endsWith('.changed') && e.name !== 'status.changed')).toEqual([]);

    const campaign = await call('campaigns.create', { name: 'Chequeo', segment: {}, templateName: null, templateParams: [], body: 'Hola {nombre}' });
    await call('campaigns.cancel', { id: campaign.id });
    expect(named(events, 'campaigns.changed')).toEqual([{ id: null }, { id: campaign.id }]);
    expect(named(events, 'patients.changed')).toEqual([]);
  });

  it('a PDF dropped in the shared folder → results.changed (no list has to poll for it), and a refused call announces nothing', async () => {
    const { core, call } = await startCore();
    cores.push(core);
    await call('setup.complete', oneSiteClinic());
    const events: AvisaEvent[] = [];
    core.subscribe((e) => events.push(e));
    const folder = tempDir('avisa-share-');
    await call('settings.update', { folderSource: { enabled: true, path: folder, pollIntervalMs: 100, stabilityMs: 200 } });
    // Nobody with this document number: the result waits in "Por revisar", and the lists hear of it.
    writeFileSync(join(folder, '40000001_ACC1_resultado.pdf'), await samplePdf());
    await expect.poll(() => named(events, 'results.changed').length, { timeout: 15_000 }).toBeGreaterThan(0);
    const [item] = (await call('results.review', {})).rows;
    expect(item).toBeDefined();
    expect(named(events, 'results.changed')).toContainEqual({ id: item?.id });

    events.length = 0;
    const refused = await core.invoke('patients.update', { id: 999_999, email: 'nadie@correo.test' });
    expect(refused.ok).toBe(false);
    expect(named(events, 'patients.changed')).toEqual([]);
  });
});
