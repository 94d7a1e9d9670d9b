package dev.modelreg.consumer;

import dev.modelreg.content.fs.AtomicFiles;
import dev.modelreg.content.fs.Cleanup;
import dev.modelreg.content.ContentException;
import dev.modelreg.content.fs.Crash;
import dev.modelreg.content.fs.Leftovers;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.Text;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The journal of a pull into an existing directory (spec/README.md 9.2): while a pull renames its verified files
 * into place one by one, {@code ROOT/.modelreg-pull.journal} names the ref and its digest and lists every file with
 * the identity of its new content (the staged temp file) and of its old content (kept as a hard link, or moved aside,
 * until the journal is cleared). Written atomically before the first rename, removed after the last. A process
 * killed in between leaves the journal; the next pull, copy or verify on that directory ({@link #heal}) says
 * "interrupted pull of REF" and finishes it when every new file is renamed or still staged and verified, else rolls
 * it back to the old files; either way every file then is wholly one ref's, and no temp file is left.
 */
final class PullJournal {
    static final String NAME = ".modelreg-pull.journal";
    private static final String MAGIC = "modelreg pull journal 1";
    private static final int MAX_LINE = 16 << 10;
    private static final Pattern TAG = Pattern.compile("\\d+-[0-9a-f]+");
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private PullJournal() {}

    /** The ref a pull writes: as the user named it, its digest, and the hash of each file (key -> hash) it has. */
    record Ref(String name, Digest digest, Map<String, Digest> hashes) {
        /** The ref {@code name} synced as {@code s}, for the files {@code keys}. */
        static Ref of(String name, Synced s, List<String> keys) {
            Map<String, Digest> hashes = new java.util.HashMap<>();
            for (String k : keys) {
                dev.modelreg.spec.FileEntry e = s.registry().files().get(k);
                if (e != null && e.hash() != null) hashes.put(k, e.hash());
            }
            return new Ref(name, s.state().digest(), hashes);
        }
    }

    /**
     * One file: its path below the root, the hash (null if the registry has none) and size of its new content, the
     * identity ({@link #id}) of the staged new file, and that of the file it replaces (null: there was none).
     */
    record Entry(String rel, Digest hash, long size, String newId, String oldId) {}

    /** The temp file a pull stages {@code file}'s new content in: {@code .NAME.TAG.partial} beside it. */
    static Path temp(Path file, String tag) {
        return file.resolveSibling("." + file.getFileName() + "." + tag + ".partial");
    }

    /** Where {@code file}'s old content is kept until the journal is cleared: {@code .NAME.TAGo.partial} beside it. */
    static Path backup(Path file, String tag) {
        return file.resolveSibling("." + file.getFileName() + "." + tag + "o.partial");
    }

    /**
     * Renames every staged (verified) temp file of {@code finals} (key -> file) over its file, journaled: the old files
     * are kept (hard links), the journal is written, the renames run, then the kept files and the journal are removed.
     * One critical section (an interrupt waits for it). On an error the pull is rolled back before it is rethrown.
     */
    static void replace(Path root, Ref ref, String tag, Map<String, Path> finals) throws IOException {
        Cleanup.critical(() -> {
            renames(root, tag, finals, begin(root, ref, tag, finals));
            return null;
        });
    }

    /** The renames of a begun pull, then the kept files and the journal removed; rolled back on an error. */
    static void renames(Path root, String tag, Map<String, Path> finals, Begun b) throws IOException {
        try {
            int n = 0;
            for (Path file : finals.values()) {
                Crash.point("pull.rename-", ++n);
                if (b.moveAside().contains(file)) AtomicFiles.rename(file, backup(file, tag));
                AtomicFiles.replace(temp(file, tag), file);
            }
            Crash.point("pull.renames-done");
        } catch (IOException | RuntimeException e) {
            try {
                recover(root, read(root), false);
            } catch (IOException | RuntimeException r) {
                e.addSuppressed(r); // the journal stays: the next run rolls back
            }
            throw e;
        }
        clear(root, tag, b.entries());
    }

    /** What {@link #begin} did: the files journaled, and those whose old content is to be moved aside (no hard links). */
    record Begun(List<Entry> entries, Set<Path> moveAside) {}

    /** Keeps the old files (hard links beside them) and writes the journal of renaming {@code finals}' temp files. */
    static Begun begin(Path root, Ref ref, String tag, Map<String, Path> finals) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, Path> f : finals.entrySet()) {
            Path file = f.getValue();
            Path staged = temp(file, tag);
            entries.add(new Entry(rel(root, file), ref.hashes().get(f.getKey()), Files.size(staged), id(staged),
                    Files.exists(file, NOFOLLOW) ? id(file) : null));
        }
        Set<Path> moveAside = new java.util.HashSet<>();
        try {
            for (Entry e : entries) {
                if (e.oldId() == null) continue;
                Path file = root.resolve(e.rel());
                // kept as a hard link; a symbolic link (never linked through) or a file system without hard links:
                // moved aside after the journal is written, just before its rename
                if (!Files.isRegularFile(file, NOFOLLOW) || !link(backup(file, tag), file)) moveAside.add(file);
            }
            AtomicFiles.write(root.resolve(NAME), out -> out.write(text(ref, tag, entries).getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            for (Entry x : entries) Files.deleteIfExists(backup(root.resolve(x.rel()), tag)); // nothing renamed yet
            throw e;
        }
        return new Begun(entries, moveAside);
    }

    private static boolean link(Path link, Path file) throws IOException {
        try {
            Files.createLink(link, file);
            return true;
        } catch (UnsupportedOperationException | FileSystemException e) {
            return false;
        }
    }

    /** Removes the kept old files, then the journal (the pull is done: a crash before the removal finishes nothing). */
    private static void clear(Path root, String tag, List<Entry> entries) throws IOException {
        for (Entry e : entries) {
            Path file = root.resolve(e.rel());
            Files.deleteIfExists(temp(file, tag));
            Files.deleteIfExists(backup(file, tag));
        }
        Files.deleteIfExists(root.resolve(NAME));
    }

    /**
     * Before a pull, copy or verify on {@code target}: the journal of an interrupted pull into it or into a directory
     * above it (the nearest) is finished or rolled back, and said in one line to {@code progress}. {@code lock} is the
     * caller's lock of {@code target} (null: it could take none, the directory is read-only to it: then the
     * interrupted pull is only named); a directory above is locked for the recovery. A journal that is not a regular
     * file owned by whoever runs this (a link, another user's file) is left alone: it is never followed.
     */
    static void heal(Path target, WorkspaceLock lock, Consumer<String> progress) throws IOException {
        for (Path dir = target; dir != null; dir = dir.getParent()) {
            Path journal = dir.resolve(NAME);
            if (!Files.exists(journal, NOFOLLOW)) continue;
            if (dir.equals(target)) {
                recover(dir, lock, progress);
            } else {
                try (WorkspaceLock above = WorkspaceLock.forReading(dir, progress)) {
                    recover(dir, above, progress);
                }
            }
            return;
        }
    }

    private static void recover(Path dir, WorkspaceLock lock, Consumer<String> progress) throws IOException {
        Path journal = dir.resolve(NAME);
        if (!Files.exists(journal, NOFOLLOW)) return; // another process finished it while we waited for its lock
        if (!Files.isRegularFile(journal, NOFOLLOW) || lock != null && !ours(journal)) {
            progress.accept("ignoring " + journal + ": not a pull journal of yours (a link, or another user's file)");
            return;
        }
        Journal j = read(dir);
        String what = "interrupted pull of " + Text.printable(j.ref()) + " (" + j.digest() + ") into " + dir;
        if (lock == null) {
            progress.accept(what + ": not finished (the directory is read-only to you)");
            return;
        }
        progress.accept(what + ": " + recover(dir, j, true));
    }

    /**
     * {@code journal} belongs to whoever runs this: the owner of a file this process makes beside it (where it can
     * make none, the journal is not one it could finish either).
     */
    private static boolean ours(Path journal) throws IOException {
        Path probe;
        try {
            AtomicFiles.Temp t = AtomicFiles.createTemp(journal.getParent(), "." + NAME + "." + Leftovers.ownerTag(), ".partial");
            t.channel().close();
            probe = t.path();
        } catch (java.nio.file.AccessDeniedException e) {
            return false;
        }
        try {
            return Files.getOwner(probe, NOFOLLOW).equals(Files.getOwner(journal, NOFOLLOW));
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /** What the journal of {@code root} says: the ref, its digest, the temp files' tag and the files. */
    record Journal(String ref, String digest, String tag, List<Entry> entries) {}

    /** Finishes or rolls back the pull {@code j} describes; says which. */
    private static String recover(Path root, Journal j, boolean mayFinish) throws IOException {
        boolean forward = mayFinish;
        List<Entry> left = new ArrayList<>();
        for (Entry e : j.entries()) {
            Path file = root.resolve(e.rel());
            if (isNew(file, e)) continue;
            left.add(e);
            forward = forward && isNew(temp(file, j.tag()), e);
        }
        if (forward) {
            for (Entry e : left) AtomicFiles.replace(temp(root.resolve(e.rel()), j.tag()), root.resolve(e.rel()));
            clear(root, j.tag(), j.entries());
            return "finished (" + left.size() + " of " + Text.count(j.entries().size(), "file") + " left to rename)";
        }
        int restored = 0;
        List<String> lost = new ArrayList<>();
        for (Entry e : j.entries()) {
            Path file = root.resolve(e.rel());
            if (e.oldId() == null) {
                if (isNew(file, e)) Files.delete(file);
                continue;
            }
            boolean old = !e.oldId().equals(UNKNOWN) && e.oldId().equals(id(file));
            Path kept = backup(file, j.tag());
            if (Files.exists(kept, NOFOLLOW)) {
                AtomicFiles.replace(kept, file); // the old content, linked or moved aside: a no-op where the file is it
                if (!old) restored++;
            } else if (!old && !(e.oldId().equals(UNKNOWN) && Files.exists(temp(file, j.tag()), NOFOLLOW))) {
                lost.add(e.rel());
            }
        }
        clear(root, j.tag(), j.entries());
        return "rolled back to the files before it (" + Text.count(restored, "file") + " restored"
                + (lost.isEmpty() ? "" : "; " + lost.size() + " could not be, e.g. '" + Text.printable(lost.get(0))
                + "': pull again") + ")";
    }

    /**
     * {@code p} (a file, or its staged temp file) is the new file {@code e} names: the same file (device and inode) of
     * the same size, and, while it is still a temp file, of the right hash. Where the platform cannot tell files apart,
     * size and hash decide.
     */
    private static boolean isNew(Path p, Entry e) throws IOException {
        if (!Files.isRegularFile(p, NOFOLLOW) || Files.size(p) != e.size()) return false;
        boolean same = e.newId().equals(id(p));
        if (same && !e.newId().equals(UNKNOWN) && !p.getFileName().toString().endsWith(".partial")) return true;
        return (same || e.newId().equals(UNKNOWN)) && (e.hash() == null || e.hash().equals(dev.modelreg.content.Hashing.sha256(p)));
    }

    private static final String UNKNOWN = "?";

    /** The identity of a file (device and inode where the platform has them), "-" for none, "?" if it cannot tell. */
    static String id(Path p) throws IOException {
        if (!Files.exists(p, NOFOLLOW)) return "-";
        Object key = Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW).fileKey();
        return key == null ? UNKNOWN : key.toString().replace('\t', ' ');
    }

    /**
     * Removes the temp files {@code .NAME.PID-*.partial} a dead process left in the directories of a model's files
     * ({@code keys}, as a copy lays them out below {@code ws}): a pull killed before it wrote its journal leaves them.
     * What a verify sweeps.
     */
    static void sweep(Path ws, List<String> keys, String label) throws ConsumerException {
        String base = WorkspacePaths.commonDir(keys);
        Set<Path> dirs = new LinkedHashSet<>();
        for (String k : keys) dirs.add(ws.resolve(WorkspacePaths.safeRelative(k, label).substring(base.length())).getParent());
        for (Path d : dirs) AtomicFiles.cleanLeftovers(d);
    }

    private static String rel(Path root, Path file) throws ConsumerException {
        String rel = root.relativize(file).toString().replace('\\', '/');
        if (rel.indexOf('\t') >= 0 || rel.indexOf('\n') >= 0 || rel.indexOf('\r') >= 0) {
            throw new ConsumerException("cannot journal the file '" + Text.printable(rel) + "': a control character in its name");
        }
        return rel;
    }

    // ---- the journal's text: a header, one line per file, an end line with the count (spec/README.md 9.2)

    private static String text(Ref ref, String tag, List<Entry> entries) {
        StringBuilder sb = new StringBuilder(MAGIC).append('\n');
        sb.append("ref\t").append(Text.printable(ref.name()).replace('\t', ' ')).append('\n');
        sb.append("digest\t").append(ref.digest()).append('\n');
        sb.append("tag\t").append(tag).append('\n');
        for (Entry e : entries) {
            sb.append("file\t").append(e.hash() == null ? "-" : e.hash().toString()).append('\t').append(e.size())
                    .append('\t').append(e.newId()).append('\t').append(e.oldId() == null ? "-" : e.oldId())
                    .append('\t').append(e.rel()).append('\n');
        }
        return sb.append("end\t").append(entries.size()).append('\n').toString();
    }

    /** The journal of {@code root}, checked line by line; one that is not whole or not ours is refused in one line. */
    static Journal read(Path root) throws IOException {
        Path path = root.resolve(NAME);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(path, NOFOLLOW),
                StandardCharsets.UTF_8))) {
            int n = 0;
            String ref = null;
            String digest = null;
            String tag = null;
            List<Entry> entries = new ArrayList<>();
            for (String line; (line = line(in, path, n + 1)) != null; ) {
                n++;
                String[] f = line.split("\t", -1);
                if (n == 1) {
                    if (!line.equals(MAGIC)) throw damaged(path, n, "not a pull journal");
                } else if (f[0].equals("ref") && f.length == 2 && ref == null) {
                    ref = f[1];
                } else if (f[0].equals("digest") && f.length == 2 && digest == null && Digest.isDigest(f[1])) {
                    digest = f[1];
                } else if (f[0].equals("tag") && f.length == 2 && TAG.matcher(f[1]).matches() && tag == null) {
                    tag = f[1];
                } else if (f[0].equals("file") && f.length == 6 && tag != null && entries.size() < Limits.MAX_FILES) {
                    entries.add(entry(root, path, n, f));
                } else if (f[0].equals("end") && f.length == 2 && f[1].equals(String.valueOf(entries.size())) && ref != null
                        && digest != null) {
                    return new Journal(ref, digest, tag, entries);
                } else {
                    throw damaged(path, n, "unexpected '" + Text.printable(f[0]) + "'");
                }
            }
            throw damaged(path, n, "it ends before its end line");
        }
    }

    /** The next line of {@code in} (without its LF), null at the end; one over {@link #MAX_LINE} characters is refused. */
    private static String line(BufferedReader in, Path path, int n) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = in.read()) >= 0; ) {
            if (c == '\n') return sb.toString();
            if (sb.length() >= MAX_LINE) throw damaged(path, n, "a line over " + MAX_LINE + " characters");
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    private static Entry entry(Path root, Path path, int n, String[] f) throws ContentException {
        try {
            String rel = WorkspacePaths.safeRelative(f[5], path.toString());
            if (!root.resolve(rel).normalize().startsWith(root) || f[3].equals("-")) throw damaged(path, n, "a bad file line");
            Digest hash = f[1].equals("-") ? null : Digest.parse(f[1]);
            long size = Long.parseLong(f[2]);
            if (size < 0) throw damaged(path, n, "a negative size");
            return new Entry(rel, hash, size, f[3], f[4].equals("-") ? null : f[4]);
        } catch (IllegalArgumentException | ConsumerException e) {
            throw damaged(path, n, "a bad file line");
        }
    }

    private static ContentException damaged(Path path, int line, String why) {
        return new ContentException(ContentException.Kind.INVALID, path + ":" + line + ": " + why
                + " (the journal of an interrupted pull is damaged: remove it, then pull again)");
    }
}
