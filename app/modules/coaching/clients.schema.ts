import { z } from "zod";
import { blankToUndefined, pageNumber, searchText } from "~/utils/form-fields";
import { CLIENT_SORTS, SORT_DIRECTIONS } from "./clients.rules";

/** The "My clients" list's address: `?q=&sort=&dir=&page=`. */
export const ClientSearchSchema = z.object({
  q: searchText,
  sort: z.preprocess(blankToUndefined, z.enum(CLIENT_SORTS).optional()),
  dir: z.preprocess(blankToUndefined, z.enum(SORT_DIRECTIONS).optional()),
  page: pageNumber,
});
export type ClientSearch = z.output<typeof ClientSearchSchema>;

/** A client page's address: `?page=` of the attendance history. */
export const ClientHistorySchema = z.object({ page: pageNumber });
