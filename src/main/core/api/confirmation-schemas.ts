import { z } from 'zod';

const none = z.object({}).strict();
const id = z.number().int().positive();
const epoch = z.number().int().nonnegative();

/** Arguments of Citas' confirmation loop (board, overlaps, reschedule, replies), merged into the API's schemas. */
export const confirmationArgSchemas = {
  'appointments.board': z.object({
    day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    siteId: id.optional(),
    filter: z.enum(['confirmed', 'no_answer', 'change_requested', 'reminder_failed']).optional(),
  }),
  'appointments.overlaps': z.object({ patientId: id, siteId: id, startsAt: epoch, excludeId: id.optional() }),
  'appointments.reschedule': z.object({
    id,
    localDateTime: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/),
    notifyPatient: z.boolean(),
    replyId: id.optional(),
  }),
  'replies.details': none,
  'replies.answer': z.object({ replyId: id, text: z.string().trim().min(1).max(4096) }),
  'replies.cancelAppointment': z.object({ replyId: id }),
};
