import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fastifySwagger from "@fastify/swagger";
import Fastify from "fastify";
import type { Hex } from "viem";
import { jobStampsAbi } from "@energy-intelligence/sdk/contracts/generated/abis";
import { StampAction, StampChannel, eip712Domain } from "@energy-intelligence/sdk/eip712/index";
import {
  deriveJobId,
  readJob,
  signJobStamp,
  startJob,
  stopJob,
} from "@energy-intelligence/sdk/jobs/index";
import type { JobResponse } from "../api/routes/jobsRoutes.ts";
import { stampingRoutes } from "../api/routes/stampingRoutes.ts";
import { twilioSignature } from "./twilioSignature.ts";
import {
  BRACKET,
  HINGE,
  LATHE,
  LATHE_ONLY_PHONE,
  OPERATOR_PHONE,
  PRESS,
  SITE_ID,
  TWILIO_TOKEN,
  type StampingChain,
  type StampingGateway,
  mineBlock,
  openStampingGateway,
  startStampingChain,
  waitFor,
} from "./testing/stampingFixture.ts";

let chain: StampingChain;
let gateway: StampingGateway;
let apiKey: string;
let readOnlyKey: string;

before(async () => {
  chain = await startStampingChain();
  gateway = await openStampingGateway(chain);
  apiKey = gateway.stamping.apiKeys.create({
    siteId: SITE_ID,
    name: "MES",
    scopes: ["jobs:read", "jobs:write"],
  }).key;
  readOnlyKey = gateway.stamping.apiKeys.create({
    siteId: SITE_ID,
    name: "dashboard",
    scopes: ["jobs:read"],
  }).key;
});
after(async () => {
  await gateway.close();
  await chain.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Everything the gateway keeps: a refusal must leave all of it as it was. */
function snapshot(): string {
  const { db } = gateway;
  return JSON.stringify([
    // What was accepted, not how far its submission has got (the submitter runs meanwhile).
    db
      .prepare(
        "SELECT stamp_ref, job_id, action, units, time_s, signer, nonce FROM job_stamps ORDER BY stamp_ref",
      )
      .all(),
    db
      .prepare("SELECT job_id, state, started_at_s, stopped_at_s, units FROM jobs ORDER BY job_id")
      .all(),
    db.prepare("SELECT * FROM busy_machines ORDER BY machine_id").all(),
  ]);
}

async function chainEvents(jobId: Hex) {
  const [started, stopped] = await Promise.all([
    chain.publicClient.getContractEvents({
      address: chain.jobStamps,
      abi: jobStampsAbi,
      eventName: "JobStarted",
      args: { jobId },
      fromBlock: 0n,
    }),
    chain.publicClient.getContractEvents({
      address: chain.jobStamps,
      abi: jobStampsAbi,
      eventName: "JobStopped",
      args: { jobId },
      fromBlock: 0n,
    }),
  ]);
  return { started, stopped };
}

function api(
  method: "GET" | "POST",
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  return gateway.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${apiKey}`, ...headers },
    ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
  });
}

function sms(
  body: string,
  options: { from?: string; sid?: string; signature?: string | null } = {},
) {
  const params = new Map<string, string[]>([
    ["MessageSid", [options.sid ?? `SM${Math.random().toString(16).slice(2)}`]],
    ["AccountSid", ["AC00000000000000000000000000000000"]],
    ["From", [options.from ?? OPERATOR_PHONE]],
    ["To", ["+4930123456"]],
    ["Body", [body]],
    ["NumMedia", ["0"]],
  ]);
  const form = new URLSearchParams(
    [...params].map(([name, [value = ""]]): [string, string] => [name, value]),
  ).toString();
  const signature =
    options.signature === undefined
      ? twilioSignature(TWILIO_TOKEN, "https://gateway.example.com/v1/sms/twilio", params)
      : options.signature;
  return gateway.app.inject({
    method: "POST",
    url: "/v1/sms/twilio",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(signature === null ? {} : { "x-twilio-signature": signature }),
    },
    payload: form,
  });
}

function message(twiml: string): string {
  const match = /<Message>(.*)<\/Message>/su.exec(twiml);
  assert.ok(match?.[1] !== undefined, `TwiML reply expected, got ${twiml}`);
  return match[1]
    .replaceAll("&quot;", '"')
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}

const confirmed = (jobId: Hex, action: "start" | "stop") => () => {
  const view = gateway.stamping.service.view(SITE_ID, jobId);
  return view?.[action]?.state === "confirmed";
};

describe("web2 API channel", () => {
  it("starts and stops a job: on chain with channel api, the received (or explicitly corrected) time, the units", async () => {
    const correctedMs = Date.now() - 120_000;
    const started = await api("POST", "/v1/jobs", {
      reference: "WO-API-1",
      machines: ["press 7"],
      sku: "brk-a",
      claimedAtMs: correctedMs,
      correction: { atMs: correctedMs, reason: "MES was offline" },
    });
    assert.equal(started.statusCode, 202, started.body);
    const job = started.json<JobResponse>();
    assert.equal(job.jobId, deriveJobId({ siteId: SITE_ID, reference: "WO-API-1" }));
    assert.deepEqual(job.machines, ["Press 7"]);
    assert.equal(job.sku, "BRK-A");
    assert.equal(job.start?.timeS, Math.floor(correctedMs / 1000));
    assert.equal(job.start.correctionReason, "MES was offline");
    assert.ok(
      job.start.receivedAtMs > correctedMs,
      "the receive time is kept next to the corrected time",
    );

    const stopped = await api("POST", `/v1/jobs/${job.jobId}/stop`, { units: 40 });
    assert.equal(stopped.statusCode, 202, stopped.body);
    const stopTimeS = stopped.json<JobResponse>().stop?.timeS;
    await waitFor(confirmed(job.jobId, "stop"), "the stop confirmed");

    const onChain = await readJob({
      publicClient: chain.publicClient,
      address: chain.jobStamps,
      siteId: SITE_ID,
      jobId: job.jobId,
    });
    assert.equal(onChain.startedAt, BigInt(Math.floor(correctedMs / 1000)));
    assert.equal(onChain.stoppedAt, BigInt(stopTimeS ?? 0));
    assert.equal(onChain.units, 40n);
    const events = await chainEvents(job.jobId);
    assert.equal(events.started[0]?.args.channel, StampChannel.api);
    assert.equal(events.stopped[0]?.args.channel, StampChannel.api);
    assert.equal(events.started.length, 1);

    const read = await api("GET", `/v1/jobs/${job.jobId}`, undefined, {
      authorization: `Bearer ${readOnlyKey}`,
    });
    assert.equal(read.statusCode, 200);
    const body = read.json<JobResponse>();
    assert.equal(body.state, "stopped");
    assert.equal(body.start?.state, "confirmed");
    assert.match(body.stop?.txHash ?? "", /^0x[0-9a-f]{64}$/u);
  });

  it("an Idempotency-Key replay returns the first answer and stamps once; another body under it is refused", async () => {
    const headers = { "idempotency-key": "mes-order-77" };
    const body = { machines: ["Lathe 3"], sku: "HNG-B" };
    const first = await api("POST", "/v1/jobs", body, headers);
    assert.equal(first.statusCode, 202, first.body);
    const before = snapshot();
    const again = await api("POST", "/v1/jobs", { sku: "HNG-B", machines: ["Lathe 3"] }, headers);
    assert.equal(again.statusCode, 202);
    assert.equal(again.headers["idempotent-replayed"], "true");
    assert.deepEqual(again.json(), first.json());
    const other = await api("POST", "/v1/jobs", { machines: ["Press 7"], sku: "HNG-B" }, headers);
    assert.equal(other.statusCode, 422);
    assert.equal(other.json<{ reason: string }>().reason, "idempotency_key_reused");
    assert.equal(snapshot(), before, "nothing changed");
    const { jobId } = first.json<JobResponse>();
    await sleep(1100);
    assert.equal((await api("POST", `/v1/jobs/${jobId}/stop`, { units: 3 })).statusCode, 202);
  });

  it("refuses bad input with a specific reason and changes nothing", async () => {
    const started = await api("POST", "/v1/jobs", {
      reference: "WO-BAD",
      machines: ["press7"],
      sku: "BRK-A",
    });
    assert.equal(started.statusCode, 202, started.body);
    const { jobId } = started.json<JobResponse>();
    const before = snapshot();
    const cases: [string, Promise<{ statusCode: number; body: string }>, number, string][] = [
      [
        "unknown machine",
        api("POST", "/v1/jobs", { machines: ["Oven 9"], sku: "BRK-A" }),
        422,
        "unknown_machine",
      ],
      [
        "unknown SKU",
        api("POST", "/v1/jobs", { machines: ["Lathe 3"], sku: "NOPE" }),
        422,
        "unknown_product",
      ],
      [
        "second start on a busy machine",
        api("POST", "/v1/jobs", { machines: ["Press 7"], sku: "BRK-A" }),
        409,
        "machine_busy",
      ],
      [
        "same job started twice",
        api("POST", "/v1/jobs", { reference: "WO-BAD", machines: ["Lathe 3"], sku: "BRK-A" }),
        409,
        "job_exists",
      ],
      [
        "stop without start",
        api("POST", `/v1/jobs/${deriveJobId({ siteId: SITE_ID, reference: "never" })}/stop`, {
          units: 5,
        }),
        409,
        "job_not_started",
      ],
      ["zero units", api("POST", `/v1/jobs/${jobId}/stop`, { units: 0 }), 422, "invalid_units"],
      [
        "negative units",
        api("POST", `/v1/jobs/${jobId}/stop`, { units: -4 }),
        422,
        "invalid_units",
      ],
      [
        "fractional units",
        api("POST", `/v1/jobs/${jobId}/stop`, { units: 2.5 }),
        422,
        "invalid_units",
      ],
      [
        "stop before its start",
        api("POST", `/v1/jobs/${jobId}/stop`, {
          units: 5,
          correction: { atMs: Date.now() - 3_600_000, reason: "typo" },
        }),
        422,
        "stop_before_start",
      ],
      [
        "no API key",
        gateway.app.inject({
          method: "POST",
          url: "/v1/jobs",
          payload: { machines: ["Lathe 3"], sku: "BRK-A" },
        }),
        401,
        "api_key_missing",
      ],
      [
        "a read-only key writing",
        api(
          "POST",
          "/v1/jobs",
          { machines: ["Lathe 3"], sku: "BRK-A" },
          { authorization: `Bearer ${readOnlyKey}` },
        ),
        403,
        "scope_missing",
      ],
    ];
    for (const [what, pending, status, reason] of cases) {
      const response = await pending;
      assert.equal(response.statusCode, status, what);
      assert.equal((JSON.parse(response.body) as { reason: string }).reason, reason, what);
    }
    assert.equal(snapshot(), before, "nothing changed");

    const revoked = gateway.stamping.apiKeys.create({
      siteId: SITE_ID,
      name: "old",
      scopes: ["jobs:write"],
    });
    gateway.stamping.apiKeys.revoke(revoked.record.keyId);
    const refused = await api(
      "POST",
      "/v1/jobs",
      { machines: ["Lathe 3"], sku: "BRK-A" },
      { authorization: `Bearer ${revoked.key}` },
    );
    assert.equal(refused.statusCode, 401);
    assert.equal(refused.json<{ reason: string }>().reason, "api_key_revoked");
    assert.equal(snapshot(), before, "nothing changed");
    await sleep(1100);
    assert.equal((await api("POST", `/v1/jobs/${jobId}/stop`, { units: 1 })).statusCode, 202);
  });
});

describe("SMS channel (Twilio webhook)", () => {
  it("START, STATUS and STOP by text: replies in TwiML, job on chain with channel sms", async () => {
    const start = await sms("  start   PRESS 7  wo-sms-1 brk-a ");
    assert.equal(start.statusCode, 200);
    assert.match(String(start.headers["content-type"]), /text\/xml/u);
    assert.match(
      message(start.body),
      /^Started job wo-sms-1 on Press 7 \(BRK-A\) at \d\d:\d\d UTC\./u,
    );
    const jobId = deriveJobId({ siteId: SITE_ID, reference: "wo-sms-1" });
    assert.match(
      message((await sms("status press7")).body),
      /^Press 7 is running job wo-sms-1 \(BRK-A\)/u,
    );
    await sleep(1100);
    assert.match(
      message((await sms("STOP press 7 12")).body),
      /^Stopped job wo-sms-1 on Press 7: 12 units/u,
    );
    await waitFor(confirmed(jobId, "stop"), "the SMS stop confirmed");
    const events = await chainEvents(jobId);
    assert.equal(events.started[0]?.args.channel, StampChannel.sms);
    assert.equal(events.stopped[0]?.args.units, 12n);
    assert.equal(message((await sms("STATUS Press 7")).body), "Press 7 is idle.");
    assert.match(message((await sms("help")).body), /START <machine> \[job\] \[sku\]/u);
  });

  it("a retried MessageSid gets the first reply and stamps once", async () => {
    const first = await sms("START lathe3 WO-SMS-2 HNG-B", { sid: "SMretry1" });
    const before = snapshot();
    const retry = await sms("START lathe3 WO-SMS-2 HNG-B", { sid: "SMretry1" });
    assert.equal(retry.body, first.body);
    assert.equal(snapshot(), before);
    await sleep(1100);
    assert.match(message((await sms("STOP lathe3 2")).body), /^Stopped/u);
  });

  it("refuses forged, unsigned and unknown-phone messages and operator mistakes in plain words, changing nothing", async () => {
    const before = snapshot();
    const unsigned = await sms("START press7 WO-X brk-a", { signature: null });
    assert.equal(unsigned.statusCode, 403);
    const forged = await sms("START press7 WO-X brk-a", {
      signature: "AAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    });
    assert.equal(forged.statusCode, 403);
    assert.equal(forged.json<{ reason: string }>().reason, "twilio_signature_invalid");
    const replies = {
      unknownPhone: message(
        (await sms("START press7 WO-X brk-a", { from: "+4917000000000" })).body,
      ),
      notAllowed: message((await sms("START press7 WO-X brk-a", { from: LATHE_ONLY_PHONE })).body),
      unknownMachine: message((await sms("START oven9 WO-X brk-a")).body),
      unknownSku: message((await sms("START press7 WO-X NOPE")).body),
      stopWithoutStart: message((await sms("STOP press7 5")).body),
      zeroUnits: message((await sms("STOP press7 0")).body),
      negativeUnits: message((await sms("STOP press7 -3")).body),
      missingUnits: message((await sms("STOP press7")).body),
      gibberish: message((await sms("hello there")).body),
      whichProduct: message((await sms("START press7 WO-X")).body),
    };
    assert.match(replies.unknownPhone, /may not stamp jobs\. Ask your site manager/u);
    assert.match(replies.notAllowed, /This phone may not stamp Press 7/u);
    assert.match(replies.unknownMachine, /No machine named "oven9"/u);
    assert.match(
      replies.unknownSku,
      /SKU "NOPE" is not registered.*Registered SKUs: BRK-A, HNG-B/u,
    );
    assert.match(replies.stopWithoutStart, /Press 7 has no running job to stop/u);
    assert.match(replies.zeroUnits, /Units must be a whole number of at least 1, got "0"/u);
    assert.match(replies.negativeUnits, /got "-3"/u);
    assert.match(replies.missingUnits, /STOP needs more: send STOP <machine> <units>/u);
    assert.match(replies.gibberish, /did not understand "hello there"\. Send HELP/u);
    assert.match(replies.whichProduct, /Which product\?/u);
    assert.equal(snapshot(), before, "nothing changed");

    assert.match(message((await sms("START press7 WO-SMS-3 BRK-A")).body), /^Started/u);
    const busy = snapshot();
    assert.match(
      message((await sms("START press7 WO-SMS-4 BRK-A")).body),
      /Machine Press 7 is busy with job WO-SMS-3\. Stop that job first\./u,
    );
    assert.equal(snapshot(), busy, "nothing changed");
    await sleep(1100);
    assert.match(message((await sms("STOP press7 7")).body), /^Stopped/u);
  });
});

describe("relay channel (POST /v1/stamps)", () => {
  const domain = () => eip712Domain({ chainId: chain.chainId, verifyingContract: chain.jobStamps });
  const stampOf = (jobId: Hex, action: 1 | 2, timeS: number, nonce: bigint, units = 0n) => ({
    jobId,
    siteId: SITE_ID,
    action,
    machineIds: action === 1 ? [LATHE.machineId] : [],
    productId: HINGE.productId,
    units,
    time: BigInt(timeS),
    channel: StampChannel.relay,
    nonce,
  });
  const json = (signed: Awaited<ReturnType<typeof signJobStamp>>) => ({
    stamp: {
      ...signed.stamp,
      units: signed.stamp.units.toString(),
      time: signed.stamp.time.toString(),
      nonce: signed.stamp.nonce.toString(),
    },
    signer: signed.signer,
    signature: signed.signature,
  });
  const post = (stamps: unknown[]) =>
    gateway.app.inject({ method: "POST", url: "/v1/stamps", payload: { stamps } });

  it("queues operator-signed stamps and lands them with channel relay and the signed times", async () => {
    const jobId = deriveJobId({ siteId: SITE_ID, reference: "WO-RELAY-1" });
    const nowS = Math.floor(Date.now() / 1000);
    const start = await signJobStamp({
      domain: domain(),
      signer: chain.operator,
      stamp: stampOf(jobId, StampAction.start, nowS - 300, 1n),
    });
    const stop = await signJobStamp({
      domain: domain(),
      signer: chain.operator,
      stamp: stampOf(jobId, StampAction.stop, nowS - 30, 2n, 9n),
    });
    const response = await post([json(start), json(stop)]);
    assert.equal(response.statusCode, 202, response.body);
    assert.deepEqual(
      response.json<{ results: { status: string }[] }>().results.map((r) => r.status),
      ["queued", "queued"],
    );
    await waitFor(confirmed(jobId, "stop"), "relayed stop confirmed");
    const events = await chainEvents(jobId);
    const [started] = events.started;
    const [stopped] = events.stopped;
    assert.ok(started !== undefined && stopped !== undefined);
    assert.equal(started.args.channel, StampChannel.relay);
    assert.equal(started.args.time, BigInt(nowS - 300));
    assert.equal(stopped.args.time, BigInt(nowS - 30));
    assert.equal(started.args.stampedBy?.toLowerCase(), chain.operator.address.toLowerCase());
    const again = await post([json(start)]);
    assert.equal(again.json<{ results: { status: string }[] }>().results[0]?.status, "duplicate");
  });

  it("refuses forged, unauthorized, replayed and out-of-order stamps before queueing", async () => {
    const jobId = deriveJobId({ siteId: SITE_ID, reference: "WO-RELAY-2" });
    const nowS = Math.floor(Date.now() / 1000);
    const good = await signJobStamp({
      domain: domain(),
      signer: chain.operator,
      stamp: stampOf(jobId, StampAction.start, nowS - 10, 10n),
    });
    const before = snapshot();
    const byStranger = await signJobStamp({
      domain: domain(),
      signer: chain.stranger,
      stamp: stampOf(jobId, StampAction.start, nowS - 10, 11n),
    });
    const forged = {
      ...json(good),
      stamp: { ...json(good).stamp, units: "0", time: String(nowS - 5) },
    };
    const wrongSigner = { ...json(byStranger), signer: chain.operator.address };
    const stopFirst = await signJobStamp({
      domain: domain(),
      signer: chain.operator,
      stamp: stampOf(jobId, StampAction.stop, nowS - 5, 12n, 3n),
    });
    const old = await signJobStamp({
      domain: domain(),
      signer: chain.operator,
      stamp: stampOf(jobId, StampAction.start, nowS - 2 * 86_400, 13n),
    });
    const cases: [string, unknown, number, string][] = [
      ["changed after signing", forged, 422, "bad_signature"],
      ["signature of another key", wrongSigner, 422, "bad_signature"],
      ["signer with no role", json(byStranger), 403, "signer_not_authorized"],
      ["stop without start", json(stopFirst), 409, "job_not_started"],
      ["older than the clock rules", json(old), 422, "stamp_too_old"],
    ];
    for (const [what, stamp, status, reason] of cases) {
      const response = await post([stamp]);
      assert.equal(response.statusCode, status, `${what}: ${response.body}`);
      assert.equal(response.json<{ reason: string }>().reason, reason, what);
    }
    assert.equal(snapshot(), before, "nothing changed");

    assert.equal((await post([json(good)])).statusCode, 202);
    await waitFor(confirmed(jobId, "start"), "relayed start confirmed");
    const beforeStop = snapshot();
    const early = await signJobStamp({
      domain: domain(),
      signer: chain.operator,
      stamp: stampOf(jobId, StampAction.stop, nowS - 10, 14n, 3n),
    });
    const refused = await post([json(early)]);
    assert.equal(refused.json<{ reason: string }>().reason, "stop_before_start");
    const usedNonce = await signJobStamp({
      domain: domain(),
      signer: chain.operator,
      stamp: stampOf(jobId, StampAction.stop, nowS, 10n, 3n),
    });
    assert.equal((await post([json(usedNonce)])).json<{ reason: string }>().reason, "nonce_used");
    assert.equal(snapshot(), beforeStop, "nothing changed");
    await sleep(1100);
    const stop = await signJobStamp({
      domain: domain(),
      signer: chain.operator,
      stamp: stampOf(jobId, StampAction.stop, Math.floor(Date.now() / 1000), 15n, 3n),
    });
    assert.equal((await post([json(stop)])).statusCode, 202);
    await waitFor(confirmed(jobId, "stop"), "relayed stop confirmed");
  });
});

describe("OpenAPI", () => {
  it("describes the stamping routes, their bodies and the bearer key", async () => {
    const app = Fastify();
    await app.register(fastifySwagger, {
      openapi: {
        openapi: "3.1.0",
        info: { title: "t", version: "1" },
        // As app.ts declares it.
        components: { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } } },
      },
    });
    stampingRoutes(app, gateway.stamping);
    await app.ready();
    type Operation = { security?: unknown; requestBody?: unknown } | undefined;
    const paths = new Map(
      Object.entries(
        (app.swagger() as { paths: Record<string, { get?: Operation; post?: Operation }> }).paths,
      ),
    );
    assert.ok(paths.get("/v1/jobs")?.post?.requestBody !== undefined);
    assert.deepEqual(paths.get("/v1/jobs")?.post?.security, [{ bearerAuth: [] }]);
    assert.ok(paths.get("/v1/jobs/{id}/stop")?.post !== undefined);
    assert.ok(paths.get("/v1/jobs/{id}")?.get !== undefined);
    assert.ok(paths.get("/v1/stamps")?.post !== undefined);
    assert.ok(paths.get("/v1/sms/twilio")?.post !== undefined);
    await app.close();
  });
});

describe("wallet channel", () => {
  it("a job started from an operator's wallet lands with channel wallet, and the gateway sees its machine busy", async () => {
    const jobId = deriveJobId({ siteId: SITE_ID, reference: "WO-WALLET-1" });
    const wallet = chain.walletFor(chain.operator);
    const common = {
      publicClient: chain.publicClient,
      walletClient: wallet,
      address: chain.jobStamps,
      siteId: SITE_ID,
      jobId,
    };
    const hash = await startJob({
      ...common,
      machineIds: [PRESS.machineId],
      productId: BRACKET.productId,
    });
    const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
    const block = await chain.publicClient.getBlock({ blockNumber: receipt.blockNumber });
    const events = await chainEvents(jobId);
    const [started] = events.started;
    assert.ok(started !== undefined);
    assert.equal(started.args.channel, StampChannel.wallet);
    assert.equal(started.args.time, block.timestamp);

    await gateway.stamping.directory.refresh();
    const busy = await api("POST", "/v1/jobs", { machines: ["Press 7"], sku: "BRK-A" });
    assert.equal(busy.statusCode, 409);
    assert.equal(busy.json<{ reason: string }>().reason, "machine_busy");
    assert.match(message((await sms("status press7")).body), /^Press 7 is running job 0x/u);

    await sleep(1100);
    await mineBlock(chain);
    await chain.publicClient.waitForTransactionReceipt({
      hash: await stopJob({ ...common, productId: BRACKET.productId, units: 5n }),
    });
    await gateway.stamping.directory.refresh();
    assert.equal(message((await sms("status press7")).body), "Press 7 is idle.");
  });
});
