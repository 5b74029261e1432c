// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

// Test code keeps Foundry's conventions (test_fn_condition / invariant_x names, forge-std-style helper
// and constant names, the `Vm` interface name), so the naming rules for production code are off here.
/* solhint-disable func-name-mixedcase, private-vars-leading-underscore, interface-starts-with-i */
/* solhint-disable gas-small-strings */

import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";
import {IDataContainers} from "../interfaces/IDataContainers.sol";
import {Deployment} from "./utils/Deployment.sol";

/// @notice Fuzz tests of DataContainers: hashing against a plain-Solidity reference, one mint per id,
/// oracle-only anchoring, and Merkle proofs that verify exactly for readings in the container.
contract DataContainersTest is Deployment {
    bytes32 private constant HEADER_TYPEHASH = keccak256(
        "ContainerHeader(bytes32 siteId,bytes32 streamId,uint64 periodStart,uint64 periodEnd,"
        "bytes32 merkleRoot,bytes cid,uint32 readingCount,uint128 energyImportedMilliWattHours,"
        "uint128 energyExportedMilliWattHours,uint128 emissionsLocationMilligramsCo2e,"
        "uint128 emissionsMarketMilligramsCo2e,bytes32 factorRef,uint32 revision,uint256 supersedes)"
    );

    function setUp() public {
        _deploy();
    }

    /// The assembly struct hash equals EIP-712 encodeData written out in plain Solidity.
    function testFuzz_hashHeader_matchesReference(
        bytes32 streamId,
        uint64 periodStart,
        uint64 periodEnd,
        bytes32 merkleRoot,
        bytes calldata cid,
        uint128 energy,
        uint32 revision,
        uint256 supersedes
    ) public view {
        IDataContainers.ContainerHeader memory h = _header(0, 1, merkleRoot);
        h.streamId = streamId;
        h.periodStart = periodStart;
        h.periodEnd = periodEnd;
        h.cid = cid;
        h.energyExportedMilliWattHours = energy;
        h.emissionsMarketMilligramsCo2e = energy / 3;
        h.revision = revision;
        h.supersedes = supersedes;
        bytes32 expected = keccak256(
            bytes.concat(
                abi.encode(
                    HEADER_TYPEHASH,
                    h.siteId,
                    h.streamId,
                    h.periodStart,
                    h.periodEnd,
                    h.merkleRoot,
                    keccak256(h.cid),
                    h.readingCount
                ),
                abi.encode(
                    h.energyImportedMilliWattHours,
                    h.energyExportedMilliWattHours,
                    h.emissionsLocationMilligramsCo2e,
                    h.emissionsMarketMilligramsCo2e,
                    h.factorRef,
                    h.revision,
                    h.supersedes
                )
            )
        );
        assertEq(containers.hashHeader(h), expected, "hashHeader");
        assertEq(
            containers.containerId(SITE, streamId, periodStart, periodEnd, revision),
            uint256(keccak256(abi.encode(SITE, streamId, periodStart, periodEnd, revision))),
            "containerId"
        );
    }

    /// Any valid header anchors once; the same id never mints again, whatever else differs.
    function testFuzz_anchor_mintsEachIdOnce(
        uint64 periodStart,
        uint64 length,
        bytes32 root,
        bytes32 root2
    ) public {
        periodStart = uint64(bound(periodStart, 0, type(uint64).max - 1));
        length = uint64(bound(length, 1, type(uint64).max - periodStart));
        VM.assume(root != bytes32(0) && root2 != bytes32(0));
        IDataContainers.ContainerHeader memory h = _header(periodStart, length, root);
        uint256 id = containers.anchor(h, oracle, _signBatch(ORACLE_KEY, _one(h)));
        assertEq(containers.balanceOf(SITE_OWNER, id), 1, "minted to the site owner");
        assertEq(containers.commitmentOf(id), containers.hashHeader(h), "commitment");
        IDataContainers.ContainerHeader memory again = _header(periodStart, length, root2);
        bytes memory signature = _signBatch(ORACLE_KEY, _one(again));
        VM.expectRevert(
            abi.encodeWithSelector(IDataContainers.Containers_AlreadyAnchored.selector, id)
        );
        containers.anchor(again, oracle, signature);
    }

    /// A key that is not the site's oracle never anchors, whoever relays it.
    function testFuzz_anchor_rejectsNonOracle(uint256 key, bytes32 root) public {
        key = bound(key, 1, 2 ** 128);
        VM.assume(key != ORACLE_KEY && root != bytes32(0));
        address signer = VM.addr(key);
        IDataContainers.ContainerHeader memory h = _header(3600, 3600, root);
        bytes memory signature = _signBatch(key, _one(h));
        VM.expectRevert(
            abi.encodeWithSelector(
                IDataContainers.Containers_SignerNotOracle.selector,
                SITE,
                signer
            )
        );
        containers.anchor(h, signer, signature);
        // Claiming to be the oracle with someone else's signature fails the signature check instead.
        VM.expectRevert(
            abi.encodeWithSelector(IDataContainers.Containers_BadSignature.selector, oracle)
        );
        containers.anchor(h, oracle, signature);
    }

    /// A four-reading tree: each reading verifies with its proof; any other reading does not.
    function testFuzz_verifyReading_exactlyWhenInContainer(
        bytes32 salt,
        uint64 energy,
        uint8 index,
        uint64 otherEnergy
    ) public {
        IDataContainers.ReadingLeaf[4] memory readings;
        bytes32[4] memory leaves;
        for (uint256 i = 0; i < 4; ++i) {
            readings[i] = IDataContainers.ReadingLeaf({
                salt: keccak256(abi.encode(salt, i)),
                deviceId: keccak256("device:1"),
                channel: 1,
                sequence: uint64(i),
                timestampMs: uint64(1_767_225_600_000 + i * 1000),
                energyImportedMilliWattHours: energy / 2 + uint64(i),
                energyExportedMilliWattHours: 0,
                quality: 0,
                detailsHash: bytes32(0)
            });
            leaves[i] = containers.readingLeaf(readings[i]);
            assertEq(
                leaves[i],
                keccak256(bytes.concat(keccak256(abi.encode(readings[i])))),
                "leaf"
            );
        }
        bytes32 left = Hashes.commutativeKeccak256(leaves[0], leaves[1]);
        bytes32 right = Hashes.commutativeKeccak256(leaves[2], leaves[3]);
        IDataContainers.ContainerHeader memory h = _header(
            7200,
            3600,
            Hashes.commutativeKeccak256(left, right)
        );
        containers.anchor(h, oracle, _signBatch(ORACLE_KEY, _one(h)));

        uint256 member = index % 4;
        bytes32[] memory proof = new bytes32[](2);
        proof[0] = leaves[member ^ 1];
        proof[1] = member < 2 ? right : left;
        assertTrue(containers.verifyReading(h, readings[member], proof), "member verifies");

        IDataContainers.ReadingLeaf memory other = readings[member];
        VM.assume(otherEnergy != other.energyImportedMilliWattHours);
        other.energyImportedMilliWattHours = otherEnergy;
        assertFalse(containers.verifyReading(h, other, proof), "non-member does not verify");
    }

    function test_anchorMany_mixedSites_reverts() public {
        IDataContainers.ContainerHeader[] memory headers = new IDataContainers.ContainerHeader[](2);
        headers[0] = _header(0, 3600, keccak256("a"));
        headers[1] = _header(3600, 3600, keccak256("b"));
        headers[1].siteId = OTHER_SITE;
        bytes memory signature = _signBatch(ORACLE_KEY, headers);
        VM.expectRevert(
            abi.encodeWithSelector(
                IDataContainers.Containers_MixedSites.selector,
                1,
                SITE,
                OTHER_SITE
            )
        );
        containers.anchorMany(headers, oracle, signature);
    }
}
