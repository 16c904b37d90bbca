package io.checkedmqtt.core.collect;

import java.util.Iterator;
import java.util.function.Function;

/** An iterator that hands out {@code map(x)} for every {@code x} of another one. */
final class MappingIterator<A, B> implements Iterator<B> {

    private final Iterator<? extends A> source;
    private final Function<? super A, ? extends B> map;

    MappingIterator(final Iterator<? extends A> source, final Function<? super A, ? extends B> map) {
        this.source = source;
        this.map = map;
    }

    @Override
    public boolean hasNext() {
        return source.hasNext();
    }

    @Override
    public B next() {
        return map.apply(source.next());
    }
}
