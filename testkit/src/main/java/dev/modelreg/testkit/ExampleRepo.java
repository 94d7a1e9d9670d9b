package dev.modelreg.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Model-repository trees for tests: the repository's own {@code examples/} or a generated MODFLOW-like tree.
 *
 * <p>A generated tree holds model directories {@code mf6/testNNN_word/} (each with an {@code mfsim.nam} namefile
 * listing its files, a {@code gwf.nam}, text package files, files in nested sub-folders such as {@code data/arrays/},
 * and some binary files); every third model also has a nested child model directory {@code .../child/} with its
 * own {@code mfsim.nam} (a separate model whose files are also under its parent). The {@code .ims} solver file has
 * the same bytes in every model, so trees have duplicate content. Same arguments, same bytes.
 */
public final class ExampleRepo {
    private static final String[] WORDS = {"chd", "wel", "riv", "drn", "ghb", "rch", "evt", "maw", "sfr", "lak", "uzf", "csub"};
    private static final String[] PACKAGES = {"dis", "ic", "npf", "oc", "chd", "sto", "wel", "riv", "drn", "ghb", "rch", "obs"};
    private static final String IMS = "BEGIN OPTIONS\n  PRINT_OPTION SUMMARY\nEND OPTIONS\n\nBEGIN NONLINEAR\n  OUTER_DVCLOSE 1.e-6\n"
            + "  OUTER_MAXIMUM 100\nEND NONLINEAR\n\nBEGIN LINEAR\n  INNER_MAXIMUM 300\n  INNER_DVCLOSE 1.e-9\nEND LINEAR\n";

    /** What {@link #generate} wrote: model directories and files as '/'-separated paths relative to root, sorted. */
    public record Tree(Path root, List<String> models, List<String> files, long totalBytes) {}

    private ExampleRepo() {}

    /**
     * Copies the repository's {@code examples/} directory into {@code dest} if this build runs inside the modelreg
     * repository and it exists; otherwise generates a small tree there ({@code generate(dest, 4, 6, 1)}).
     */
    public static Path copyTo(Path dest) {
        Path examples = findExamples();
        if (examples == null) {
            generate(dest, 4, 6, 1L);
            return dest;
        }
        try (Stream<Path> s = Files.walk(examples)) {
            for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                Path to = dest.resolve(examples.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else if (Files.isRegularFile(p)) {
                    Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return dest;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + examples + " to " + dest, e);
        }
    }

    /** {@link #generate(Path, int, int, long, int)} with binary files of up to 64 KiB. */
    public static Tree generate(Path root, int models, int filesPerModel, long seed) {
        return generate(root, models, filesPerModel, seed, 64 * 1024);
    }

    /**
     * Writes {@code models} top-level model directories of {@code filesPerModel} files each (at least 2: mfsim.nam
     * and gwf.nam), plus a nested child model (4 files) under every third model; binary files are 1 to
     * {@code maxBinaryBytes} bytes of seeded random data.
     */
    public static Tree generate(Path root, int models, int filesPerModel, long seed, int maxBinaryBytes) {
        if (models < 1) throw new IllegalArgumentException("models must be >= 1, got " + models);
        if (filesPerModel < 2) throw new IllegalArgumentException("filesPerModel must be >= 2, got " + filesPerModel);
        if (maxBinaryBytes < 1) throw new IllegalArgumentException("maxBinaryBytes must be >= 1, got " + maxBinaryBytes);
        Random random = new Random(seed);
        List<String> modelDirs = new ArrayList<>();
        List<String> files = new ArrayList<>();
        long[] bytes = {0};
        try {
            for (int m = 0; m < models; m++) {
                String name = "mf6/test" + String.format("%03d", m + 1) + "_" + WORDS[m % WORDS.length];
                modelDirs.add(name);
                List<String> own = new ArrayList<>();
                for (int i = 2; i < filesPerModel; i++) {
                    own.add(packageFile(i));
                }
                if (m % 3 == 2) {
                    String child = name + "/child";
                    modelDirs.add(child);
                    writeModel(root, child, List.of("child.dis", "data/child_k.bin"), random, maxBinaryBytes, files, bytes);
                }
                writeModel(root, name, own, random, maxBinaryBytes, files, bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot generate an example repository in " + root, e);
        }
        modelDirs.sort(null);
        files.sort(null);
        return new Tree(root, List.copyOf(modelDirs), List.copyOf(files), bytes[0]);
    }

    /** The i-th (i >= 2) file of a model: text packages, every 4th in a sub-folder, every 5th binary. */
    private static String packageFile(int i) {
        String pkg = PACKAGES[(i - 2) % PACKAGES.length] + ((i - 2) >= PACKAGES.length ? Integer.toString((i - 2) / PACKAGES.length) : "");
        if (i % 5 == 0) return (i % 2 == 0 ? "data/arrays/" : "output/") + pkg + ".bin";
        if (i % 4 == 0) return "data/" + pkg + ".txt";
        if (i == 3) return "gwf.ims";
        return "gwf." + pkg;
    }

    private static void writeModel(Path root, String model, List<String> own, Random random, int maxBinary,
                                   List<String> files, long[] bytes) throws IOException {
        Path dir = root.resolve(model);
        Files.createDirectories(dir);
        StringBuilder sim = new StringBuilder("# MODFLOW 6 simulation name file (generated test data)\n")
                .append("BEGIN options\nEND options\n\nBEGIN timing\n  TDIS6 sim.tdis\nEND timing\n\n")
                .append("BEGIN models\n  gwf6 gwf.nam ").append(model.substring(model.lastIndexOf('/') + 1)).append("\nEND models\n");
        StringBuilder nam = new StringBuilder("BEGIN options\nEND options\n\nBEGIN packages\n");
        for (String f : own) {
            byte[] content;
            if (f.endsWith(".bin")) {
                content = new byte[1 + random.nextInt(maxBinary)];
                random.nextBytes(content);
            } else if (f.endsWith(".ims")) {
                content = IMS.getBytes(StandardCharsets.UTF_8);
            } else {
                StringBuilder t = new StringBuilder("# ").append(model).append('/').append(f).append('\n');
                t.append("BEGIN GRIDDATA\n");
                int values = 8 + random.nextInt(64);
                for (int v = 0; v < values; v++) t.append(String.format("  %.6e%n", random.nextDouble() * 100));
                t.append("END GRIDDATA\n");
                content = t.toString().getBytes(StandardCharsets.UTF_8);
            }
            write(root, model + "/" + f, content, files, bytes);
            nam.append("  ").append(f.substring(f.lastIndexOf('.') + 1).toUpperCase()).append("6 ").append(f).append('\n');
        }
        nam.append("END packages\n");
        write(root, model + "/mfsim.nam", sim.toString().getBytes(StandardCharsets.UTF_8), files, bytes);
        write(root, model + "/gwf.nam", nam.toString().getBytes(StandardCharsets.UTF_8), files, bytes);
    }

    private static void write(Path root, String rel, byte[] content, List<String> files, long[] bytes) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, content);
        files.add(rel);
        bytes[0] += content.length;
    }

    /** {@code examples/} of the enclosing modelreg checkout (found from the working directory upwards), or null. */
    private static Path findExamples() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path pom = d.resolve("pom.xml");
            try {
                if (Files.isRegularFile(pom) && Files.readString(pom).contains("<artifactId>modelreg-parent</artifactId>")
                        && !Files.readString(pom).contains("<parent>")) {
                    Path ex = d.resolve("examples");
                    return Files.isDirectory(ex) ? ex : null;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + pom, e);
            }
        }
        return null;
    }
}
