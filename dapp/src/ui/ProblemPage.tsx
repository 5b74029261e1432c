import type { ReactNode } from "react";

/**
 * What went wrong and what to do about it: every failure a user can meet (unknown id, a service
 * down, a misconfigured server) ends here instead of a blank page or a stack trace.
 */
export function ProblemPage({
  title,
  what,
  todo,
  details,
}: {
  title: string;
  what: ReactNode;
  todo: ReactNode;
  details?: readonly string[] | undefined;
}) {
  return (
    <section className="problem" role="alert" aria-labelledby="problem-title">
      <h1 id="problem-title">{title}</h1>
      <p>{what}</p>
      <h2>What to do</h2>
      <div>{todo}</div>
      {details !== undefined && details.length > 0 ? (
        <ul className="problem-details">
          {details.map((detail) => (
            <li key={detail}>
              <code>{detail}</code>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
