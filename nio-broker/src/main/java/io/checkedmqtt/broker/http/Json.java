package io.checkedmqtt.broker.http;

/**
 * Writes JSON (RFC 8259) into a string, in order: {@code new Json().object().field("a", 1).end()}.
 * Commas are placed by the writer; strings are escaped, control characters and lone surrogates
 * included, so any client identifier or topic a client sent comes out as valid JSON.
 */
public final class Json {

    private final StringBuilder out;
    /** Whether the value being written is the first in its object or array (bit per nesting level). */
    private long first;
    private int depth;

    public Json() {
        this(new StringBuilder(256));
    }

    public Json(StringBuilder out) {
        this.out = out;
    }

    public Json object() {
        separate();
        out.append('{');
        open();
        return this;
    }

    public Json array() {
        separate();
        out.append('[');
        open();
        return this;
    }

    /** Ends the innermost object or array. */
    public Json end() {
        depth--;
        char opener = openerAt();
        out.append(opener == '{' ? '}' : ']');
        return this;
    }

    /** Starts a member: {@code "name":}; the next call writes its value. */
    public Json name(String name) {
        separate();
        string(name);
        out.append(':');
        first |= 1L << depth;   // the value that follows needs no comma
        return this;
    }

    public Json field(String name, String value) {
        return name(name).value(value);
    }

    public Json field(String name, long value) {
        return name(name).value(value);
    }

    public Json field(String name, boolean value) {
        return name(name).value(value);
    }

    public Json field(String name, double value) {
        return name(name).value(value);
    }

    public Json value(String value) {
        separate();
        if (value == null) {
            out.append("null");
        } else {
            string(value);
        }
        return this;
    }

    public Json value(long value) {
        separate();
        out.append(value);
        return this;
    }

    public Json value(boolean value) {
        separate();
        out.append(value);
        return this;
    }

    /** A number; NaN and infinities, which JSON cannot hold, as null. */
    public Json value(double value) {
        separate();
        out.append(Double.isFinite(value) ? String.valueOf(value) : "null");
        return this;
    }

    /** Bytes written so far (for a streamed body that flushes in pieces). */
    public int length() {
        return out.length();
    }

    /** Hands out what has been written and starts over with an empty buffer, keeping the nesting. */
    public String take() {
        String text = out.toString();
        out.setLength(0);
        return text;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private char openerAt() {
        return ((opened >>> depth) & 1L) == 1L ? '{' : '[';
    }

    /** Bit per nesting level: 1 for an object, 0 for an array. */
    private long opened;

    private void open() {
        char c = out.charAt(out.length() - 1);
        if (c == '{') {
            opened |= 1L << depth;
        } else {
            opened &= ~(1L << depth);
        }
        depth++;
        first |= 1L << depth;
    }

    private void separate() {
        if ((first & (1L << depth)) != 0) {
            first &= ~(1L << depth);
        } else if (depth > 0) {
            out.append(',');
        }
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    boolean loneSurrogate = Character.isSurrogate(c) && !(Character.isHighSurrogate(c)
                            && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)));
                    if (c < 0x20 || c == 0x7F || c == '<' || loneSurrogate) {
                        // '<' escaped too, so "</script>" in a topic cannot end a script block
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                        if (Character.isHighSurrogate(c)) {
                            out.append(s.charAt(++i));
                        }
                    }
                }
            }
        }
        out.append('"');
    }
}
