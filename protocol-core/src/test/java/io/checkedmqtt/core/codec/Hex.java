package io.checkedmqtt.core.codec;

import java.util.HexFormat;

/** Byte strings written the way the spec's figures print them: "32 09 00 03 61 2F 62". */
public final class Hex {

    private Hex() {
    }

    public static byte[] bytes(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", ""));
    }

    public static String of(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").withUpperCase().formatHex(bytes);
    }
}
