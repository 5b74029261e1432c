// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

// Test code keeps Foundry's conventions (test_fn_condition / invariant_x names, forge-std-style helper
// and constant names, the `Vm` interface name), so the naming rules for production code are off here.
/* solhint-disable func-name-mixedcase, private-vars-leading-underscore, interface-starts-with-i */
/* solhint-disable gas-small-strings */

import {AuditAttestations} from "../../AuditAttestations.sol";
import {DataContainers} from "../../DataContainers.sol";
import {EnergyRegistry} from "../../EnergyRegistry.sol";
import {JobStamps} from "../../JobStamps.sol";
import {ProductLots} from "../../ProductLots.sol";
import {IDataContainers} from "../../interfaces/IDataContainers.sol";
import {IEnergyRegistry} from "../../interfaces/IEnergyRegistry.sol";
import {IJobStamps} from "../../interfaces/IJobStamps.sol";
import {IProductLots} from "../../interfaces/IProductLots.sol";
import {Test} from "./Test.sol";

/// @title Deployment
/// @notice Deploys the five contracts with this contract as admin and one site whose manager is also this
/// contract, and signs EIP-712 messages with known keys, as the sdk would.
abstract contract Deployment is Test {
    bytes32 internal constant SITE = keccak256("site:berlin-1");
    bytes32 internal constant OTHER_SITE = keccak256("site:lyon-2");
    bytes32 internal constant STREAM = keccak256("stream:main-meter");
    bytes32 internal constant MACHINE = keccak256("machine:press-7");
    bytes32 internal constant PRODUCT = keccak256("product:bracket-a");
    uint256 internal constant ORACLE_KEY = 0xA11CE;
    uint256 internal constant OPERATOR_KEY = 0xB0B;
    address internal constant SITE_OWNER = address(0x5173);

    EnergyRegistry internal registry;
    DataContainers internal containers;
    JobStamps internal jobs;
    ProductLots internal lots;
    AuditAttestations internal attestations;
    address internal oracle;
    address internal operator;

    function _deploy() internal {
        registry = new EnergyRegistry(address(this));
        containers = new DataContainers(IEnergyRegistry(address(registry)), "http://x/{id}");
        jobs = new JobStamps(IEnergyRegistry(address(registry)));
        lots = new ProductLots(
            IEnergyRegistry(address(registry)),
            IJobStamps(address(jobs)),
            "http://x/{id}"
        );
        attestations = new AuditAttestations(
            IEnergyRegistry(address(registry)),
            IDataContainers(address(containers)),
            IProductLots(address(lots))
        );
        oracle = VM.addr(ORACLE_KEY);
        operator = VM.addr(OPERATOR_KEY);
        registry.registerSite(SITE, SITE_OWNER, address(this), "Berlin 1");
        registry.registerSite(OTHER_SITE, SITE_OWNER, address(this), "Lyon 2");
        registry.grantRole(registry.siteRole(registry.ORACLE_ROLE(), SITE), oracle);
        registry.grantRole(registry.siteRole(registry.OPERATOR_ROLE(), SITE), operator);
        registry.registerMachine(SITE, MACHINE, "Press 7");
        registry.registerProduct(
            SITE,
            PRODUCT,
            IEnergyRegistry.ProductInput({
                sku: "BRK-A",
                name: "Bracket A",
                cpcCode: "42999",
                declaredUnit: 2,
                unitaryProductAmountMicros: 1,
                massPerDeclaredUnitMilligrams: 1
            })
        );
    }

    function _header(
        uint64 periodStart,
        uint64 length,
        bytes32 merkleRoot
    ) internal pure returns (IDataContainers.ContainerHeader memory header) {
        header.siteId = SITE;
        header.streamId = STREAM;
        header.periodStart = periodStart;
        header.periodEnd = periodStart + length;
        header.merkleRoot = merkleRoot;
        header.cid = abi.encodePacked(hex"01551220", merkleRoot);
        header.readingCount = 60;
        header.energyImportedMilliWattHours = 1_000_000;
        header.factorRef = keccak256("factor");
    }

    function _signBatch(
        uint256 key,
        IDataContainers.ContainerHeader[] memory headers
    ) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = VM.sign(key, containers.batchDigest(headers));
        return abi.encodePacked(r, s, v);
    }

    function _one(
        IDataContainers.ContainerHeader memory header
    ) internal pure returns (IDataContainers.ContainerHeader[] memory headers) {
        headers = new IDataContainers.ContainerHeader[](1);
        headers[0] = header;
    }

    function _idOf(IDataContainers.ContainerHeader memory h) internal view returns (uint256) {
        return containers.containerId(h.siteId, h.streamId, h.periodStart, h.periodEnd, h.revision);
    }
}
