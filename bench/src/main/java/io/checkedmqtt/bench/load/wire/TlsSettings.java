package io.checkedmqtt.bench.load.wire;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;

/** One SSL context for every connection of a run: it trusts the broker's CA file. */
public final class TlsSettings {
    final SSLContext context;
    final String host;
    final String protocol;

    private TlsSettings(final SSLContext context, final String host, final String protocol) {
        this.context = context;
        this.host = host;
        this.protocol = protocol;
    }

    /** Trusts the certificates in {@code caFile} (PEM); {@code protocol} e.g. TLSv1.3, or null for the JDK's choice. */
    public static TlsSettings trusting(final Path caFile, final String host, final String protocol) throws IOException {
        try (InputStream in = Files.newInputStream(caFile)) {
            final KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            int i = 0;
            for (final Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("ca-" + i++, ca);
            }
            final TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            final SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return new TlsSettings(context, host, protocol);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use CA file " + caFile + ": " + e.getMessage(), e);
        }
    }
}
