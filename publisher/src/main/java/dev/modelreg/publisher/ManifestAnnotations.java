package dev.modelreg.publisher;

import dev.modelreg.spec.Annotations;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

/**
 * The manifest annotations of a pushed ref. {@code created} is reproducible: {@code --created VALUE} if given
 * ({@code now} means the current time), else {@code SOURCE_DATE_EPOCH}, else the commit time of HEAD when the
 * directory is a git checkout, else {@link #EPOCH}; always written as a UTC instant with second precision.
 */
public final class ManifestAnnotations {
    private ManifestAnnotations() {}

    public static final String EPOCH = "1970-01-01T00:00:00Z";

    public static Map<String, String> of(Path dir, String ref, String sourceUrl, String created,
                                         Map<String, String> env, Map<String, String> extra) {
        TreeMap<String, String> a = new TreeMap<>();
        a.put(Annotations.CREATED, created(dir, created, env));
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

    static String created(Path dir, String created, Map<String, String> env) {
        if (created != null) {
            if (created.equals("now")) return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
            return instant(created, "--created");
        }
        String sde = env.get("SOURCE_DATE_EPOCH");
        if (sde != null && !sde.isBlank()) {
            try {
                return Instant.ofEpochSecond(Long.parseLong(sde.trim())).toString();
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("SOURCE_DATE_EPOCH '" + sde + "' is not a number of seconds");
            }
        }
        String commit = dir == null ? null : Git.headCommitTime(dir);
        if (commit != null && !commit.isBlank()) return instant(commit, "git commit time");
        return EPOCH;
    }

    private static String instant(String text, String what) {
        try {
            return OffsetDateTime.parse(text).toInstant().truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(text).truncatedTo(ChronoUnit.SECONDS).toString();
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException(what + " '" + text + "' is not an ISO-8601 time such as 2024-05-01T12:00:00Z");
            }
        }
    }
}
