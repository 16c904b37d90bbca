package io.checkedmqtt.core.auth;

import io.checkedmqtt.core.packet.Auth;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Property;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ReasonCode;

/**
 * 5.0 enhanced authentication (section 4.12) in MQTT terms: which AUTH or CONNACK properties go
 * back, and when the exchange has failed. The SASL work is {@link ScramServer}'s; the broker
 * decides what to do with each {@link Outcome} (hold the CONNECT, send the packet, close).
 *
 * <pre>
 *   CONNECT  method M, data client-first          -> begin:   AUTH 0x18 (M, server-first)
 *   AUTH 0x18 (M, client-final)                   -> proceed: CONNACK 0x00 (M, server-final)
 *   AUTH 0x19 (M, client-first), later            -> begin:   AUTH 0x18 (M, server-first)
 *   AUTH 0x18 (M, client-final)                   -> proceed: AUTH 0x00 (M, server-final)
 * </pre>
 * Every AUTH and the successful CONNACK repeat the method [MQTT-4.12.0-5]; a wrong proof, a
 * method that is not offered or that changes, and an out-of-place AUTH each end the exchange
 * with a reason code, after which the broker closes the connection [MQTT-4.12.0-4]
 * [MQTT-4.12.1-2].
 */
public final class EnhancedAuth {

    private EnhancedAuth() {
    }

    /** An exchange waiting for the client's next AUTH 0x18. */
    public record InProgress(String method, ScramServer.Pending pending) {
    }

    /** What the server answers to one step of the exchange. */
    public sealed interface Outcome {

        /** Send AUTH 0x18 Continue authentication with these properties [MQTT-4.12.0-2]. */
        record Challenge(Properties properties, InProgress next) implements Outcome {
        }

        /** The client is who it says: these properties go on the CONNACK 0x00 or AUTH 0x00. */
        record Authenticated(Properties properties, String username) implements Outcome {
        }

        /** The exchange failed: CONNACK or DISCONNECT with {@code reason}, then close. */
        record Refused(ReasonCode reason, String detail) implements Outcome {
        }
    }

    /**
     * The client opens an exchange: a CONNECT with an Authentication Method, or an AUTH 0x19
     * Re-authenticate. {@code serverNonce} is fresh randomness from the shell.
     */
    public static Outcome begin(Authorizer authorizer, String method, byte[] data, String serverNonce) {
        if (!authorizer.offers(method)) {
            // [MQTT-4.12.0-1]: an unsupported method is refused with 0x8C
            return new Outcome.Refused(ReasonCode.BAD_AUTHENTICATION_METHOD, "authentication method " + method
                    + " is not offered");
        }
        ScramServer.Reply reply = ScramServer.clientFirst(data, authorizer.scramUsers(), serverNonce);
        if (reply instanceof ScramServer.Reply.Challenge c) {
            return new Outcome.Challenge(properties(method, c.serverFirst()), new InProgress(method, c.pending()));
        }
        return new Outcome.Refused(ReasonCode.NOT_AUTHORIZED, ((ScramServer.Reply.Failure) reply).detail());
    }

    /** The client's AUTH while {@code exchange} waits for it. */
    public static Outcome proceed(InProgress exchange, Auth auth) {
        if (auth.reasonCode() != ReasonCode.CONTINUE_AUTHENTICATION) {
            // [MQTT-4.12.0-3]: the client answers a server AUTH with 0x18
            return new Outcome.Refused(ReasonCode.PROTOCOL_ERROR, "AUTH " + auth.reasonCode().specName()
                    + " in the middle of an authentication exchange");
        }
        String method = auth.properties().string(PropertyId.AUTHENTICATION_METHOD);
        if (!exchange.method().equals(method)) {
            // [MQTT-4.12.0-5]: the client repeats the method; 0x8C is the code for one that does not match
            return new Outcome.Refused(ReasonCode.BAD_AUTHENTICATION_METHOD, "AUTH names method " + method
                    + " in an exchange of " + exchange.method());
        }
        ScramServer.Reply reply = ScramServer.clientFinal(exchange.pending(),
                auth.properties().binary(PropertyId.AUTHENTICATION_DATA));
        if (reply instanceof ScramServer.Reply.Success s) {
            return new Outcome.Authenticated(properties(method, s.serverFinal()), s.username());
        }
        return new Outcome.Refused(ReasonCode.NOT_AUTHORIZED, ((ScramServer.Reply.Failure) reply).detail());
    }

    /** The method and data every server AUTH and the successful CONNACK carry [MQTT-4.12.0-5]. */
    static Properties properties(String method, byte[] data) {
        return Properties.of(new Property.StringProperty(PropertyId.AUTHENTICATION_METHOD, method),
                new Property.BinaryProperty(PropertyId.AUTHENTICATION_DATA, data));
    }
}
