package io.checkedmqtt.broker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Files that fail when a test says so: a disk that fills up after so many bytes (writes then
 * fail with "No space left on device", after writing what still fitted), a force that fails, a
 * directory where no file can be created any more; and a gate that holds every write until the
 * test opens it. It counts forces. The failures a real disk has, without needing one that fails.
 */
final class FaultyStorage implements Storage {

    /** Bytes that may still be written; then writes fail. */
    final AtomicLong writeBudget = new AtomicLong(Long.MAX_VALUE);
    volatile boolean failForce;
    volatile boolean failCreate;
    /** When set, every write waits until it is counted down. */
    volatile CountDownLatch gate;
    final AtomicInteger forces = new AtomicInteger();
    final AtomicInteger writes = new AtomicInteger();

    @Override
    public FileChannel open(Path path, OpenOption... options) throws IOException {
        boolean creates = Arrays.asList(options).contains(StandardOpenOption.CREATE)
                || Arrays.asList(options).contains(StandardOpenOption.CREATE_NEW);
        if (failCreate && creates && !path.getFileName().toString().equals("lock")) {
            throw new IOException(path + ": Permission denied");
        }
        return new Channel(FileChannel.open(path, options));
    }

    private final class Channel extends FileChannel {
        private final FileChannel file;

        Channel(FileChannel file) {
            this.file = file;
        }

        private int limited(ByteBuffer src, long position) throws IOException {
            CountDownLatch wait = gate;
            if (wait != null) {
                try {
                    if (!wait.await(30, TimeUnit.SECONDS)) {
                        throw new IOException("the test never opened the gate");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
            }
            writes.incrementAndGet();
            long budget = writeBudget.get();
            if (budget <= 0 && src.hasRemaining()) {
                throw new IOException("No space left on device");
            }
            int fits = (int) Math.min(src.remaining(), budget);
            ByteBuffer part = src.duplicate();
            part.limit(part.position() + fits);
            int written = position < 0 ? file.write(part) : file.write(part, position);
            src.position(src.position() + written);
            writeBudget.addAndGet(-written);
            return written;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return limited(src, -1);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return limited(src, position);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                total += write(srcs[i]);
            }
            return total;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            if (failForce) {
                throw new IOException("Input/output error");
            }
            forces.incrementAndGet();
            file.force(metaData);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return file.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return file.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return file.read(dst, position);
        }

        @Override
        public long position() throws IOException {
            return file.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            file.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            file.truncate(size);
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return file.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            throw new IOException("not used by the broker");
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return file.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return file.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return file.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            file.close();
        }
    }
}
