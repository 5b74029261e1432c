import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { InvalidInputError } from "../errors/index.ts";
import { aasEnvironmentFromJson, aasEnvironmentToJson } from "./aasJson.ts";
import type { AasCore } from "./loadAasCore.ts";

/** OPC relationship types of AASX (IDTA-01005, AAS Part 5). */
export const AASX_RELATIONSHIP = {
  origin: "http://admin-shell.io/aasx/relationships/aasx-origin",
  spec: "http://admin-shell.io/aasx/relationships/aas-spec",
} as const;

const ORIGIN_PART = "aasx/aasx-origin";
const RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships";
const escapeXml = (text: string) =>
  text
    .replace(/&/gu, "&amp;")
    .replace(/</gu, "&lt;")
    .replace(/>/gu, "&gt;")
    .replace(/"/gu, "&quot;");
const relationships = (id: string, type: string, target: string) =>
  `<?xml version="1.0" encoding="utf-8"?>\n<Relationships xmlns="${RELS_NS}"><Relationship Type="${type}" Target="${escapeXml(target)}" Id="${id}" /></Relationships>`;

/**
 * An AASX package (Open Packaging Conventions zip) holding one AAS
 * environment as JSON: `[Content_Types].xml`, `_rels/.rels` pointing at
 * `aasx/aasx-origin`, whose relationships point at the JSON spec part.
 * Zip entries get a fixed time so the same environment gives the same bytes.
 *
 * @example
 * ```ts
 * const bytes = buildAasxPackage(environment, { name: "lot-42" });
 * ```
 */
export function buildAasxPackage(
  environment: AasCore.types.Environment,
  options: { name: string },
): Uint8Array {
  if (!/^[A-Za-z0-9._-]+$/u.test(options.name))
    throw new InvalidInputError("name", "use letters, digits, '.', '_' or '-' only");
  const specPart = `aasx/${options.name}/${options.name}.aas.json`;
  const contentTypes =
    `<?xml version="1.0" encoding="utf-8"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml" />` +
    `<Default Extension="json" ContentType="application/json" />` +
    `<Override PartName="/${ORIGIN_PART}" ContentType="text/plain" />` +
    `</Types>`;
  const mtime = new Date(Date.UTC(2000, 0, 1));
  return zipSync(
    {
      "[Content_Types].xml": [strToU8(contentTypes), { mtime }],
      "_rels/.rels": [
        strToU8(relationships("R1", AASX_RELATIONSHIP.origin, `/${ORIGIN_PART}`)),
        { mtime },
      ],
      [ORIGIN_PART]: [strToU8("Intentionally empty."), { mtime }],
      "aasx/_rels/aasx-origin.rels": [
        strToU8(relationships("R2", AASX_RELATIONSHIP.spec, `/${specPart}`)),
        { mtime },
      ],
      [specPart]: [strToU8(aasEnvironmentToJson(environment)), { mtime }],
    },
    { level: 6 },
  );
}

function targetsOf(xml: string, type: string): string[] {
  const targets: string[] = [];
  for (const match of xml.matchAll(/<Relationship\b([^>]*)\/?>/gu)) {
    const attributes = match[1] ?? "";
    const typeOf = /\bType="([^"]*)"/u.exec(attributes)?.[1];
    const target = /\bTarget="([^"]*)"/u.exec(attributes)?.[1];
    if (typeOf === type && target !== undefined) targets.push(target.replace(/&amp;/gu, "&"));
  }
  return targets;
}

/**
 * Opens an AASX package the OPC way (root relationships → aasx-origin →
 * its aas-spec relationships) and reads its JSON spec parts back through
 * aas-core's jsonization. XML spec parts are not read (we write JSON only).
 *
 * @throws {InvalidInputError} not a zip, or a part or relationship missing.
 */
export function readAasxPackage(bytes: Uint8Array): {
  specParts: string[];
  environments: AasCore.types.Environment[];
} {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (cause) {
    throw new InvalidInputError("package", "is not a zip archive", { cause });
  }
  const part = (name: string) => {
    const file = files[name.replace(/^\//u, "")];
    if (file === undefined) throw new InvalidInputError(name, "part missing from the package");
    return strFromU8(file);
  };
  part("[Content_Types].xml");
  const [origin] = targetsOf(part("_rels/.rels"), AASX_RELATIONSHIP.origin);
  if (origin === undefined)
    throw new InvalidInputError("_rels/.rels", "no aasx-origin relationship");
  const originName = origin.replace(/^\//u, "");
  const slash = originName.lastIndexOf("/");
  const originRels = `${originName.slice(0, slash + 1)}_rels/${originName.slice(slash + 1)}.rels`;
  const specParts = targetsOf(part(originRels), AASX_RELATIONSHIP.spec);
  if (specParts.length === 0) throw new InvalidInputError(originRels, "no aas-spec relationship");
  const environments = specParts
    .filter((spec) => spec.endsWith(".json"))
    .map((spec) => aasEnvironmentFromJson(part(spec)));
  return { specParts, environments };
}
