import { twilioSignature } from "@energy-intelligence/oracle/jobs/twilioSignature";

/**
 * One machine's compressed production schedule: jobs one after the other
 * with a short changeover between them. The first job is short so that a
 * lot is minted within a minute of `ready`; later ones last a minute or two.
 */
export interface MachineSchedule {
  /** The machine's registered name, as an MES or an operator would write it. */
  machine: string;
  sku: string;
  /** Reference prefix of the jobs (a work-order number per job). */
  referencePrefix: string;
  /** Job lengths in seconds, repeated from `repeatFrom` onwards. */
  jobSeconds: readonly number[];
  repeatFrom: number;
  changeoverSeconds: number;
  /** Units made per second of running (the count a stop reports). */
  unitsPerMinute: number;
  /** How the stamps reach the gateway. */
  channel: "api" | "sms";
  /** Called when the machine starts or stops running, so its metered load follows. */
  onRunning?: (running: boolean) => void;
}

/** The web2 channels the schedule uses, as a MES and an operator's phone would reach them. */
export interface StampingChannels {
  gatewayUrl: string;
  /** `ei_<id>_<secret>` with jobs:write for the site. */
  apiKey: string;
  /** The Twilio auth token the gateway checks X-Twilio-Signature with, and its webhook URL. */
  sms: { authToken: string; webhookUrl: string; from: string; to: string };
}

export interface ProductionSchedule {
  /** Jobs stopped so far (their stop accepted by the gateway). */
  readonly stoppedJobs: number;
  stop(): Promise<void>;
}

function smsSid(): string {
  // Twilio message SIDs: "SM" and 32 hex digits.
  return `SM${crypto.randomUUID().replaceAll("-", "")}`;
}

/**
 * Sends a request again after a 5xx or a network error, at most three times, one second apart.
 * Safe because every retry is the same request: the API's Idempotency-Key and the SMS's
 * MessageSid let the gateway recognise a request it already took.
 */
async function withRetries(send: () => Promise<Response>): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await send();
      if (response.status < 500 || attempt === 3) return response;
      await response.body?.cancel();
    } catch (error) {
      if (attempt === 3) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** POSTs a text message to the gateway exactly as Twilio's webhook would, signed. */
async function sendSms(channels: StampingChannels, body: string): Promise<string> {
  const params = new Map<string, string[]>([
    ["MessageSid", [smsSid()]],
    ["AccountSid", [`AC${"0".repeat(32)}`]],
    ["From", [channels.sms.from]],
    ["To", [channels.sms.to]],
    ["Body", [body]],
    ["NumMedia", ["0"]],
  ]);
  const form = new URLSearchParams();
  for (const [name, values] of params) for (const value of values) form.append(name, value);
  const response = await withRetries(() =>
    fetch(channels.sms.webhookUrl, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": twilioSignature(
          channels.sms.authToken,
          channels.sms.webhookUrl,
          params,
        ),
      },
      body: form.toString(),
    }),
  );
  const text = await response.text();
  if (!response.ok) throw new Error(`SMS "${body}": HTTP ${response.status} ${text}`);
  // TwiML: <Response><Message>…</Message></Response>; the operator reads the message.
  return /<Message>([\s\S]*)<\/Message>/u.exec(text)?.[1] ?? text;
}

async function postJson(
  channels: StampingChannels,
  route: string,
  body: unknown,
  idempotencyKey: string,
): Promise<{ jobId?: string }> {
  const response = await withRetries(() =>
    fetch(`${channels.gatewayUrl}${route}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${channels.apiKey}`,
        "content-type": "application/json",
        "idempotency-key": idempotencyKey,
      },
      body: JSON.stringify(body),
    }),
  );
  const text = await response.text();
  if (response.status !== 202) throw new Error(`POST ${route}: HTTP ${response.status} ${text}`);
  return JSON.parse(text) as { jobId?: string };
}

/**
 * Runs each machine's schedule in real time, stamping starts and stops
 * through the gateway's API (Bearer key, Idempotency-Key) or its Twilio SMS
 * webhook. A refused or failed stamp is reported and the machine goes on
 * with its next job; nothing is retried behind the gateway's back.
 */
export function runProductionSchedule(parameters: {
  channels: StampingChannels;
  machines: readonly MachineSchedule[];
  /** A tag in job references, so two runs on one chain never reuse a reference. */
  runTag: string;
  report: (text: string) => void;
}): ProductionSchedule {
  const controller = new AbortController();
  let stoppedJobs = 0;
  // A function, so each check reads the signal anew after an await.
  const aborted = (): boolean => controller.signal.aborted;
  const sleep = (seconds: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, seconds * 1000);
      controller.signal.addEventListener(
        "abort",
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });

  const runMachine = async (schedule: MachineSchedule): Promise<void> => {
    for (let index = 0; !aborted(); index++) {
      const cycle = schedule.jobSeconds.slice(schedule.repeatFrom);
      const seconds =
        index < schedule.jobSeconds.length
          ? (schedule.jobSeconds[index] ?? 60)
          : (cycle[(index - schedule.jobSeconds.length) % cycle.length] ?? 60);
      const reference = `${schedule.referencePrefix}-${parameters.runTag}-${String(index + 1).padStart(3, "0")}`;
      const units = Math.max(1, Math.round((seconds / 60) * schedule.unitsPerMinute));
      try {
        let jobId: string | undefined;
        if (schedule.channel === "api") {
          const started = await postJson(
            parameters.channels,
            "/v1/jobs",
            { reference, machines: [schedule.machine], sku: schedule.sku },
            `${reference}/start`,
          );
          jobId = started.jobId;
        } else {
          const machineWord = schedule.machine.toLowerCase().replaceAll(" ", "-");
          const reply = await sendSms(
            parameters.channels,
            `START ${machineWord} ${reference} ${schedule.sku}`,
          );
          if (!/started/iu.test(reply)) throw new Error(`SMS START refused: ${reply}`);
        }
        schedule.onRunning?.(true);
        parameters.report(
          `job ${reference} started on ${schedule.machine} (${schedule.channel}, ${seconds} s)`,
        );
        await sleep(seconds);
        if (aborted()) return;
        if (schedule.channel === "api") {
          await postJson(
            parameters.channels,
            `/v1/jobs/${jobId ?? ""}/stop`,
            { units },
            `${reference}/stop`,
          );
        } else {
          const machineWord = schedule.machine.toLowerCase().replaceAll(" ", "-");
          const reply = await sendSms(parameters.channels, `STOP ${machineWord} ${units}`);
          if (!/stopped/iu.test(reply)) throw new Error(`SMS STOP refused: ${reply}`);
        }
        stoppedJobs++;
        parameters.report(`job ${reference} stopped with ${units} units`);
      } catch (error) {
        if (aborted()) return;
        parameters.report(
          `schedule ${schedule.machine}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      schedule.onRunning?.(false);
      await sleep(schedule.changeoverSeconds);
    }
  };

  const running = Promise.all(parameters.machines.map((machine) => runMachine(machine)));
  return {
    get stoppedJobs() {
      return stoppedJobs;
    },
    async stop() {
      controller.abort();
      await running;
    },
  };
}
