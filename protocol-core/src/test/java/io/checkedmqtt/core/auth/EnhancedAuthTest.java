package io.checkedmqtt.core.auth;

import io.checkedmqtt.core.packet.Auth;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ReasonCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class EnhancedAuthTest {

    private static Authorizer scram() throws GeneralSecurityException {
        return new Authorizer(false, null, null, ScramServerTest.rfcUsers());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Auth auth(ReasonCode code, String method, String data) {
        return new Auth(code, EnhancedAuth.properties(method, utf8(data)));
    }

    @Test
    @DisplayName("v5 [MQTT-4.12.0-2] [MQTT-4.12.0-5] the challenge is AUTH 0x18 material carrying the method; success carries it too")
    void fullExchange() throws GeneralSecurityException {
        EnhancedAuth.Outcome first = EnhancedAuth.begin(scram(), "SCRAM-SHA-256", utf8(ScramServerTest.CLIENT_FIRST),
                ScramServerTest.SERVER_NONCE);
        EnhancedAuth.Outcome.Challenge c = assertInstanceOf(EnhancedAuth.Outcome.Challenge.class, first);
        assertEquals("SCRAM-SHA-256", c.properties().string(PropertyId.AUTHENTICATION_METHOD));
        assertEquals(ScramServerTest.SERVER_FIRST,
                new String(c.properties().binary(PropertyId.AUTHENTICATION_DATA), StandardCharsets.UTF_8));
        EnhancedAuth.Outcome done = EnhancedAuth.proceed(c.next(),
                auth(ReasonCode.CONTINUE_AUTHENTICATION, "SCRAM-SHA-256", ScramServerTest.CLIENT_FINAL));
        EnhancedAuth.Outcome.Authenticated a = assertInstanceOf(EnhancedAuth.Outcome.Authenticated.class, done);
        assertEquals("user", a.username());
        assertEquals("SCRAM-SHA-256", a.properties().string(PropertyId.AUTHENTICATION_METHOD));
        assertEquals(ScramServerTest.SERVER_FINAL,
                new String(a.properties().binary(PropertyId.AUTHENTICATION_DATA), StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("v5 [MQTT-4.12.0-1] a method that is not offered gets 0x8C; without SCRAM users none is offered")
    void unknownMethod() throws GeneralSecurityException {
        assertEquals(ReasonCode.BAD_AUTHENTICATION_METHOD, ((EnhancedAuth.Outcome.Refused) EnhancedAuth.begin(scram(),
                "KERBEROS", new byte[0], ScramServerTest.SERVER_NONCE)).reason());
        assertEquals(ReasonCode.BAD_AUTHENTICATION_METHOD, ((EnhancedAuth.Outcome.Refused) EnhancedAuth.begin(
                Authorizer.ALLOW_ALL, "SCRAM-SHA-256", utf8(ScramServerTest.CLIENT_FIRST), ScramServerTest.SERVER_NONCE))
                .reason());
    }

    @Test
    @DisplayName("v5 [MQTT-4.12.0-4] a wrong proof, a changed method or an out-of-place reason code refuses the exchange")
    void refusals() throws GeneralSecurityException {
        EnhancedAuth.InProgress open = ((EnhancedAuth.Outcome.Challenge) EnhancedAuth.begin(scram(), "SCRAM-SHA-256",
                utf8(ScramServerTest.CLIENT_FIRST), ScramServerTest.SERVER_NONCE)).next();
        String badProof = ScramServerTest.CLIENT_FINAL.replace("p=dHzb", "p=dHzc");
        assertEquals(ReasonCode.NOT_AUTHORIZED, refused(EnhancedAuth.proceed(open,
                auth(ReasonCode.CONTINUE_AUTHENTICATION, "SCRAM-SHA-256", badProof))));
        assertEquals(ReasonCode.BAD_AUTHENTICATION_METHOD, refused(EnhancedAuth.proceed(open,
                auth(ReasonCode.CONTINUE_AUTHENTICATION, "SCRAM-SHA-1", ScramServerTest.CLIENT_FINAL))));
        assertEquals(ReasonCode.PROTOCOL_ERROR, refused(EnhancedAuth.proceed(open,
                auth(ReasonCode.RE_AUTHENTICATE, "SCRAM-SHA-256", ScramServerTest.CLIENT_FINAL))));
        assertEquals(ReasonCode.NOT_AUTHORIZED, refused(EnhancedAuth.proceed(open,
                new Auth(ReasonCode.CONTINUE_AUTHENTICATION, Properties.EMPTY.withString(PropertyId.AUTHENTICATION_METHOD,
                        "SCRAM-SHA-256")))), "no data");
    }

    private static ReasonCode refused(EnhancedAuth.Outcome o) {
        return assertInstanceOf(EnhancedAuth.Outcome.Refused.class, o).reason();
    }
}
