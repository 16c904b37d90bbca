package io.checkedmqtt.core.collect;

/**
 * A key whose hash code the test chooses, to force full-hash collisions and deep tries.
 * Equality is by {@code id} only; every test derives {@code hash} from {@code id} through one
 * {@link HashShape}, so equal keys always have equal hashes.
 */
final class TestKey {

    /** How a test maps key ids to hash codes. */
    enum HashShape {
        /** Well spread: the common case. */
        SPREAD {
            @Override
            int hash(final int id) {
                return id * 0x9E3779B9;
            }
        },
        /** Only three distinct hashes: nearly everything is a full collision. */
        FEW_HASHES {
            @Override
            int hash(final int id) {
                return id % 3;
            }
        },
        /** Ids differ only in the top bits: every path goes to the last trie levels. */
        HIGH_BITS {
            @Override
            int hash(final int id) {
                return Integer.reverse(id);
            }
        },
        /** Deep paths plus collision nodes that share them. */
        MIXED {
            @Override
            int hash(final int id) {
                return id % 4 == 0 ? 0x7FFF_FFFF : Integer.reverse(id % 37) | 0x0000_ABCD;
            }
        };

        abstract int hash(int id);
    }

    private final int id;
    private final int hash;

    TestKey(final int id, final HashShape shape) {
        this.id = id;
        this.hash = shape.hash(id);
    }

    int id() {
        return id;
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof TestKey that && that.id == id;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "k" + id + "#" + Integer.toHexString(hash);
    }
}
