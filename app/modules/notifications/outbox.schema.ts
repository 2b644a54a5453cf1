import { z } from "zod";
import { blankToUndefined, pageNumber, searchText } from "~/utils/form-fields";

/** The filters of /admin/outbox (the statuses of EmailMessage). */
export const OutboxSearchSchema = z.object({
  status: z.preprocess(blankToUndefined, z.enum(["OUTBOX", "QUEUED", "SENT", "FAILED"]).optional()),
  q: searchText,
  page: pageNumber,
});
export type OutboxSearch = z.output<typeof OutboxSearchSchema>;
