package dev.modelreg.consumer;

import dev.modelreg.content.AtomicFiles;

import dev.modelreg.content.DigestingOutputStream;
import dev.modelreg.spec.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes files out of the blob cache: {@link #install} builds the whole workspace in a staging directory beside it
 * and swaps it in only when every file is verified; {@link #writeFile} places one file atomically.
 */
final class Workspace {
    private Workspace() {}

    /** Refuses absolute paths, "..", empty segments and backslashes: a registry path never escapes its directory. */
    static String safeRelative(String key, String what) {
        if (key.isEmpty() || key.startsWith("/") || key.contains("\\") || key.matches("^[A-Za-z]:.*")) {
            throw new ConsumerException(what + ": unsafe path '" + key + "'");
        }
        for (String seg : key.split("/", -1)) {
            if (seg.isEmpty() || seg.equals("..") || seg.equals(".")) {
                throw new ConsumerException(what + ": unsafe path '" + key + "'");
            }
        }
        return key;
    }

    /** The deepest directory (with trailing '/') that contains every key; "" when they share none. */
    static String commonDir(List<String> keys) {
        String prefix = null;
        for (String k : keys) {
            int slash = k.lastIndexOf('/');
            String dir = slash < 0 ? "" : k.substring(0, slash + 1);
            if (prefix == null) {
                prefix = dir;
            } else {
                while (!dir.startsWith(prefix)) {
                    int s = prefix.lastIndexOf('/', prefix.length() - 2);
                    prefix = s < 0 ? "" : prefix.substring(0, s + 1);
                }
            }
        }
        return prefix == null ? "" : prefix;
    }

    static boolean isEmptyDir(Path p) throws IOException {
        if (!Files.isDirectory(p)) return false;
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isEmpty();
        }
    }

    /**
     * Installs {@code files} (relative path -> digest in the cache) as the directory {@code ws}. An existing
     * non-empty {@code ws} is refused unless {@code overwrite}; on any failure {@code ws} is left as it was.
     */
    static void install(Path ws, Map<String, Digest> files, Cache cache, boolean overwrite, String what) throws IOException {
        Path target = ws.toAbsolutePath().normalize();
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new ConsumerException("workspace " + target + " exists and is not a directory");
        }
        boolean existed = Files.exists(target) && !isEmptyDir(target);
        if (existed && !overwrite) {
            throw new ConsumerException("workspace " + target + " already exists and is not empty (use --overwrite to replace it)");
        }
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, "." + target.getFileName() + ".staging-");
        try {
            for (Map.Entry<String, Digest> f : files.entrySet()) {
                String rel = safeRelative(f.getKey(), what);
                Path dest = staging.resolve(rel).normalize();
                if (!dest.startsWith(staging)) throw new ConsumerException(what + ": unsafe path '" + rel + "'");
                Files.createDirectories(dest.getParent());
                try (OutputStream out = Files.newOutputStream(dest)) {
                    copyVerified(cache, f.getValue(), out, what + " file '" + rel + "'");
                }
            }
            if (Files.exists(target)) {
                Path old = Files.createTempDirectory(parent, "." + target.getFileName() + ".old-");
                Files.delete(old);
                move(target, old);
                try {
                    move(staging, target);
                } catch (IOException e) {
                    move(old, target);
                    throw e;
                }
                Cache.deleteTree(old);
            } else {
                move(staging, target);
            }
        } finally {
            Cache.deleteTree(staging);
        }
    }

    /** Writes one file atomically (temp beside it, then rename), verified against the cache digest on the way. */
    static void writeFile(Cache cache, Digest d, Path dest, String what) throws IOException {
        AtomicFiles.write(dest, out -> copyVerified(cache, d, out, what));
    }

    /** Copies a cached blob to {@code sink}, hashing in the same pass; a corrupt cache entry fails the copy. */
    private static void copyVerified(Cache cache, Digest d, OutputStream sink, String what) throws IOException {
        DigestingOutputStream out = new DigestingOutputStream(sink);
        try (InputStream in = Files.newInputStream(cache.blob(d))) {
            in.transferTo(out);
        }
        out.flush();
        Digest got = out.digest();
        if (!got.equals(d)) {
            throw new ConsumerException(what + ": cached blob " + d + " is corrupt (got " + got + "); run clear --force");
        }
    }

    private static void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }
}
