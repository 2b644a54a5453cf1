import { defineEntity, p, type InferEntity } from "@mikro-orm/core";

/** Studio-wide settings and feature flags, one row per key (PRD section 13). */
export const SystemSettings = defineEntity({
  name: "SystemSettings",
  tableName: "system_settings",
  properties: {
    key: p.string().primary(),
    value: p.json<unknown>(),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type ISystemSettings = InferEntity<typeof SystemSettings>;
