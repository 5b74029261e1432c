// ProductLots: lots with their footprint and per-unit figures, their transfers and holder balances.
import { Address, BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import {
  BaseUriSet,
  LotMinted,
  TransferBatch,
  TransferSingle,
} from "../../generated/ProductLots/ProductLots";
import { Job, LotHolder, LotTransfer, ProductLot } from "../../generated/schema";
import { eventId, pairId, saveSetting, ZERO } from "./helpers";

export function handleLotMinted(event: LotMinted): void {
  const p = event.params;
  const footprint = p.footprint;
  const lot = new ProductLot(p.lotId.toString());
  lot.site = p.siteId.toHexString();
  lot.product = pairId(p.siteId.toHexString(), p.productId.toHexString());
  const jobIds = footprint.jobIds;
  const jobs = new Array<string>(jobIds.length);
  for (let i = 0; i < jobIds.length; i++) {
    jobs[i] = jobIds[i].toHexString();
    const job = Job.load(jobs[i]);
    if (job != null) {
      job.lot = lot.id;
      job.save();
    }
  }
  lot.jobs = jobs;
  lot.signer = p.signer;
  lot.footprintHash = p.footprintHash;
  lot.cid = footprint.cid;
  lot.units = footprint.units;
  lot.energyMilliWattHours = footprint.energyMilliWattHours;
  lot.emissionsLocationMilligramsCo2e = footprint.emissionsLocationMilligramsCo2e;
  lot.emissionsMarketMilligramsCo2e = footprint.emissionsMarketMilligramsCo2e;
  const perUnit = p.perUnit;
  lot.energyPerUnitMilliWattHours = perUnit[0];
  lot.emissionsLocationPerUnitMilligramsCo2e = perUnit[1];
  lot.emissionsMarketPerUnitMilligramsCo2e = perUnit[2];
  lot.nonce = footprint.nonce;
  lot.mintedAtBlock = event.block.number;
  lot.mintedAtTimestamp = event.block.timestamp;
  lot.transactionHash = event.transaction.hash;
  lot.save();
}

function addBalance(lot: string, account: Address, delta: BigInt): void {
  // The zero address is the mint source and burn sink, not a holder.
  if (account.equals(Address.zero())) return;
  const id = pairId(lot, account.toHexString());
  let holder = LotHolder.load(id);
  if (holder == null) {
    holder = new LotHolder(id);
    holder.lot = lot;
    holder.account = account;
    holder.balance = ZERO;
  }
  holder.balance = holder.balance.plus(delta);
  holder.save();
}

function recordTransfer(
  event: ethereum.Event,
  position: i32,
  operator: Address,
  from: Address,
  to: Address,
  id: BigInt,
  value: BigInt,
): void {
  const lot = id.toString();
  const transfer = new LotTransfer(eventId(event) + "-" + position.toString());
  transfer.lot = lot;
  transfer.operator = operator;
  transfer.from = from;
  transfer.to = to;
  transfer.value = value;
  transfer.blockNumber = event.block.number;
  transfer.blockTimestamp = event.block.timestamp;
  transfer.transactionHash = event.transaction.hash;
  transfer.save();
  addBalance(lot, from, value.neg());
  addBalance(lot, to, value);
}

export function handleTransferSingle(event: TransferSingle): void {
  const p = event.params;
  recordTransfer(event, 0, p.operator, p.from, p.to, p.id, p.value);
}

export function handleTransferBatch(event: TransferBatch): void {
  const p = event.params;
  const ids = p.ids;
  const values = p.values;
  for (let i = 0; i < ids.length; i++) {
    recordTransfer(event, i, p.operator, p.from, p.to, ids[i], values[i]);
  }
}

export function handleBaseUriSet(event: BaseUriSet): void {
  saveSetting(event, "baseUri", event.params.uri);
}
