package dev.modelreg.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A file and a directory of someone else's that links planted in a shared directory point at (spec/README.md 9.2): a
 * test plants links where modelreg writes, runs it, and checks with {@link #state()} that the victims are byte for
 * byte what they were.
 */
public final class Victims {
    /** What the victim's file holds (19 bytes, as in the report that found the bug). */
    public static final byte[] BYTES = "the victim's 19 byt".getBytes(StandardCharsets.UTF_8);

    private final Path file;
    private final Path dir;

    private Victims(Path file, Path dir) {
        this.file = file;
        this.dir = dir;
    }

    /** {@code tmp/victim.txt} and {@code tmp/victim-dir/} (holding {@code keep.txt}), both holding {@link #BYTES}. */
    public static Victims in(Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("victim-dir"));
        Files.write(dir.resolve("keep.txt"), BYTES);
        return new Victims(Files.write(tmp.resolve("victim.txt"), BYTES), dir);
    }

    public Path file() {
        return file;
    }

    public Path dir() {
        return dir;
    }

    /** Every entry of the victim's directory (a file by its sha256), and the victim's file. */
    public Map<String, String> state() throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                m.put("victim-dir/" + dir.relativize(p), Files.isRegularFile(p) ? sha256(Files.readAllBytes(p)) : "dir");
            }
        }
        m.put("victim.txt", sha256(Files.readAllBytes(file)));
        return m;
    }

    /** Makes {@code link} (and its parent directories) a symbolic link to {@code target}. */
    public static Path plant(Path link, Path target) throws IOException {
        Files.createDirectories(link.getParent());
        return Files.createSymbolicLink(link, target);
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
