package io.checkedmqtt.broker.tls;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A listener's TLS settings, named as in Mosquitto: {@code certfile} and {@code keyfile} (PEM),
 * {@code cafile} (PEM, the authorities client certificates must come from),
 * {@code require_certificate}, {@code tls_version}; or a PKCS#12 {@code keystore} with its
 * password instead of the two PEM files.
 *
 * @param tlsVersion the lowest version accepted, {@code tlsv1.2} (default: 1.2 and 1.3) or {@code tlsv1.3}
 */
public record TlsSettings(Path certFile, Path keyFile, Path caFile, boolean requireCertificate,
                         String tlsVersion, Path keystore, String keystorePassword) {

    public static final String DEFAULT_VERSION = "tlsv1.2";

    public TlsSettings {
        tlsVersion = tlsVersion == null ? DEFAULT_VERSION : tlsVersion.toLowerCase(Locale.ROOT);
        if (!tlsVersion.equals("tlsv1.2") && !tlsVersion.equals("tlsv1.3")) {
            throw new IllegalArgumentException("tls_version must be tlsv1.2 or tlsv1.3 (older versions are insecure"
                    + " and disabled by the JDK), was '" + tlsVersion + "'");
        }
        if (keystore == null && (certFile == null || keyFile == null)) {
            throw new IllegalArgumentException("a TLS listener needs certfile and keyfile, or keystore");
        }
        if (keystore != null && (certFile != null || keyFile != null)) {
            throw new IllegalArgumentException("give either certfile/keyfile or keystore, not both");
        }
        if (requireCertificate && caFile == null) {
            throw new IllegalArgumentException("require_certificate needs a cafile to check client certificates against");
        }
    }

    /** PEM certificate chain and key, nothing else. */
    public static TlsSettings pem(Path certFile, Path keyFile) {
        return new TlsSettings(certFile, keyFile, null, false, null, null, null);
    }

    public TlsSettings withCaFile(Path file, boolean require) {
        return new TlsSettings(certFile, keyFile, file, require, tlsVersion, keystore, keystorePassword);
    }

    public TlsSettings withVersion(String version) {
        return new TlsSettings(certFile, keyFile, caFile, requireCertificate, version, keystore, keystorePassword);
    }

    /** The JDK protocol names this setting enables. */
    public List<String> protocols() {
        return tlsVersion.equals("tlsv1.3") ? List.of("TLSv1.3") : List.of("TLSv1.3", "TLSv1.2");
    }
}
