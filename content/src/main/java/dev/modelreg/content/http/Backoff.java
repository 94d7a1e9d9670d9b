package dev.modelreg.content.http;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/** Retry delays: exponential (250 ms, 500 ms, 1 s, ... at most 8 s) with jitter, or what {@code Retry-After} asks. */
public final class Backoff {
    private static final long BASE_MILLIS = 250;
    private static final long CAP_MILLIS = 8_000;

    private Backoff() {}

    /** The delay before retry number {@code attempt} (0-based): half to all of the exponential step. */
    public static Duration delay(int attempt) {
        long step = Math.min(CAP_MILLIS, BASE_MILLIS << Math.min(attempt, 20));
        return Duration.ofMillis(step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1));
    }

    /**
     * The delay a {@code Retry-After} header value asks for (seconds or an HTTP date), or null if there is none or it
     * cannot be read; never negative.
     */
    public static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) return null;
        String v = value.trim();
        try {
            long s = Long.parseLong(v);
            return Duration.ofSeconds(Math.max(0, Math.min(s, 86_400)));
        } catch (NumberFormatException e) {
            try {
                Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException x) {
                return null;
            }
        }
    }

    /** Sleeps, or fails with an unavailable error naming {@code what} if interrupted. */
    public static void sleep(Duration d, String what) throws dev.modelreg.content.ContentException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new dev.modelreg.content.ContentException(dev.modelreg.content.ContentException.Kind.UNAVAILABLE,
                    "interrupted while waiting to retry " + what);
        }
    }
}
