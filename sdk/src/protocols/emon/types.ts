/**
 * One emonTx / emonPi measurement frame: the values of one node at one
 * moment, keyed as the firmware names them (`MSG`, `Vrms`, `V1`…`V3`,
 * `P1`…`Pn`, `E1`…`En`, `I1`…`In`, `pulse`, `T1`…). Values stay decimal text
 * so nothing passes through binary floating point before it is scaled.
 */
export interface EmonFrame {
  /** The emonhub node name (`emontx4`, `emonpi`…) where the transport says it; undefined on a bare serial line. */
  node: string | undefined;
  values: Readonly<Record<string, string>>;
}

/** The phase a CT clamp sits on; it selects the voltage reference (`V1`/`Vrms`, `V2`, `V3`). */
export type EmonPhase = "L1" | "L2" | "L3";

/** How one CT input of the monitor maps onto a channel of the gateway's device. */
export interface EmonChannelMapping {
  /** The monitor's CT input number n: reads `Pn`, `En`, `In`. */
  input: number;
  /** The device channel the reading is stored under. */
  channel: number;
  phase: EmonPhase;
  /**
   * Exact decimal multiplier applied to power and energy (a CT's measured
   * ratio error, e.g. "1.012"); "1" when the monitor is calibrated itself.
   */
  calibration: string;
  /** `export` for a CT on a generator feed the monitor counts negative. */
  direction: "import" | "export";
}
