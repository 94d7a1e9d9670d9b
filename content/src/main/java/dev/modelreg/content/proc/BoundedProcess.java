package dev.modelreg.content.proc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * One bounded run of a program that answers on stdout (a credential helper, git): its stdin gets {@code input}, its stdout
 * is read up to a bound and its stderr drained (and dropped), both while it runs, on their own threads, so that a
 * program filling either pipe never waits on us. The whole exchange (its exit, and the end of both streams) must be
 * over within the limit. Past it, or past the stdout bound, the program and every process it started are killed:
 * its descendants, and on Linux also every process whose environment carries this run's cookie
 * ({@value #COOKIE}), which finds a child the program left behind (reparented, no longer a descendant) holding
 * its stdout open. Only a process that got out of both (a daemon that cleared its environment) escapes. A JVM
 * stopped during a run (SIGINT, SIGTERM) kills the program the same way in a shutdown hook.
 */
public final class BoundedProcess {
    /** The environment variable marking the processes of one run (a random value per run). */
    static final String COOKIE = "MODELREG_HELPER_RUN";

    public enum End {
        /** Exited, and both streams ended. */
        FINISHED,
        /** Still running at the limit. */
        TIMED_OUT,
        /** Exited, but a process it started still held its stdout or stderr open at the limit. */
        OUTPUT_HELD,
        /** Printed more than the bound on stdout. */
        TOO_MUCH_OUTPUT
    }

    /** How the run ended; {@code exitCode} and {@code stdout} only mean something when it {@link End#FINISHED}. */
    public record Result(End end, int exitCode, byte[] stdout) {}

    /** Runs under way: a process stopped meanwhile (SIGINT, SIGTERM) kills them on its way out. */
    private static final Map<Process, String> RUNNING = new ConcurrentHashMap<>();
    private static volatile boolean exiting;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            exiting = true;
            RUNNING.forEach(BoundedProcess::kill);
        }, "modelreg-helper-kill"));
    }

    private BoundedProcess() {}

    /** Runs {@code command} with exactly {@code env} (plus the cookie); the caller's thread waits at most {@code limit}. */
    public static Result run(List<String> command, Map<String, String> env, byte[] input, int maxStdout, Duration limit)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        String cookie = UUID.randomUUID().toString();
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().put(COOKIE, cookie);
        Process p = pb.start();
        RUNNING.put(p, cookie);
        boolean clean = false;
        try {
            if (exiting) { // started while the hook ran, perhaps after it looked: kill it here
                kill(p, cookie);
                awaitExit();
            }
            Drain out = new Drain(p.getInputStream(), maxStdout, command.get(0) + " stdout");
            Drain err = new Drain(p.getErrorStream(), 0, command.get(0) + " stderr");
            try (OutputStream in = p.getOutputStream()) {
                in.write(input); // a few bytes: fits the pipe whether or not the program reads them
            } catch (IOException ignored) {
                // a program that exits without reading its stdin answers anyway
            }
            out.join(remainingMillis(deadline));
            if (exiting) awaitExit();
            if (out.overflowed()) return new Result(End.TOO_MUCH_OUTPUT, -1, null);
            err.join(remainingMillis(deadline));
            boolean exited = p.waitFor(remainingNanos(deadline), TimeUnit.NANOSECONDS);
            if (exiting) awaitExit();
            if (!exited) return new Result(End.TIMED_OUT, -1, null);
            if (out.isAlive() || err.isAlive()) return new Result(End.OUTPUT_HELD, p.exitValue(), null);
            clean = true;
            return new Result(End.FINISHED, p.exitValue(), out.bytes());
        } finally {
            if (!clean) kill(p, cookie);
            RUNNING.remove(p);
        }
    }

    /**
     * The JVM is exiting (a signal) and its hook has killed this run's program: the caller must not go on to report
     * that as the helper's failure (a second error, a second JSON document) while the exit runs. It waits for the halt.
     */
    private static void awaitExit() {
        while (true) LockSupport.park();
    }

    /**
     * SIGKILL to the program, the descendants it has now and every process carrying the cookie; waits (2 s at most)
     * for the program to be reaped. The others die as the signal lands; their new parent reaps them.
     */
    static void kill(Process p, String cookie) {
        List<ProcessHandle> tree = p.descendants().toList();
        p.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        carrying(cookie).forEach(ProcessHandle::destroyForcibly);
        try {
            p.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The processes whose environment holds {@code COOKIE=cookie} (Linux; elsewhere none). */
    static List<ProcessHandle> carrying(String cookie) {
        byte[] mark = ("\0" + COOKIE + "=" + cookie + "\0").getBytes(StandardCharsets.UTF_8);
        Path proc = Path.of("/proc");
        List<ProcessHandle> found = new ArrayList<>();
        if (!Files.isDirectory(proc.resolve("self"))) return found;
        try (Stream<Path> s = Files.list(proc)) {
            for (Path dir : (Iterable<Path>) s::iterator) {
                String name = dir.getFileName().toString();
                if (name.isEmpty() || !name.chars().allMatch(Character::isDigit)) continue;
                byte[] env;
                try {
                    env = Files.readAllBytes(dir.resolve("environ"));
                } catch (IOException | SecurityException e) {
                    continue; // another user's, or gone
                }
                byte[] padded = new byte[env.length + 1]; // the first variable has no NUL before it
                System.arraycopy(env, 0, padded, 1, env.length);
                if (indexOf(padded, mark) >= 0) ProcessHandle.of(Long.parseLong(name)).ifPresent(found::add);
            }
        } catch (IOException | RuntimeException e) {
            // /proc unreadable: the descendants are all we can find
        }
        return found;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    private static long remainingNanos(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    /** At least 1 ms: {@code Thread.join(0)} would wait for ever. */
    private static long remainingMillis(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(remainingNanos(deadline)));
    }

    /** Reads a stream to its end on its own (daemon) thread, keeping at most {@code keep} bytes; more is overflow. */
    private static final class Drain extends Thread {
        private final InputStream in;
        private final int keep;
        private byte[] kept = new byte[0];
        private volatile boolean overflow;

        Drain(InputStream in, int keep, String name) {
            super("modelreg " + name);
            this.in = in;
            this.keep = keep;
            setDaemon(true);
            start();
        }

        @Override
        public void run() {
            try (in) {
                if (keep > 0) {
                    byte[] b = in.readNBytes(keep + 1); // to the end, or one byte more than it may print
                    overflow = b.length > keep;
                    if (!overflow) kept = b;
                } else {
                    in.transferTo(OutputStream.nullOutputStream());
                }
            } catch (IOException e) {
                // closed under us (the program was killed)
            }
        }

        boolean overflowed() {
            return overflow;
        }

        byte[] bytes() {
            return kept;
        }
    }
}
