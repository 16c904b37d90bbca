package io.checkedmqtt.broker.observe;

import java.time.Instant;

/** Times for people: ISO-8601 in UTC, e.g. {@code 2026-11-26T06:05:46.623Z}. */
final class Times {

    private Times() {
    }

    static String iso(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }
}
