import { z } from "zod";
import { querySubgraph } from "../data/querySubgraph.ts";

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

export async function readSites(url: string) {
  return querySubgraph({
    url,
    query: SITES_QUERY,
    schema: z.object({
      sites: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          containerCount: z.number(),
          energyImportedMilliWattHours: big,
          emissionsLocationMilligramsCo2e: big,
          emissionsMarketMilligramsCo2e: big,
        }),
      ),
    }),
  });
}

export async function readSiteDashboard(url: string, site: string) {
  return querySubgraph({
    url,
    query: SITE_QUERY,
    variables: { site, siteKey: site },
    schema: z.object({
      site: z
        .object({
          id: z.string(),
          name: z.string(),
          containerCount: z.number(),
          energyImportedMilliWattHours: big,
          emissionsLocationMilligramsCo2e: big,
          emissionsMarketMilligramsCo2e: big,
          machines: z.array(
            z.object({
              id: z.string(),
              name: z.string(),
              devices: z.array(
                z.object({
                  id: z.string(),
                  kind: z.number(),
                  currentKeyHash: z.string().nullable(),
                }),
              ),
            }),
          ),
          devices: z.array(
            z.object({
              id: z.string(),
              kind: z.number(),
              currentKeyHash: z.string().nullable(),
              machine: z.object({ id: z.string(), name: z.string() }).nullable(),
            }),
          ),
        })
        .nullable(),
      siteDailyEnergies: z.array(dailySchema),
      containers: z.array(containerSchema),
    }),
  });
}

export async function readMachineDashboard(url: string, machine: string) {
  return querySubgraph({
    url,
    query: MACHINE_QUERY,
    variables: { machine, key: machine },
    schema: z.object({
      machine: z
        .object({
          id: z.string(),
          name: z.string(),
          site: z.object({ id: z.string(), name: z.string() }),
          devices: z.array(
            z.object({ id: z.string(), kind: z.number(), currentKeyHash: z.string().nullable() }),
          ),
        })
        .nullable(),
      machineDailyEnergies: z.array(dailySchema),
      containers: z.array(containerSchema),
    }),
  });
}

export async function readDeviceDashboard(url: string, device: string) {
  return querySubgraph({
    url,
    query: DEVICE_QUERY,
    variables: { device, key: device },
    schema: z.object({
      device: z
        .object({
          id: z.string(),
          kind: z.number(),
          currentKeyHash: z.string().nullable(),
          site: z.object({ id: z.string(), name: z.string() }),
          machine: z.object({ id: z.string(), name: z.string() }).nullable(),
        })
        .nullable(),
      deviceDailyEnergies: z.array(dailySchema),
      containers: z.array(containerSchema),
    }),
  });
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

export async function readProducts(url: string) {
  return querySubgraph({
    url,
    query: PRODUCTS_QUERY,
    schema: z.object({
      products: z.array(
        z.object({
          id: z.string(),
          sku: z.string(),
          name: z.string(),
          cpcCode: z.string(),
          site: z.object({ id: z.string(), name: z.string() }),
          lots: z.array(z.object({ id: z.string() })),
        }),
      ),
    }),
  });
}

export async function readProductDashboard(url: string, product: string) {
  return querySubgraph({
    url,
    query: PRODUCT_QUERY,
    variables: { product, key: product },
    schema: z.object({
      product: z
        .object({
          id: z.string(),
          sku: z.string(),
          name: z.string(),
          cpcCode: z.string(),
          declaredUnit: z.number(),
          site: z.object({ id: z.string(), name: z.string() }),
        })
        .nullable(),
      productLots: z.array(lotRow),
    }),
  });
}
