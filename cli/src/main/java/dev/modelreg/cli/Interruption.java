package dev.modelreg.cli;

import java.io.PrintWriter;
import sun.misc.Signal;

/**
 * With {@code --json}, a run stopped by SIGINT or SIGTERM still prints its one JSON document: the error document of
 * kind {@code interrupted} with the exit code the JVM exits with (128 + the signal), unless the result was printed
 * first. The handlers do what the JVM's own do (exit with 128 + the signal, running the shutdown hooks, so
 * {@link dev.modelreg.content.fs.Cleanup} still removes what the run left) and remember which signal it was.
 */
final class Interruption {
    private Interruption() {}

    private static volatile int signal;

    static void reportAsJson(RootCommand root, PrintWriter out) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), s -> {
                    signal = s.getNumber();
                    System.exit(128 + s.getNumber());
                });
            } catch (IllegalArgumentException e) {
                // the signal is reserved here (e.g. -Xrs): the JVM's handling stays
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            int s = signal;
            if (s == 0) return;
            String what = s == 2 ? "interrupted (SIGINT)" : s == 15 ? "terminated (SIGTERM)" : "stopped by signal " + s;
            root.printDocument(out, new Failure("interrupted", 128 + s, what).toJson());
        }, "modelreg-interrupted"));
    }
}
