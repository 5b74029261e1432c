import Link from "next/link";
import { ProblemPage } from "../ui/ProblemPage.tsx";
import { renderServiceProblem } from "../ui/renderServiceProblem.tsx";
import type { DashboardReadError, DashboardSubject } from "./dashboardQueries.ts";

/** Per subject: its title, how the chain calls it, and where to pick another. */
const NOT_FOUND: Record<
  DashboardSubject,
  { title: string; entity: string; href: string; from: string }
> = {
  factory: { title: "No such factory", entity: "site", href: "/dashboard", from: "the factories" },
  machine: {
    title: "No such machine",
    entity: "machine",
    href: "/dashboard",
    from: "a factory's page",
  },
  device: {
    title: "No such device",
    entity: "device",
    href: "/dashboard",
    from: "a machine's page",
  },
  product: { title: "No such product", entity: "product", href: "/products", from: "the products" },
};

/** The page a dashboard shows instead of its data: what happened and what to do. */
export function DashboardProblem({ error }: { error: DashboardReadError }) {
  if (error.kind === "unavailable") return renderServiceProblem(error.cause);
  const page = NOT_FOUND[error.subject];
  return (
    <ProblemPage
      title={page.title}
      what={`No ${page.entity} ${error.id} is registered on this chain.`}
      todo={
        <p>
          Pick one from <Link href={page.href}>{page.from}</Link>.
        </p>
      }
    />
  );
}
