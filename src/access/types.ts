export const roles = ['viewer', 'operator', 'approver', 'admin'] as const;
export type Role = (typeof roles)[number];

export function roleAtLeast(held: Role, required: Role): boolean {
  return roles.indexOf(held) >= roles.indexOf(required);
}

/** Who is calling: derived from a token; its `actor` is written into every ledger event they cause. */
export interface Principal {
  readonly tokenId: string;
  readonly name: string;
  readonly role: Role;
  /** `token:<name>` */
  readonly actor: string;
}

export interface TokenRecord {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly expiresAt?: string;
  readonly revokedAt?: string;
  readonly lastUsedAt?: string;
}

export interface TokenService {
  /** returns the secret once; only its hash is stored */
  create(input: { name: string; role: Role; createdBy: string; expiresAt?: Date }): Promise<{ token: string; record: TokenRecord }>;
  authenticate(secret: string): Promise<Principal | undefined>;
  list(): Promise<TokenRecord[]>;
  revoke(id: string, by: string): Promise<void>;
}
