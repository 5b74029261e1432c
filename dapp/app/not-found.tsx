import Link from "next/link";
import { ProblemPage } from "../src/ui/ProblemPage.tsx";

export default function NotFound() {
  return (
    <ProblemPage
      title="Page not found"
      what="There is no page at this address."
      todo={
        <p>
          Check the link, or start from the <Link href="/">home page</Link>.
        </p>
      }
    />
  );
}
