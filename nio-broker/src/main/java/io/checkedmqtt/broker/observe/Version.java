package io.checkedmqtt.broker.observe;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The broker's version, as the build wrote it into {@code version.properties}. */
public final class Version {

    /** For example {@code 0.1.0-SNAPSHOT}; {@code unknown} when the resource is missing. */
    public static final String NUMBER = read();

    private Version() {
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
