package io.checkedmqtt.bench.load;

/** The two protocol versions the load tool speaks, with their CONNECT protocol level byte. */
enum MqttVersion {
    V311(4, "3.1.1"),
    V5(5, "5.0");

    final int level;
    final String label;

    MqttVersion(final int level, final String label) {
        this.level = level;
        this.label = label;
    }

    boolean isV5() {
        return this == V5;
    }

    static MqttVersion parse(final String text) {
        return switch (text) {
            case "3", "3.1.1", "4", "311" -> V311;
            case "5", "5.0" -> V5;
            default -> throw new IllegalArgumentException("unknown MQTT version: " + text + " (use 3.1.1 or 5)");
        };
    }
}
