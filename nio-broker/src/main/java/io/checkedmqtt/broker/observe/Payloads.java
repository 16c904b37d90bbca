package io.checkedmqtt.broker.observe;

import io.checkedmqtt.broker.http.Json;
import io.checkedmqtt.core.broker.BrokerView;
import io.checkedmqtt.core.packet.Publish;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/** A message as JSON: topic, QoS, flags, and its payload as text when it is UTF-8, else base64, cut at a bound. */
final class Payloads {

    /** Payload bytes shown per message. */
    static final int SHOWN = 1024;

    private Payloads() {
    }

    static void message(Json json, BrokerView.Message m, BrokerAccess access) {
        Publish p = m.publish();
        json.object().field("topic", p.topic()).field("qos", p.qos().value());
        if (p.packetId() != 0) {
            json.field("packetId", p.packetId());
        }
        json.field("retain", p.retain()).field("stage", m.stage())
                .field("at", Times.iso(access.epochMillis(m.atMillis())));
        payload(json, p.payload());
        json.end();
    }

    /** {@code payloadBytes}, then {@code payload} (UTF-8 text) or {@code payloadBase64}, and {@code truncated}. */
    static void payload(Json json, byte[] payload) {
        byte[] shown = payload.length <= SHOWN ? payload : Arrays.copyOf(payload, SHOWN);
        json.field("payloadBytes", payload.length);
        String text = utf8(shown, payload.length > SHOWN);
        if (text != null) {
            json.field("payload", text);
        } else {
            json.field("payloadBase64", Base64.getEncoder().encodeToString(shown));
        }
        json.field("truncated", payload.length > SHOWN);
    }

    /** The bytes as text when they are UTF-8 (a cut may split the last character, which is then left off); else null. */
    private static String utf8(byte[] bytes, boolean cut) {
        int end = bytes.length;
        for (int tries = 0; tries < (cut ? 4 : 1) && end >= 0; tries++, end--) {
            try {
                return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, 0, end)).toString();
            } catch (CharacterCodingException e) {
                // try one byte shorter: a multi-byte character may have been cut
            }
        }
        return null;
    }
}
