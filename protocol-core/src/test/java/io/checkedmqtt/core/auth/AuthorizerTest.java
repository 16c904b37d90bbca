package io.checkedmqtt.core.auth;

import io.checkedmqtt.core.packet.ReasonCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AuthorizerTest {

    /** A password file with one user, alice:secret. */
    static final PasswordCheck ALICE = (user, password) ->
            user.equals("alice") && Arrays.equals(password, "secret".getBytes(StandardCharsets.UTF_8));

    @ParameterizedTest(name = "anonymous={0}, file={1}, user={2}, password={3} -> {4}")
    @CsvSource({
            // allowAnonymous, password file, user ('-' none), password ('-' none), refusal ('-' accepted)
            "true,  false, -,     -,      -",
            "false, false, -,     -,      NOT_AUTHORIZED",
            "true,  false, alice, x,      -",                       // nothing to check it against
            "false, false, alice, secret, NOT_AUTHORIZED",          // Mosquitto: no password source, no entry
            "true,  true,  -,     -,      -",
            "false, true,  -,     -,      NOT_AUTHORIZED",
            "false, true,  -,     secret, NOT_AUTHORIZED",          // 5.0 allows a password without a user name
            "false, true,  alice, secret, -",
            "true,  true,  alice, wrong,  BAD_USER_NAME_OR_PASSWORD",
            "false, true,  alice, -,      BAD_USER_NAME_OR_PASSWORD",
            "false, true,  zed,   secret, BAD_USER_NAME_OR_PASSWORD",
    })
    @DisplayName("v3.1.1 + v5 CONNECT: anonymous clients, user names and passwords, in Mosquitto 2.0's order")
    void connect(boolean anonymous, boolean file, String user, String password, String refusal) {
        Authorizer a = new Authorizer(anonymous, file ? ALICE : null, null, null);
        ReasonCode got = a.refusal(user.equals("-") ? null : user,
                password.equals("-") ? null : password.getBytes(StandardCharsets.UTF_8));
        assertEquals(refusal.equals("-") ? null : ReasonCode.valueOf(refusal), got);
    }
}
