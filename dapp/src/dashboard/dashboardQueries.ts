import { z } from "zod";
import { querySubgraph } from "../data/querySubgraph.ts";
import { ServiceUnavailableError } from "../data/serviceErrors.ts";

const big = z.string().regex(/^-?[0-9]+$/u);

const dailySchema = z.object({
  day: z.number(),
  energyImportedMilliWattHours: big,
  emissionsLocationMilligramsCo2e: big,
  emissionsMarketMilligramsCo2e: big,
});
export type DailyEnergy = z.infer<typeof dailySchema>;

const containerSchema = z.object({
  id: z.string(),
  periodStart: big,
  periodEnd: big,
  readingCount: z.number(),
  energyImportedMilliWattHours: big,
  emissionsLocationMilligramsCo2e: big,
  emissionsMarketMilligramsCo2e: big,
  stream: z.object({ streamId: z.string() }),
});
export type ContainerRow = z.infer<typeof containerSchema>;

const CONTAINER_FIELDS = `id periodStart periodEnd readingCount energyImportedMilliWattHours
  emissionsLocationMilligramsCo2e emissionsMarketMilligramsCo2e stream { streamId }`;
const DAILY_FIELDS = `day energyImportedMilliWattHours emissionsLocationMilligramsCo2e emissionsMarketMilligramsCo2e`;

export const SITES_QUERY = `{ sites(first: 100, orderBy: name) { id name containerCount energyImportedMilliWattHours
      emissionsLocationMilligramsCo2e emissionsMarketMilligramsCo2e } }`;

export const SITE_QUERY = `query Site($site: ID!, $siteKey: String!) {
      site(id: $site) {
        id name containerCount energyImportedMilliWattHours emissionsLocationMilligramsCo2e emissionsMarketMilligramsCo2e
        machines(first: 200, orderBy: name) { id name devices(first: 100) { id kind currentKeyHash } }
        devices(first: 500) { id kind currentKeyHash machine { id name } }
      }
      siteDailyEnergies(first: 400, where: { site: $siteKey }, orderBy: day, orderDirection: desc) { ${DAILY_FIELDS} }
      containers(first: 500, where: { site: $siteKey, current: true }, orderBy: periodStart, orderDirection: desc) { ${CONTAINER_FIELDS} }
    }`;

export const MACHINE_QUERY = `query Machine($machine: ID!, $key: String!) {
      machine(id: $machine) { id name site { id name } devices(first: 100) { id kind currentKeyHash } }
      machineDailyEnergies(first: 400, where: { machine: $key }, orderBy: day, orderDirection: desc) { ${DAILY_FIELDS} }
      containers(first: 500, where: { stream_: { machine: $key }, current: true }, orderBy: periodStart, orderDirection: desc) { ${CONTAINER_FIELDS} }
    }`;

export const DEVICE_QUERY = `query Device($device: ID!, $key: String!) {
      device(id: $device) { id kind currentKeyHash site { id name } machine { id name } }
      deviceDailyEnergies(first: 400, where: { device: $key }, orderBy: day, orderDirection: desc) { ${DAILY_FIELDS} }
      containers(first: 500, where: { stream_: { device: $key }, current: true }, orderBy: periodStart, orderDirection: desc) { ${CONTAINER_FIELDS} }
    }`;

export const PRODUCTS_QUERY = `{ products(first: 500, orderBy: sku) { id sku name cpcCode site { id name }
      lots(first: 1) { id } } }`;

export const PRODUCT_QUERY = `query Product($product: ID!, $key: String!) {
      product(id: $product) { id sku name cpcCode declaredUnit site { id name } }
      productLots(first: 1000, where: { product: $key }, orderBy: mintedAtTimestamp, orderDirection: asc) {
        id units mintedAtTimestamp energyPerUnitMilliWattHours emissionsLocationPerUnitMilligramsCo2e emissionsMarketPerUnitMilligramsCo2e
      }
    }`;

/** What a dashboard page is about, named as the page names it. */
export type DashboardSubject = "factory" | "machine" | "device" | "product";

/**
 * Why a dashboard reader has no data: nothing has that id on this chain, or the indexer did not
 * answer (or answered something unusable). Anything else is a bug and is thrown.
 */
export type DashboardReadError =
  | { kind: "not_found"; subject: DashboardSubject; id: string }
  | { kind: "unavailable"; cause: ServiceUnavailableError };

/** Every dashboard reader answers this: the data, or the typed reason the page shows instead. */
export type DashboardRead<T> = { data: T } | { error: DashboardReadError };

/** A site's, machine's or device's page: the subject, its days (newest first) and containers. */
export interface EnergyDashboard<Subject> {
  subject: Subject;
  days: DailyEnergy[];
  containers: ContainerRow[];
}

async function read<T>(query: () => Promise<T>): Promise<DashboardRead<T>> {
  try {
    return { data: await query() };
  } catch (error) {
    if (error instanceof ServiceUnavailableError)
      return { error: { kind: "unavailable", cause: error } };
    throw error;
  }
}

/** `found` of an answer whose subject may be null (no such id), as one DashboardRead. */
function subjectOrNotFound<S, T>(
  answer: DashboardRead<S>,
  subject: DashboardSubject,
  id: string,
  found: (data: S) => T | undefined,
): DashboardRead<T> {
  if ("error" in answer) return answer;
  const data = found(answer.data);
  return data === undefined ? { error: { kind: "not_found", subject, id } } : { data };
}

const siteCard = z.object({
  id: z.string(),
  name: z.string(),
  containerCount: z.number(),
  energyImportedMilliWattHours: big,
  emissionsLocationMilligramsCo2e: big,
  emissionsMarketMilligramsCo2e: big,
});
export type SiteCard = z.infer<typeof siteCard>;

/** The factories with their totals, for /dashboard. */
export async function readSites(url: string): Promise<DashboardRead<SiteCard[]>> {
  const answer = await read(() =>
    querySubgraph({ url, query: SITES_QUERY, schema: z.object({ sites: z.array(siteCard) }) }),
  );
  return "error" in answer ? answer : { data: answer.data.sites };
}

const keyedDevice = z.object({
  id: z.string(),
  kind: z.number(),
  currentKeyHash: z.string().nullable(),
});

const siteSubject = siteCard.extend({
  machines: z.array(z.object({ id: z.string(), name: z.string(), devices: z.array(keyedDevice) })),
  devices: z.array(
    keyedDevice.extend({
      machine: z.object({ id: z.string(), name: z.string() }).nullable(),
    }),
  ),
});
export type SiteSubject = z.infer<typeof siteSubject>;

export async function readSiteDashboard(
  url: string,
  site: string,
): Promise<DashboardRead<EnergyDashboard<SiteSubject>>> {
  const answer = await read(() =>
    querySubgraph({
      url,
      query: SITE_QUERY,
      variables: { site, siteKey: site },
      schema: z.object({
        site: siteSubject.nullable(),
        siteDailyEnergies: z.array(dailySchema),
        containers: z.array(containerSchema),
      }),
    }),
  );
  return subjectOrNotFound(answer, "factory", site, (data) =>
    data.site === null
      ? undefined
      : { subject: data.site, days: data.siteDailyEnergies, containers: data.containers },
  );
}

const machineSubject = z.object({
  id: z.string(),
  name: z.string(),
  site: z.object({ id: z.string(), name: z.string() }),
  devices: z.array(keyedDevice),
});
export type MachineSubject = z.infer<typeof machineSubject>;

export async function readMachineDashboard(
  url: string,
  machine: string,
): Promise<DashboardRead<EnergyDashboard<MachineSubject>>> {
  const answer = await read(() =>
    querySubgraph({
      url,
      query: MACHINE_QUERY,
      variables: { machine, key: machine },
      schema: z.object({
        machine: machineSubject.nullable(),
        machineDailyEnergies: z.array(dailySchema),
        containers: z.array(containerSchema),
      }),
    }),
  );
  return subjectOrNotFound(answer, "machine", machine, (data) =>
    data.machine === null
      ? undefined
      : { subject: data.machine, days: data.machineDailyEnergies, containers: data.containers },
  );
}

const deviceSubject = keyedDevice.extend({
  site: z.object({ id: z.string(), name: z.string() }),
  machine: z.object({ id: z.string(), name: z.string() }).nullable(),
});
export type DeviceSubject = z.infer<typeof deviceSubject>;

export async function readDeviceDashboard(
  url: string,
  device: string,
): Promise<DashboardRead<EnergyDashboard<DeviceSubject>>> {
  const answer = await read(() =>
    querySubgraph({
      url,
      query: DEVICE_QUERY,
      variables: { device, key: device },
      schema: z.object({
        device: deviceSubject.nullable(),
        deviceDailyEnergies: z.array(dailySchema),
        containers: z.array(containerSchema),
      }),
    }),
  );
  return subjectOrNotFound(answer, "device", device, (data) =>
    data.device === null
      ? undefined
      : { subject: data.device, days: data.deviceDailyEnergies, containers: data.containers },
  );
}

const lotRow = z.object({
  id: z.string(),
  units: big,
  mintedAtTimestamp: big,
  energyPerUnitMilliWattHours: big,
  emissionsLocationPerUnitMilligramsCo2e: big,
  emissionsMarketPerUnitMilligramsCo2e: big,
});
export type LotRow = z.infer<typeof lotRow>;

const productCard = z.object({
  id: z.string(),
  sku: z.string(),
  name: z.string(),
  cpcCode: z.string(),
  site: z.object({ id: z.string(), name: z.string() }),
  lots: z.array(z.object({ id: z.string() })),
});
export type ProductCard = z.infer<typeof productCard>;

/** The products with their site, for /products. */
export async function readProducts(url: string): Promise<DashboardRead<ProductCard[]>> {
  const answer = await read(() =>
    querySubgraph({
      url,
      query: PRODUCTS_QUERY,
      schema: z.object({ products: z.array(productCard) }),
    }),
  );
  return "error" in answer ? answer : { data: answer.data.products };
}

const productSubject = z.object({
  id: z.string(),
  sku: z.string(),
  name: z.string(),
  cpcCode: z.string(),
  declaredUnit: z.number(),
  site: z.object({ id: z.string(), name: z.string() }),
});
export type ProductSubject = z.infer<typeof productSubject>;

/** A product's page: the product and its lots, oldest first. */
export interface ProductDashboard {
  subject: ProductSubject;
  lots: LotRow[];
}

export async function readProductDashboard(
  url: string,
  product: string,
): Promise<DashboardRead<ProductDashboard>> {
  const answer = await read(() =>
    querySubgraph({
      url,
      query: PRODUCT_QUERY,
      variables: { product, key: product },
      schema: z.object({ product: productSubject.nullable(), productLots: z.array(lotRow) }),
    }),
  );
  return subjectOrNotFound(answer, "product", product, (data) =>
    data.product === null ? undefined : { subject: data.product, lots: data.productLots },
  );
}
