package io.checkedmqtt.core.config;

import io.checkedmqtt.core.auth.Authorizer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class BrokerConfigTest {

    private static final Authorizer DENY_ANONYMOUS = new Authorizer(false, null, null, null);

    @Test
    @DisplayName("the builder starts from the defaults and changes only the settings it names")
    void builderChangesOnlyNamedSettings() {
        BrokerConfig d = BrokerConfig.defaults();
        assertEquals(d, BrokerConfig.builder().build());
        BrokerConfig c = BrokerConfig.builder().maxInflightMessages(3).retainAvailable(false)
                .assignedClientIdPrefix("x-").build();
        assertEquals(3, c.maxInflightMessages());
        assertEquals(false, c.retainAvailable());
        assertEquals("x-", c.assignedClientIdPrefix());
        BrokerConfig back = c.toBuilder().maxInflightMessages(d.maxInflightMessages()).retainAvailable(true)
                .assignedClientIdPrefix(d.assignedClientIdPrefix()).build();
        assertEquals(d, back, "every other setting kept its default");
    }

    @Test
    @DisplayName("every setter sets its own component, and a builder is a value that setters do not change")
    void settersAreIndependentValues() {
        BrokerConfig.Builder base = BrokerConfig.builder();
        BrokerConfig c = base.maximumPacketSize(1).receiveMaximum(2).maxInflightMessages(3).maxQueuedMessages(4)
                .maxQueuedBytes(5).queueQos0WhileOffline(true).resendIntervalMillis(7).resendMaxAttempts(8)
                .connectTimeoutMillis(9).maxKeepAliveSeconds(10).topicAliasMaximum(11).outboundTopicAliasMaximum(12)
                .maxSessionExpirySeconds(13).retainAvailable(false).assignedClientIdPrefix("p")
                .limits(new ClientLimits(14, 15, 16)).authorizer(DENY_ANONYMOUS).maxTopicLevels(17)
                .budget(new MemoryBudget(18, 19, 20, 21, 22, 23, 24, 25)).build();
        assertEquals(new BrokerConfig(1, 2, 3, 4, 5, true, 7, 8, 9, 10, 11, 12, 13, false, "p",
                new ClientLimits(14, 15, 16), DENY_ANONYMOUS, 17, new MemoryBudget(18, 19, 20, 21, 22, 23, 24, 25)), c);
        assertSame(BrokerConfig.defaults(), base.build());
    }
}
