import type { EntityManager } from "@mikro-orm/postgresql";
import type { FieldErrors } from "~/utils/forms";
import { flushUnlessDuplicate, invalid, type Result } from "~/utils/result";
import { readOf } from "../reads.server";
import { ClassType, type IClassType } from "./sessions.entities.server";
import type { ClassTypeInput } from "./sessions.schema";

export type ClassTypeResult = Result<{ classType: IClassType }>;

const NAME_TAKEN: FieldErrors = { name: ["An active class type already has this name."] };

export function listClassTypes(em: EntityManager, options: { includeInactive?: boolean } = {}) {
  return em.find(ClassType, options.includeInactive ? {} : { isActive: true }, { orderBy: { isActive: "desc", name: "asc" } });
}

/** The active class types as a filter's options, by name (plain rows), as a read for a page to send with its others. */
export function classTypeOptionsRead() {
  return readOf({ sql: `select id, name from class_type where is_active order by name, id` }, (rows: { id: number; name: string }[]) => rows);
}

export function findClassType(em: EntityManager, id: number) {
  return em.findOne(ClassType, id);
}

async function nameTaken(em: EntityManager, name: string, exceptId?: number) {
  const clash = await em.execute<{ id: number }[]>(`select id from class_type where is_active and lower(name) = lower(?) and id <> ?`, [name, exceptId ?? 0]);
  return clash.length > 0;
}

export async function createClassType(em: EntityManager, input: ClassTypeInput): Promise<ClassTypeResult> {
  if (await nameTaken(em, input.name)) return invalid(NAME_TAKEN);
  const classType = em.create(ClassType, { ...input, description: input.description ?? null, isActive: true }, { partial: true });
  return (await flushUnlessDuplicate(em, invalid(NAME_TAKEN))) ?? { ok: true, classType };
}

export async function updateClassType(em: EntityManager, id: number, input: ClassTypeInput): Promise<ClassTypeResult | null> {
  const classType = await em.findOne(ClassType, id);
  if (!classType) return null;
  if (classType.isActive && (await nameTaken(em, input.name, id))) return invalid(NAME_TAKEN);
  em.assign(classType, {
    ...input,
    description: input.description ?? null,
    bookingOpensDaysBefore: input.bookingOpensDaysBefore ?? null,
    bookingClosesMinutesBefore: input.bookingClosesMinutesBefore ?? null,
  });
  return (await flushUnlessDuplicate(em, invalid(NAME_TAKEN))) ?? { ok: true, classType };
}

/** Soft delete: existing sessions keep their class type; new ones cannot pick it. */
export async function setClassTypeActive(em: EntityManager, id: number, active: boolean): Promise<ClassTypeResult | null> {
  const classType = await em.findOne(ClassType, id);
  if (!classType) return null;
  if (active && !classType.isActive && (await nameTaken(em, classType.name, id))) {
    return invalid({ name: ["Another active class type has this name; rename one of them first."] });
  }
  classType.isActive = active;
  await em.flush();
  return { ok: true, classType };
}
