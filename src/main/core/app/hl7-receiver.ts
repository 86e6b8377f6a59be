import type { ResultsIntake } from '../intake/results-intake';
import { receiveAppointment } from '../intake/appointments-intake';
import { incomingFromSource } from '../intake/source-result-adapter';
import { heldUnlessTrusted } from '../intake/source-trust';
import type { Planner } from '../scheduler/planner';
import { hl7AppointmentDecision } from '../sources/hl7/appointment-decision';
import type { Hl7Inbound } from '../sources/hl7/interpret';
import type { Hl7Decision, Hl7Sender } from '../sources/hl7/listener';
import type { sourceFileReader } from '../sources/source-file';
import type { StoreStage } from './store-stage';

/** What an HL7 message becomes: results go to the results intake, an appointment to the planner. */
export function hl7Receiver(
  s: StoreStage,
  resultsIntake: ResultsIntake,
  planner: Planner,
  readSourceFile: ReturnType<typeof sourceFileReader>,
) {
  return async (inbound: Hl7Inbound, from: Hl7Sender): Promise<Hl7Decision> => {
    if (inbound.kind === 'results') {
      // Problems (unknown patient, bad PDF…) wait in "por revisar": the message itself was taken. A sender the clinic
      // has not listed as trusted is unauthenticated: its results wait for a person's approval.
      for (const record of inbound.records) {
        await resultsIntake.receive(heldUnlessTrusted(await incomingFromSource(record, readSourceFile), from.trusted));
      }
      return { accept: true };
    }
    const outcome = receiveAppointment(s.db, planner, inbound.record, {
      at: s.now(),
      language: s.language(),
      defaultCountry: s.defaultCountry(),
      siteCodes: s.settings.get().hl7.siteCodes,
    });
    if (outcome.ok) {
      s.bus.emit('appointments.changed', { id: outcome.appointmentId });
      // The appointment may have registered its patient or recorded their consent.
      s.bus.emit('patients.changed', { id: null });
    }
    return hl7AppointmentDecision(outcome);
  };
}
