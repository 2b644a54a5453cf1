import { formatAnswer, type Answers, type Question } from "~/modules/cohorts/questionnaire.rules";

/** A week's questions with the member's answers, read-only ("—" where there is none). */
export function QuestionnaireAnswers({ questions, answers }: { questions: Question[]; answers: Answers | null }) {
  return (
    <dl className="divide-y divide-slate-200">
      {questions.map((question) => (
        <div key={question.id} className="py-2">
          <dt className="font-medium">{question.prompt}</dt>
          <dd className="whitespace-pre-line text-slate-800">{formatAnswer(question, answers?.[question.id])}</dd>
        </div>
      ))}
    </dl>
  );
}
