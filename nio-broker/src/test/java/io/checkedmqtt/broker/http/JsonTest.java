package io.checkedmqtt.broker.http;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link Json}: commas, nesting, and escapes for anything a client may put in an identifier or topic. */
class JsonTest {

    @Test
    @DisplayName("objects and arrays nest, with commas only between values")
    void nesting() {
        String json = new Json().object().field("a", 1).name("b").array().value("x").object().end().array().end()
                .value(true).end().field("c", (String) null).name("d").object().field("e", 2.5).end().end().toString();
        assertEquals("{\"a\":1,\"b\":[\"x\",{},[],true],\"c\":null,\"d\":{\"e\":2.5}}", json);
    }

    @Test
    @DisplayName("strings: quotes, backslashes, control characters, '<', lone surrogates escaped; pairs kept")
    void escapes() {
        String text = "q\"b\\n\nt\tc\u0001d\u007f<e\ud800f\ud83d\ude00";
        assertEquals("\"q\\\"b\\\\n\\nt\\tc\\u0001d\\u007f\\u003ce\\ud800f\ud83d\ude00\"", new Json().value(text).toString());
    }

    @Test
    @DisplayName("take() hands out what is written and keeps the nesting, for a body written in pieces")
    void pieces() {
        Json json = new Json().object().name("rows").array().value(1);
        String first = json.take();
        json.value(2).end().end();
        assertEquals("{\"rows\":[1,2]}", first + json.take());
    }

    @Test
    @DisplayName("NaN and infinities, which JSON has not, are null")
    void numbers() {
        assertEquals("[null,null,1.5]", new Json().array().value(Double.NaN).value(Double.POSITIVE_INFINITY).value(1.5).end()
                .toString());
    }
}
