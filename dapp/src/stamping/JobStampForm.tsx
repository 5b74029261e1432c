"use client";
import { type SyntheticEvent, useId, useState } from "react";
import {
  type JobStartDraft,
  type JobStartProblems,
  validateJobStart,
  validateUnits,
} from "./validateJobStamp.ts";

export interface StampFormMachine {
  machineId: string;
  name: string;
}

export interface StampFormProduct {
  productId: string;
  sku: string;
  name: string;
}

/** A problem line tied to its input by id (aria-describedby), read out when it appears. */
function FieldProblem({ id, text }: { id: string; text: string | undefined }) {
  if (text === undefined) return null;
  return (
    <span id={id} className="field-problem" role="alert">
      {text}
    </span>
  );
}

/**
 * The start form of both operator pages (wallet and portal): job reference, machines, product.
 * It checks the draft itself and names each problem beside its field; `onStart` runs only for a
 * valid draft, and clears the reference and machines when it answers true (the stamp was taken).
 */
export function JobStampForm({
  machines,
  products,
  busy,
  submitLabel,
  onStart,
}: {
  machines: readonly StampFormMachine[];
  products: readonly StampFormProduct[];
  busy: boolean;
  submitLabel: string;
  /** Answers true when the stamp was taken, to clear the form; anything else keeps it. */
  onStart: (draft: JobStartDraft) => Promise<boolean> | boolean;
}) {
  const id = useId();
  const [reference, setReference] = useState("");
  const [machineIds, setMachineIds] = useState<string[]>([]);
  const [chosenProduct, setChosenProduct] = useState<string>();
  const [problems, setProblems] = useState<JobStartProblems>({});
  // The first product until the operator picks one (the catalog may gain products later).
  const productId =
    chosenProduct !== undefined && products.some((p) => p.productId === chosenProduct)
      ? chosenProduct
      : (products[0]?.productId ?? "");

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const draft = { reference, machineIds, productId };
    const found = validateJobStart(draft);
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    if (await onStart(draft)) {
      setReference("");
      setMachineIds([]);
    }
  };

  const describedBy = (field: keyof JobStartProblems) =>
    problems[field] === undefined ? undefined : `${id}-${field}-problem`;

  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Start a job</h2>
      <form className="form" noValidate onSubmit={(event) => void submit(event)}>
        <label>
          Job reference (work order)
          <input
            name="reference"
            value={reference}
            maxLength={64}
            required
            aria-invalid={problems.reference === undefined ? undefined : true}
            aria-describedby={describedBy("reference")}
            onChange={(event) => {
              setReference(event.target.value);
            }}
          />
          <FieldProblem id={`${id}-reference-problem`} text={problems.reference} />
        </label>
        <fieldset
          aria-invalid={problems.machines === undefined ? undefined : true}
          aria-describedby={describedBy("machines")}
        >
          <legend>Machines</legend>
          {machines.length === 0 ? (
            <p className="muted">No machines are registered at this site.</p>
          ) : null}
          {machines.map((machine) => (
            <label key={machine.machineId} className="check">
              <input
                type="checkbox"
                name="machine"
                value={machine.name}
                checked={machineIds.includes(machine.machineId)}
                onChange={(event) => {
                  const { checked } = event.target;
                  setMachineIds((current) =>
                    checked
                      ? [...current, machine.machineId]
                      : current.filter((machineId) => machineId !== machine.machineId),
                  );
                }}
              />
              {machine.name}
            </label>
          ))}
          <FieldProblem id={`${id}-machines-problem`} text={problems.machines} />
        </fieldset>
        <label>
          Product
          <select
            name="product"
            value={productId}
            required
            aria-invalid={problems.product === undefined ? undefined : true}
            aria-describedby={describedBy("product")}
            onChange={(event) => {
              setChosenProduct(event.target.value);
            }}
          >
            {products.map((product) => (
              <option key={product.productId} value={product.productId}>
                {product.sku} — {product.name}
              </option>
            ))}
          </select>
          <FieldProblem id={`${id}-product-problem`} text={problems.product} />
        </label>
        <div className="actions">
          <button className="button" type="submit" disabled={busy}>
            {submitLabel}
          </button>
        </div>
      </form>
    </section>
  );
}

/**
 * The units field and Stop button of one running job, in a table cell: the units are checked
 * (a whole number from 1) before `onStop` runs, and a problem is named beside the field.
 */
export function JobStopForm({
  jobLabel,
  busy,
  onStop,
}: {
  /** How the job is named to screen readers: "Units produced by <jobLabel>". */
  jobLabel: string;
  busy: boolean;
  onStop: (units: number) => Promise<void> | void;
}) {
  const id = useId();
  const [units, setUnits] = useState("");
  const [problem, setProblem] = useState<string>();
  const stop = (event: SyntheticEvent) => {
    event.preventDefault();
    const checked = validateUnits(units);
    if (!checked.ok) {
      setProblem(checked.problem);
      return;
    }
    setProblem(undefined);
    void onStop(checked.units);
  };
  return (
    <form className="stop-form" noValidate onSubmit={stop}>
      <input
        type="number"
        min={1}
        step={1}
        inputMode="numeric"
        name="units"
        aria-label={`Units produced by ${jobLabel}`}
        aria-invalid={problem === undefined ? undefined : true}
        aria-describedby={problem === undefined ? undefined : `${id}-problem`}
        value={units}
        onChange={(event) => {
          setUnits(event.target.value);
        }}
      />
      <button className="button" type="submit" disabled={busy}>
        Stop
      </button>
      <FieldProblem id={`${id}-problem`} text={problem} />
    </form>
  );
}
