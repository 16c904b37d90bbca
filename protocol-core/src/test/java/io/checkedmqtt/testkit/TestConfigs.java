package io.checkedmqtt.testkit;

import io.checkedmqtt.core.config.BrokerConfig;

/** The broker settings tests share, as builders on top of {@link BrokerConfig#builder()} to vary further. */
public final class TestConfigs {

    /** The in-flight window of {@link #smallWindow()}. */
    public static final int SMALL_WINDOW = 3;

    private TestConfigs() {
    }

    /**
     * A window of {@value #SMALL_WINDOW} messages in flight per client and 3.1.1 timed resends
     * every 3 s, three at most: a random run reaches the window's edge, the queue behind it and
     * the resend timers within a few messages. The model runs use it.
     */
    public static BrokerConfig.Builder smallWindow() {
        return BrokerConfig.builder().maxInflightMessages(SMALL_WINDOW).resendIntervalMillis(3_000).resendMaxAttempts(3);
    }
}
