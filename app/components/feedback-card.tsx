export type PublishedFeedback = { body: string; coachName: string; publishedLabel: string | null };

/** A coach's published feedback on one week, as the client reads it. */
export function FeedbackCard({ week, feedback, headingLevel = 3 }: { week: number; feedback: PublishedFeedback; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <article className="card" aria-label={`Feedback on week ${week}`}>
      <Heading className="text-lg font-bold">Week {week}</Heading>
      <p className="text-sm text-slate-600">
        From {feedback.coachName}
        {feedback.publishedLabel ? `, ${feedback.publishedLabel}` : ""}
      </p>
      <p className="mt-2 whitespace-pre-line">{feedback.body}</p>
    </article>
  );
}
