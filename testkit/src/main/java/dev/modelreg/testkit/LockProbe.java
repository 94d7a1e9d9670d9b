package dev.modelreg.testkit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Asks another process whether a lock file is held: {@link #heldByAnotherProcess} runs this class's {@code main} in a
 * new JVM, which tries the OS lock ({@code fcntl}) on the file and answers {@code held} or {@code free}. Only another
 * process sees what other processes see: within one JVM, the JVM's own lock bookkeeping answers instead.
 */
public final class LockProbe {
    private LockProbe() {}

    public static void main(String[] args) throws IOException {
        try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            System.out.println(l == null ? "held" : "free");
        }
    }

    /** True if a new JVM cannot take the OS lock on {@code lockFile} (which must exist). */
    public static boolean heldByAnotherProcess(Path lockFile) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                LockProbe.class.getName(), lockFile.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the lock probe did not answer within 60 s");
        }
        String out = new String(p.getInputStream().readAllBytes()).trim();
        if (!out.equals("held") && !out.equals("free")) throw new AssertionError("lock probe: " + out);
        return out.equals("held");
    }
}
