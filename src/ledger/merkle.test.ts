import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  Frontier,
  decomposeRange,
  emptyTreeHash,
  foldRange,
  hashChildren,
  hashLeaf,
  nodeKey,
  planConsistency,
  planInclusion,
  refsOf,
  resolvePlans,
  splitPoint,
  verifyConsistency,
  verifyInclusion,
  type Hash,
  type NodeRef,
} from './merkle.ts';

/** The RFC 6962 definition, written as literally as possible: the reference the fast code must match. */
function referenceRoot(leaves: readonly Hash[]): Hash {
  if (leaves.length === 0) return emptyTreeHash;
  if (leaves.length === 1) return leaves[0] as Hash;
  const k = splitPoint(leaves.length);
  return hashChildren(referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

function leavesOf(count: number): Hash[] {
  return Array.from({ length: count }, (_, i) => hashLeaf(Buffer.from(`event-${i}`)));
}

/** Computes any subtree from the leaves: what the store does for low levels. */
function subtreeMap(leaves: readonly Hash[], refs: readonly NodeRef[]): Map<string, Hash> {
  const map = new Map<string, Hash>();
  for (const ref of refs) {
    const start = ref.index * 2 ** ref.level;
    map.set(nodeKey(ref), referenceRoot(leaves.slice(start, start + 2 ** ref.level)));
  }
  return map;
}

// RFC 6962 test inputs used by the Certificate Transparency implementations.
const rfcInputs = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(
  (hex) => Buffer.from(hex, 'hex'),
);
const rfcRoots: Record<number, string> = {
  1: '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  2: 'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  3: 'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  4: 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  5: '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  6: '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  7: 'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  8: '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
};

describe('RFC 6962 hashing', () => {
  it.each(Object.entries(rfcRoots))('root of the first %s test leaves matches the published vector', (size, root) => {
    const frontier = new Frontier();
    for (const input of rfcInputs.slice(0, Number(size))) frontier.push(hashLeaf(input));
    expect(frontier.root().toString('hex')).toBe(root);
  });

  it('the empty tree hashes to SHA-256 of nothing', () => {
    expect(new Frontier().root().toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('decomposeRange', () => {
  it.each([
    [0, 1, [{ level: 0, index: 0 }]],
    [0, 7, [{ level: 2, index: 0 }, { level: 1, index: 2 }, { level: 0, index: 6 }]],
    [8, 13, [{ level: 2, index: 2 }, { level: 0, index: 12 }]],
    [4, 6, [{ level: 1, index: 2 }]],
  ])('[%i, %i) splits into aligned subtrees', (start, end, refs) => {
    expect(decomposeRange(start, end)).toEqual(refs);
  });
});

describe('Frontier', () => {
  it('matches the reference root and reports every closed subtree', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), (count) => {
        const leaves = leavesOf(count);
        const frontier = new Frontier();
        const closed = new Map<string, Hash>();
        for (const leaf of leaves) frontier.push(leaf, (ref, hash) => closed.set(nodeKey(ref), hash));
        expect(frontier.root().equals(referenceRoot(leaves))).toBe(true);
        for (const [key, hash] of closed) {
          const [level, index] = key.split(':').map(Number) as [number, number];
          expect(hash.equals(subtreeMap(leaves, [{ level, index }]).get(key) as Hash)).toBe(true);
        }
        const reloaded = Frontier.decode(frontier.size, frontier.encode());
        expect(reloaded.root().equals(frontier.root())).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('rejects a frontier whose hash count does not fit its size', () => {
    expect(() => new Frontier(3, [emptyTreeHash])).toThrow(/needs 2 hashes/);
  });
});

describe('inclusion proofs', () => {
  it('verify for every leaf of many tree sizes, and fail for a wrong leaf or root', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }).chain((size) => fc.tuple(fc.constant(size), fc.integer({ min: 0, max: size - 1 }))),
        ([size, index]) => {
          const leaves = leavesOf(size);
          const plans = planInclusion(index, size);
          const proof = resolvePlans(plans, subtreeMap(leaves, refsOf(plans)));
          const root = referenceRoot(leaves);
          verifyInclusion(index, size, leaves[index] as Hash, proof, root);
          expect(() => verifyInclusion(index, size, hashLeaf(Buffer.from('forged')), proof, root)).toThrow();
          expect(() => verifyInclusion(index, size, leaves[index] as Hash, proof, emptyTreeHash)).toThrow();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('has the RFC path length for a balanced tree', () => {
    expect(planInclusion(5, 8)).toHaveLength(3);
    expect(planInclusion(0, 1)).toHaveLength(0);
  });
});

describe('consistency proofs', () => {
  it('verify between any two sizes and fail against a different old root', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }).chain((size) => fc.tuple(fc.integer({ min: 1, max: size }), fc.constant(size))),
        ([oldSize, newSize]) => {
          const leaves = leavesOf(newSize);
          const plans = planConsistency(oldSize, newSize);
          const proof = resolvePlans(plans, subtreeMap(leaves, refsOf(plans)));
          const oldRoot = referenceRoot(leaves.slice(0, oldSize));
          const newRoot = referenceRoot(leaves);
          verifyConsistency(oldSize, newSize, oldRoot, newRoot, proof);
          if (oldSize < newSize) {
            const forgedOld = referenceRoot([...leaves.slice(0, oldSize - 1), hashLeaf(Buffer.from('x'))]);
            expect(() => verifyConsistency(oldSize, newSize, forgedOld, newRoot, proof)).toThrow();
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('folds to the empty hash for an empty range', () => {
    expect(foldRange([]).equals(emptyTreeHash)).toBe(true);
  });
});
