// Chainlink Functions request source: the grid carbon intensity of one region for one hour, in
// milligrams CO2(e) per kilowatt-hour, encoded as one uint256 for GridIntensityConsumer.
//
// Runs inside the Functions DON's Deno sandbox (and in the toolkit's simulateScript): `args`, `secrets`
// and `Functions` are globals, and the file is the body of an async function, hence the top-level
// `await` and `return`.
//
// args[0]  "uk-carbon-intensity" (NESO Carbon Intensity API, no key) or "electricity-maps" (v3, key)
// args[1]  region: a UK Carbon Intensity region id ("1".."17") or "GB" for the national figure; or an
//          Electricity Maps zone ("DE", "PL", "FR", ...)
// args[2]  start of the hour, Unix seconds (a multiple of 3600)
// args[3]  optional API base URL, for tests against a local server; GridIntensityConsumer never
//          sends it, so a DON run always asks the public API
// secrets.electricityMapsApiKey   the Electricity Maps auth token (DON-hosted or encrypted secrets)
//
// Every failure throws an Error whose message starts with a reason code (missing-interval,
// negative-intensity, absurd-intensity, http-error, changed-format, unauthorised, bad-argument): the
// DON returns it as the request's error and the consumer records it. Nothing is ever answered as 0
// unless the source itself said 0.

const MAX_GRAMS_PER_KWH = 2000;

function fail(reason, detail) {
  throw new Error(`${reason}: ${detail}`);
}

function isoMinute(seconds) {
  // The UK API's own format: 2026-01-01T12:00Z
  return new Date(seconds * 1000).toISOString().slice(0, 16) + "Z";
}

function checkIntensity(value, what) {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    fail("changed-format", `${what} is not a number`);
  }
  if (value < 0) fail("negative-intensity", `${what} = ${value}`);
  if (value > MAX_GRAMS_PER_KWH) fail("absurd-intensity", `${what} = ${value} g/kWh`);
  return value;
}

async function getJson(url, headers) {
  const response = await Functions.makeHttpRequest({ url, headers, timeout: 8000 });
  if (response.error) {
    const status = response.response ? response.response.status : undefined;
    if (status === 401 || status === 403) fail("unauthorised", `HTTP ${status} from ${url}`);
    fail("http-error", `${status === undefined ? "no answer" : `HTTP ${status}`} from ${url}`);
  }
  if (response.data === null || typeof response.data !== "object") {
    fail("changed-format", `not a JSON object from ${url}`);
  }
  return response.data;
}

async function ukCarbonIntensity(region, hourStart, baseUrl) {
  const from = isoMinute(hourStart);
  const half = isoMinute(hourStart + 1800);
  const to = isoMinute(hourStart + 3600);
  let points;
  if (region === "GB") {
    // GET /intensity/{from}/{to}: {"data":[{"from","to","intensity":{"forecast","actual","index"}}]}
    const body = await getJson(`${baseUrl}/intensity/${from}/${to}`);
    points = body.data;
  } else {
    if (!/^[0-9]{1,2}$/.test(region)) fail("bad-argument", `UK region id "${region}"`);
    // GET /regional/intensity/{from}/{to}/regionid/{id}:
    // {"data":{"regionid","dnoregion","shortname","data":[{"from","to","intensity":{"forecast","index"}}]}}
    const body = await getJson(`${baseUrl}/regional/intensity/${from}/${to}/regionid/${region}`);
    const regionData = Array.isArray(body.data) ? body.data[0] : body.data;
    if (!regionData || typeof regionData !== "object") fail("changed-format", "no region in data");
    if (String(regionData.regionid) !== region) {
      fail("changed-format", `asked for region ${region}, got ${regionData.regionid}`);
    }
    points = regionData.data;
  }
  if (!Array.isArray(points)) fail("changed-format", "data is not a list of half-hours");
  // Two half-hours make the hour; the API may add the half-hour ending at `from`, so match by start.
  const grams = [from, half].map((start) => {
    const point = points.find((p) => p && p.from === start);
    if (!point) fail("missing-interval", `no half-hour starting ${start}`);
    if (!point.intensity || typeof point.intensity !== "object") {
      fail("changed-format", `half-hour ${start} has no intensity`);
    }
    // `actual` exists only nationally and only after the fact; otherwise the forecast is the figure.
    const value = point.intensity.actual ?? point.intensity.forecast;
    return checkIntensity(value, `intensity of ${start}`);
  });
  // Mean of the two half-hours, g -> mg: (a + b) / 2 * 1000, exact for the API's integer grams.
  return Math.round((grams[0] + grams[1]) * 500);
}

async function electricityMaps(zone, hourStart, baseUrl) {
  if (!/^[A-Z]{2}(-[A-Z0-9]{1,5})*$/.test(zone)) fail("bad-argument", `zone "${zone}"`);
  const key = secrets.electricityMapsApiKey;
  if (!key) fail("unauthorised", "secret electricityMapsApiKey is not set");
  const datetime = new Date(hourStart * 1000).toISOString();
  // GET /v3/carbon-intensity/past?zone=&datetime=&emissionFactorType=direct (header auth-token):
  // {"zone","carbonIntensity","datetime","updatedAt","createdAt","emissionFactorType","isEstimated",...}
  const body = await getJson(
    `${baseUrl}/v3/carbon-intensity/past?zone=${zone}&datetime=${encodeURIComponent(datetime)}` +
      "&emissionFactorType=direct",
    { "auth-token": key },
  );
  if (body.zone !== zone) fail("changed-format", `asked for zone ${zone}, got ${body.zone}`);
  if (typeof body.datetime !== "string" || Date.parse(body.datetime) !== hourStart * 1000) {
    fail("missing-interval", `asked for ${datetime}, got ${body.datetime}`);
  }
  if (body.emissionFactorType !== undefined && body.emissionFactorType !== "direct") {
    fail("changed-format", `emission factor type ${body.emissionFactorType}, wanted direct`);
  }
  return Math.round(checkIntensity(body.carbonIntensity, "carbonIntensity") * 1000);
}

const [source, region, hourText, baseOverride] = args;
const hourStart = Number(hourText);
if (!Number.isSafeInteger(hourStart) || hourStart < 0 || hourStart % 3600 !== 0) {
  fail("bad-argument", `hour start "${hourText}"`);
}
let milligrams;
if (source === "uk-carbon-intensity") {
  milligrams = await ukCarbonIntensity(
    region,
    hourStart,
    baseOverride || "https://api.carbonintensity.org.uk",
  );
} else if (source === "electricity-maps") {
  milligrams = await electricityMaps(
    region,
    hourStart,
    baseOverride || "https://api.electricitymap.org",
  );
} else {
  fail("bad-argument", `source "${source}"`);
}
return Functions.encodeUint256(milligrams);
