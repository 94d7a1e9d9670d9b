package dev.modelreg.publisher;

import dev.modelreg.spec.Annotations;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The manifest annotations of a pushed ref: its {@link CreationTime}, the source URL, the git revision of a checkout,
 * the ref, and the caller's extra annotations (which win).
 */
final class ManifestAnnotations {
    private ManifestAnnotations() {}

    /** {@link CreationTime#EPOCH}. */
    static final String EPOCH = CreationTime.EPOCH;

    static Map<String, String> of(Path dir, String ref, String sourceUrl, CreationTime created,
                                  Map<String, String> extra) throws PublishException {
        TreeMap<String, String> a = new TreeMap<>();
        a.put(Annotations.CREATED, (created == null ? CreationTime.reproducible() : created).resolve(dir));
        if (sourceUrl != null && !sourceUrl.isBlank()) a.put(Annotations.SOURCE, sourceUrl);
        String revision = dir == null ? null : Git.headRevision(dir);
        if (revision != null && !revision.isBlank()) a.put(Annotations.REVISION, revision);
        if (ref != null) {
            a.put(Annotations.VERSION, ref);
            a.put(Annotations.REF, ref);
        }
        if (extra != null) a.putAll(extra);
        return a;
    }
}
