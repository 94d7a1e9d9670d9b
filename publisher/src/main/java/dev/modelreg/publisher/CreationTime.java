package dev.modelreg.publisher;

import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code org.opencontainers.image.created} time of a pushed manifest, as a value: {@link #reproducible()} by
 * default (the commit time of HEAD when the pushed directory is a git checkout, else {@link #EPOCH}), so that the same
 * tree gives the same digest; {@link #fromEnvironment()} for {@code SOURCE_DATE_EPOCH}; {@link #at} a given time;
 * {@link #now()} the current time. Always written as a UTC instant with second precision.
 */
public final class CreationTime {
    /** The time of a push that has no other: {@code 1970-01-01T00:00:00Z}. */
    public static final String EPOCH = "1970-01-01T00:00:00Z";

    private static final CreationTime REPRODUCIBLE = new CreationTime(null, null);
    private static final CreationTime NOW = new CreationTime(null, null);

    private final Instant at;
    private final String sourceDateEpoch;

    private CreationTime(Instant at, String sourceDateEpoch) {
        this.at = at;
        this.sourceDateEpoch = sourceDateEpoch;
    }

    /** The commit time of HEAD when the pushed directory is a git checkout, else {@link #EPOCH}. */
    public static CreationTime reproducible() {
        return REPRODUCIBLE;
    }

    /** This time (cut to the second). */
    public static CreationTime at(Instant time) {
        return new CreationTime(Objects.requireNonNull(time, "time").truncatedTo(ChronoUnit.SECONDS), null);
    }

    /** The time of the push: the only choice that gives a new digest for the same tree. */
    public static CreationTime now() {
        return NOW;
    }

    /** {@link #fromEnvironment(Map)} of the process environment. */
    public static CreationTime fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * {@code SOURCE_DATE_EPOCH} (seconds since the epoch) when {@code env} sets it, else {@link #reproducible()}. A value
     * that is not a number of seconds fails the push that uses it.
     */
    public static CreationTime fromEnvironment(Map<String, String> env) {
        String sde = env.get("SOURCE_DATE_EPOCH");
        return sde == null || sde.isBlank() ? REPRODUCIBLE : new CreationTime(null, sde);
    }

    /**
     * What {@code --created} takes: {@code now}, or an ISO-8601 time such as {@code 2024-05-01T12:00:00Z} (an offset
     * other than {@code Z} is converted to UTC).
     *
     * @throws PublishException (INVALID) for any other text
     */
    public static CreationTime parse(String text) throws PublishException {
        if ("now".equals(text)) return now();
        return at(instant(text, "--created"));
    }

    /** The annotation value for a push of {@code dir} (null: not a directory of the publisher's, e.g. a known registry). */
    String resolve(Path dir) throws PublishException {
        if (this == NOW) return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        if (at != null) return at.toString();
        if (sourceDateEpoch != null) {
            try {
                return Instant.ofEpochSecond(Long.parseLong(sourceDateEpoch.trim())).toString();
            } catch (NumberFormatException e) {
                throw PublishException.invalid("SOURCE_DATE_EPOCH '" + sourceDateEpoch + "' is not a number of seconds");
            }
        }
        String commit = dir == null ? null : Git.headCommitTime(dir);
        if (commit != null && !commit.isBlank()) return instant(commit, "git commit time").toString();
        return EPOCH;
    }

    private static Instant instant(String text, String what) throws PublishException {
        try {
            return OffsetDateTime.parse(text).toInstant().truncatedTo(ChronoUnit.SECONDS);
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(text).truncatedTo(ChronoUnit.SECONDS);
            } catch (DateTimeParseException e2) {
                throw PublishException.invalid(what + " '" + text + "' is not an ISO-8601 time such as 2024-05-01T12:00:00Z");
            }
        }
    }

    /** What this time is: {@code now}, the instant, {@code SOURCE_DATE_EPOCH=...} or {@code reproducible}. */
    @Override
    public String toString() {
        if (this == NOW) return "now";
        if (at != null) return at.toString();
        return sourceDateEpoch != null ? "SOURCE_DATE_EPOCH=" + sourceDateEpoch : "reproducible";
    }

    /** Equal when they name the same time the same way (their {@link #toString()} is the same). */
    @Override
    public boolean equals(Object o) {
        return o instanceof CreationTime c && toString().equals(c.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
