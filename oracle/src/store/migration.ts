/** One numbered schema change with its undo. Applied in order, each in its own transaction. */
export interface Migration {
  version: number;
  name: string;
  up: string;
  down: string;
}
