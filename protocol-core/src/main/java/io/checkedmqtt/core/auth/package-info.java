/**
 * Who may connect, and what a connected client may read and write: pure decisions the broker
 * core consults, with no file, clock or random number in sight.
 *
 * <ul>
 *   <li>{@link io.checkedmqtt.core.auth.Authorizer}: the one value the core's configuration
 *       holds. It answers CONNECT (anonymous allowed? password right?) and the per-topic
 *       questions, each from the client's {@link io.checkedmqtt.core.auth.ClientIdentity}.</li>
 *   <li>{@link io.checkedmqtt.core.auth.AccessControlList}: the rules of a Mosquitto
 *       {@code acl_file} ({@code user} sections, {@code topic} and {@code pattern} lines with
 *       {@code %c} / {@code %u}), evaluated in Mosquitto's order.</li>
 *   <li>{@link io.checkedmqtt.core.auth.PasswordCheck}: the password file as a function. The
 *       shell reads the file and does the slow hashing; the core only asks.</li>
 *   <li>{@link io.checkedmqtt.core.auth.ScramServer}: the server side of SCRAM-SHA-256
 *       (RFC 5802, RFC 7677), the 5.0 enhanced authentication method; the server nonce comes
 *       in as an argument.</li>
 * </ul>
 */
package io.checkedmqtt.core.auth;
