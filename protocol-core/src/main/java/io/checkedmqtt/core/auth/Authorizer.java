package io.checkedmqtt.core.auth;

import io.checkedmqtt.core.packet.ReasonCode;

import java.util.Objects;

/**
 * Who may connect and what a connected client may do: the one value the core consults. The
 * shell builds it from the password, ACL and SCRAM files and installs a new one when a file
 * changes; a client's next packet is judged by the new one.
 *
 * <p>CONNECT, in Mosquitto 2.0's order ({@link #refusal}):
 * <ul>
 *   <li>no user name: accepted when anonymous clients are allowed, else Not authorized
 *       (5.0 0x87, 3.1.1 return code 5);</li>
 *   <li>a user name and a password file: accepted when the password matches, else Bad User
 *       Name or Password (5.0 0x86, 3.1.1 return code 4). Mosquitto 2.0.11 answers this case
 *       with Not authorized as well; the spec's own code for it is 0x86;</li>
 *   <li>a user name and no password file: nothing can check it, so it is treated as anonymous
 *       would be (Mosquitto does the same).</li>
 * </ul>
 * A client authenticated by a TLS certificate or by SCRAM does not go through this check; it is
 * known by the certificate subject or the SCRAM user name.
 *
 * @param allowAnonymous whether clients without a user name may connect
 * @param passwords      the password file, or null when none is configured
 * @param acl            the access rules, or null: every topic readable and writable
 * @param scramUsers     the SCRAM-SHA-256 users, or null: enhanced authentication is not offered
 * @param clientIdPrefix only client identifiers that start with it may connect (Mosquitto's
 *                       {@code clientid_prefixes}); empty: any
 */
public record Authorizer(boolean allowAnonymous, PasswordCheck passwords, AccessControlList acl,
                         ScramUsers scramUsers, String clientIdPrefix) {

    /** Everyone may connect, read and write: the test broker's default. */
    public static final Authorizer ALLOW_ALL = new Authorizer(true, null, null, null);

    public Authorizer {
        Objects.requireNonNull(clientIdPrefix, "clientIdPrefix");
    }

    /** Any client identifier may connect. */
    public Authorizer(boolean allowAnonymous, PasswordCheck passwords, AccessControlList acl, ScramUsers scramUsers) {
        this(allowAnonymous, passwords, acl, scramUsers, "");
    }

    /**
     * Whether a client identifier the client chose may connect; a refused one gets CONNACK 0x85
     * (3.1.1: 0x02) and a close. Identifiers the server assigns are not asked about.
     */
    public boolean acceptsClientId(String clientId) {
        return clientId.startsWith(clientIdPrefix);
    }

    /**
     * Why a CONNECT with this user name (null: none) and password (null: none) is refused, or
     * null to accept it.
     */
    public ReasonCode refusal(String username, byte[] password) {
        if (username == null || passwords == null) {
            return allowAnonymous ? null : ReasonCode.NOT_AUTHORIZED;
        }
        return password != null && passwords.matches(username, password) ? null : ReasonCode.BAD_USER_NAME_OR_PASSWORD;
    }

    /** Whether enhanced authentication with {@code method} is offered. */
    public boolean offers(String method) {
        return scramUsers != null && ScramServer.METHOD.equals(method);
    }

    /** May {@code who} publish to {@code topic}? Also asked for a will when it is published. */
    public boolean mayWrite(ClientIdentity who, String topic) {
        return acl == null || acl.mayWrite(who, topic);
    }

    /** May {@code who} receive a message on {@code topic}, delivered or retained? */
    public boolean mayRead(ClientIdentity who, String topic) {
        return acl == null || acl.mayRead(who, topic);
    }

    /** May {@code who} subscribe to {@code filter}? */
    public boolean maySubscribe(ClientIdentity who, String filter) {
        return acl == null || acl.maySubscribe(who, filter);
    }

    /** True when an ACL is in force, so deliveries need a read check. */
    public boolean checksTopics() {
        return acl != null;
    }
}
