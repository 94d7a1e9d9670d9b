package dev.modelreg.publisher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Small helpers that build model trees on disk for the tests. */
final class TestTrees {
    private TestTrees() {}

    static Path write(Path root, String rel, String text) {
        return write(root, rel, text.getBytes(StandardCharsets.UTF_8));
    }

    static Path write(Path root, String rel, byte[] bytes) {
        try {
            Path p = root.resolve(rel);
            Files.createDirectories(p.getParent());
            return Files.write(p, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository's examples/models tree (tests run in the module directory). */
    static Path examples() {
        Path p = Path.of("..", "examples", "models").toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) throw new IllegalStateException("examples/models not found at " + p);
        return p;
    }

    static void copyTree(Path from, Path to) {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.naturalOrder())::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] b) {
        return dev.modelreg.spec.Digest.sha256Of(b).hex();
    }
}
