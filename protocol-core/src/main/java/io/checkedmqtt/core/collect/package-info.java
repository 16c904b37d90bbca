/**
 * The persistent (immutable, structurally shared) map the pure protocol core is built from.
 *
 * <p>The broker state is one immutable value that every transition maps to the next, and it
 * holds up to 100,000 sessions and connections that change once per packet. Copying a
 * {@code java.util.HashMap} per packet would cost O(n); {@link
 * io.checkedmqtt.core.collect.PersistentMap}, a CHAMP hash trie (compressed hash array mapped
 * prefix tree, Steindorfer and Vinju, OOPSLA 2015), shares every untouched part between the old
 * and the new version, so an update costs O(log32 n). (A session's queue and in-flight window
 * are small structures of their own in {@code core.session}.)
 *
 * <p><b>Immutability invariant.</b> Every class here is final and has only final fields. Some
 * hold arrays (trie nodes); an array is filled while its node is being built, inside the
 * node's constructor or the one static factory that builds it, and is never written after the
 * node has been published. Every update copies the arrays on its path (path copying) and leaves
 * the old ones alone, so any version a caller holds stays valid forever and can be shared
 * freely, also across threads. That is why the {@code EMPTY} singletons held in
 * {@code private static final} fields are not mutable static state.
 *
 * <p>The only mutable objects are the iterators this package hands out: an {@link
 * java.util.Iterator} is a cursor by contract. Their cursor state lives in final arrays, is
 * private to one iteration, and never leaks into a collection.
 *
 * <p>Null keys and values are rejected with {@link java.lang.NullPointerException}:
 * {@code get} returns null to mean "absent".
 */
package io.checkedmqtt.core.collect;
