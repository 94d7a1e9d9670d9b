package dev.modelreg.testkit;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Bounded, deterministic fuzzing of a reader: case {@code i} of seed {@code s} is generated from
 * {@code new Random(s * 1_000_003 + i)}, so any case can be rerun alone. Each case runs on a worker thread within a
 * time limit and an allocation limit; it is "accepted" when the reader returns, "refused" when it throws what the
 * test calls clean (with a one-line message), and fails the test otherwise, with the seed, the case index, a hex
 * snippet of the input and the input written to {@code target/fuzz/}. {@code -Dmodelreg.fuzz.cases=N} and
 * {@code -Dmodelreg.fuzz.seed=S} change every fuzz test's case count and seed for longer runs.
 */
public final class Fuzz implements AutoCloseable {
    public static final String CASES_PROPERTY = "modelreg.fuzz.cases";
    public static final String SEED_PROPERTY = "modelreg.fuzz.seed";

    /** Makes the input of one case. */
    public interface Generator {
        byte[] make(Random rnd, int index) throws Exception;
    }

    /** Reads one input: returning means accepted; what it checks about an accepted input it asserts itself. */
    public interface Reader {
        void read(byte[] input, int index) throws Exception;
    }

    /** What a run did: counts, and refusals counted by their message with numbers and quoted text blanked. */
    public record Report(String name, long seed, int cases, int accepted, int refused, long millis, Map<String, Integer> refusals) {
        /** Prints the summary; with {@code -Dmodelreg.fuzz.cases} (a long run) also every kind of refusal and its count. */
        public void print() {
            System.out.println(this);
            if (System.getProperty(CASES_PROPERTY) != null) refusals.forEach((k, v) -> System.out.println("  " + v + " x " + k));
        }

        @Override
        public String toString() {
            return name + " fuzz: seed " + seed + ", " + cases + " cases in " + millis + " ms: " + accepted + " accepted, "
                    + refused + " refused (" + refusals.size() + " kinds of refusal)";
        }
    }

    private final String name;
    private final long seed;
    private final int cases;
    private long timeoutMillis = 10_000;
    private long maxAllocatedBytes = 256L << 20;
    private final ExecutorService worker;

    private Fuzz(String name, long seed, int cases) {
        this.name = name;
        this.seed = seed;
        this.cases = cases;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-" + name);
            t.setDaemon(true); // a case that hangs must not keep the JVM alive
            return t;
        });
    }

    /** A fuzz run of {@code defaultCases} cases from {@code defaultSeed}, unless the system properties say otherwise. */
    public static Fuzz of(String name, long defaultSeed, int defaultCases) {
        return new Fuzz(name, Long.getLong(SEED_PROPERTY, defaultSeed), Integer.getInteger(CASES_PROPERTY, defaultCases));
    }

    /** A case taking longer than this fails as a hang (default 10 s). */
    public Fuzz timeoutMillis(long ms) {
        this.timeoutMillis = ms;
        return this;
    }

    /** A case allocating more than this on its thread fails as unbounded memory (default 256 MiB). */
    public Fuzz maxAllocatedBytes(long bytes) {
        this.maxAllocatedBytes = bytes;
        return this;
    }

    public Report run(Generator generator, Reader reader, Predicate<Throwable> clean) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int accepted = 0;
        int refused = 0;
        Map<String, Integer> refusals = new TreeMap<>();
        long start = System.nanoTime();
        for (int i = 0; i < cases; i++) {
            byte[] input;
            try {
                input = generator.make(new Random(seed * 1_000_003L + i), i);
            } catch (Exception e) {
                throw new AssertionError(name + " fuzz: the generator failed at case " + i, e);
            }
            int index = i;
            Future<long[]> f = worker.submit(() -> {
                long before = threads.getCurrentThreadAllocatedBytes();
                try {
                    reader.read(input, index);
                    return new long[] {threads.getCurrentThreadAllocatedBytes() - before};
                } catch (Throwable t) {
                    throw new Refusal(t, threads.getCurrentThreadAllocatedBytes() - before);
                }
            });
            Throwable thrown = null;
            long allocated;
            try {
                allocated = f.get(timeoutMillis, TimeUnit.MILLISECONDS)[0];
            } catch (TimeoutException e) {
                f.cancel(true);
                throw failure(i, input, "no answer within " + timeoutMillis + " ms (a hang?)", null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure(i, input, "interrupted", e);
            } catch (ExecutionException e) {
                Refusal r = (Refusal) e.getCause();
                thrown = r.getCause();
                allocated = r.allocated;
            }
            if (allocated > maxAllocatedBytes) {
                throw failure(i, input, "allocated " + allocated + " bytes, over the limit of " + maxAllocatedBytes, thrown);
            }
            if (thrown == null) {
                accepted++;
                continue;
            }
            String m = thrown.getMessage();
            if (thrown instanceof AssertionError || !clean.test(thrown)) {
                throw failure(i, input, "not a clean refusal: " + thrown, thrown);
            }
            if (m == null || m.isBlank() || m.indexOf('\n') >= 0 || m.indexOf('\r') >= 0) {
                throw failure(i, input, "a refusal without a one-line message: " + thrown, thrown);
            }
            refused++;
            refusals.merge(thrown.getClass().getSimpleName() + ": " + m.replaceAll("'[^']*'", "'…'").replaceAll("[0-9a-f]{32,}", "…").replaceAll("[0-9]+", "N"), 1, Integer::sum);
        }
        return new Report(name, seed, cases, accepted, refused, (System.nanoTime() - start) / 1_000_000, refusals);
    }

    private static final class Refusal extends Exception {
        final long allocated;

        Refusal(Throwable cause, long allocated) {
            super(cause);
            this.allocated = allocated;
        }
    }

    private AssertionError failure(int i, byte[] input, String why, Throwable cause) {
        String file = "";
        try {
            Path p = Path.of("target", "fuzz", name + "-" + seed + "-" + i + ".bin");
            Files.createDirectories(p.getParent());
            Files.write(p, input);
            file = "\n  input written to " + p.toAbsolutePath();
        } catch (IOException ignored) {
            // the hex below still shows the input's start
        }
        return new AssertionError(name + " fuzz, seed " + seed + " case " + i + " (rerun: -D" + SEED_PROPERTY + "=" + seed
                + " -D" + CASES_PROPERTY + "=" + (i + 1) + "): " + why + "\n  input (" + input.length + " bytes), first 256 as hex: "
                + HexFormat.of().formatHex(input, 0, Math.min(256, input.length)) + file, cause);
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
