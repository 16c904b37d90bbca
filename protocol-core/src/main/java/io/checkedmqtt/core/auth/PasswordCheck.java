package io.checkedmqtt.core.auth;

/**
 * A password file as a function: does {@code password} belong to {@code username}?
 *
 * <p>The shell implements it (reading the file and hashing is its business: a Mosquitto
 * {@code $7$} entry costs 101 rounds of HMAC-SHA-512, about 80 µs), the core calls it once per
 * CONNECT that carries a user name. An implementation must answer from an immutable snapshot of
 * its file and nothing else, so that the core stays a function of its inputs: the same
 * arguments give the same answer until the shell installs a new snapshot with a new
 * {@link Authorizer}.
 */
@FunctionalInterface
public interface PasswordCheck {

    /** True when the file has {@code username} and {@code password} matches its hash. */
    boolean matches(String username, byte[] password);
}
