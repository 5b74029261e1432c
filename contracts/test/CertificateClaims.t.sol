// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

// Test code keeps Foundry's conventions (test_fn_condition / invariant_x names, forge-std-style helper
// and constant names, the `Vm` interface name), so the naming rules for production code are off here.
/* solhint-disable func-name-mixedcase, private-vars-leading-underscore, interface-starts-with-i */
/* solhint-disable gas-small-strings, gas-strict-inequalities */

import {CertificateClaims} from "../CertificateClaims.sol";
import {ICertificateClaims} from "../interfaces/ICertificateClaims.sol";
import {IEnergyRegistry} from "../interfaces/IEnergyRegistry.sol";
import {ClaimsHandler} from "./handlers/ClaimsHandler.sol";
import {Deployment} from "./utils/Deployment.sol";

/// @notice Unit and fuzz tests of CertificateClaims: a certificate's claims never exceed its volume,
/// whichever sites and companies claim it.
contract CertificateClaimsTest is Deployment {
    uint40 private constant JAN = 1_767_225_600;
    uint40 private constant FEB = 1_769_904_000;

    CertificateClaims private claims;

    function setUp() public {
        _deploy();
        claims = new CertificateClaims(IEnergyRegistry(address(registry)));
        registry.grantRole(claims.CERTIFICATE_REGISTRAR_ROLE(), address(this));
    }

    function _input(
        string memory id,
        uint64 volume
    ) private pure returns (ICertificateClaims.CertificateInput memory) {
        return
            ICertificateClaims.CertificateInput({
                scheme: "AIB-EECS",
                certificateId: id,
                volumeWattHours: volume,
                periodStart: JAN,
                periodEnd: FEB,
                technology: "wind-onshore",
                zone: "DE-LU"
            });
    }

    function test_registerCertificate_storesIt() public {
        bytes32 key = claims.registerCertificate(_input("GO-1", 5_000_000));
        assertEq(
            key,
            keccak256(abi.encode("AIB-EECS", "GO-1")),
            "key = keccak(abi.encode(scheme, id))"
        );
        assertEq(key, claims.certificateKey("AIB-EECS", "GO-1"), "certificateKey agrees");
        ICertificateClaims.Certificate memory cert = claims.certificate(key);
        assertEq(cert.volumeWattHours, 5_000_000, "volume");
        assertEq(cert.claimedWattHours, 0, "nothing claimed");
        assertEq(cert.zone, bytes32("DE-LU"), "zone");
        assertEq(claims.remainingOf(key), 5_000_000, "all remaining");
    }

    function test_registerCertificate_twiceReverts() public {
        bytes32 key = claims.registerCertificate(_input("GO-1", 5));
        VM.expectRevert(
            abi.encodeWithSelector(ICertificateClaims.Claims_CertificateExists.selector, key)
        );
        claims.registerCertificate(_input("GO-1", 7));
    }

    function test_claim_partsThenExactRest_thenRejected() public {
        bytes32 key = claims.registerCertificate(_input("GO-2", 1000));
        assertEq(claims.claim(key, SITE, 600, JAN, JAN + 3600), 400, "400 left");
        assertEq(claims.claim(key, OTHER_SITE, 400, JAN, JAN + 3600), 0, "used up");
        VM.expectRevert(
            abi.encodeWithSelector(ICertificateClaims.Claims_VolumeExceeded.selector, key, 1, 0)
        );
        claims.claim(key, SITE, 1, JAN, JAN + 3600);
        assertEq(claims.claimedBySite(key, SITE), 600, "site A");
        assertEq(claims.claimedBySite(key, OTHER_SITE), 400, "site B");
        assertEq(claims.certificate(key).claimCount, 2, "two claims");
    }

    function test_claim_byStrangerReverts() public {
        bytes32 key = claims.registerCertificate(_input("GO-3", 1000));
        VM.prank(address(0xBAD));
        VM.expectRevert(
            abi.encodeWithSelector(
                ICertificateClaims.Claims_NotSiteClaimant.selector,
                SITE,
                address(0xBAD)
            )
        );
        claims.claim(key, SITE, 1, JAN, JAN + 1);
    }

    function test_claim_byOracleOfSite() public {
        bytes32 key = claims.registerCertificate(_input("GO-4", 1000));
        VM.prank(oracle);
        claims.claim(key, SITE, 10, JAN, JAN + 1);
        // The oracle of SITE is nobody at OTHER_SITE.
        VM.prank(oracle);
        VM.expectRevert(
            abi.encodeWithSelector(
                ICertificateClaims.Claims_NotSiteClaimant.selector,
                OTHER_SITE,
                oracle
            )
        );
        claims.claim(key, OTHER_SITE, 10, JAN, JAN + 1);
    }

    /// Any sequence of claims: each is accepted exactly when it fits what is left, and the sum never
    /// exceeds the volume.
    function testFuzz_claim_neverExceedsVolume(uint64 volume, uint64[6] calldata requests) public {
        volume = uint64(bound(volume, 1, type(uint64).max));
        bytes32 key = claims.registerCertificate(_input("GO-F", volume));
        uint256 sum = 0;
        for (uint256 i = 0; i < requests.length; ++i) {
            uint64 request = requests[i] == 0 ? 1 : requests[i];
            bytes32 site = i % 2 == 0 ? SITE : OTHER_SITE;
            uint256 left = volume - sum;
            if (request > left) {
                VM.expectRevert(
                    abi.encodeWithSelector(
                        ICertificateClaims.Claims_VolumeExceeded.selector,
                        key,
                        request,
                        uint64(left)
                    )
                );
                claims.claim(key, site, request, JAN, JAN + 3600);
            } else {
                assertEq(
                    claims.claim(key, site, request, JAN, JAN + 3600),
                    left - request,
                    "remaining"
                );
                sum += request;
            }
            assertEq(claims.certificate(key).claimedWattHours, sum, "claimed == accepted sum");
        }
        assertTrue(sum <= volume, "claimed <= volume");
        assertEq(
            claims.claimedBySite(key, SITE) + claims.claimedBySite(key, OTHER_SITE),
            sum,
            "per-site sums"
        );
    }

    function testFuzz_claim_badInputReverts(uint40 start, uint40 end) public {
        bytes32 key = claims.registerCertificate(_input("GO-B", 10));
        VM.expectRevert(ICertificateClaims.Claims_ZeroVolume.selector);
        claims.claim(key, SITE, 0, JAN, JAN + 1);
        if (end <= start) {
            VM.expectRevert(
                abi.encodeWithSelector(ICertificateClaims.Claims_InvalidPeriod.selector, start, end)
            );
            claims.claim(key, SITE, 1, start, end);
        }
        bytes32 unknown = keccak256("nope");
        VM.expectRevert(
            abi.encodeWithSelector(ICertificateClaims.Claims_UnknownCertificate.selector, unknown)
        );
        claims.claim(unknown, SITE, 1, JAN, JAN + 1);
        assertEq(claims.certificate(key).claimedWattHours, 0, "nothing claimed");
    }
}

/// @notice Whatever sequence of registrations and claims by two sites: claimed <= volume for every
/// certificate, the contract's sum equals the accepted claims, and no over-claim was ever accepted.
contract CertificateClaimsInvariantTest is Deployment {
    CertificateClaims private claims;
    ClaimsHandler private _handler;

    function setUp() public {
        _deploy();
        claims = new CertificateClaims(IEnergyRegistry(address(registry)));
        bytes32[] memory sites = new bytes32[](2);
        sites[0] = SITE;
        sites[1] = OTHER_SITE;
        // This contract manages both sites (Deployment); the handler pranks as it.
        _handler = new ClaimsHandler(claims, sites, address(this));
        registry.grantRole(claims.CERTIFICATE_REGISTRAR_ROLE(), address(this));
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(_handler);
    }

    /// forge-config: default.invariant.runs = 32
    /// forge-config: default.invariant.depth = 40
    function invariant_claimedNeverExceedsVolume() public view {
        assertEq(
            _handler.overClaimsAccepted(),
            0,
            "a claim beyond the remaining volume was accepted"
        );
        uint256 count = _handler.keyCount();
        for (uint256 i = 0; i < count; ++i) {
            bytes32 key = _handler.keys(i);
            ICertificateClaims.Certificate memory cert = claims.certificate(key);
            assertTrue(cert.claimedWattHours <= cert.volumeWattHours, "claimed <= volume");
            assertEq(
                cert.claimedWattHours,
                _handler.ghostClaimed(key),
                "claimed == accepted claims"
            );
            assertEq(
                claims.claimedBySite(key, SITE) + claims.claimedBySite(key, OTHER_SITE),
                cert.claimedWattHours,
                "per-site sums add up"
            );
        }
    }

    function test_handler_claimsSomething() public {
        _handler.register(1, 100);
        _handler.claim(0, 0, 0, true);
        assertEq(_handler.claimsAccepted(), 1, "the handler's claim path works");
        _handler.claim(0, 1, 5, false);
        assertEq(_handler.claimsRejected(), 1, "a used-up certificate rejects the next claim");
    }
}
