package dev.modelreg.publisher;

import dev.modelreg.content.Hashing;
import dev.modelreg.content.Parallel;
import dev.modelreg.spec.GitHubUrls;
import dev.modelreg.spec.FileEntry;
import dev.modelreg.spec.ModelsToml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Indexes a model repository directory into a models.toml, with modflow-devtools' make_registry rules:
 * <ul>
 *   <li>a model is every directory below (or at) the root holding a file whose name matches the namefile glob;
 *       its name is {@code PREFIX + "/" + relative path} (just {@code PREFIX} for the root itself);</li>
 *   <li>its file list is every file below it, nested models included, minus {@link Exclusions}, in devtools' order
 *       ({@link #DEVTOOLS_ORDER}): the directory's own files first, then each sub-directory's, depth first;</li>
 *   <li>{@code [files]} keys are paths relative to the root with '/' separators; {@code hash} is the lowercase-hex
 *       sha256 of the raw bytes, each file read once, files hashed in parallel;</li>
 *   <li>{@code url}: {@code fileUrlBase + "/" + key} (raw mode) or the asset URL (release mode), else none;</li>
 *   <li>{@code [examples]} when asked (release-asset registries in modflow-devtools): example = first path
 *       element of the model's directory; its models listed with names containing "gwf" first, then by name.</li>
 * </ul>
 */
final class Indexer {
    private Indexer() {}

    public static Index index(Path root, IndexOptions o) throws IOException {
        Path base = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(base)) {
            throw new NoSuchFileException(root.toString(), null, "not a directory");
        }
        Path skip = o.skipDir() == null ? null : o.skipDir().toAbsolutePath().normalize();
        PathMatcher namefile = FileSystems.getDefault().getPathMatcher("glob:" + o.namefileGlob());

        TreeSet<String> modelDirs = new TreeSet<>();   // relative dir keys, "" = root
        TreeMap<String, Path> files = new TreeMap<>(); // every non-excluded file, by key
        Files.walkFileTree(base, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return skip != null && dir.equals(skip) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                boolean regular = attrs.isRegularFile() || (attrs.isSymbolicLink() && Files.isRegularFile(file));
                if (!regular) return FileVisitResult.CONTINUE;
                Path name = file.getFileName();
                String key = key(base, file);
                if (namefile.matches(name)) {
                    int slash = key.lastIndexOf('/');
                    modelDirs.add(slash < 0 ? "" : key.substring(0, slash));
                }
                if (!Exclusions.excluded(name.toString())) files.put(key, file);
                return FileVisitResult.CONTINUE;
            }
        });

        TreeMap<String, List<String>> models = new TreeMap<>();
        TreeSet<String> used = new TreeSet<>();
        for (String dir : modelDirs) {
            String name = modelName(o.prefix(), dir);
            List<String> list = new ArrayList<>(filesBelow(files, dir).keySet());
            list.sort(DEVTOOLS_ORDER);
            models.put(name, list);
            used.addAll(list);
        }

        TreeMap<String, Path> paths = new TreeMap<>();
        for (String k : used) paths.put(k, files.get(k));
        Map<String, Hashing.Hashed> hashes = hashAll(paths, o.threads());

        TreeMap<String, FileEntry> entries = new TreeMap<>();
        TreeMap<String, Long> sizes = new TreeMap<>();
        for (String k : used) {
            Hashing.Hashed h = hashes.get(k);
            String url = o.assetUrl() != null ? o.assetUrl()
                    : o.fileUrlBase() != null ? o.fileUrlBase() + "/" + GitHubUrls.encodePath(k) : null;
            entries.put(k, new FileEntry(h.digest(), url, null, h.size()));
            sizes.put(k, h.size());
        }
        SortedMap<String, List<String>> examples = o.examples() ? examples(o.prefix(), modelDirs) : new TreeMap<>();
        ModelsToml registry = new ModelsToml(ModelsToml.SCHEMA_VERSION, entries, models, examples);
        return new Index(base, registry, paths, sizes);
    }

    /**
     * The order of a model's files in modflow-devtools' make_registry (a {@code rglob("*")} of the model directory on
     * a file system that lists a directory sorted, as Windows does): at each level, the files of the directory come
     * before its sub-directories, and names are compared by their upper-case form (so {@code B.dis} comes before
     * {@code c.dis} and {@code ab} before {@code a_b}), then, for names equal but for case, as they are.
     */
    static final Comparator<String> DEVTOOLS_ORDER = Indexer::compareKeys;

    private static int compareKeys(String a, String b) {
        String[] x = a.split("/");
        String[] y = b.split("/");
        for (int i = 0; ; i++) {
            boolean xFile = i == x.length - 1;
            boolean yFile = i == y.length - 1;
            if (xFile != yFile) return xFile ? -1 : 1;
            int c = compareNames(x[i], y[i]);
            if (c != 0 || xFile) return c;
        }
    }

    private static int compareNames(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char p = Character.toUpperCase(a.charAt(i));
            char q = Character.toUpperCase(b.charAt(i));
            if (p != q) return p - q;
        }
        return a.length() != b.length() ? a.length() - b.length() : a.compareTo(b);
    }

    static String modelName(String prefix, String dir) throws PublishException {
        if (dir.isEmpty()) {
            if (prefix.isEmpty()) throw PublishException.invalid("the root directory is a model: give a --name prefix");
            return prefix;
        }
        return prefix.isEmpty() ? dir : prefix + "/" + dir;
    }

    private static SortedMap<String, Path> filesBelow(TreeMap<String, Path> files, String dir) {
        if (dir.isEmpty()) return files;
        // keys below "a/b" are exactly those in ["a/b/", "a/b0"): '0' is the character after '/'.
        return files.subMap(dir + "/", dir + "0");
    }

    private static SortedMap<String, List<String>> examples(String prefix, TreeSet<String> modelDirs) throws PublishException {
        TreeMap<String, List<String>> ex = new TreeMap<>();
        for (String dir : modelDirs) {
            if (dir.isEmpty()) continue;
            int slash = dir.indexOf('/');
            String example = slash < 0 ? dir : dir.substring(0, slash);
            ex.computeIfAbsent(example, k -> new ArrayList<>()).add(modelName(prefix, dir));
        }
        for (List<String> l : ex.values()) {
            l.sort((a, b) -> {
                boolean ga = a.contains("gwf");
                boolean gb = b.contains("gwf");
                return ga != gb ? (ga ? -1 : 1) : a.compareTo(b);
            });
        }
        return ex;
    }

    static String key(Path base, Path file) {
        Path rel = base.relativize(file);
        StringBuilder sb = new StringBuilder();
        for (Path part : rel) {
            if (sb.length() > 0) sb.append('/');
            sb.append(part);
        }
        return sb.toString();
    }

    /** Hashes every file once ({@link Hashing}), in parallel on a bounded pool; streaming, so memory stays flat. */
    static Map<String, Hashing.Hashed> hashAll(SortedMap<String, Path> paths, int threads) throws IOException {
        Map<String, Hashing.Hashed> found = new java.util.concurrent.ConcurrentHashMap<>();
        List<Parallel.Task> tasks = new ArrayList<>();
        for (Map.Entry<String, Path> e : paths.entrySet()) tasks.add(() -> found.put(e.getKey(), Hashing.hash(e.getValue())));
        Parallel.run(tasks, threads);
        return new TreeMap<>(found);
    }
}
