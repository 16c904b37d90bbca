package io.checkedmqtt.broker.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;

/**
 * The certificates of the test-server mode when no certificate is configured, FOR TESTING ONLY:
 * a self-signed CA ({@code ca.crt}) and a server certificate for {@code localhost},
 * {@code 127.0.0.1} and {@code ::1} signed by it ({@code server.crt}, {@code server.key}).
 * They are made at the first start and kept in a directory (by default
 * {@code ~/.checked-mqtt/test-ca}), so clients can be given {@code ca.crt} once. The CA's own key
 * is never written: it signs the server certificate and is forgotten, so nobody can issue more
 * certificates under it. Its private keys are on disk in the clear, readable by their owner only.
 */
public final class TestServerCertificates {

    public static final String CA_FILE = "ca.crt";
    public static final String CERT_FILE = "server.crt";
    public static final String KEY_FILE = "server.key";

    private TestServerCertificates() {
    }

    /** The default directory: {@code ~/.checked-mqtt/test-ca}. */
    public static Path defaultDirectory() {
        return Path.of(System.getProperty("user.home"), ".checked-mqtt", "test-ca");
    }

    /** TLS settings over the files in {@code directory}, made first if any of them is missing. */
    public static TlsSettings ensure(Path directory) throws IOException, GeneralSecurityException {
        Path ca = directory.resolve(CA_FILE);
        Path cert = directory.resolve(CERT_FILE);
        Path key = directory.resolve(KEY_FILE);
        if (!Files.isRegularFile(ca) || !Files.isRegularFile(cert) || !Files.isRegularFile(key)) {
            generate(directory);
        }
        return TlsSettings.pem(cert, key);
    }

    public static Path caFile(Path directory) {
        return directory.resolve(CA_FILE);
    }

    private static void generate(Path directory) throws IOException, GeneralSecurityException {
        Files.createDirectories(directory);
        Instant now = Instant.now();
        SecureRandom random = new SecureRandom();
        TestAuthority authority = TestAuthority.create("checked-mqtt test CA", now, random);
        TestAuthority.Issued server = authority.issue("localhost", TestAuthority.Purpose.SERVER,
                List.of("localhost"),
                List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")), now);
        String readme = "Made by checked-mqtt's test-server mode, FOR TESTING ONLY.\n"
                + "ca.crt signed server.crt; give ca.crt to clients (mosquitto_sub --cafile ca.crt).\n"
                + "The CA's key was not kept. Delete this directory to get new certificates.\n";
        // each file is written aside and moved in, so a broker stopped half way leaves no half file
        write(directory, "README.txt", readme, false);
        write(directory, KEY_FILE, server.keyPem(), true);
        write(directory, CERT_FILE, server.certificatePem() + authority.self().certificatePem(), false);
        write(directory, CA_FILE, authority.self().certificatePem(), false);
    }

    private static void write(Path directory, String name, String content, boolean secret) throws IOException {
        // a temporary file is made readable by its owner only; certificates are for everyone to read
        Path temporary = Files.createTempFile(directory, name, ".tmp");
        try {
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: files in the user's profile are private to the user already
        }
        Files.writeString(temporary, content, StandardCharsets.US_ASCII);
        Files.move(temporary, directory.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }
}
