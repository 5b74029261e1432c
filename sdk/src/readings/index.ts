export { READING_LEAF_TYPES, ReadingQuality } from "./readingLeaf.ts";
export type { ReadingLeaf } from "./readingLeaf.ts";
export { buildReadingTree } from "./buildReadingTree.ts";
export type {
  BuildReadingTreeErrorType,
  BuildReadingTreeParameters,
  BuildReadingTreeReturnType,
} from "./buildReadingTree.ts";
export { buildReadingTreeFromColumns } from "./buildReadingTreeFromColumns.ts";
export type {
  BuildReadingTreeFromColumnsErrorType,
  BuildReadingTreeFromColumnsParameters,
  BuildReadingTreeFromColumnsReturnType,
  ReadingLeafColumns,
} from "./buildReadingTreeFromColumns.ts";
export { createReadingSaltDeriver, READING_SALT_DOMAIN } from "./createReadingSaltDeriver.ts";
export type {
  CreateReadingSaltDeriverErrorType,
  CreateReadingSaltDeriverParameters,
  CreateReadingSaltDeriverReturnType,
  ReadingSaltDeriver,
} from "./createReadingSaltDeriver.ts";
export { deriveReadingSalt } from "./deriveReadingSalt.ts";
export type {
  DeriveReadingSaltErrorType,
  DeriveReadingSaltParameters,
  DeriveReadingSaltReturnType,
} from "./deriveReadingSalt.ts";
export { hashReadingLeaf } from "./hashReadingLeaf.ts";
export type {
  HashReadingLeafErrorType,
  HashReadingLeafParameters,
  HashReadingLeafReturnType,
} from "./hashReadingLeaf.ts";
export { readingLeafToValues } from "./readingLeafToValues.ts";
export type {
  ReadingLeafToValuesParameters,
  ReadingLeafToValuesReturnType,
  ReadingLeafValues,
} from "./readingLeafToValues.ts";
