import { hasNul, NUL_REFUSED } from "~/utils/forms";

/** The kinds of question a weekly questionnaire asks. */
export const QUESTION_KINDS = ["TEXT", "NUMBER", "SCALE", "SINGLE_CHOICE", "MULTIPLE_CHOICE"] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/**
 * One question, stored inside its week's bundle. `id` is stable across edits and copies, so answers
 * (keyed by it) survive a reworded prompt. NUMBER may carry a unit; the choice kinds carry options; SCALE is 1–10.
 */
export type Question = {
  id: string;
  kind: QuestionKind;
  prompt: string;
  required: boolean;
  unit?: string | null;
  options?: string[];
};

/** A member's answers by question id: text, a number (NUMBER and SCALE), one option, or several options. */
export type Answers = Record<string, string | number | string[]>;
export type Answer = Answers[string];

type FieldErrors = Record<string, string[] | undefined>;

export const QUESTIONNAIRE_LIMITS = {
  questions: 30,
  prompt: 300,
  unit: 20,
  minOptions: 2,
  maxOptions: 20,
  option: 100,
  text: 2000,
  /** NUMBER answers: a sane range for weights, litres, steps, hours… */
  numberMin: -1_000_000,
  numberMax: 1_000_000,
  scaleMin: 1,
  scaleMax: 10,
} as const;

export const KIND_LABELS: Record<QuestionKind, string> = {
  TEXT: "Text",
  NUMBER: "Number",
  SCALE: "Scale 1–10",
  SINGLE_CHOICE: "Single choice",
  MULTIPLE_CHOICE: "Multiple choice",
};

const isChoice = (kind: QuestionKind) => kind === "SINGLE_CHOICE" || kind === "MULTIPLE_CHOICE";
const QUESTION_ID = /^[A-Za-z0-9_-]{1,40}$/;

// ---------- building a week's questions ----------

/**
 * One row of the question builder as typed: `key` names its form fields (`questions.<key>.prompt`…),
 * `id` is the stored question's id (absent for a new row), `options` the textarea's text, one per line.
 */
export type QuestionRow = {
  key: string;
  id?: string;
  kind: string;
  prompt: string;
  required: boolean;
  unit: string;
  options: string;
  remove: boolean;
  order: string;
};

export const ROW_FIELD_PREFIX = "questions";
export const rowField = (key: string, field: keyof Omit<QuestionRow, "key">) => `${ROW_FIELD_PREFIX}.${key}.${field}`;

/** The builder's rows from a posted form (`questions.<n>.<field>`), in the order their keys were posted. */
export function questionRowsFromForm(entries: Iterable<[string, unknown]>): QuestionRow[] {
  const rows = new Map<string, QuestionRow>();
  const pattern = new RegExp(`^${ROW_FIELD_PREFIX}\\.(\\d{1,3})\\.(id|kind|prompt|required|unit|options|remove|order)$`);
  for (const [name, value] of entries) {
    const match = pattern.exec(name);
    if (!match || typeof value !== "string") continue;
    const [, key, field] = match;
    let row = rows.get(key);
    if (!row) {
      row = { key, kind: "TEXT", prompt: "", required: false, unit: "", options: "", remove: false, order: "" };
      rows.set(key, row);
    }
    if (field === "required" || field === "remove") row[field] = value === "on" || value === "true";
    else if (field === "id") row.id = value.trim() || undefined;
    else row[field as "kind" | "prompt" | "unit" | "options" | "order"] = value;
  }
  return [...rows.values()];
}

/** The rows a bundle's questions show as in the builder (keys 0…n−1, order 1…n). */
export function rowsFromQuestions(questions: Question[]): QuestionRow[] {
  return questions.map((q, index) => ({
    key: String(index),
    id: q.id,
    kind: q.kind,
    prompt: q.prompt,
    required: q.required,
    unit: q.unit ?? "",
    options: (q.options ?? []).join("\n"),
    remove: false,
    order: String(index + 1),
  }));
}

/** A new row with nothing typed: it is left out when saved blank. */
export function blankRow(key: string, order: number): QuestionRow {
  return { key, kind: "TEXT", prompt: "", required: true, unit: "", options: "", remove: false, order: String(order) };
}

const isBlankNewRow = (row: QuestionRow) => !row.id && row.prompt.trim() === "" && row.options.trim() === "" && row.unit.trim() === "";

export const optionLines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");

export type QuestionSetCheck = { ok: true; questions: Question[] } | { ok: false; fieldErrors: FieldErrors };

/**
 * The questions a builder's rows make: removed rows and untouched blank rows left out, the rest sorted
 * by their order number (then as posted), checked, and trimmed. New rows get an id from `makeId`.
 * Messages are keyed by the row's fields (`questions.<key>.prompt`), the whole set's under `questions`.
 */
export function validateQuestionRows(rows: QuestionRow[], makeId: () => string): QuestionSetCheck {
  const fieldErrors: FieldErrors = {};
  const add = (key: string, message: string) => (fieldErrors[key] ??= []).push(message);
  const kept = rows
    .map((row, index) => ({ row, index, order: Number.parseInt(row.order, 10) }))
    .filter(({ row }) => !row.remove && !isBlankNewRow(row))
    .sort((a, b) => (Number.isFinite(a.order) ? a.order : a.index + 1) - (Number.isFinite(b.order) ? b.order : b.index + 1) || a.index - b.index);

  const seenIds = new Set<string>();
  const questions: Question[] = [];
  for (const { row } of kept) {
    const field = (name: keyof Omit<QuestionRow, "key">) => rowField(row.key, name);
    const id = row.id ?? makeId();
    if (!QUESTION_ID.test(id) || seenIds.has(id)) add(field("prompt"), "This row's question id is damaged or repeated. Reload the page and try again.");
    seenIds.add(id);

    for (const name of ["prompt", "unit", "options"] as const) if (hasNul(row[name])) add(field(name), NUL_REFUSED);
    const kind = QUESTION_KINDS.find((k) => k === row.kind);
    if (!kind) add(field("kind"), "Choose a kind of question from the list.");
    const prompt = row.prompt.trim();
    if (prompt === "") add(field("prompt"), row.id ? "Write the question, or tick “Remove”." : "Write the question, or clear this row.");
    else if (prompt.length > QUESTIONNAIRE_LIMITS.prompt) add(field("prompt"), `A question can be at most ${QUESTIONNAIRE_LIMITS.prompt} characters.`);

    const question: Question = { id, kind: kind ?? "TEXT", prompt, required: row.required };
    if (kind === "NUMBER") {
      const unit = row.unit.trim();
      if (unit.length > QUESTIONNAIRE_LIMITS.unit) add(field("unit"), `A unit can be at most ${QUESTIONNAIRE_LIMITS.unit} characters.`);
      question.unit = unit === "" ? null : unit;
    }
    if (kind && isChoice(kind)) {
      const options = optionLines(row.options);
      const message = optionsProblem(options);
      if (message) add(field("options"), message);
      question.options = options;
    }
    questions.push(question);
  }
  if (questions.length === 0) add(ROW_FIELD_PREFIX, "Add at least one question.");
  if (questions.length > QUESTIONNAIRE_LIMITS.questions) add(ROW_FIELD_PREFIX, `A questionnaire can have at most ${QUESTIONNAIRE_LIMITS.questions} questions.`);
  return Object.keys(fieldErrors).length ? { ok: false, fieldErrors } : { ok: true, questions };
}

function optionsProblem(options: string[]): string | null {
  const { minOptions, maxOptions, option } = QUESTIONNAIRE_LIMITS;
  if (options.length < minOptions) return `Give at least ${minOptions} options, one per line.`;
  if (options.length > maxOptions) return `Give at most ${maxOptions} options.`;
  const long = options.find((o) => o.length > option);
  if (long) return `Each option can be at most ${option} characters (“${long.slice(0, 20)}…” is longer).`;
  const seen = new Set<string>();
  for (const o of options) {
    if (seen.has(o.toLowerCase())) return `Each option must be different (“${o}” repeats).`;
    seen.add(o.toLowerCase());
  }
  return null;
}

/** Checks a stored or copied question set (the same rules as the builder), messages keyed by the question's position. */
export function validateQuestions(questions: Question[]): QuestionSetCheck {
  const rows = questions.map((q, index) => ({ ...rowsFromQuestions([q])[0], key: String(index), order: String(index + 1) }));
  return validateQuestionRows(rows, () => "");
}

/** "Week 3 check-in" copied to week 4 becomes "Week 4 check-in"; any other title stays as it is. */
export function titleForWeek(title: string, fromWeek: number, toWeek: number): string {
  return title.replace(new RegExp(`\\bWeek ${fromWeek}\\b`, "gi"), (match) => `${match.slice(0, 4)} ${toWeek}`);
}

// ---------- answering ----------

/** The answer field of a question in the member's form (repeated for a multiple choice's ticked boxes). */
export const answerField = (questionId: string) => `answer.${questionId}`;

/** Answers as posted: a string per question, a list for multiple choice. Only the questions' own ids. */
export type RawAnswers = Record<string, string | string[]>;

/** The answers a member's (or a coach's) form posted, by question id; fields of unknown questions are dropped. */
export function answersFromForm(questions: Question[], entries: Iterable<[string, unknown]>): RawAnswers {
  const byField = new Map<string, string[]>();
  for (const [name, value] of entries) {
    if (typeof value !== "string") continue;
    byField.set(name, [...(byField.get(name) ?? []), value]);
  }
  const raw: RawAnswers = {};
  for (const question of questions) {
    const values = byField.get(answerField(question.id));
    if (values === undefined) continue;
    raw[question.id] = question.kind === "MULTIPLE_CHOICE" ? values : values[0];
  }
  return raw;
}

export type AnswersCheck = { ok: true; answers: Answers } | { ok: false; fieldErrors: FieldErrors };

/** A decimal typed with a dot or a comma ("72.5", "72,5", "-3"), or null. */
export function parseDecimal(text: string): number | null {
  const trimmed = text.trim();
  if (!/^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/.test(trimmed)) return null;
  const value = Number(trimmed.replace(",", "."));
  return Number.isFinite(value) ? value : null;
}

type One = { answer: Answer } | { missing: true } | { error: string };

function checkOne(question: Question, raw: string | string[] | number | undefined): One {
  const options = question.options ?? [];
  if (question.kind === "MULTIPLE_CHOICE") {
    const picked = (Array.isArray(raw) ? raw : raw === undefined ? [] : [String(raw)]).map((v) => v.trim()).filter((v) => v !== "");
    if (picked.length === 0) return { missing: true };
    if (picked.some((v) => !options.includes(v))) return { error: "Choose from the options listed." };
    return { answer: options.filter((o) => picked.includes(o)) };
  }
  const text = (Array.isArray(raw) ? raw[0] : raw) ?? "";
  const value = String(text).trim();
  if (value === "") return { missing: true };
  switch (question.kind) {
    case "TEXT":
      if (hasNul(value)) return { error: NUL_REFUSED };
      return value.length > QUESTIONNAIRE_LIMITS.text ? { error: `Keep your answer to ${QUESTIONNAIRE_LIMITS.text} characters or fewer.` } : { answer: value };
    case "NUMBER": {
      const n = parseDecimal(value);
      if (n === null) return { error: "Enter a number, like 72.5." };
      const { numberMin, numberMax } = QUESTIONNAIRE_LIMITS;
      if (n < numberMin || n > numberMax) return { error: `Enter a number between ${numberMin} and ${numberMax}.` };
      return { answer: n };
    }
    case "SCALE": {
      const n = /^\d{1,2}$/.test(value) ? Number(value) : NaN;
      const { scaleMin, scaleMax } = QUESTIONNAIRE_LIMITS;
      return n >= scaleMin && n <= scaleMax ? { answer: n } : { error: `Choose a whole number from ${scaleMin} to ${scaleMax}.` };
    }
    case "SINGLE_CHOICE":
      return options.includes(value) ? { answer: value } : { error: "Choose one of the options listed." };
  }
}

/**
 * Checks and normalises answers against the questions: trimmed text, numbers as numbers, choices from
 * the options (a multiple choice in the options' order). Unknown question ids are dropped and blank
 * answers left out. A draft may miss answers; to submit, every required question needs one.
 * Messages are keyed by question id.
 */
export function validateAnswers(questions: Question[], raw: RawAnswers | Answers, mode: "draft" | "submit"): AnswersCheck {
  const answers: Answers = {};
  const fieldErrors: FieldErrors = {};
  for (const question of questions) {
    const one = checkOne(question, raw[question.id]);
    if ("answer" in one) answers[question.id] = one.answer;
    else if ("error" in one) fieldErrors[question.id] = [one.error];
    else if (mode === "submit" && question.required)
      fieldErrors[question.id] = [
        question.kind === "MULTIPLE_CHOICE" || question.kind === "SINGLE_CHOICE"
          ? "Choose an answer: this question is required."
          : "Answer this question: it is required.",
      ];
  }
  return Object.keys(fieldErrors).length ? { ok: false, fieldErrors } : { ok: true, answers };
}

/** Whether two stored answers say the same (a coach's correction that changes nothing is refused). */
export function sameAnswer(a: Answer | null | undefined, b: Answer | null | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** An answer as a member or coach reads it: "72.5 kg", "7 / 10", "Work, Sleep", or "—" when blank. */
export function formatAnswer(question: Pick<Question, "kind" | "unit">, answer: Answer | null | undefined): string {
  if (answer === undefined || answer === null || (Array.isArray(answer) && answer.length === 0) || answer === "") return "—";
  if (Array.isArray(answer)) return answer.join(", ");
  if (question.kind === "SCALE") return `${answer} / 10`;
  if (question.kind === "NUMBER" && question.unit) return `${answer} ${question.unit}`;
  return String(answer);
}

/** An answer as its form field shows it: the number as typed back, the choices as a list. */
export function answerFormValue(answer: Answer | null | undefined): string | string[] {
  if (answer === undefined || answer === null) return "";
  return Array.isArray(answer) ? answer : String(answer);
}
