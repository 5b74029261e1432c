// net-snmp ships no type declarations. This covers only what the gateway's
// SNMP simulator and poller use; widen it here when more of the API is needed.
declare module "net-snmp" {
  export interface Varbind {
    oid: string;
    type: number;
    value: unknown;
  }
  export interface SessionOptions {
    port?: number;
    version?: number;
    timeout?: number;
    retries?: number;
    transport?: "udp4" | "udp6";
  }
  export interface User {
    name: string;
    level: number;
    authProtocol?: number;
    authKey?: string;
    privProtocol?: number;
    privKey?: string;
  }
  export interface Session {
    get(oids: string[], callback: (error: Error | null, varbinds: Varbind[]) => void): void;
    subtree(
      oid: string,
      maxRepetitions: number,
      feed: (varbinds: Varbind[]) => boolean | undefined,
      done: (error: Error | null) => void,
    ): void;
    close(): void;
    on(event: "error", listener: (error: Error) => void): void;
  }
  export interface MibRequest {
    done(error?: { errorStatus: number }): void;
  }
  export interface TableColumn {
    number: number;
    name: string;
    type: number;
    maxAccess: number;
  }
  export interface ProviderDefinition {
    name: string;
    type: number;
    oid: string;
    maxAccess: number;
    tableColumns?: TableColumn[];
    tableIndex?: { columnName: string }[];
    handler?: (request: MibRequest) => void;
  }
  export interface Mib {
    registerProvider(definition: ProviderDefinition): void;
    addTableRow(name: string, row: unknown[]): void;
    setTableSingleCell(
      name: string,
      columnNumber: number,
      rowIndex: unknown[],
      value: unknown,
    ): boolean;
  }
  export interface Authorizer {
    addCommunity(community: string): void;
    addUser(user: User): void;
  }
  export interface Agent {
    getMib(): Mib;
    getAuthorizer(): Authorizer;
    close(callback?: () => void): void;
  }
  export interface AgentOptions {
    port?: number;
    address?: string | null;
    transport?: "udp4" | "udp6";
    disableAuthorization?: boolean;
    engineID?: string;
  }
  export const Version1: number;
  export const Version2c: number;
  export const Version3: number;
  export const ObjectType: Record<
    | "Integer"
    | "OctetString"
    | "Null"
    | "Gauge"
    | "Gauge32"
    | "Counter"
    | "Counter32"
    | "Counter64"
    | "Unsigned32",
    number
  >;
  export const MibProviderType: { Scalar: number; Table: number };
  export const MaxAccess: Record<
    "not-accessible" | "read-only" | "read-write" | "read-create",
    number
  >;
  export const SecurityLevel: { noAuthNoPriv: number; authNoPriv: number; authPriv: number };
  export const AuthProtocols: { md5: number; sha: number; sha256: number };
  export const PrivProtocols: { des: number; aes: number; aes256b: number };
  export function createSession(
    target: string,
    community: string,
    options?: SessionOptions,
  ): Session;
  export function createV3Session(target: string, user: User, options?: SessionOptions): Session;
  export function createAgent(
    options: AgentOptions,
    callback: (error: Error | null, data: unknown) => void,
    mib?: Mib,
  ): Agent;
  export function isVarbindError(varbind: Varbind): boolean;
}
