package io.checkedmqtt.core.effect;

/**
 * Names one network connection. The shell allocates these (a counter is enough) and passes them
 * in; the core never creates one. A client's session outlives its connections; a connection id
 * is never reused while the broker runs.
 */
public record ConnectionId(long value) {

    @Override
    public String toString() {
        return "conn-" + value;
    }
}
