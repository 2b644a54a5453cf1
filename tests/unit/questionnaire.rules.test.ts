import { describe, expect, it } from "vitest";
import {
  answerFormValue,
  answersFromForm,
  blankRow,
  formatAnswer,
  parseDecimal,
  questionRowsFromForm,
  rowsFromQuestions,
  sameAnswer,
  titleForWeek,
  validateAnswers,
  validateQuestionRows,
  validateQuestions,
  type Question,
  type QuestionRow,
} from "~/modules/cohorts/questionnaire.rules";
import { NUL_REFUSED } from "~/utils/forms";

const QUESTIONS: Question[] = [
  { id: "q-wins", kind: "TEXT", prompt: "What went well this week?", required: true },
  { id: "q-water", kind: "NUMBER", prompt: "Water a day", required: false, unit: "litres" },
  { id: "q-effort", kind: "SCALE", prompt: "How hard did you train?", required: true },
  { id: "q-diet", kind: "SINGLE_CHOICE", prompt: "How was your eating?", required: true, options: ["On plan", "Mostly", "Off plan"] },
  { id: "q-struggles", kind: "MULTIPLE_CHOICE", prompt: "What got in the way?", required: false, options: ["Work", "Sleep", "Travel", "Nothing"] },
];

function counter() {
  let n = 0;
  return () => `new-${++n}`;
}

const row = (key: string, fields: Partial<QuestionRow>): QuestionRow => ({ ...blankRow(key, Number(key) + 1), ...fields });

describe("building a week's questions", () => {
  it("reads the builder's rows from the posted form, ignoring other fields", () => {
    const rows = questionRowsFromForm([
      ["intent", "save"],
      ["title", "Week 1"],
      ["questions.0.id", "q-wins"],
      ["questions.0.prompt", "What went well?"],
      ["questions.0.kind", "TEXT"],
      ["questions.0.required", "on"],
      ["questions.0.order", "2"],
      ["questions.1.id", ""],
      ["questions.1.prompt", "Pick"],
      ["questions.1.kind", "SINGLE_CHOICE"],
      ["questions.1.options", "A\r\nB\n\n"],
      ["questions.1.remove", "on"],
      ["questions.x.prompt", "ignored"],
      ["questions.1000.prompt", "ignored"],
    ]);
    expect(rows).toEqual([
      { key: "0", id: "q-wins", kind: "TEXT", prompt: "What went well?", required: true, unit: "", options: "", remove: false, order: "2" },
      { key: "1", id: undefined, kind: "SINGLE_CHOICE", prompt: "Pick", required: false, unit: "", options: "A\r\nB\n\n", remove: true, order: "" },
    ]);
  });

  it("round-trips stored questions through the rows unchanged", () => {
    expect(validateQuestionRows(rowsFromQuestions(QUESTIONS), counter())).toEqual({ ok: true, questions: QUESTIONS });
    expect(validateQuestions(QUESTIONS)).toEqual({ ok: true, questions: QUESTIONS });
  });

  it("leaves out removed and untouched blank rows, sorts by the order number and gives new rows ids", () => {
    const check = validateQuestionRows(
      [
        row("0", { id: "q-a", prompt: "First", order: "3" }),
        row("1", { id: "q-b", prompt: "Gone", remove: true }),
        row("2", { prompt: "  Pick one  ", kind: "SINGLE_CHOICE", options: " Yes \nNo\n", order: "1" }),
        row("3", {}),
        row("4", { prompt: "Weight", kind: "NUMBER", unit: " kg ", options: "ignored\nfor numbers", order: "" }),
      ],
      counter(),
    );
    expect(check).toEqual({
      ok: true,
      questions: [
        { id: "new-1", kind: "SINGLE_CHOICE", prompt: "Pick one", required: true, options: ["Yes", "No"] },
        { id: "q-a", kind: "TEXT", prompt: "First", required: true },
        { id: "new-2", kind: "NUMBER", prompt: "Weight", required: true, unit: "kg" },
      ],
    });
  });

  it("explains each problem on its row's field", () => {
    const check = validateQuestionRows(
      [
        row("0", { id: "q-a", prompt: "" }),
        row("1", { prompt: "x".repeat(301) }),
        row("2", { prompt: "Kind?", kind: "ESSAY" }),
        row("3", { prompt: "Unit", kind: "NUMBER", unit: "u".repeat(21) }),
        row("4", { prompt: "One option", kind: "SINGLE_CHOICE", options: "Only" }),
        row("5", { prompt: "Repeats", kind: "MULTIPLE_CHOICE", options: "Yes\nyes" }),
        row("6", { prompt: "Long option", kind: "SINGLE_CHOICE", options: `A\n${"o".repeat(101)}` }),
        row("7", { prompt: "Many", kind: "MULTIPLE_CHOICE", options: Array.from({ length: 21 }, (_, i) => `o${i}`).join("\n") }),
        row("8", { id: "q-a", prompt: "Same id" }),
        row("9", { id: "bad id!", prompt: "Damaged id" }),
        row("10", { options: "typed options but no prompt" }),
      ],
      counter(),
    );
    expect(check).toEqual({
      ok: false,
      fieldErrors: {
        "questions.0.prompt": ["Write the question, or tick “Remove”."],
        "questions.1.prompt": ["A question can be at most 300 characters."],
        "questions.2.kind": ["Choose a kind of question from the list."],
        "questions.3.unit": ["A unit can be at most 20 characters."],
        "questions.4.options": ["Give at least 2 options, one per line."],
        "questions.5.options": ["Each option must be different (“yes” repeats)."],
        "questions.6.options": ["Each option can be at most 100 characters (“oooooooooooooooooooo…” is longer)."],
        "questions.7.options": ["Give at most 20 options."],
        "questions.8.prompt": ["This row's question id is damaged or repeated. Reload the page and try again."],
        "questions.9.prompt": ["This row's question id is damaged or repeated. Reload the page and try again."],
        "questions.10.prompt": ["Write the question, or clear this row."],
      },
    });
  });

  it("needs one question and allows at most 30", () => {
    expect(validateQuestionRows([row("0", {}), row("1", { id: "q-a", prompt: "Gone", remove: true })], counter())).toEqual({
      ok: false,
      fieldErrors: { questions: ["Add at least one question."] },
    });
    const thirty = Array.from({ length: 30 }, (_, i) => row(String(i), { prompt: `Q${i}` }));
    expect(validateQuestionRows(thirty, counter()).ok).toBe(true);
    expect(validateQuestionRows([...thirty, row("30", { prompt: "One too many" })], counter())).toEqual({
      ok: false,
      fieldErrors: { questions: ["A questionnaire can have at most 30 questions."] },
    });
  });

  it("renames “Week N” in a copied title", () => {
    expect(titleForWeek("Week 3 check-in", 3, 4)).toBe("Week 4 check-in");
    expect(titleForWeek("week 3: how was it", 3, 4)).toBe("week 4: how was it");
    expect(titleForWeek("Week 30 review", 3, 4)).toBe("Week 30 review");
    expect(titleForWeek("Weekly check-in", 3, 4)).toBe("Weekly check-in");
  });
});

describe("null characters, which PostgreSQL cannot store", () => {
  it("refuses them in an answer and in a question's prompt, unit and options", () => {
    expect(validateAnswers(QUESTIONS, { "q-wins": "a\u0000b" }, "draft")).toEqual({ ok: false, fieldErrors: { "q-wins": [NUL_REFUSED] } });
    const check = validateQuestionRows(
      [
        row("0", { prompt: "a\u0000b" }),
        row("1", { prompt: "Unit", kind: "NUMBER", unit: "\u0000" }),
        row("2", { prompt: "Pick", kind: "SINGLE_CHOICE", options: "A\nB\u0000" }),
      ],
      counter(),
    );
    expect(check).toMatchObject({
      ok: false,
      fieldErrors: { "questions.0.prompt": [NUL_REFUSED], "questions.1.unit": [NUL_REFUSED], "questions.2.options": [NUL_REFUSED] },
    });
  });
});

describe("answering", () => {
  it("reads answers from the form by question id, a list for multiple choice, dropping unknown ids", () => {
    expect(
      answersFromForm(QUESTIONS, [
        ["intent", "submit"],
        ["answer.q-wins", "Three classes"],
        ["answer.q-effort", "7"],
        ["answer.q-struggles", "Work"],
        ["answer.q-struggles", "Sleep"],
        ["answer.q-unknown", "dropped"],
        ["answer.q-diet", "Mostly"],
        ["answer.q-diet", "second value ignored"],
      ]),
    ).toEqual({ "q-wins": "Three classes", "q-effort": "7", "q-struggles": ["Work", "Sleep"], "q-diet": "Mostly" });
    expect(answersFromForm(QUESTIONS, [["answer.q-struggles", "Travel"]])).toEqual({ "q-struggles": ["Travel"] });
  });

  it("normalises valid answers: trimmed text, decimals with a dot or comma, integers, options in their order", () => {
    const raw = {
      "q-wins": "  Three classes ",
      "q-water": "2,5",
      "q-effort": "7",
      "q-diet": "Mostly",
      "q-struggles": ["Sleep", "Work", "Sleep"],
      "q-unknown": "dropped",
    };
    const expected = { ok: true, answers: { "q-wins": "Three classes", "q-water": 2.5, "q-effort": 7, "q-diet": "Mostly", "q-struggles": ["Work", "Sleep"] } };
    expect(validateAnswers(QUESTIONS, raw, "submit")).toEqual(expected);
    // Stored answers (numbers already) check the same way.
    expect(validateAnswers(QUESTIONS, expected.answers, "submit")).toEqual(expected);
  });

  it("lets a draft miss answers but needs every required one to submit", () => {
    expect(validateAnswers(QUESTIONS, { "q-water": "", "q-struggles": [] }, "draft")).toEqual({ ok: true, answers: {} });
    expect(validateAnswers(QUESTIONS, { "q-wins": "   ", "q-water": "3" }, "submit")).toEqual({
      ok: false,
      fieldErrors: {
        "q-wins": ["Answer this question: it is required."],
        "q-effort": ["Answer this question: it is required."],
        "q-diet": ["Choose an answer: this question is required."],
      },
    });
  });

  it("refuses answers that do not fit their question, in a draft too", () => {
    const bad = {
      "q-wins": "x".repeat(2001),
      "q-water": "two",
      "q-effort": "11",
      "q-diet": "Sometimes",
      "q-struggles": ["Work", "Kids"],
    };
    expect(validateAnswers(QUESTIONS, bad, "draft")).toEqual({
      ok: false,
      fieldErrors: {
        "q-wins": ["Keep your answer to 2000 characters or fewer."],
        "q-water": ["Enter a number, like 72.5."],
        "q-effort": ["Choose a whole number from 1 to 10."],
        "q-diet": ["Choose one of the options listed."],
        "q-struggles": ["Choose from the options listed."],
      },
    });
    for (const effort of ["0", "7.5", "-1", "1e1", "ten"]) {
      expect(validateAnswers(QUESTIONS, { "q-effort": effort }, "draft").ok, effort).toBe(false);
    }
    expect(validateAnswers(QUESTIONS, { "q-water": "2000000" }, "draft")).toEqual({
      ok: false,
      fieldErrors: { "q-water": ["Enter a number between -1000000 and 1000000."] },
    });
    expect(validateAnswers(QUESTIONS, { "q-wins": "x".repeat(2000) }, "draft").ok).toBe(true);
  });

  it("parses decimals typed with a dot or a comma and nothing else", () => {
    expect(parseDecimal("72.5")).toBe(72.5);
    expect(parseDecimal(" 72,5 ")).toBe(72.5);
    expect(parseDecimal("-3")).toBe(-3);
    expect(parseDecimal(".5")).toBe(0.5);
    expect(parseDecimal("10.")).toBe(10);
    for (const text of ["", "1,000.5", "1e3", "Infinity", "NaN", "0x10", "1 000", "--1", "."]) expect(parseDecimal(text), text).toBeNull();
  });

  it("formats answers for reading and for a form", () => {
    expect(formatAnswer(QUESTIONS[1], 2.5)).toBe("2.5 litres");
    expect(formatAnswer(QUESTIONS[2], 7)).toBe("7 / 10");
    expect(formatAnswer(QUESTIONS[4], ["Work", "Sleep"])).toBe("Work, Sleep");
    expect(formatAnswer(QUESTIONS[0], undefined)).toBe("—");
    expect(formatAnswer(QUESTIONS[4], [])).toBe("—");
    expect(answerFormValue(7)).toBe("7");
    expect(answerFormValue(["Work"])).toEqual(["Work"]);
    expect(answerFormValue(null)).toBe("");
    expect(sameAnswer(["Work"], ["Work"])).toBe(true);
    expect(sameAnswer(7, "7")).toBe(false);
    expect(sameAnswer(undefined, null)).toBe(true);
  });
});
