package dev.modelreg.consumer;

import dev.modelreg.content.fs.AtomicFiles;
import dev.modelreg.content.fs.Cleanup;
import dev.modelreg.content.ContentException;
import dev.modelreg.content.fs.Crash;
import dev.modelreg.content.fs.Leftovers;
import dev.modelreg.content.fs.SafeFiles;
import dev.modelreg.content.fs.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Places verified files in a directory: {@link #install} builds a whole workspace in a staging directory beside it
 * and swaps it in only when every file is verified; {@link #writeEach} writes into an existing directory, every
 * file to a temp file first, renamed into place when all verified. {@link Placer} puts cached blobs at files.
 */
final class Workspace {
    private Workspace() {}

    static boolean isEmptyDir(Path p) throws IOException {
        if (!Files.isDirectory(p)) return false;
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isEmpty();
        }
    }

    /** Writes the files it is given (registry key -> file to create; directories exist); returns bytes written. */
    interface Filler {
        long fill(Map<String, Path> dests) throws IOException;
    }

    /**
     * Builds the directory {@code ws} holding every key of {@code relByKey} at its relative path: in a staging
     * directory beside it, swapped in only when {@code filler} wrote and verified every file. An existing non-empty
     * {@code ws} is refused unless {@code overwrite}; on any failure {@code ws} is left as it was.
     */
    static long install(Path ws, Map<String, String> relByKey, boolean overwrite, String what, Filler filler)
            throws IOException {
        Path target = ws.toAbsolutePath().normalize();
        healLeftovers(target);
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new ConsumerException("workspace " + target + " exists and is not a directory");
        }
        boolean existed = Files.exists(target) && !isEmptyDir(target);
        if (existed && !overwrite) {
            throw new ConsumerException("workspace " + target + " already exists and is not empty (use --overwrite to replace it)");
        }
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, stagingPrefix(target) + Leftovers.ownerTag());
        Cleanup.register(staging);
        try {
            long bytes = filler.fill(destinations(staging, relByKey, what));
            Crash.point("workspace.staged");
            Path old = Cleanup.critical(() -> swap(staging, target));
            if (old != null) {
                Cleanup.register(old);
                Trees.delete(old);
                Cleanup.unregister(old);
            }
            return bytes;
        } finally {
            Trees.deleteQuietly(staging);
            Cleanup.unregister(staging);
        }
    }

    /**
     * Moves {@code staging} to {@code target}; an existing target is first moved aside, and that directory (to be
     * deleted) is returned. Killed between the two renames, the next run puts the old one back ({@link #healLeftovers}).
     */
    private static Path swap(Path staging, Path target) throws IOException {
        if (!Files.exists(target)) {
            move(staging, target);
            return null;
        }
        Path old = Files.createTempDirectory(target.getParent(), oldPrefix(target) + Leftovers.ownerTag());
        Files.delete(old);
        move(target, old);
        Crash.point("workspace.moved-aside");
        try {
            move(staging, target);
        } catch (IOException e) {
            move(old, target);
            throw e;
        }
        return old;
    }

    private static String stagingPrefix(Path target) {
        return "." + target.getFileName() + ".staging-";
    }

    private static String oldPrefix(Path target) {
        return "." + target.getFileName() + ".old-";
    }

    /**
     * What a killed run left beside {@code target}: its staging directories are removed; a previous workspace moved
     * aside for a swap that never finished is put back when nothing took its place, else removed.
     */
    static void healLeftovers(Path target) throws IOException {
        Path parent = target.getParent();
        for (Path old : Leftovers.stale(parent, oldPrefix(target))) {
            // only a directory is put back: a link planted under that name would make the target a way out of it
            if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS) && Files.isDirectory(old, LinkOption.NOFOLLOW_LINKS)) move(old, target);
            else Trees.delete(old);
        }
        for (Path staging : Leftovers.stale(parent, stagingPrefix(target))) Trees.delete(staging);
        for (Path scratch : Leftovers.stale(parent, scratchPrefix(target))) Trees.delete(scratch);
    }

    /** {@code .NAME.blobs-}: the scratch blob directory of a {@code pull --no-cache} into NAME. */
    static String scratchPrefix(Path target) {
        return "." + target.getFileName() + ".blobs-";
    }

    /**
     * Writes every key of {@code relByKey} into the existing directory {@code root}, each file whole or not at all:
     * all are written to temp files beside their targets first and renamed over them only when every one verified,
     * under a journal naming {@code ref} ({@link PullJournal}), so that a kill between two renames is finished or
     * rolled back by the next run.
     */
    static long writeEach(Path root, Map<String, String> relByKey, String what, PullJournal.Ref ref, Filler filler)
            throws IOException {
        Map<String, Path> finals = destinations(root, relByKey, what);
        Map<String, Path> temps = new LinkedHashMap<>();
        String tag = Leftovers.ownerTag() + Long.toHexString(System.nanoTime());
        Set<Path> dirs = new HashSet<>();
        for (Map.Entry<String, Path> f : finals.entrySet()) {
            Path p = f.getValue();
            temps.put(f.getKey(), PullJournal.temp(p, tag));
            if (dirs.add(p.getParent())) {
                AtomicFiles.cleanLeftovers(p.getParent()); // same .NAME.PID-*.partial names
            }
        }
        temps.values().forEach(Cleanup::register);
        List<Path> moved = new ArrayList<>();
        try {
            long bytes = filler.fill(temps);
            Crash.point("workspace.files-written");
            PullJournal.replace(root, ref, tag, files(root, finals, tag, moved, what));
            return bytes;
        } finally {
            for (Path t : temps.values()) {
                if (Files.isDirectory(t, LinkOption.NOFOLLOW_LINKS)) Trees.deleteQuietly(t);
                else Files.deleteIfExists(t);
                Cleanup.unregister(t);
            }
            for (Path t : moved) {
                Files.deleteIfExists(t);
                Cleanup.unregister(t);
            }
        }
    }

    /**
     * The files to rename into place (key -> file; each staged as its {@link PullJournal#temp}): a key whose temp is a
     * file is that file; a key whose temp is a directory (a tar layer of a foreign artifact, spec/README.md 3.12, which
     * writes the tree at its path) gives each file below it, moved to the temp name beside its own final file
     * ({@code moved} gets them), and the directories of the tree are made. A file whose final path is a directory is
     * refused.
     */
    private static Map<String, Path> files(Path root, Map<String, Path> finals, String tag, List<Path> moved, String what)
            throws IOException {
        Map<String, Path> out = new LinkedHashMap<>();
        for (Map.Entry<String, Path> f : finals.entrySet()) {
            Path tree = PullJournal.temp(f.getValue(), tag);
            if (!Files.isDirectory(tree, LinkOption.NOFOLLOW_LINKS)) {
                if (Files.isDirectory(f.getValue(), LinkOption.NOFOLLOW_LINKS)) {
                    throw new ConsumerException(what + ": '" + f.getValue() + "' is a directory");
                }
                out.put(f.getKey(), f.getValue());
                continue;
            }
            List<Path> inside;
            try (Stream<Path> s = Files.walk(tree)) {
                inside = s.sorted().toList();
            }
            for (Path p : inside) {
                String rel = tree.relativize(p).toString();
                Path dest = rel.isEmpty() ? f.getValue() : f.getValue().resolve(rel);
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    try {
                        SafeFiles.directories(root, dest);
                    } catch (ContentException e) {
                        throw new ConsumerException(what + ": cannot create the directory '" + dest + "': " + e.getMessage(), e);
                    }
                    continue;
                }
                if (Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) throw new ConsumerException(what + ": '" + dest + "' is a directory");
                Path temp = PullJournal.temp(dest, tag);
                Cleanup.register(temp);
                moved.add(temp);
                AtomicFiles.rename(p, temp);
                out.put(f.getKey() + "/" + rel.replace('\\', '/'), dest);
            }
        }
        return out;
    }

    /**
     * key -> root/rel, refusing paths that escape {@code root}; creates the parent directories, never through a link
     * (a directory of {@code root} that is a symbolic link is refused: it would lead the files out of it).
     */
    private static Map<String, Path> destinations(Path root, Map<String, String> relByKey, String what) throws IOException {
        Map<String, Path> out = new LinkedHashMap<>();
        Set<Path> dirs = new HashSet<>();
        for (Map.Entry<String, String> f : relByKey.entrySet()) {
            String rel = WorkspacePaths.safeRelative(f.getValue(), what);
            Path dest = root.resolve(rel).normalize();
            if (!dest.startsWith(root) || dest.equals(root)) throw new ConsumerException(what + ": unsafe path '" + rel + "'");
            out.put(f.getKey(), dest);
            if (dirs.add(dest.getParent())) {
                try {
                    SafeFiles.directories(root, dest.getParent());
                } catch (ContentException e) {
                    throw new ConsumerException(what + ": cannot create the directory for '" + rel + "': " + e.getMessage(), e);
                }
            }
        }
        return out;
    }

    /** How errors name a registry file: {@code file 'KEY' of LABEL}. */
    static String fileOf(String key, String label) {
        return "file '" + key + "' of " + label;
    }

    /**
     * Moves a verified scratch blob (a {@code pull --no-cache} download) to its files: copies to all but the last
     * (a file listed twice), renames to the last (the same file system: no byte is written again). Returns the bytes.
     */
    static long moveOut(Path blob, List<Path> dests) throws IOException {
        long size = Files.size(blob);
        for (int i = 0; i < dests.size() - 1; i++) Files.copy(blob, dests.get(i), StandardCopyOption.REPLACE_EXISTING);
        AtomicFiles.replace(blob, dests.get(dests.size() - 1)); // (another file system: copied)
        return size * dests.size();
    }

    private static void move(Path from, Path to) throws IOException {
        AtomicFiles.rename(from, to);
    }
}
