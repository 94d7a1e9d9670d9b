package dev.modelreg.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Entry point: builds the command line through {@link Cli} and exits with its status. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // A worker thread that dies of an Error (e.g. OutOfMemoryError under a small -Xmx) can leave a future that
        // never completes: exit with one line instead of hanging. The handler may itself be short of memory, so the
        // fallback message is built up front and the halt is unconditional.
        byte[] fallback = "modelreg: error: out of memory (give the JVM more, e.g. MODELREG_JAVA_OPTS=-Xmx512m)\n"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            if (!(e instanceof Error)) return;
            try {
                if (e instanceof OutOfMemoryError) {
                    System.err.write(fallback, 0, fallback.length);
                } else {
                    System.err.println("modelreg: error: " + e + " in thread '" + thread.getName() + "'");
                }
                System.err.flush();
            } finally {
                Runtime.getRuntime().halt(ExitCodes.ERROR);
            }
        });
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = Cli.run(args, out, err);
        out.flush();
        err.flush();
        stopHttpClientSelectors();
        System.exit(code);
    }

    /**
     * JDK 17's {@code java.net.http.HttpClient} keeps a selector thread blocked in native code (epoll) until the
     * client is garbage collected, and the JVM's exit waits up to 300 ms for threads in native code: every command
     * that used an HTTP client (oras-java's included) ended 300 ms after its work. An interrupted selector thread
     * closes its connections and ends; the command is done, so nothing is in flight. At most 100 ms in all.
     */
    static void stopHttpClientSelectors() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) root = root.getParent();
        Thread[] all = new Thread[root.activeCount() + 8];
        List<Thread> selectors = new ArrayList<>();
        for (int i = 0, n = root.enumerate(all, true); i < n; i++) {
            String name = all[i].getName();
            if (name.startsWith("HttpClient-") && name.endsWith("-SelectorManager")) selectors.add(all[i]);
        }
        selectors.forEach(Thread::interrupt);
        long deadline = System.nanoTime() + 100_000_000L;
        try {
            for (Thread t : selectors) {
                long leftMillis = (deadline - System.nanoTime()) / 1_000_000L;
                if (leftMillis <= 0) break;
                t.join(leftMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
