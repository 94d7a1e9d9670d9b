package dev.modelreg.publisher;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@link Indexer} needs besides the directory.
 *
 * @param prefix       model name prefix (the consumer's source name), e.g. {@code mf6/example}; may be empty
 * @param namefileGlob a model is a directory holding a file whose name matches this glob (default {@code mfsim.nam})
 * @param fileUrlBase  null, or the base that each file's {@code url} is built from: {@code base + "/" + key}
 * @param assetUrl     null, or the release-asset zip URL that every file's {@code url} points at (release mode)
 * @param examples     fill {@code [examples]} (example = first path element of a model's directory)
 * @param skipDir      null, or a directory below the root that is never indexed (the registry's own output)
 * @param threads      hashing threads (>= 1)
 */
record IndexOptions(String prefix, String namefileGlob, String fileUrlBase, String assetUrl, boolean examples,
                           Path skipDir, int threads) {
    public static final String DEFAULT_NAMEFILE = "mfsim.nam";

    public IndexOptions {
        Objects.requireNonNull(prefix, "prefix");
        prefix = stripSlashes(prefix);
        namefileGlob = namefileGlob == null || namefileGlob.isBlank() ? DEFAULT_NAMEFILE : namefileGlob;
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }

    public static IndexOptions of(String prefix) {
        return new IndexOptions(prefix, DEFAULT_NAMEFILE, null, null, false, null, defaultThreads());
    }

    public static int defaultThreads() {
        return Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()));
    }

    private static String stripSlashes(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && s.charAt(a) == '/') a++;
        while (b > a && s.charAt(b - 1) == '/') b--;
        return s.substring(a, b);
    }
}
