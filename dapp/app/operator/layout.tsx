import type { ReactNode } from "react";
import "./operator.css";

export default function OperatorLayout({ children }: { children: ReactNode }) {
  return <div className="operator">{children}</div>;
}
