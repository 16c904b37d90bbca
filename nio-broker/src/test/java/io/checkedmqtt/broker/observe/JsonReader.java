package io.checkedmqtt.broker.observe;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON (RFC 8259) into maps, lists, strings, longs or doubles, booleans and null, for the
 * tests that check the API's answers and speak the DevTools protocol. Strict: anything else
 * throws. Nesting is kept on an explicit stack, so depth costs no thread stack.
 */
final class JsonReader {

    private final String text;
    private int at;

    private JsonReader(String text) {
        this.text = text;
    }

    static Object parse(String text) {
        JsonReader reader = new JsonReader(text);
        Object value = reader.document();
        reader.space();
        if (reader.at != text.length()) {
            throw reader.error("text after the value");
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(String text) {
        return (Map<String, Object>) parse(text);
    }

    /** The value at a path of member names and list indexes: {@code at(json, "clients", 0, "id")}. */
    @SuppressWarnings("unchecked")
    static Object at(Object json, Object... path) {
        Object value = json;
        for (Object step : path) {
            value = step instanceof Integer i ? ((List<Object>) value).get(i) : ((Map<String, Object>) value).get(step);
        }
        return value;
    }

    /** An open object (with the member name awaiting its value) or list. */
    private record Open(Object container, String[] pendingName) {
    }

    @SuppressWarnings("unchecked")
    private Object document() {
        Deque<Open> stack = new ArrayDeque<>();
        while (true) {
            space();
            Object value;
            char c = peek();
            if (c == '{' || c == '[') {
                at++;
                Object container = c == '{' ? new LinkedHashMap<String, Object>() : new ArrayList<>();
                stack.push(new Open(container, new String[1]));
                space();
                if (peek() == (c == '{' ? '}' : ']')) {
                    at++;
                    stack.pop();
                    value = container;
                } else {
                    if (c == '{') {
                        stack.peek().pendingName()[0] = name();
                    }
                    continue;
                }
            } else {
                value = scalar();
            }
            while (true) {   // hand the value to its container, closing those that end here
                if (stack.isEmpty()) {
                    return value;
                }
                Open open = stack.peek();
                if (open.container() instanceof Map) {
                    ((Map<String, Object>) open.container()).put(open.pendingName()[0], value);
                } else {
                    ((List<Object>) open.container()).add(value);
                }
                space();
                char next = next();
                if (next == ',') {
                    if (open.container() instanceof Map) {
                        space();
                        open.pendingName()[0] = name();
                    }
                    break;
                }
                if (next != (open.container() instanceof Map ? '}' : ']')) {
                    throw error("expected , or the end of the container");
                }
                stack.pop();
                value = open.container();
            }
        }
    }

    private String name() {
        String name = string();
        space();
        if (next() != ':') {
            throw error("expected :");
        }
        return name;
    }

    private Object scalar() {
        char c = peek();
        if (c == '"') {
            return string();
        }
        for (String word : new String[] {"true", "false", "null"}) {
            if (text.startsWith(word, at)) {
                at += word.length();
                return word.equals("null") ? null : Boolean.valueOf(word);
            }
        }
        int start = at;
        while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
        String number = text.substring(start, at);
        if (number.isEmpty()) {
            throw error("unexpected character");
        }
        return number.matches("-?[0-9]+") ? (Object) Long.parseLong(number) : (Object) Double.parseDouble(number);
    }

    private String string() {
        if (next() != '"') {
            throw error("expected a string");
        }
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw error("a control character in a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    at += 4;
                }
                default -> throw error("bad escape");
            }
        }
    }

    private void space() {
        while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
    }

    private char peek() {
        if (at >= text.length()) {
            throw error("unexpected end");
        }
        return text.charAt(at);
    }

    private char next() {
        char c = peek();
        at++;
        return c;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at " + at + " in " + text.substring(0, Math.min(text.length(), 300)));
    }
}
