package dev.modelreg.consumer;

import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileEntry;
import dev.modelreg.spec.ModelsToml;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code modelreg diff A B} shows, from the two refs' registries (and manifests) alone: no layer or file is read.
 * Models and files are added (in B only), removed (in A only) or changed (a file: another hash or size; a model: another
 * file list, or a file of it changed). {@code transfer} is what a pull of every file of B moves into a cache that holds
 * every file of A ({@link Source#plan}): the layers, and the files fetched from URLs, that A does not already bring.
 *
 * @param a the label of A
 * @param b the label of B
 */
public record RefDiff(String a, String b, Changes models, List<FileChange> files, Transfer transfer) {
    /** Names added, removed and changed, sorted. */
    public record Changes(List<String> added, List<String> removed, List<String> changed) {}

    /**
     * One file that differs. {@code change} is {@code added}, {@code removed} or {@code changed}; a size is null where the
     * side lacks the file or its entry gives none; a hash is null where the side lacks the file or gives none.
     */
    public record FileChange(String key, String change, Long sizeA, Long sizeB, Digest hashA, Digest hashB) {}

    /**
     * What a pull of B moves given A is cached: {@code layers} and their bytes, {@code files} fetched from their URLs
     * and their bytes ({@code unsizedFiles} of them have no size in B's registry, so their bytes are not counted), and
     * {@code cachedFiles}, the files of B that come from blobs A brings.
     */
    public record Transfer(int layers, long layerBytes, int files, long fileBytes, int unsizedFiles, int cachedFiles) {
        /** Layer and file bytes together. */
        public long bytes() {
            return layerBytes + fileBytes;
        }
    }

    /** Counts by kind of change: added, removed, changed. */
    public int count(String change) {
        return (int) files.stream().filter(f -> f.change().equals(change)).count();
    }

    /** The diff of two opened refs: {@code a} planned as if nothing were cached, {@code b} against what that holds. */
    static RefDiff between(Sources sources, String labelA, Synced a, String labelB, Synced b) throws IOException {
        Set<Digest> held = held(sources.of(a.state()).plan(a, d -> false));
        Plan pb = sources.of(b.state()).plan(b, held::contains);
        return of(labelA, a.registry(), labelB, b.registry(), transfer(pb, b.registry()));
    }

    static RefDiff of(String labelA, ModelsToml a, String labelB, ModelsToml b, Transfer transfer) {
        List<FileChange> files = new ArrayList<>();
        Set<String> changedKeys = new HashSet<>();
        for (String k : union(a.files().keySet(), b.files().keySet())) {
            FileEntry x = a.files().get(k);
            FileEntry y = b.files().get(k);
            String change = x == null ? "added" : y == null ? "removed"
                    : Objects.equals(x.hash(), y.hash()) && Objects.equals(x.size(), y.size()) ? null : "changed";
            if (change == null) continue;
            changedKeys.add(k);
            files.add(new FileChange(k, change, x == null ? null : x.size(), y == null ? null : y.size(),
                    x == null ? null : x.hash(), y == null ? null : y.hash()));
        }
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (String m : union(a.models().keySet(), b.models().keySet())) {
            List<String> x = a.models().get(m);
            List<String> y = b.models().get(m);
            if (x == null) added.add(m);
            else if (y == null) removed.add(m);
            else if (!new TreeSet<>(x).equals(new TreeSet<>(y)) || y.stream().anyMatch(changedKeys::contains)) changed.add(m);
        }
        return new RefDiff(labelA, labelB, new Changes(added, removed, changed), files, transfer);
    }

    /** The transfer a plan of B (against A's blobs) says: its missing layers, and its URL files not cached. */
    static Transfer transfer(Plan plan, ModelsToml b) {
        int layers = 0;
        long layerBytes = 0;
        for (Plan.Fetch f : plan.missing()) {
            layers++;
            layerBytes += f.layer().size();
        }
        int files = 0;
        int unsized = 0;
        long fileBytes = 0;
        Set<Digest> seen = new HashSet<>();
        for (Map.Entry<String, Digest> e : plan.external().entrySet()) {
            if (e.getValue() != null && !seen.add(e.getValue())) continue; // one download per hash
            files++;
            Long size = b.files().get(e.getKey()).size();
            if (size == null) unsized++;
            else fileBytes += size;
        }
        return new Transfer(layers, layerBytes, files, fileBytes, unsized, plan.blobs().size());
    }

    /** The blobs a cache holds once every file of a ref was pulled as {@code plan} (of nothing cached) says. */
    static Set<Digest> held(Plan plan) {
        Set<Digest> out = new HashSet<>(plan.blobs().values());
        for (Plan.Fetch f : plan.layers()) out.add(f.layer().digest());
        for (Digest d : plan.external().values()) if (d != null) out.add(d);
        return out;
    }

    private static TreeSet<String> union(Set<String> x, Set<String> y) {
        TreeSet<String> out = new TreeSet<>(x);
        out.addAll(y);
        return out;
    }

    /** The JSON document of {@code diff --json}. */
    public Map<String, Object> toJson() {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("a", a);
        j.put("b", b);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("added", models.added());
        m.put("removed", models.removed());
        m.put("changed", models.changed());
        j.put("models", m);
        List<Object> fs = new ArrayList<>();
        for (FileChange f : files) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("key", f.key());
            x.put("change", f.change());
            x.put("sizeA", f.sizeA());
            x.put("sizeB", f.sizeB());
            x.put("hashA", f.hashA() == null ? null : f.hashA().toString());
            x.put("hashB", f.hashB() == null ? null : f.hashB().toString());
            fs.add(x);
        }
        j.put("files", fs);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("added", (long) count("added"));
        c.put("removed", (long) count("removed"));
        c.put("changed", (long) count("changed"));
        j.put("fileCounts", c);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("bytes", transfer.bytes());
        t.put("layers", (long) transfer.layers());
        t.put("layerBytes", transfer.layerBytes());
        t.put("files", (long) transfer.files());
        t.put("fileBytes", transfer.fileBytes());
        t.put("unsizedFiles", (long) transfer.unsizedFiles());
        t.put("cachedFiles", (long) transfer.cachedFiles());
        j.put("pullOfBGivenA", t);
        return j;
    }
}
