import type { Service, Site } from '../../../shared/domain';
import { makeDemoCertificate } from '../demo/demo-certificate';
import { receiveDemoResults } from '../demo/demo-results';
import { seedDemo } from '../demo/seed';
import type { HandlerContext } from './handler-context';

/** A new demo clinic: its own signing certificate, patients and appointments, reminders planned, the lab's results received. */
export async function startDemo(ctx: HandlerContext, clinic: { sites: Site[]; services: Service[]; now: number }): Promise<void> {
  const settings = ctx.settings.get();
  if (!ctx.settings.getSecret('certificate.p12')) {
    const certificate = makeDemoCertificate(settings.clinicName, clinic.now);
    ctx.settings.setSecret('certificate.p12', certificate.base64);
    ctx.settings.setSecret('certificate.password', certificate.password);
    ctx.documentPipeline.reloadCertificate();
    ctx.audit('certificate.installed', 'certificate', 'demo');
  }
  const seeded = seedDemo(ctx.db, clinic);
  ctx.planner.planUpcoming();
  await receiveDemoResults(ctx.resultsIntake, seeded.labResults, {
    clinicName: settings.clinicName,
    timeZone: clinic.sites[0]?.timeZone ?? 'America/Lima',
    language: settings.language,
    now: clinic.now,
  });
}
