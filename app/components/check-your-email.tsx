import { Link } from "@remix-run/react";

/** The "check your email" answer of the sign-up and forgotten-password pages: the page's message, then the way back. */
export function CheckYourEmail({ message }: { message: string }) {
  return (
    <>
      <p role="status" className="mb-4 rounded-md border border-green-300 bg-green-50 p-3 text-green-900">
        {message}
      </p>
      <p className="text-sm">
        <Link to="/login">Back to sign in</Link>
      </p>
    </>
  );
}
