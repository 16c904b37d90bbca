package io.checkedmqtt.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The window keeps its packet identifiers twice (messages and a packed id array, for fast
 * lookups); these checks hold it to a plain list of messages over any sequence of changes.
 */
class InflightWindowTest {

    private static InflightMessage message(int packetId, long sentAt) {
        Publish publish = new Publish("t", new byte[] {1}, QoS.AT_LEAST_ONCE, false, false, packetId, Properties.EMPTY);
        return InflightMessage.sent(publish, sentAt);
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-2.3.1-4] / v5 [MQTT-2.2.1-4] lookups by packet identifier match a list model over any append/replace/remove sequence")
    void matchesListModel() {
        // each op: bits 0-3 the identifier (1..16, so ids collide and are reused), bits 4-5 the kind
        qt().withExamples(500).forAll(lists().of(integers().between(0, 63)).ofSizeBetween(0, 200)).checkAssert(ops -> {
            InflightWindow window = InflightWindow.EMPTY;
            List<InflightMessage> model = new ArrayList<>();
            long clock = 0;
            for (int op : ops) {
                int id = (op & 0xF) + 1;
                int kind = op >>> 4;
                int at = indexOf(model, id);
                clock++;
                if (kind <= 1 && at < 0) {
                    InflightMessage m = message(id, clock);
                    window = window.append(m);
                    model.add(m);
                } else if (kind == 2 && at >= 0) {
                    InflightMessage m = model.get(at).released(clock);
                    window = window.replace(m);
                    model.set(at, m);
                } else if (kind == 3) {
                    window = window.without(id);
                    if (at >= 0) {
                        model.remove(at);
                    }
                }
                assertEquals(model, window.toList());
                for (int probe = 1; probe <= 17; probe++) {
                    int expected = indexOf(model, probe);
                    assertEquals(expected >= 0, window.holds(probe), "holds " + probe);
                    assertSame(expected >= 0 ? model.get(expected) : null, window.find(probe), "find " + probe);
                }
            }
            InflightWindow rebuilt = InflightWindow.of(model);
            assertEquals(window, rebuilt);
            for (InflightMessage m : model) {
                assertSame(m, rebuilt.find(m.packetId()));
            }
        });
    }

    private static int indexOf(List<InflightMessage> model, int packetId) {
        for (int i = 0; i < model.size(); i++) {
            if (model.get(i).publish().packetId() == packetId) {
                return i;
            }
        }
        return -1;
    }
}
