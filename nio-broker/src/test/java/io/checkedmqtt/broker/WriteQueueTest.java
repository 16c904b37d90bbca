package io.checkedmqtt.broker;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WriteQueueTest {

    /** A socket that takes at most {@code budget} bytes until given more, and counts write calls. */
    static final class SlowChannel implements GatheringByteChannel {
        final ByteArrayOutputStream taken = new ByteArrayOutputStream();
        int budget;
        int writeCalls;

        SlowChannel(int budget) {
            this.budget = budget;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            writeCalls++;
            long total = 0;
            for (int i = offset; i < offset + length && budget > 0; i++) {
                while (srcs[i].hasRemaining() && budget > 0) {
                    taken.write(srcs[i].get());
                    budget--;
                    total++;
                }
            }
            return total;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) {
            return (int) write(new ByteBuffer[] {src});
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    /** Through the plain transport, as the loop writes a plain connection. */
    private static boolean flush(WriteQueue queue, GatheringByteChannel channel) throws java.io.IOException {
        return queue.flushTo(PlainTransport.INSTANCE, channel, new ByteBuffer[1],
                ByteBuffer.allocateDirect(WriteQueue.STAGING_BYTES));
    }

    private static ByteBuffer bytes(int... values) {
        byte[] array = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            array[i] = (byte) values[i];
        }
        return ByteBuffer.wrap(array);
    }

    @Test
    @DisplayName("queued packets go out in one write, copied together, when the socket takes them all")
    void oneWrite() throws Exception {
        WriteQueue queue = new WriteQueue(new OutboundBudget(Long.MAX_VALUE, new BrokerStats()));
        queue.add(bytes(1, 2));
        queue.add(bytes(3));
        queue.add(bytes(4, 5, 6));
        assertEquals(6, queue.queuedBytes());
        SlowChannel channel = new SlowChannel(1_000);
        assertTrue(flush(queue, channel));
        assertEquals(1, channel.writeCalls);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, channel.taken.toByteArray());
        assertTrue(queue.isEmpty());
    }

    @Test
    @DisplayName("a partly written buffer keeps its position and resumes where it stopped")
    void partialWriteResumes() throws Exception {
        WriteQueue queue = new WriteQueue(new OutboundBudget(Long.MAX_VALUE, new BrokerStats()));
        queue.add(bytes(1, 2, 3));
        queue.add(bytes(4, 5));
        SlowChannel channel = new SlowChannel(2);
        assertFalse(flush(queue, channel));
        assertEquals(3, queue.queuedBytes());
        channel.budget = 1;
        assertFalse(flush(queue, channel));
        assertEquals(2, queue.queuedBytes());
        channel.budget = 100;
        assertTrue(flush(queue, channel));
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, channel.taken.toByteArray());
    }

    @Test
    @DisplayName("more bytes than one staged write holds go out in several writes, in order, a packet split across two")
    void moreThanOneStagedWrite() throws Exception {
        WriteQueue queue = new WriteQueue(new OutboundBudget(Long.MAX_VALUE, new BrokerStats()));
        int packets = 200;
        int size = 1_000;   // 200 kB: four writes of at most 64 KiB, packets split at the seams
        for (int i = 0; i < packets; i++) {
            byte[] packet = new byte[size];
            java.util.Arrays.fill(packet, (byte) i);
            queue.add(ByteBuffer.wrap(packet));
        }
        SlowChannel channel = new SlowChannel(Integer.MAX_VALUE);
        assertTrue(flush(queue, channel));
        byte[] out = channel.taken.toByteArray();
        assertEquals(packets * size, out.length);
        for (int i = 0; i < out.length; i++) {
            assertEquals((byte) (i / size), out[i], "byte " + i);
        }
        assertEquals((packets * size + WriteQueue.STAGING_BYTES - 1) / WriteQueue.STAGING_BYTES, channel.writeCalls);
        assertTrue(queue.isEmpty());
    }

    @Test
    @DisplayName("a lone queued packet goes out with a plain write and resumes after a partial one")
    void loneBufferResumes() throws Exception {
        WriteQueue queue = new WriteQueue(new OutboundBudget(Long.MAX_VALUE, new BrokerStats()));
        queue.add(bytes(1, 2, 3));
        SlowChannel channel = new SlowChannel(2);
        assertFalse(flush(queue, channel));
        assertEquals(1, queue.queuedBytes());
        queue.add(bytes(4));
        channel.budget = 100;
        assertTrue(flush(queue, channel));
        assertTrue(queue.isEmpty());
        assertArrayEquals(new byte[] {1, 2, 3, 4}, channel.taken.toByteArray());
    }
}
