import { join } from 'node:path';
import type { AppOptions } from '../app-types';
import { createDocumentPipeline } from '../documents/pipeline';
import { signingTokenCredential } from '../documents/token-credential';
import { professionalCredentials } from '../documents/professional-credentials';
import { closeCredentialsWhenSessionsEnd } from '../people/credentials-follow-sessions';
import type { Outbox } from '../outbox/outbox';
import { orthancLookup } from '../sources/orthanc';
import type { StoreStage } from './store-stage';

/** The PDF pipeline (validate, sign, stamp, store) with its certificate or token, and the imaging-study lookup. */
export function buildDocuments(options: AppOptions, s: StoreStage, outbox: Outbox) {
  const { db, settings, now } = s;
  const documentsDir = join(options.dataDir, 'documents');
  const tokenCredential = signingTokenCredential(() => settings.get().signing, now);
  const professionals = professionalCredentials({
    db,
    sealP12: (p12) => options.secretBox.encrypt(Buffer.from(p12).toString('base64')),
    unsealP12: (sealed) => Buffer.from(options.secretBox.decrypt(sealed), 'base64'),
    keepSession: () => settings.get().signing.keepProfessionalSession,
    now,
  });
  closeCredentialsWhenSessionsEnd({
    db,
    now,
    people: s.access.people,
    professionals: {
      isOpen: (personId) => professionals.isOpen(personId),
      // Closed because its session ended: the lists that show it open hear of it.
      lock: (personId) => {
        professionals.lock(personId);
        s.bus.emit('professionalCredentials.changed', { id: personId });
      },
    },
  });
  const documentPipeline = createDocumentPipeline({
    db,
    outbox,
    documentsDir,
    now,
    timeZone: s.clinicZone,
    channel: s.sendChannel,
    templateLanguage: s.templateLanguage,
    results: () => settings.get().results,
    signing: () => settings.get().signing,
    certificate: () => {
      const p12 = settings.getSecret('certificate.p12');
      return p12 ? { p12: Buffer.from(p12, 'base64'), password: settings.getSecret('certificate.password') ?? '' } : null;
    },
    tokenCredential: () => (settings.get().signing.credential === 'token' ? tokenCredential.current() : null),
    professionals,
    lookupStudyUid: orthancLookup(() => {
      const r = settings.get().results;
      return r.orthancUrl ? { url: r.orthancUrl, username: r.orthancUsername, password: settings.getSecret('orthanc.password') ?? '' } : null;
    }),
  });
  return { documentsDir, tokenCredential, professionals, documentPipeline };
}

export type DocumentsStage = ReturnType<typeof buildDocuments>;
