package dev.modelreg.consumer;

import dev.modelreg.content.ContentException;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Reference;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The results the consumer's operations return; each renders itself as a plain JSON tree for --json. */
public final class Results {
    private Results() {}

    /** One source and ref of a sync: status is synced, unchanged, skipped (already cached) or failed. */
    public record SyncResult(String source, String name, String ref, String status, String transport, Digest digest,
                             String reference, String error, ContentException.Kind errorKind) {
        public boolean failed() {
            return "failed".equals(status);
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("source", source);
            m.put("name", name);
            m.put("ref", ref);
            m.put("status", status);
            if (transport != null) m.put("transport", transport);
            if (digest != null) m.put("digest", digest.toString());
            if (reference != null) m.put("reference", reference);
            if (error != null) m.put("error", error);
            if (errorKind != null) m.put("errorKind", errorKind.name().toLowerCase(java.util.Locale.ROOT));
            return m;
        }
    }

    /** A configured source with the refs it has cached (and what each resolved to) and the refs still missing. */
    public record SourceInfo(String key, String name, String repo, String oci, List<String> refs, List<RefState> cached,
                             List<String> missing) {
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("source", key);
            m.put("name", name);
            m.put("repo", repo);
            m.put("oci", oci);
            m.put("refs", refs);
            m.put("cached", cached.stream().map(st -> {
                Map<String, Object> j = st.toJson();
                j.put("pin", st.pin()); // what copy SOURCE@PIN/MODEL accepts
                return j;
            }).toList());
            m.put("missing", missing);
            return m;
        }
    }

    /**
     * A cached registry: its models and examples, and the metadata of its manifest (spec/README.md 3.8; OCI mode only,
     * empty otherwise).
     */
    public record Listing(RefState state, List<String> models, List<String> examples, Map<String, String> metadata) {
        public Listing {
            metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }

        public Listing(RefState state, List<String> models, List<String> examples) {
            this(state, models, examples, Map.of());
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = state.describe();
            m.put("models", models);
            m.put("examples", examples);
            m.put("metadata", metadata);
            return m;
        }
    }

    /** What a copy or pull wrote: the model(s), where from (source@ref and resolved digest), where to. */
    public record CopyResult(String model, String source, String ref, Digest digest, Path workspace, List<String> files,
                             long bytes) {
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", model);
            m.put("source", source);
            m.put("ref", ref);
            m.put("digest", digest.toString());
            m.put("workspace", workspace.toString());
            m.put("files", files);
            m.put("bytes", bytes);
            return m;
        }
    }

    /** One workspace file that does not match: reason is "missing" or "modified". */
    public record Mismatch(String path, String reason, Digest want, Digest got) {
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", path);
            m.put("reason", reason);
            m.put("want", want == null ? null : want.hex());
            m.put("got", got == null ? null : got.hex());
            return m;
        }
    }

    /**
     * A verified workspace: {@code extra} are its files (and links) the model does not list, sorted; they do not make
     * it differ ({@link #ok()}) unless the caller is strict ({@link #ok(boolean)}).
     */
    public record VerifyResult(String model, String source, String ref, Path workspace, int matched,
                               List<Mismatch> mismatches, List<String> unverifiable, List<String> extra) {
        public boolean ok() {
            return mismatches.isEmpty();
        }

        /** {@link #ok()}, and with {@code strict} no extra file either. */
        public boolean ok(boolean strict) {
            return ok() && (!strict || extra.isEmpty());
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", model);
            m.put("source", source);
            m.put("ref", ref);
            m.put("workspace", workspace.toString());
            m.put("ok", ok());
            m.put("matched", matched);
            m.put("mismatches", mismatches.stream().map(Mismatch::toJson).toList());
            m.put("unverifiable", unverifiable);
            m.put("extra", extra);
            return m;
        }
    }

    /**
     * What {@code clear} removed: the refs, and the blobs that no remaining ref references any more (those a running
     * process uses stay, spec/README.md 9.3).
     */
    public record ClearResult(List<String> removed, int blobs, long bytes) {
        public ClearResult(List<String> removed) {
            this(removed, 0, 0);
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("removed", removed);
            m.put("blobs_removed", blobs);
            m.put("bytes_freed", bytes);
            return m;
        }
    }

    /**
     * One ref of a source exported ({@link ModelReg#export}): where it landed and its manifest digest.
     *
     * @param source    the source's key
     * @param ref       the ref as given (a branch, tag or pin)
     * @param mode      {@code oci} (copied as it is, digests kept) or {@code github} (pushed as a new artifact)
     * @param tag       the tag it got in the destination: the escaped git ref
     * @param reference {@code DESTINATION:TAG@DIGEST}
     * @param digest    the manifest digest in the destination
     */
    public record Exported(String source, String ref, String mode, String tag, Reference reference, Digest digest) {
        /** This result as plain data (for --json output). */
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("source", source);
            m.put("ref", ref);
            m.put("mode", mode);
            m.put("tag", tag);
            m.put("reference", reference.toString());
            m.put("digest", digest.toString());
            return m;
        }
    }
}
