package io.checkedmqtt.core.effect;

/**
 * Names one network connection. The shell allocates these (a counter is enough) and passes them
 * in; the core never creates one. A client's session outlives its connections; a connection id
 * is never reused while the broker runs.
 */
public record ConnectionId(long value) {

    // Written out rather than left to the record's generated methods: every map of the shell and
    // the core is keyed by connection, and the generated ones go through a method-handle bootstrap
    // at first use (start-up) and through method handles that C1 code does not inline.
    @Override
    public boolean equals(Object other) {
        return other instanceof ConnectionId that && that.value == value;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value);
    }

    @Override
    public String toString() {
        return "conn-" + value;
    }
}
