package dev.modelreg.spec;

import java.util.regex.Pattern;

/**
 * A fully qualified OCI reference: {@code registry/repository[:tag][@digest]}, e.g.
 * {@code ghcr.io/org/models:v6.5.0} or {@code 127.0.0.1:5000/models@sha256:<hex>}. The registry part is required
 * (it must contain '.' or ':' or be {@code localhost}); there are no Docker Hub style defaults. The repository
 * follows the OCI distribution grammar (lowercase path components joined by '/'), the tag the OCI tag grammar.
 * {@link #toString()} gives back the parsed text.
 */
public record OciReference(String registry, String repository, String tag, Digest digest) {
    private static final String LABEL = "(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])";
    private static final Pattern REGISTRY =
            Pattern.compile("(?:" + LABEL + "(?:\\." + LABEL + ")*|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?");
    private static final Pattern REPOSITORY =
            Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final int MAX_NAME = 255;

    public OciReference {
        String shown = show(registry, repository, tag, digest);
        if (registry == null || !REGISTRY.matcher(registry).matches()
                || !(registry.contains(".") || registry.contains(":") || registry.equals("localhost"))) {
            throw invalid(shown, "registry '" + registry + "' must be a host name with a '.' or a port, or localhost");
        }
        int colon = registry.lastIndexOf(':');
        if (colon > registry.lastIndexOf(']')) {
            int port = Integer.parseInt(registry.substring(colon + 1));
            if (port < 1 || port > 65535) throw invalid(shown, "port " + port + " is out of range (1-65535)");
        }
        if (repository == null || !REPOSITORY.matcher(repository).matches()) {
            throw invalid(shown, "repository '" + repository
                    + "' must be lowercase path components of [a-z0-9] joined by '.', '_', '__' or '-', separated by '/'");
        }
        if (registry.length() + 1 + repository.length() > MAX_NAME) {
            throw invalid(shown, "name longer than " + MAX_NAME + " characters");
        }
        if (tag != null && !isTag(tag)) {
            throw invalid(shown, "tag '" + tag + "' must match [A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
        }
    }

    /** Parses {@code host[:port]/repo/path[:tag][@sha256:hex]}; errors are one line naming the reference. */
    public static OciReference parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("invalid OCI reference '': empty");
        }
        String rest = text;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            try {
                digest = Digest.parse(rest.substring(at + 1));
            } catch (IllegalArgumentException e) {
                throw invalid(text, e.getMessage());
            }
            rest = rest.substring(0, at);
        }
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            throw invalid(text, "want REGISTRY/REPOSITORY[:TAG][@DIGEST], e.g. ghcr.io/org/models:v1");
        }
        String registry = rest.substring(0, slash);
        String name = rest.substring(slash + 1);
        String tag = null;
        int colon = name.lastIndexOf(':');
        if (colon >= 0 && colon > name.lastIndexOf('/')) {
            tag = name.substring(colon + 1);
            name = name.substring(0, colon);
        }
        try {
            return new OciReference(registry, name, tag, digest);
        } catch (IllegalArgumentException e) {
            // Re-word so the message names exactly the text the user gave.
            String msg = e.getMessage();
            int cut = msg.indexOf("': ");
            throw invalid(text, cut >= 0 ? msg.substring(cut + 3) : msg);
        }
    }

    public static boolean isTag(String s) {
        return s != null && TAG.matcher(s).matches();
    }

    /** {@code registry/repository}, without tag or digest. */
    public String name() {
        return registry + "/" + repository;
    }

    /** The digest if there is one, else the tag, else null: what to resolve in the repository. */
    public String reference() {
        return digest != null ? digest.toString() : tag;
    }

    public OciReference withTag(String newTag) {
        return new OciReference(registry, repository, newTag, digest);
    }

    public OciReference withDigest(Digest newDigest) {
        return new OciReference(registry, repository, tag, newDigest);
    }

    public OciReference withRepository(String newRepository) {
        return new OciReference(registry, newRepository, tag, digest);
    }

    @Override
    public String toString() {
        return show(registry, repository, tag, digest);
    }

    private static String show(String registry, String repository, String tag, Digest digest) {
        StringBuilder b = new StringBuilder().append(registry).append('/').append(repository);
        if (tag != null) b.append(':').append(tag);
        if (digest != null) b.append('@').append(digest);
        return b.toString();
    }

    private static IllegalArgumentException invalid(String ref, String why) {
        return new IllegalArgumentException("invalid OCI reference '" + ref + "': " + why);
    }
}
