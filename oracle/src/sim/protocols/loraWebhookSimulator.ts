import { encodeLoraPayload, LORA_UPLINK_FPORT } from "@energy-intelligence/sdk/protocols/index";

export interface LoraUplinkInput {
  devEui: string;
  fCnt: number;
  /** Cumulative imported Wh (reduced modulo 2^32 here, as the firmware does). */
  energyImportedWh: number;
  energyExportedWh?: number;
  watts: number;
  receivedAtMs: number;
  fPort?: number;
  /** Raw payload bytes instead of the encoded reading (for wrong-length tests). */
  payload?: Uint8Array;
  rssi?: number;
  snr?: number;
  gatewayId?: string;
}

function payloadOf(input: LoraUplinkInput): string {
  const bytes =
    input.payload ??
    encodeLoraPayload({
      version: 1,
      ageSeconds: 0,
      channels: [
        {
          channel: 0,
          energyImportedWh: input.energyImportedWh % 2 ** 32,
          energyExportedWh: (input.energyExportedWh ?? 0) % 2 ** 32,
          powerDecawatts: Math.round(input.watts / 10),
        },
      ],
    });
  return Buffer.from(bytes).toString("base64");
}

/** The body The Things Stack v3 POSTs to a webhook for an uplink (the fields that matter, as TTS writes them). */
export function buildTtnUplinkWebhook(input: LoraUplinkInput): Record<string, unknown> {
  const at = new Date(input.receivedAtMs).toISOString();
  return {
    end_device_ids: {
      device_id: `eui-${input.devEui.toLowerCase()}`,
      application_ids: { application_id: "ei-site" },
      dev_eui: input.devEui.toUpperCase(),
      join_eui: "0000000000000000",
      dev_addr: "260B1234",
    },
    correlation_ids: [`as:up:${input.devEui}-${input.fCnt}`],
    received_at: at,
    uplink_message: {
      session_key_id: "AYx3k3J1c2U=",
      f_port: input.fPort ?? LORA_UPLINK_FPORT,
      f_cnt: input.fCnt,
      frm_payload: payloadOf(input),
      rx_metadata: [
        {
          gateway_ids: { gateway_id: input.gatewayId ?? "site-gw-1", eui: "B827EBFFFE000001" },
          time: at,
          rssi: input.rssi ?? -97,
          channel_rssi: input.rssi ?? -97,
          snr: input.snr ?? 7.25,
          uplink_token: "ChIKEAoOc2l0ZS1ndy0x",
          received_at: at,
        },
      ],
      settings: {
        data_rate: { lora: { bandwidth: 125000, spreading_factor: 7, coding_rate: "4/5" } },
        frequency: "868100000",
      },
      received_at: at,
      consumed_airtime: "0.061696s",
    },
  };
}

/** The body ChirpStack v4's HTTP integration POSTs with `?event=up` (JSON encoding). */
export function buildChirpstackUplinkEvent(input: LoraUplinkInput): Record<string, unknown> {
  return {
    deduplicationId: `00000000-0000-4000-8000-${input.fCnt.toString(16).padStart(12, "0")}`,
    time: new Date(input.receivedAtMs).toISOString(),
    deviceInfo: {
      tenantId: "52f14cd4-c6f1-4fbd-8f87-4025e1d49242",
      tenantName: "ChirpStack",
      applicationId: "17c82e96-be03-4f38-aef3-f83d48582d97",
      applicationName: "ei-site",
      deviceProfileId: "14855bf7-d10d-4aee-b618-ebfcb64dc7ad",
      deviceProfileName: "ei-meter",
      deviceName: `meter-${input.devEui.toLowerCase()}`,
      devEui: input.devEui.toLowerCase(),
      tags: {},
    },
    devAddr: "00189440",
    adr: true,
    dr: 5,
    fCnt: input.fCnt,
    fPort: input.fPort ?? LORA_UPLINK_FPORT,
    confirmed: false,
    data: payloadOf(input),
    rxInfo: [
      {
        gatewayId: input.gatewayId ?? "0016c001f153a14c",
        uplinkId: 4217106255,
        rssi: input.rssi ?? -97,
        snr: input.snr ?? 7.25,
        context: "EFwMtA==",
        metadata: { region_common_name: "EU868", region_config_id: "eu868" },
      },
    ],
    txInfo: {
      frequency: 868100000,
      modulation: { lora: { bandwidth: 125000, spreadingFactor: 7, codeRate: "CR_4_5" } },
    },
  };
}

/** Posts one uplink as the network server would; resolves with the HTTP status and JSON answer. */
export async function postLoraUplink(options: {
  /** The gateway's base URL. */
  url: string;
  networkServer: "ttn" | "chirpstack";
  header: string;
  secret: string | undefined;
  uplink: LoraUplinkInput;
}): Promise<{ status: number; body: Record<string, unknown> }> {
  const path =
    options.networkServer === "ttn" ? "/v1/webhooks/ttn" : "/v1/webhooks/chirpstack?event=up";
  const body =
    options.networkServer === "ttn"
      ? buildTtnUplinkWebhook(options.uplink)
      : buildChirpstackUplinkEvent(options.uplink);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.secret !== undefined) headers[options.header] = options.secret;
  const response = await fetch(new URL(path, options.url), {
    method: "POST",
    headers,
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
