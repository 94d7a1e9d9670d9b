package dev.modelreg.consumer;

import dev.modelreg.content.ContentException;
import dev.modelreg.content.RequestCounter;
import dev.modelreg.content.Target;
import dev.modelreg.content.Targets;
import dev.modelreg.spec.Mirrors;
import dev.modelreg.spec.Reference;
import dev.modelreg.spec.Text;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OCI repositories a request may be served by, through the {@code [mirrors]} rules ({@link Mirrors#endpoints}):
 * the endpoints are tried in order and the next one is tried when one has no such content, cannot be reached, or
 * wants credentials we do not have. Content that does not match its digest is an error naming the endpoint, never a
 * reason to try the next. Each endpoint is opened once ({@link Targets#openExisting}: archives are read in place).
 */
final class OciEndpoints {
    private final Settings settings;
    private final Mirrors mirrors;
    private final Map<String, Target> targets = new ConcurrentHashMap<>();

    OciEndpoints(Settings settings, Mirrors mirrors) {
        this.settings = settings;
        this.mirrors = mirrors == null ? Mirrors.NONE : mirrors;
    }

    /** One try at one endpoint. */
    interface Attempt<T> {
        T run(String endpoint) throws IOException;
    }

    /** Where to look for {@code upstream}, in order: {@code first} (who served it before) leads when given. */
    List<String> of(String upstream, String first) {
        List<String> endpoints = new ArrayList<>(mirrors.endpoints(upstream));
        if (first != null && endpoints.remove(first)) endpoints.add(0, first);
        return endpoints;
    }

    /** Where {@code upstream} is read, in the order tried: itself, or its mirror endpoints ("A, else B"). */
    String describe(String upstream) {
        return String.join(", else ", mirrors.endpoints(upstream));
    }

    boolean mirrorOnly(String upstream) {
        return mirrors.mirrorOnly(upstream);
    }

    /**
     * Runs {@code attempt} at each endpoint in turn until one succeeds; a failure that may fall through (not found,
     * unreachable, unauthorized without credentials for that host) moves on, any other is final and names the
     * endpoint. When every endpoint failed, the error names each: {@code what} + " not served by any endpoint".
     */
    <T> T first(List<String> endpoints, String label, String what, Attempt<T> attempt) throws IOException {
        List<String> failures = new ArrayList<>();
        ContentException last = null;
        for (String ep : endpoints) {
            try {
                return attempt.run(ep);
            } catch (ConsumerException e) {
                throw e; // a failure of the content itself (or named already), not of the endpoint
            } catch (IOException e) {
                ContentException c = fallsThrough(e, ep);
                if (c == null) throw new ConsumerException(label + ": at " + ep + ": " + e.getMessage(), e);
                failures.add(ep + ": " + Text.printable(c.getMessage()));
                last = c;
            }
        }
        throw new ContentException(last.kind(),
                what + " not served by any endpoint: " + String.join("; ", failures), last);
    }

    /** The store of {@code location} (a repository, a layout directory or an archive), opened once. */
    Target target(String location) throws IOException {
        Target t = targets.get(location);
        if (t == null) {
            t = open(location);
            Target prev = targets.putIfAbsent(location, t);
            if (prev != null) t = prev;
        }
        return t;
    }

    private Target open(String location) throws IOException {
        Reference ref;
        try {
            ref = Reference.parseRepository(location);
        } catch (IllegalArgumentException e) {
            throw new ConsumerException("invalid OCI repository '" + location + "': " + e.getMessage());
        }
        return Targets.openExisting(ref, settings.registryOptions()).target();
    }

    /** Requests made to registries so far (0 for OCI layout directories and archives). */
    long requestCount() {
        long n = 0;
        for (Target t : targets.values()) if (t instanceof RequestCounter r) n += r.requestCount();
        return n;
    }

    /**
     * The cause that lets the next endpoint be tried (not found, unreachable, or unauthorized without credentials
     * for that host), else null.
     */
    private ContentException fallsThrough(Throwable e, String endpoint) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (!(t instanceof ContentException c)) continue;
            switch (c.kind()) {
                case NOT_FOUND, UNAVAILABLE:
                    return c;
                case UNAUTHORIZED:
                    return hasCredentials(endpoint) ? null : c;
                default:
                    return null;
            }
        }
        return null;
    }

    private boolean hasCredentials(String endpoint) {
        try {
            Reference r = Reference.parseRepository(endpoint);
            if (r.registry() == null) return false;
            return settings.registryOptions().credentials().find(r.registry().registry(), r.registry().repository())
                    .found();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
