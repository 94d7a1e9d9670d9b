package dev.modelreg.content.fs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names for the temporary things modelreg makes beside a target (staging directories, temp files) that say which
 * process made them: {@code PREFIX + PID + "-" + random}. After a crash (kill -9, power loss) the next run finds the
 * ones whose process is gone ({@link #stale}) and removes or restores them; those of a live process are left alone.
 */
public final class Leftovers {
    private Leftovers() {}

    /** {@code PID-} of this process: what follows a prefix in the names this process makes. */
    public static String ownerTag() {
        return ProcessHandle.current().pid() + "-";
    }

    /**
     * A new private temp directory {@code PREFIX + PID-...} in the system temp dir, registered with {@link Cleanup}
     * (an interrupt removes it; the caller deletes it and unregisters it when done). The ones a killed process left
     * there are removed first, so a crash costs disk only until the next run that makes one.
     */
    public static Path tempDir(String prefix) throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        for (Path dead : stale(tmp, prefix)) Trees.deleteQuietly(dead); // another user's: not ours to remove, left
        Path dir = Files.createTempDirectory(tmp, prefix + ownerTag());
        Cleanup.register(dir);
        return dir;
    }

    /** Deletes a temp dir this process made and registered ({@link #tempDir}, a scratch dir), quietly, and unregisters it. */
    public static void removeTempDir(Path dir) {
        if (dir == null) return;
        Trees.deleteQuietly(dir);
        Cleanup.unregister(dir);
    }

    private static final Pattern TEMP_FILE = Pattern.compile("\\..+\\.(\\d+)-[0-9a-z]+\\.partial");

    /** The entries of {@code dir} named {@code prefix + PID-...} whose process no longer runs. */
    public static List<Path> stale(Path dir, String prefix) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith(prefix))) {
            for (Path p : ds) {
                String rest = p.getFileName().toString().substring(prefix.length());
                int dash = rest.indexOf('-');
                if (dash > 0 && isDead(rest.substring(0, dash))) out.add(p);
            }
        } catch (IOException e) {
            // unreadable directory: nothing to clean now
        }
        return out;
    }

    /** Temp files {@code .NAME.PID-RANDOM.partial} in {@code dir} whose process no longer runs. */
    public static List<Path> staleTempFiles(Path dir) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ".*.partial")) {
            for (Path p : ds) {
                Matcher m = TEMP_FILE.matcher(p.getFileName().toString());
                if (m.matches() && isDead(m.group(1))) out.add(p);
            }
        } catch (IOException e) {
            // unreadable directory: nothing to clean now
        }
        return out;
    }

    private static boolean isDead(String pidText) {
        long pid;
        try {
            pid = Long.parseLong(pidText);
        } catch (NumberFormatException e) {
            return false;
        }
        if (pid == ProcessHandle.current().pid()) return false;
        return !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
