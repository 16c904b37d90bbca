package io.checkedmqtt.broker.hostile;

import org.junit.jupiter.api.Tag;

/** {@link HostileTopicsTest} ten times wider (100,000 filters, 100,000 retained messages): {@code mvn -Psoak}. */
@Tag("soak")
class HostileTopicsSoakTest extends HostileTopicsTest {

    @Override
    int scale() {
        return 10;
    }
}
