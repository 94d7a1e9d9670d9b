package dev.modelreg.consumer;

import dev.modelreg.consumer.Results.CopyResult;
import dev.modelreg.consumer.Results.Mismatch;
import dev.modelreg.consumer.Results.VerifyResult;
import dev.modelreg.content.fs.Cleanup;
import dev.modelreg.content.Hashing;
import dev.modelreg.content.fs.Leftovers;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileEntry;
import dev.modelreg.spec.Text;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Writes a synced ref's files into a directory and checks them there: {@code copy} (one model into a workspace,
 * swapped in whole), {@code pull} (files by registry path into a directory) and {@code verify}. Each takes the
 * directory's lock, and the files come from the source that serves the ref ({@link Source#materialize}).
 */
final class Checkout {
    private final Sources sources;
    private final Cache cache;
    private final Consumer<String> progress;

    Checkout(Sources sources, Cache cache, Consumer<String> progress) {
        this.sources = sources;
        this.cache = cache;
        this.progress = progress;
    }

    /** Copies {@code model} of a ref not looked up by model name: the name as given, else under the source's name. */
    CopyResult copy(Synced s, String model, Path workspace, boolean overwrite, Placement how, Selection files)
            throws IOException {
        return copy(s, asNamedIn(s, model), model, workspace, overwrite, how, files);
    }

    /** {@link #verify(Synced, List, String, Path)} of {@code model}, named as in the copy above. */
    VerifyResult verify(Synced s, String model, Path workspace) throws IOException {
        return verify(s, asNamedIn(s, model), model, workspace);
    }

    private static List<String> asNamedIn(Synced s, String model) {
        return List.of(model, s.source().name() + "/" + model);
    }

    /** Copies the model {@code model} (the first of {@code candidates} the registry has) into {@code workspace}. */
    CopyResult copy(Synced s, List<String> candidates, String model, Path workspace, boolean overwrite, Placement how,
                    Selection files) throws IOException {
        String name = ModelLookup.pick(s.registry(), candidates, s.label(), model);
        List<String> keys = s.registry().models().get(name);
        if (keys.isEmpty()) throw new ConsumerException("model '" + name + "' of " + s.label() + " lists no files");
        for (String k : keys) WorkspacePaths.safeRelative(k, s.label());
        String base = WorkspacePaths.commonDir(keys); // of every file of the model: a filter does not move the others
        if (files.filters()) keys = List.copyOf(files.filter(s.registry(), keys, "model '" + name + "' of " + s.label()));
        Map<String, String> relByKey = new LinkedHashMap<>();
        for (String k : keys) relByKey.put(k, k.substring(base.length()));
        progress.accept("Copying " + name + " (" + Text.count(keys.size(), "file") + ") from " + s.label() + " to " + workspace);
        long bytes;
        Path root = workspace.toAbsolutePath().normalize();
        try (WorkspaceLock lock = WorkspaceLock.acquire(root, progress)) {
            PullJournal.heal(root, lock, progress);
            bytes = placing(root, how, out -> Workspace.install(workspace, relByKey, overwrite,
                    "model '" + name + "' of " + s.label(), dests -> materialize(s, dests, out)));
        }
        return new CopyResult(name, s.source().key(), s.ref(), s.state().digest(), root,
                new TreeSet<>(relByKey.values()).stream().toList(), bytes);
    }

    /**
     * Writes every file of a ref (or of the named models) into {@code dir} by its registry path, verified; into a
     * directory that has files, each is replaced under the pull journal ({@link PullJournal}), {@code ref} naming it.
     */
    CopyResult pull(Synced s, String ref, Path dir, Selection sel, Placement how) throws IOException {
        List<String> keys = sel.keys(s.registry(), s.source().name(), s.label());
        List<String> list = keys;
        for (String k : list) WorkspacePaths.safeRelative(k, s.label());
        Path root = dir.toAbsolutePath().normalize();
        Map<String, String> relByKey = new LinkedHashMap<>();
        for (String k : list) relByKey.put(k, k);
        String what = s.label() + " into " + root;
        long bytes;
        try (WorkspaceLock lock = WorkspaceLock.acquire(root, progress)) {
            PullJournal.heal(root, lock, progress);
            Workspace.healLeftovers(root);
            if (Files.exists(root) && !Files.isDirectory(root)) {
                throw new ConsumerException("pull target " + root + " exists and is not a directory");
            }
            // into a new or empty directory: build it beside and swap it in (one rename); else file by file
            bytes = placing(root, how, out -> !Files.exists(root) || Workspace.isEmptyDir(root)
                    ? Workspace.install(root, relByKey, true, what, dests -> materialize(s, dests, out))
                    : Workspace.writeEach(root, relByKey, what, PullJournal.Ref.of(ref, s, list),
                            dests -> materialize(s, dests, out)));
        }
        progress.accept("Pulled " + Text.count(list.size(), "file") + " of " + s.label() + " into " + root);
        return new CopyResult(sel.models().isEmpty() ? null : String.join(",", sel.models()), s.source().key(),
                s.ref(), s.state().digest(), root, list, bytes);
    }

    private long materialize(Synced s, Map<String, Path> dests, Placer out) throws IOException {
        return sources.of(s.state()).materialize(s, dests, out);
    }

    /** What runs with the placer of a pull or copy. */
    private interface WithPlacer {
        long run(Placer out) throws IOException;
    }

    /**
     * Runs {@code body} with the placer of a pull into {@code root} ({@link Placer#of}); for {@link Placement#NO_CACHE}
     * with a scratch blob directory beside {@code root} (same file system: its blobs are renamed to their files),
     * removed when it ends and registered for removal on an interrupt; one a killed run left is removed by the next
     * run into {@code root} ({@link Workspace#healLeftovers}).
     */
    private long placing(Path root, Placement how, WithPlacer body) throws IOException {
        if (how != Placement.NO_CACHE) return body.run(Placer.of(cache, how, null, root, progress));
        Files.createDirectories(root.getParent());
        Path scratch = Files.createTempDirectory(root.getParent(), Workspace.scratchPrefix(root) + Leftovers.ownerTag());
        Cleanup.register(scratch);
        try {
            return body.run(Placer.of(cache, how, scratch, root, progress));
        } finally {
            Leftovers.removeTempDir(scratch);
        }
    }

    /**
     * Compares {@code workspace} with the registry hashes of the model, downloading no model file. Missing and
     * modified files are reported; files without a hash in the registry are listed as unverifiable.
     */
    VerifyResult verify(Synced s, List<String> candidates, String model, Path workspace) throws IOException {
        String name = ModelLookup.pick(s.registry(), candidates, s.label(), model);
        Path ws = workspace.toAbsolutePath().normalize();
        try (WorkspaceLock lock = WorkspaceLock.forReading(ws, progress)) {
            PullJournal.heal(ws, lock, progress);
            if (lock != null) {
                Workspace.healLeftovers(ws);
                PullJournal.sweep(ws, s.registry().models().get(name), s.label());
            }
            return verifyFiles(s, name, ws);
        }
    }

    private VerifyResult verifyFiles(Synced s, String name, Path ws) throws IOException {
        if (Files.isRegularFile(ws)) {
            throw new ConsumerException("workspace " + ws + " is a file, not a directory (give the directory the model"
                    + " was copied into)");
        }
        if (!Files.isDirectory(ws)) throw ConsumerException.notFound("workspace " + ws + " does not exist");
        List<String> keys = s.registry().models().get(name);
        String base = WorkspacePaths.commonDir(keys);
        int matched = 0;
        List<Mismatch> bad = new ArrayList<>();
        List<String> unverifiable = new ArrayList<>();
        java.util.Set<String> listed = new java.util.HashSet<>();
        for (String k : keys) {
            String rel = WorkspacePaths.safeRelative(k, s.label()).substring(base.length());
            listed.add(rel);
            FileEntry e = s.registry().files().get(k);
            Path f = ws.resolve(rel);
            if (e != null && e.hash() == null && Files.isDirectory(f)) { // a foreign tar layer's tree (spec 3.12)
                unverifiable.add(rel);
                continue;
            }
            if (!Files.isRegularFile(f)) {
                bad.add(new Mismatch(rel, "missing", e == null ? null : e.hash(), null));
                continue;
            }
            if (e == null || e.hash() == null) {
                unverifiable.add(rel);
                continue;
            }
            Digest got = Hashing.sha256(f);
            if (got.equals(e.hash())) matched++;
            else bad.add(new Mismatch(rel, "modified", e.hash(), got));
        }
        return new VerifyResult(name, s.source().key(), s.ref(), ws, matched, bad, unverifiable, extra(ws, listed));
    }

    /**
     * The files (and links, not followed) under {@code ws} that are not {@code listed} (paths relative to it, with
     * {@code /}), sorted; the pull journal is ours, not extra.
     */
    private static List<String> extra(Path ws, java.util.Set<String> listed) throws IOException {
        List<String> out = new ArrayList<>();
        try (java.util.stream.Stream<Path> walk = Files.walk(ws)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
                String rel = ws.relativize(p).toString().replace(java.io.File.separatorChar, '/');
                if (!listed.contains(rel) && !rel.equals(PullJournal.NAME)) out.add(rel);
            }
        }
        out.sort(null);
        return out;
    }
}
