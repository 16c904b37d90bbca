package io.checkedmqtt.bench;

import io.checkedmqtt.core.codec.DecodeResult;
import io.checkedmqtt.core.codec.MqttDecoder;
import io.checkedmqtt.core.codec.MqttEncoder;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The codec's hot path: a QoS 1 PUBLISH with a 16-byte topic and a 64-byte payload, decoded from
 * and encoded into heap buffers, one packet per operation on one thread.
 *
 * <p>Targets: at least 5 million packets per second each way; per decode no allocation beyond the
 * packet value (Publish, its topic String, its payload copy) and the {@code Decoded} result
 * (24 bytes), none at all per encode. {@code decodePublish} returns the result, so the wrapper
 * always escapes; {@code decodePublishAsTheShellDoes} takes the packet out of it at once, as the
 * shell's reader does. Read {@code gc.alloc.rate.norm} from {@code -prof gc}.
 *
 * <pre>
 * mvn -B -ntp -o package -pl bench -am -DskipTests
 * java -jar bench/target/benchmarks.jar CodecBenchmark -f 1 -wi 2 -w 2s -i 3 -r 2s -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CodecBenchmark {

    @Param({"MQTT_3_1_1", "MQTT_5"})
    public ProtocolVersion version;

    private final MqttDecoder decoder = new MqttDecoder(1 << 20);
    private Publish publish;
    private ByteBuffer frame;
    private ByteBuffer out;

    @Setup
    public void setUp() {
        byte[] payload = new byte[64];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        publish = new Publish("sensors/room1/tp", payload, QoS.AT_LEAST_ONCE, false, false, 42, Properties.EMPTY);
        if (publish.topic().length() != 16) {
            throw new IllegalStateException("topic must be 16 bytes");
        }
        frame = ByteBuffer.allocate(MqttEncoder.encodedSize(publish, version));
        MqttEncoder.encode(publish, version, frame);
        frame.flip();
        out = ByteBuffer.allocate(4096);
        Packet check = ((DecodeResult.Decoded) decoder.decode(frame, version)).packet();
        if (!check.equals(publish)) {
            throw new IllegalStateException("round trip failed: " + check);
        }
    }

    /** Decodes the PUBLISH frame; returns the packet so nothing is dead code. */
    @Benchmark
    public DecodeResult decodePublish() {
        frame.position(0);
        return decoder.decode(frame, version);
    }

    /** Decodes the PUBLISH frame and takes the packet out of the result, the way the shell's reader does. */
    @Benchmark
    public Packet decodePublishAsTheShellDoes() {
        frame.position(0);
        DecodeResult result = decoder.decode(frame, version);
        if (result instanceof DecodeResult.Decoded decoded) {
            return decoded.packet();
        }
        throw new IllegalStateException(result.toString());
    }

    /** Sizes and encodes the PUBLISH into a reused buffer. */
    @Benchmark
    public int encodePublish() {
        out.clear();
        MqttEncoder.encode(publish, version, out);
        return out.position();
    }
}
