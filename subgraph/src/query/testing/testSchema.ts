/**
 * A small schema that has one of each field shape the query layer handles:
 * every scalar, an enum, scalar lists, single and list references, derived
 * lists and a derived single field.
 */
export const TEST_SCHEMA = /* GraphQL */ `
  enum Kind {
    grid
    solar
  }

  "A site."
  type Site @entity(immutable: false) {
    id: ID!
    name: String!
    owner: Bytes!
    kind: Kind!
    tags: [String!]!
    machines: [Machine!]! @derivedFrom(field: "site")
    containers: [Container!]! @derivedFrom(field: "site")
    manager: Manager @derivedFrom(field: "site")
  }

  type Manager @entity(immutable: false) {
    id: ID!
    site: Site!
    name: String!
  }

  type Machine @entity(immutable: false) {
    id: ID!
    site: Site!
    name: String!
    ratedKilowatts: BigDecimal
  }

  type Container @entity(immutable: false) {
    id: ID!
    site: Site!
    machines: [Machine!]!
    energy: BigInt!
    readingCount: Int!
    current: Boolean!
    note: String
    root: Bytes!
    sequence: Int8!
    supersedes: Container
  }
`;
