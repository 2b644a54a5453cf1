/** What a service answers when it refuses a command with one message for the whole form (app/utils/result.ts). */
export const refused = (formError: string) => ({ ok: false as const, formError, fieldErrors: {} });
