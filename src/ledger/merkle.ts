import { createHash, hash as sha } from 'node:crypto';

/**
 * RFC 6962 / RFC 9162 Merkle tree hashing over an append-only log.
 *
 * Nodes are addressed as complete, aligned subtrees: `{ level, index }` covers leaves
 * [index * 2^level, (index + 1) * 2^level). Every range the RFC's recursive definitions touch is a
 * right-fold of such subtrees, so proofs are *planned* as lists of subtree coordinates and the
 * caller fetches them in one round trip (from stored nodes, or from leaves for the low levels).
 */
export type Hash = Buffer;

export interface NodeRef {
  readonly level: number;
  readonly index: number;
}


export const emptyTreeHash: Hash = createHash('sha256').digest();

// one-shot hashing of one buffer costs about two thirds of an incremental hash object; the 0x00
// prefix and the bytes are copied into a reused buffer rather than a new one per leaf
let leafInput = Buffer.alloc(4096);

export function hashLeaf(bytes: Uint8Array): Hash {
  return hashLeafAt(bytes, 0, bytes.length);
}

/** The leaf hash of bytes[start, end), without a view object per leaf (verification walks big buffers). */
export function hashLeafAt(bytes: Uint8Array, start: number, end: number): Hash {
  const length = end - start;
  if (length + 1 > leafInput.length) leafInput = Buffer.alloc(2 ** Math.ceil(Math.log2(length + 1)));
  leafInput[0] = 0x00;
  leafInput.set(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end), 1);
  return sha('sha256', leafInput.subarray(0, length + 1), 'buffer');
}

const nodeInput = Buffer.alloc(65, 0x01);

export function hashChildren(left: Uint8Array, right: Uint8Array): Hash {
  nodeInput.set(left, 1);
  nodeInput.set(right, 33);
  return sha('sha256', nodeInput, 'buffer');
}

/** The largest power of two strictly smaller than n (n >= 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function nodeKey(ref: NodeRef): string {
  return `${ref.level}:${ref.index}`;
}

/** The aligned complete subtrees that make up leaves [start, end), left to right. */
export function decomposeRange(start: number, end: number): NodeRef[] {
  const refs: NodeRef[] = [];
  let at = start;
  let remaining = end - start;
  while (remaining > 0) {
    let level = Math.floor(Math.log2(remaining));
    // the RFC's recursion only produces ranges aligned to their leading power of two
    while (level > 0 && at % 2 ** level !== 0) level -= 1;
    refs.push({ level, index: at / 2 ** level });
    at += 2 ** level;
    remaining -= 2 ** level;
  }
  return refs;
}

/** RFC 6962 MTH of a range, folding its subtrees from the right. */
export function foldRange(hashes: readonly Hash[]): Hash {
  if (hashes.length === 0) return emptyTreeHash;
  let acc = hashes[hashes.length - 1] as Hash;
  for (let i = hashes.length - 2; i >= 0; i -= 1) acc = hashChildren(hashes[i] as Hash, acc);
  return acc;
}

/** A proof element: the hash of one range, built from these subtrees. */
export type PlannedHash = readonly NodeRef[];

/** RFC 9162 2.1.3.1 PATH(m, D[0:n]), bottom-up, as ranges to hash. */
export function planInclusion(leafIndex: number, treeSize: number): PlannedHash[] {
  if (leafIndex < 0 || leafIndex >= treeSize) throw new RangeError(`leaf ${leafIndex} is outside a tree of ${treeSize}`);
  const path: PlannedHash[] = [];
  let start = 0;
  let end = treeSize;
  const levels: Array<[number, number]> = [];
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (leafIndex - start < k) {
      levels.push([start + k, end]);
      end = start + k;
    } else {
      levels.push([start, start + k]);
      start += k;
    }
  }
  for (let i = levels.length - 1; i >= 0; i -= 1) {
    const [a, b] = levels[i] as [number, number];
    path.push(decomposeRange(a, b));
  }
  return path;
}

/** RFC 9162 2.1.4.1 PROOF(m, D[0:n]), as ranges to hash. */
export function planConsistency(oldSize: number, newSize: number): PlannedHash[] {
  if (oldSize < 0 || oldSize > newSize) throw new RangeError(`cannot prove ${oldSize} -> ${newSize}`);
  if (oldSize === 0 || oldSize === newSize) return [];
  const reversed: PlannedHash[] = [];
  let m = oldSize;
  let start = 0;
  let end = newSize;
  let wholeOldTree = true;
  for (;;) {
    if (m === end - start) {
      if (!wholeOldTree) reversed.push(decomposeRange(start, end));
      break;
    }
    const k = splitPoint(end - start);
    if (m <= k) {
      reversed.push(decomposeRange(start + k, end));
      end = start + k;
    } else {
      reversed.push(decomposeRange(start, start + k));
      m -= k;
      start += k;
      wholeOldTree = false;
    }
  }
  return reversed.reverse();
}

/** Every distinct subtree a set of plans needs. */
export function refsOf(plans: readonly PlannedHash[]): NodeRef[] {
  const seen = new Map<string, NodeRef>();
  for (const plan of plans) for (const ref of plan) seen.set(nodeKey(ref), ref);
  return [...seen.values()];
}

export function resolvePlans(plans: readonly PlannedHash[], nodes: ReadonlyMap<string, Hash>): Hash[] {
  return plans.map((plan) =>
    foldRange(
      plan.map((ref) => {
        const hash = nodes.get(nodeKey(ref));
        if (!hash) throw new Error(`missing subtree ${nodeKey(ref)}`);
        return hash;
      }),
    ),
  );
}

/**
 * The right edge of the tree: the complete subtrees of a tree of `size` leaves, largest first
 * (one per set bit of `size`). Appending a leaf updates it in O(log n), and its fold is the root.
 */
export class Frontier {
  private readonly subtrees: Hash[];
  private count: number;

  constructor(size = 0, hashes: readonly Hash[] = []) {
    if (hashes.length !== popcount(size)) throw new Error(`frontier of size ${size} needs ${popcount(size)} hashes`);
    this.count = size;
    this.subtrees = [...hashes];
  }

  static decode(size: number, bytes: Uint8Array): Frontier {
    const hashes: Hash[] = [];
    for (let at = 0; at < bytes.length; at += 32) hashes.push(Buffer.from(bytes.subarray(at, at + 32)));
    return new Frontier(size, hashes);
  }

  get size(): number {
    return this.count;
  }

  encode(): Buffer {
    return Buffer.concat(this.subtrees);
  }

  /** the complete subtrees, largest first */
  hashes(): Hash[] {
    return [...this.subtrees];
  }

  root(): Hash {
    return foldRange(this.subtrees);
  }

  /** Appends one leaf hash; calls `onNode` for every complete subtree it closes (level >= 1). */
  push(leaf: Hash, onNode?: (ref: NodeRef, hash: Hash) => void): void {
    let hash = leaf;
    let level = 0;
    const leafIndex = this.count;
    this.count += 1;
    while (Math.floor(leafIndex / 2 ** level) % 2 === 1) {
      const left = this.subtrees.pop() as Hash;
      hash = hashChildren(left, hash);
      level += 1;
      onNode?.({ level, index: Math.floor(leafIndex / 2 ** level) }, hash);
    }
    this.subtrees.push(hash);
  }
}

export function popcount(n: number): number {
  let bits = 0;
  let rest = n;
  while (rest > 0) {
    bits += rest % 2;
    rest = Math.floor(rest / 2);
  }
  return bits;
}

/** RFC 9162 2.1.3.2: verifies an inclusion proof and returns nothing, or throws why it fails. */
export function verifyInclusion(leafIndex: number, treeSize: number, leaf: Hash, proof: readonly Hash[], root: Hash): void {
  if (leafIndex >= treeSize) throw new Error(`leaf index ${leafIndex} is not below tree size ${treeSize}`);
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) throw new Error('proof is longer than the tree is deep');
    if (fn % 2 === 1 || fn === sn) {
      r = hashChildren(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new Error('proof is shorter than the tree is deep');
  if (!r.equals(root)) throw new Error('computed root does not match the checkpoint root');
}

/** RFC 9162 2.1.4.2: verifies a consistency proof between two roots, or throws why it fails. */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Hash,
  newRoot: Hash,
  proof: readonly Hash[],
): void {
  if (oldSize > newSize) throw new Error('old tree is larger than the new tree');
  if (oldSize === newSize) {
    if (proof.length !== 0) throw new Error('equal sizes need an empty proof');
    if (!oldRoot.equals(newRoot)) throw new Error('same size, different roots');
    return;
  }
  if (oldSize === 0) {
    if (proof.length !== 0) throw new Error('a proof from the empty tree must be empty');
    return;
  }
  if (proof.length === 0) throw new Error('proof is empty');
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0] as Hash;
  let sr = path[0] as Hash;
  for (const c of path.slice(1)) {
    if (sn === 0) throw new Error('proof is longer than expected');
    if (fn % 2 === 1 || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new Error('proof is shorter than expected');
  if (!fr.equals(oldRoot)) throw new Error('proof does not lead to the old root');
  if (!sr.equals(newRoot)) throw new Error('proof does not lead to the new root');
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}
