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

    /** 700 models (mfsim.nam + input files), 5,000 files in all, nested two ways: a repository like modflow6-testmodels. */
    static Path manyModels(Path root) {
        int written = 0;
        for (int m = 0; m < 700; m++) {
            String dir = String.format("mf6/test%03d_%s", m, m % 2 == 0 ? "gwf_model" : "gwt/transport-case");
            write(root, dir + "/mfsim.nam", "BEGIN options\nEND options\n# " + m + "\n");
            written++;
            int files = m < 100 ? 7 : 6;
            for (int i = 1; i <= files && written < 5000; i++, written++) {
                write(root, dir + "/input/model." + i, "file " + m + "/" + i + "\n".repeat(i));
            }
        }
        return root;
    }
}
