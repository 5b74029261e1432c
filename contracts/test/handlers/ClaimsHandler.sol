// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

// Invariant handlers swallow reverts on purpose (empty catch blocks: a rejected call is an expected outcome)
// and expose their wiring as public getters for the invariant contracts.
/* solhint-disable no-empty-blocks, immutable-vars-naming, gas-small-strings */

import {CertificateClaims} from "../../CertificateClaims.sol";
import {ICertificateClaims} from "../../interfaces/ICertificateClaims.sol";
import {Vm} from "../utils/Vm.sol";

/// @title ClaimsHandler
/// @notice Invariant-test actor: registers a few certificates, then claims random volumes of random
/// certificates for random sites, as the manager of either site. Keeps a ghost sum of accepted claims.
contract ClaimsHandler {
    Vm private constant _VM = Vm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);

    CertificateClaims public immutable claims;
    bytes32[] public keys;
    bytes32[] public sites;
    address public immutable manager;
    /// Accepted claims per certificate, summed by the handler (ghost variable).
    mapping(bytes32 key => uint256 wattHours) public ghostClaimed;
    /// Claims the contract accepted although they exceeded what the ghost sum left.
    uint256 public overClaimsAccepted;
    uint256 public claimsAccepted;
    uint256 public claimsRejected;

    constructor(CertificateClaims claims_, bytes32[] memory sites_, address manager_) {
        claims = claims_;
        sites = sites_;
        manager = manager_;
    }

    function keyCount() external view returns (uint256) {
        return keys.length;
    }

    /// Registers certificate number `serial` of up to ~1 GWh; duplicates revert and are ignored.
    function register(uint16 serial, uint64 volumeWattHours) external {
        uint64 volume = uint64(1 + (volumeWattHours % 1e9));
        ICertificateClaims.CertificateInput memory input = ICertificateClaims.CertificateInput({
            scheme: "AIB-EECS",
            certificateId: string(abi.encodePacked("GO-", bytes2(serial % 8))),
            volumeWattHours: volume,
            periodStart: 1_767_225_600,
            periodEnd: 1_769_904_000,
            technology: "solar",
            zone: "DE-LU"
        });
        _VM.prank(manager);
        try claims.registerCertificate(input) returns (bytes32 key) {
            keys.push(key);
        } catch {}
    }

    /// Claims `volumeWattHours` (biased towards the remaining volume so both outcomes happen).
    function claim(uint8 keyIndex, uint8 siteIndex, uint64 volumeWattHours, bool exact) external {
        if (keys.length == 0) return;
        bytes32 key = keys[keyIndex % keys.length];
        bytes32 site = sites[siteIndex % sites.length];
        ICertificateClaims.Certificate memory cert = claims.certificate(key);
        uint256 left = cert.volumeWattHours - ghostClaimed[key];
        uint64 volume =
            exact && left > 0
                ? uint64(left)
                : uint64(1 + (volumeWattHours % (2 * uint256(cert.volumeWattHours))));
        _VM.prank(manager);
        try claims.claim(key, site, volume, 1_767_225_600, 1_767_229_200) {
            ++claimsAccepted;
            if (volume > left) ++overClaimsAccepted;
            ghostClaimed[key] += volume;
        } catch {
            ++claimsRejected;
        }
    }
}
