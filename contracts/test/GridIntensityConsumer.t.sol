// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

// Test code keeps Foundry's conventions (test_fn_condition / invariant_x names, forge-std-style helper
// and constant names, the `Vm` interface name), so the naming rules for production code are off here.
/* solhint-disable func-name-mixedcase, private-vars-leading-underscore, interface-starts-with-i */
/* solhint-disable gas-small-strings, one-contract-per-file */

import {FunctionsRequest} from "@chainlink/contracts/src/v0.8/functions/v1_0_0/libraries/FunctionsRequest.sol";
import {EnergyRegistry} from "../EnergyRegistry.sol";
import {GridIntensityConsumer} from "../GridIntensityConsumer.sol";
import {IEnergyRegistry} from "../interfaces/IEnergyRegistry.sol";
import {IGridIntensityConsumer} from "../interfaces/IGridIntensityConsumer.sol";
import {DataContract} from "../utils/DataContract.sol";
import {InlineRequestCbor} from "../utils/InlineRequestCbor.sol";
import {RecordingFunctionsRouter} from "./mocks/RecordingFunctionsRouter.sol";
import {Test} from "./utils/Test.sol";

/// @notice External door to the DataContract library, so reverts can be expected on a call.
contract DataContractHarness {
    function write(bytes calldata data) external returns (address) {
        return DataContract.write(data);
    }

    function read(address pointer) external view returns (bytes memory) {
        return DataContract.read(pointer);
    }
}

/// @notice DataContract (SSTORE2-style storage in contract code) and the request the consumer builds from
/// it: every source reads back byte for byte, and the request data equals FunctionsRequest.encodeCBOR.
contract GridIntensityConsumerTest is Test {
    using FunctionsRequest for FunctionsRequest.Request;

    uint40 private constant NOW = 1_767_229_200;
    uint40 private constant HOUR = 1_767_225_600;
    bytes32 private constant REGION = bytes32("13");
    /// @dev Storage slot of GridIntensityConsumer._requestPrefix: _config takes slots 0-1, _secrets 2-3.
    /// The tests check what they read there is a data contract holding the expected prefix.
    bytes32 private constant PREFIX_SLOT = bytes32(uint256(4));
    /// @dev The longest source whose prefix fits in one contract: 24,575 data bytes less 99 bytes of keys
    /// and values and a 3-byte string header.
    uint256 private constant MAX_SOURCE = 24_473;

    DataContractHarness private harness;
    EnergyRegistry private registry;
    RecordingFunctionsRouter private router;
    GridIntensityConsumer private consumer;

    function setUp() public {
        VM.warp(NOW);
        harness = new DataContractHarness();
        registry = new EnergyRegistry(address(this));
        router = new RecordingFunctionsRouter();
        consumer = _deployConsumer(_text(100));
    }

    function _deployConsumer(string memory source) private returns (GridIntensityConsumer c) {
        c = new GridIntensityConsumer(
            address(router),
            IEnergyRegistry(address(registry)),
            IGridIntensityConsumer.RequestConfig({
                subscriptionId: 1,
                callbackGasLimit: 100_000,
                requestTimeoutSeconds: 600,
                maxMilligramsPerKilowattHour: 2_000_000,
                donId: bytes32("fun-local-1")
            }),
            source
        );
        registry.grantRole(c.INTENSITY_REQUESTER_ROLE(), address(this));
    }

    /// @dev `length` printable ASCII bytes, differing from one position to the next.
    function _text(uint256 length) private pure returns (string memory) {
        bytes memory text = new bytes(length);
        for (uint256 i = 0; i < length; ++i) text[i] = bytes1(uint8(0x20 + ((i * 7) % 95)));
        return string(text);
    }

    function _args() private pure returns (string[] memory args) {
        args = new string[](3);
        args[0] = "uk-carbon-intensity";
        args[1] = "13";
        args[2] = "1767225600";
    }

    /// @dev What the consumer sent before it kept the prefix in code: the reference encoding.
    function _reference(string memory source) private pure returns (bytes memory) {
        FunctionsRequest.Request memory req;
        req.initializeRequestForInlineJavaScript(source);
        req.setArgs(_args());
        return req.encodeCBOR();
    }

    function _prefixPointer(GridIntensityConsumer c) private view returns (address) {
        return address(uint160(uint256(VM.load(address(c), PREFIX_SLOT))));
    }

    function _assertBytesEq(
        bytes memory actual,
        bytes memory expected,
        string memory what
    ) private pure {
        assertEq(actual.length, expected.length, what);
        assertEq(keccak256(actual), keccak256(expected), what);
    }

    // --- DataContract ---

    function test_dataContract_readsBackEachSize() public {
        uint256[7] memory sizes = [uint256(0), 1, 31, 32, 33, 6_514, DataContract.MAX_DATA_LENGTH];
        for (uint256 i = 0; i < sizes.length; ++i) {
            bytes memory data = bytes(_text(sizes[i]));
            address pointer = harness.write(data);
            _assertBytesEq(harness.read(pointer), data, "read back");
            assertEq(pointer.code.length, data.length + 1, "code = STOP + data");
            assertEq(uint8(pointer.code[0]), 0, "first byte STOP");
        }
    }

    function testFuzz_dataContract_readsBackAnyBytes(bytes calldata data) public {
        _assertBytesEq(harness.read(harness.write(data)), data, "read back");
    }

    function test_dataContract_tooLargeReverts() public {
        uint256 length = DataContract.MAX_DATA_LENGTH + 1;
        bytes memory data = new bytes(length);
        VM.expectRevert(
            abi.encodeWithSelector(DataContract.DataContract_TooLarge.selector, length)
        );
        harness.write(data);
    }

    function test_dataContract_readWithoutCodeReverts() public {
        address nothing = address(0xDEAD);
        VM.expectRevert(abi.encodeWithSelector(DataContract.DataContract_NoData.selector, nothing));
        harness.read(nothing);
    }

    // --- InlineRequestCbor ---

    function testFuzz_prefixThenSuffix_equalsEncodeCbor(
        string calldata source,
        string[] calldata args,
        uint8 location,
        bytes calldata secrets,
        bytes[] calldata bytesArgs
    ) public pure {
        VM.assume(bytes(source).length > 0);
        FunctionsRequest.Request memory req;
        req.initializeRequestForInlineJavaScript(source);
        req.args = args;
        req.bytesArgs = bytesArgs;
        // Inline secrets are refused by both encoders alike; the two others are what the consumer sends.
        req.secretsLocation =
            location % 2 == 0
                ? FunctionsRequest.Location.Remote
                : FunctionsRequest.Location.DONHosted;
        req.encryptedSecretsReference = secrets;
        bytes memory joined = bytes.concat(
            InlineRequestCbor.encodePrefix(source),
            InlineRequestCbor.encodeAfterSource(req)
        );
        _assertBytesEq(joined, req.encodeCBOR(), "prefix ++ suffix = encodeCBOR");
    }

    function test_sourceHashOf_findsTheSourceForEachHeaderSize() public pure {
        // CBOR string headers: 1 byte below 24, 2 up to 255, 3 up to 65,535, 5 beyond.
        uint256[8] memory sizes = [uint256(1), 23, 24, 255, 256, 6_514, 65_535, 65_536];
        for (uint256 i = 0; i < sizes.length; ++i) {
            string memory source = _text(sizes[i]);
            bytes memory prefix = InlineRequestCbor.encodePrefix(source);
            (uint256 start, uint256 length) = InlineRequestCbor.sourceRangeOf(prefix);
            assertEq(length, sizes[i], "length");
            assertEq(start + length, prefix.length, "source ends the prefix");
            assertEq(InlineRequestCbor.sourceHashOf(prefix), keccak256(bytes(source)), "hash");
        }
    }

    // --- GridIntensityConsumer ---

    function test_request_sendsTheReferenceEncodingForEachSourceSize() public {
        uint256[6] memory sizes = [uint256(1), 31, 32, 33, 6_514, MAX_SOURCE];
        for (uint256 i = 0; i < sizes.length; ++i) {
            string memory source = _text(sizes[i]);
            GridIntensityConsumer c = _deployConsumer(source);
            c.requestIntensity(REGION, HOUR, 1);
            _assertBytesEq(router.lastData(), _reference(source), "request data");
            assertEq(
                router.lastDataVersion(),
                FunctionsRequest.REQUEST_DATA_VERSION,
                "data version"
            );
            assertEq(c.sourceHash(), keccak256(bytes(source)), "sourceHash");
            _assertBytesEq(
                DataContract.read(_prefixPointer(c)),
                InlineRequestCbor.encodePrefix(source),
                "stored prefix"
            );
        }
    }

    function testFuzz_request_sendsTheReferenceEncodingOfAnySource(bytes calldata source) public {
        VM.assume(source.length > 0);
        consumer.setSource(string(source));
        consumer.requestIntensity(REGION, HOUR, 1);
        _assertBytesEq(router.lastData(), _reference(string(source)), "request data");
        assertEq(consumer.sourceHash(), keccak256(source), "sourceHash");
    }

    function test_request_carriesTheSecretsReference() public {
        bytes memory urls = hex"c0ffee";
        consumer.setSecretsConfig(
            IGridIntensityConsumer.SecretsConfig({
                location: 1,
                slotId: 0,
                version: 0,
                encryptedSecretsUrls: urls
            })
        );
        consumer.requestIntensity(REGION, HOUR, 1);
        FunctionsRequest.Request memory req;
        req.initializeRequestForInlineJavaScript(_text(100));
        req.setArgs(_args());
        req.addSecretsReference(urls);
        _assertBytesEq(router.lastData(), req.encodeCBOR(), "remote secrets");

        consumer.setSecretsConfig(
            IGridIntensityConsumer.SecretsConfig({
                location: 2,
                slotId: 3,
                version: 1_700_000_000,
                encryptedSecretsUrls: ""
            })
        );
        consumer.requestIntensity(REGION, HOUR - 3600, 1);
        FunctionsRequest.Request memory hosted;
        hosted.initializeRequestForInlineJavaScript(_text(100));
        string[] memory args = _args();
        args[2] = "1767222000";
        hosted.setArgs(args);
        hosted.addDONHostedSecrets(3, 1_700_000_000);
        _assertBytesEq(router.lastData(), hosted.encodeCBOR(), "DON-hosted secrets");
    }

    function test_setSource_replacesTheDataContract() public {
        address before = _prefixPointer(consumer);
        string memory next = _text(33);
        consumer.setSource(next);
        address current = _prefixPointer(consumer);
        assertTrue(current != before, "a new data contract");
        _assertBytesEq(
            DataContract.read(current),
            InlineRequestCbor.encodePrefix(next),
            "new prefix stored"
        );
        assertEq(consumer.sourceHash(), keccak256(bytes(next)), "sourceHash of the new source");
        consumer.requestIntensity(REGION, HOUR, 1);
        _assertBytesEq(router.lastData(), _reference(next), "the request carries the new source");
        // The old data contract is left as it was (code cannot change), merely no longer referenced.
        _assertBytesEq(
            DataContract.read(before),
            InlineRequestCbor.encodePrefix(_text(100)),
            "old data contract untouched"
        );
    }

    function test_setSource_refusesEmptyTooLargeAndStrangers() public {
        address before = _prefixPointer(consumer);
        VM.expectRevert(IGridIntensityConsumer.Intensity_InvalidConfig.selector);
        consumer.setSource("");
        VM.expectRevert(IGridIntensityConsumer.Intensity_InvalidConfig.selector);
        consumer.setSource(_text(MAX_SOURCE + 1));
        VM.prank(address(0xBAD));
        VM.expectRevert(
            abi.encodeWithSelector(
                IGridIntensityConsumer.Intensity_NotAdmin.selector,
                address(0xBAD)
            )
        );
        consumer.setSource("x");
        assertEq(_prefixPointer(consumer), before, "nothing changed");
    }
}
