import type { Answers, Question } from "~/modules/cohorts/questionnaire.rules";

function answerText(question: Question, answer: Answers[string] | undefined): string {
  if (answer === undefined || answer === "" || (Array.isArray(answer) && answer.length === 0)) return "No answer";
  if (Array.isArray(answer)) return answer.join(", ");
  if (question.kind === "SCALE") return `${answer} / 10`;
  if (question.kind === "NUMBER" && question.unit) return `${answer} ${question.unit}`;
  return String(answer);
}

/** A questionnaire's prompts with the member's answers (a coach's corrections marked). */
export function AnswerList({ questions, answers, correctedIds = [] }: { questions: Question[]; answers: Answers; correctedIds?: string[] }) {
  return (
    <dl className="space-y-3">
      {questions.map((question) => (
        <div key={question.id}>
          <dt className="font-semibold">{question.prompt}</dt>
          <dd className="whitespace-pre-line">
            {answerText(question, answers[question.id])}
            {correctedIds.includes(question.id) ? (
              <span className="ml-2 rounded bg-slate-200 px-2 py-0.5 text-xs font-semibold">Corrected by a coach</span>
            ) : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}
