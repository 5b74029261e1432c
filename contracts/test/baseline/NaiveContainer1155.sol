// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";

/// @title NaiveContainer1155
/// @notice Gas baseline only, never deployed: the plain way to put a container on chain, one ERC-1155 mint
/// per container storing its Merkle root and its CID as a string, with no signature or role checks.
contract NaiveContainer1155 is ERC1155 {
    struct Record {
        bytes32 merkleRoot;
        string cid;
    }

    uint256 private _nextId = 1;
    mapping(uint256 id => Record) private _records;

    /// @notice A container was stored.
    event Stored(uint256 indexed id, bytes32 merkleRoot, string cid);

    constructor() ERC1155("") {}

    /// @notice Stores a root and CID and mints token `id` to the caller.
    function store(bytes32 merkleRoot, string calldata cid) external returns (uint256 id) {
        id = _nextId;
        ++_nextId;
        _records[id] = Record({merkleRoot: merkleRoot, cid: cid});
        emit Stored(id, merkleRoot, cid);
        _mint(msg.sender, id, 1, "");
    }

    /// @notice The stored record of `id`.
    function record(uint256 id) external view returns (Record memory) {
        return _records[id];
    }
}
