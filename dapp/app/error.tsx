"use client";
import { ProblemPage } from "../src/ui/ProblemPage.tsx";

/** Last resort for an unexpected failure while rendering: says so, offers a retry, no stack. */
export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <ProblemPage
      title="Something went wrong"
      what="This page failed to load. The server logged the details."
      todo={
        <p>
          <button type="button" onClick={reset}>
            Try again
          </button>{" "}
          If it keeps failing, tell the site operator
          {error.digest ? ` (reference ${error.digest})` : ""}.
        </p>
      }
    />
  );
}
