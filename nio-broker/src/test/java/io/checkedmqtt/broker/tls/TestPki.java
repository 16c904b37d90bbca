package io.checkedmqtt.broker.tls;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * Test fixture: a test CA with a server certificate and a client certificate, written as PEM files
 * into a directory, and client-side SSL contexts that trust the CA. Made fresh for each use: no key
 * is ever committed.
 */
public final class TestPki {

    public final TestAuthority authority;
    public final TestAuthority.Issued server;
    public final TestAuthority.Issued client;
    public final Path caFile;
    public final Path serverCert;
    public final Path serverKey;
    public final Path clientCert;
    public final Path clientKey;

    private static final SecureRandom RANDOM = new SecureRandom();

    public TestPki(Path directory) throws Exception {
        Instant now = Instant.now();
        authority = TestAuthority.create("test CA", now, RANDOM);
        server = authority.issue("localhost", TestAuthority.Purpose.SERVER, List.of("localhost"),
                List.of(InetAddress.getByName("127.0.0.1")), now);
        client = authority.issue("device-42", TestAuthority.Purpose.CLIENT, List.of(), List.of(), now);
        Files.createDirectories(directory);
        caFile = write(directory.resolve("ca.crt"), authority.self().certificatePem());
        serverCert = write(directory.resolve("server.crt"), server.certificatePem());
        serverKey = write(directory.resolve("server.key"), server.keyPem());
        clientCert = write(directory.resolve("client.crt"), client.certificatePem());
        clientKey = write(directory.resolve("client.key"), client.keyPem());
    }

    private static Path write(Path file, String text) throws IOException {
        Files.writeString(file, text);
        return file;
    }

    public TlsSettings serverSettings() {
        return TlsSettings.pem(serverCert, serverKey);
    }

    /** A client context that trusts this CA, and presents the client certificate when {@code withCertificate}. */
    public SSLContext clientContext(boolean withCertificate) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", authority.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        KeyManagerFactory keys = null;
        if (withCertificate) {
            KeyStore own = KeyStore.getInstance("PKCS12");
            own.load(null, null);
            own.setKeyEntry("client", client.key(), new char[0],
                    new X509Certificate[] {client.certificate(), authority.certificate()});
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(own, new char[0]);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), RANDOM);
        return context;
    }

    /** A client engine that checks the server's name as HTTPS does, limited to {@code protocol}. */
    public SSLEngine clientEngine(boolean withCertificate, String protocol) throws Exception {
        SSLEngine engine = clientContext(withCertificate).createSSLEngine("localhost", 8883);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setProtocols(new String[] {protocol});
        engine.setSSLParameters(parameters);
        return engine;
    }
}
