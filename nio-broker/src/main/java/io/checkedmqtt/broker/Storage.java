package io.checkedmqtt.broker;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * How persistence opens its files: {@link #FILES}, the file system, in the broker; in tests, one
 * whose channels fail on purpose (a full disk, a failing force), the seam for failures a test
 * cannot cause with a real disk.
 */
@FunctionalInterface
interface Storage {

    Storage FILES = FileChannel::open;

    FileChannel open(Path path, OpenOption... options) throws IOException;
}
