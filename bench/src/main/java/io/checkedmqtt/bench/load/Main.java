package io.checkedmqtt.bench.load;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point of {@code checked-mqtt-bench.jar}: one scenario per invocation against a broker
 * that is already running, or {@code report} to turn the RESULT lines of a comparison into a
 * Markdown table and an SVG chart.
 */
public final class Main {
    private Main() {
    }

    public static void main(final String[] args) {
        System.exit(run(Arrays.asList(args)));
    }

    static int run(final List<String> args) {
        if (args.isEmpty() || args.get(0).equals("-h") || args.get(0).equals("--help") || args.get(0).equals("help")) {
            System.out.print(Options.USAGE);
            return args.isEmpty() ? 1 : 0;
        }
        try {
            if (args.get(0).equals("report")) {
                return Report.main(args.subList(1, args.size()), System.out);
            }
            final Options options = Options.parse(args);
            return switch (options.scenario()) {
                case CONN -> new ConnRun(options, System.out, System.err).run();
                case FLEET -> new FleetRun(options, System.out, System.err).run();
                default -> new LoadRun(options, System.out, System.err).run();
            };
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(Options.USAGE);
            return 1;
        } catch (IOException e) {
            System.err.println("I/O error: " + e);
            return 2;
        }
    }
}
