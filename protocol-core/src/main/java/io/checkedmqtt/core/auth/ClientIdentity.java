package io.checkedmqtt.core.auth;

import java.util.Objects;

/**
 * Who a connected client is, as far as access rules care: its client identifier (the one the
 * server assigned, if it did) and the user name it authenticated as, or null for an anonymous
 * client. The user name is the CONNECT User Name, the SCRAM user, or the TLS certificate
 * subject, whichever authenticated it.
 */
public record ClientIdentity(String clientId, String username) {

    public ClientIdentity {
        Objects.requireNonNull(clientId, "clientId");
    }

    public boolean isAnonymous() {
        return username == null;
    }
}
