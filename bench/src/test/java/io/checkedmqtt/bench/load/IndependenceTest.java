package io.checkedmqtt.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The load tool is an independent MQTT client: if it used the broker's codec or core, a bug
 * there would cancel itself out in every measurement. Its sources must not mention them.
 */
class IndependenceTest {

    @Test
    @DisplayName("the load tool's sources use neither protocol-core nor nio-broker")
    void noSharedCode() throws IOException {
        final Path sources = Path.of("src/main/java/io/checkedmqtt/bench/load");
        assertTrue(Files.isDirectory(sources), "run from the bench module: " + sources.toAbsolutePath());
        final List<String> offenders;
        try (Stream<Path> files = Files.walk(sources)) {   // the wire/ package too
            offenders = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> {
                        try {
                            final String text = Files.readString(f);
                            return text.contains("io.checkedmqtt.core") || text.contains("io.checkedmqtt.broker");
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .map(Path::toString)
                    .collect(Collectors.toList());
        }
        assertEquals(List.of(), offenders);
    }
}
