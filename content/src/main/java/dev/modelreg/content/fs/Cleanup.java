package dev.modelreg.content.fs;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an interrupted process (Ctrl-C, SIGINT, SIGTERM) removes before it exits: the temporary things it made beside
 * targets and in the cache (staging directories, temp files) are {@link #register registered} while they exist and
 * deleted by a shutdown hook. Resumable partial downloads are not registered: they are kept for the next run.
 * <p>
 * Steps that must not be cut in half by that cleanup (the two renames of a workspace swap) run as
 * {@link #critical} sections: the hook waits for one in progress, and none starts once the process is stopping.
 * A kill -9 runs no hook; the next run removes or restores what it left ({@link Leftovers}).
 */
public final class Cleanup {
    private Cleanup() {}

    /** A step of file operations. */
    public interface Step<T> {
        T run() throws IOException;
    }

    private static final Object LOCK = new Object();
    private static final Set<Path> PATHS = ConcurrentHashMap.newKeySet();
    private static boolean stopping;
    private static volatile boolean exiting;

    static {
        Thread hook = new Thread(Cleanup::onShutdown, "modelreg-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Deletes {@code p} (a file or a tree) if the process is stopped before {@link #unregister}. */
    public static void register(Path p) {
        PATHS.add(p.toAbsolutePath());
    }

    public static void unregister(Path p) {
        PATHS.remove(p.toAbsolutePath());
    }

    /** Runs {@code step} unless the process is stopping; the shutdown cleanup starts only after it returns. */
    public static <T> T critical(Step<T> step) throws IOException {
        synchronized (LOCK) {
            if (stopping) throw new InterruptedIOException("interrupted");
            return step.run();
        }
    }

    /** Called by a command line that exits on its own: the shutdown hook then says nothing. */
    public static void exiting() {
        exiting = true;
    }

    /** The paths registered now (for tests). */
    public static List<Path> registered() {
        return List.copyOf(PATHS);
    }

    private static void onShutdown() {
        synchronized (LOCK) {
            stopping = true;
        }
        int removed = 0;
        List<Path> paths = List.copyOf(PATHS);
        // workers may still be writing into a staging directory: a few passes catch what they add meanwhile
        for (int pass = 0; pass < 5; pass++) {
            boolean left = false;
            for (Path p : paths) {
                Trees.deleteQuietly(p);
                left |= java.nio.file.Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            }
            if (!left) break;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                break;
            }
        }
        removed = paths.size();
        if (!exiting && removed > 0) { // a JVM that merely ends (a library user's) had nothing in progress: no message
            System.err.println("modelreg: interrupted; removed " + removed + " temporary " + (removed == 1 ? "item" : "items")
                    + " (partial downloads stay in the cache for the next run)");
            System.err.flush();
        }
    }
}
