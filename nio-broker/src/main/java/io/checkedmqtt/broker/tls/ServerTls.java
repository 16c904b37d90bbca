package io.checkedmqtt.broker.tls;

import io.checkedmqtt.broker.layer.Scratch;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The server side of TLS for one listener: key material loaded once at start-up from
 * {@link TlsSettings}, and a new {@link TlsLayer} for each accepted connection. A file that
 * cannot be read or parsed fails here, at start-up, with a message that names it.
 */
public final class ServerTls {

    private static final char[] NO_PASSWORD = new char[0];

    private final SSLContext context;
    private final TlsSettings settings;
    private final String[] protocols;

    /**
     * Suites put first, as the server's preference: AES-128-GCM with SHA-256. It is as safe for
     * this use as AES-256 with SHA-384, and cheaper in the JDK, whose SHA-384 runs in Java where
     * SHA-256 and AES use the CPU's instructions: a TLS 1.3 handshake hashes every message twice.
     */
    private static final List<String> PREFERRED_SUITES = List.of("TLS_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");

    private final String[] suites;

    private ServerTls(SSLContext context, TlsSettings settings) {
        this.context = context;
        this.settings = settings;
        this.protocols = settings.protocols().toArray(new String[0]);
        List<String> ordered = new ArrayList<>();
        List<String> defaults = List.of(context.getDefaultSSLParameters().getCipherSuites());
        PREFERRED_SUITES.stream().filter(defaults::contains).forEach(ordered::add);
        defaults.stream().filter(suite -> !ordered.contains(suite)).forEach(ordered::add);
        this.suites = ordered.toArray(new String[0]);
    }

    public static ServerTls load(TlsSettings settings) throws IOException, GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        if (settings.keystore() != null) {
            char[] password = settings.keystorePassword() == null ? NO_PASSWORD
                    : settings.keystorePassword().toCharArray();
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(settings.keystore())) {
                store.load(in, password);
            } catch (IOException e) {
                throw new IOException("keystore " + settings.keystore() + ": " + e.getMessage(), e);
            }
            keys.init(store, password);
        } else {
            keys.init(pemKeyStore(settings), NO_PASSWORD);
        }
        TrustManagerFactory trust = null;
        if (settings.caFile() != null) {
            trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(authorities(settings));
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), new SecureRandom());
        return new ServerTls(context, settings);
    }

    private static KeyStore pemKeyStore(TlsSettings settings) throws IOException, GeneralSecurityException {
        List<X509Certificate> chain;
        PrivateKey key;
        try {
            chain = Pem.certificates(read("certfile", settings.certFile()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new GeneralSecurityException("certfile " + settings.certFile() + ": " + e.getMessage(), e);
        }
        try {
            key = Pem.privateKey(read("keyfile", settings.keyFile()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new GeneralSecurityException("keyfile " + settings.keyFile() + ": " + e.getMessage(), e);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", key, NO_PASSWORD, chain.toArray(new X509Certificate[0]));
        return store;
    }

    private static KeyStore authorities(TlsSettings settings) throws IOException, GeneralSecurityException {
        List<X509Certificate> cas;
        try {
            cas = Pem.certificates(read("cafile", settings.caFile()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new GeneralSecurityException("cafile " + settings.caFile() + ": " + e.getMessage(), e);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < cas.size(); i++) {
            store.setCertificateEntry("ca-" + i, cas.get(i));
        }
        return store;
    }

    /** A PEM file's text; an exception that names the setting and the file when it cannot be read. */
    private static String read(String setting, java.nio.file.Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(setting + " " + file + ": no such file", e);
        } catch (IOException e) {
            throw new IOException(setting + " " + file + ": cannot read it (" + e + ")", e);
        }
    }

    /** A TLS layer for a newly accepted connection. */
    public TlsLayer newLayer() {
        return newLayer(new Scratch());
    }

    /** A TLS layer for a newly accepted connection that hands its plaintext up in {@code scratch}. */
    public TlsLayer newLayer(Scratch scratch) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(protocols);
        parameters.setCipherSuites(suites);
        parameters.setUseCipherSuitesOrder(true);
        parameters.setNeedClientAuth(settings.requireCertificate());
        engine.setSSLParameters(parameters);
        return new TlsLayer(engine, scratch);
    }

    public TlsSettings settings() {
        return settings;
    }
}
