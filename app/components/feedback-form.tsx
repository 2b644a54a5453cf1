import { Form } from "@remix-run/react";
import { FormError } from "./field";

type Failure =
  { intent?: string; formError?: string; fieldErrors: Record<string, string[] | undefined>; values: Record<string, string | string[]> } | undefined;

const text = (failure: Failure, key: string) => {
  const value = failure?.values[key];
  return Array.isArray(value) ? value[0] : value;
};

/** The weekly feedback: save as a draft (not visible) or publish (the client is told). A published one stays published when edited. */
export function FeedbackForm({
  memberName,
  feedback,
  failure,
}: {
  memberName: string;
  feedback: { body: string; status: "DRAFT" | "PUBLISHED"; coachName: string; publishedLabel: string | null; updatedLabel: string } | null;
  failure: Failure;
}) {
  const mine = failure && (failure.intent === "save-feedback" || failure.intent === "publish-feedback") ? failure : undefined;
  const errors = mine?.fieldErrors.body;
  const published = feedback?.status === "PUBLISHED";
  return (
    <Form method="post" aria-labelledby="feedback-title">
      <FormError message={mine?.formError} />
      <p id="feedback-status" className="mb-2 text-sm text-slate-700">
        {feedback === null
          ? `No feedback yet. ${memberName} sees it once you publish it.`
          : published
            ? `Published ${feedback.publishedLabel} by ${feedback.coachName}. It stays published: saving changes updates what ${memberName} reads.`
            : `Draft saved ${feedback.updatedLabel} by ${feedback.coachName}. ${memberName} cannot see it until you publish it.`}
      </p>
      <label htmlFor="feedback-body" className="mb-1 block font-medium">
        Feedback for {memberName}
      </label>
      <textarea
        id="feedback-body"
        name="body"
        rows={8}
        required
        maxLength={5000}
        className="field-input"
        defaultValue={text(mine, "body") ?? feedback?.body ?? ""}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={errors?.length ? "feedback-body-error feedback-status" : "feedback-status"}
      />
      {errors?.length ? (
        <p id="feedback-body-error" className="field-error">
          {errors.join(" ")}
        </p>
      ) : null}
      <p className="mt-3 flex flex-wrap gap-3">
        {published ? (
          <button type="submit" name="intent" value="save-feedback" className="btn-primary">
            Save changes
          </button>
        ) : (
          <>
            <button type="submit" name="intent" value="save-feedback" className="btn-secondary">
              Save draft
            </button>
            <button type="submit" name="intent" value="publish-feedback" className="btn-primary">
              Publish to {memberName}
            </button>
          </>
        )}
      </p>
    </Form>
  );
}

/** A private note: only coaches read it. */
export function NoteForm({ failure }: { failure: Failure }) {
  const mine = failure?.intent === "add-note" ? failure : undefined;
  const errors = mine?.fieldErrors.body;
  return (
    <Form method="post">
      <FormError message={mine?.formError} />
      <input type="hidden" name="intent" value="add-note" />
      <label htmlFor="note-body" className="mb-1 block font-medium">
        New private note
      </label>
      <textarea
        id="note-body"
        name="body"
        rows={3}
        required
        maxLength={2000}
        className="field-input"
        defaultValue={text(mine, "body") ?? ""}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={errors?.length ? "note-body-error" : undefined}
      />
      {errors?.length ? (
        <p id="note-body-error" className="field-error">
          {errors.join(" ")}
        </p>
      ) : null}
      <button type="submit" className="btn-secondary mt-2">
        Add note
      </button>
    </Form>
  );
}
