package dev.modelreg.publisher;

import dev.modelreg.spec.FileEntry;
import dev.modelreg.spec.GitHubUrls;
import dev.modelreg.spec.Glob;
import dev.modelreg.spec.ModelregException;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.Text;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Files a push keeps out of the layers (spec/README.md 3.14): the file keys {@code globs} match. Their models.toml
 * entries keep {@code hash}, {@code size} and a {@code url} consumers fetch them from: the entry's own, else
 * {@code urlBase} followed by the key (each segment percent-encoded). The manifest lists them in
 * {@code dev.modelreg.external}.
 *
 * @param globs   globs over file keys ({@code *} within a segment, {@code **} across); empty: no external file
 * @param urlBase an http(s) URL, or null: then every external entry must have a {@code url} already
 */
public record ExternalFiles(List<Glob> globs, URI urlBase) {
    /** No external file. */
    public static final ExternalFiles NONE = new ExternalFiles(List.of(), null);

    public ExternalFiles {
        globs = globs == null ? List.of() : List.copyOf(globs);
    }

    /**
     * The files {@code globs} match ({@code --external}), with URLs {@code urlBase} + key for entries that have none
     * ({@code --external-url-base}; null: none). A glob with a {@code ..} or {@code .} segment or a leading {@code /}, and
     * a base that is not an absolute http(s) URL, are refused in one line ({@code INVALID}).
     */
    public static ExternalFiles of(List<String> globs, String urlBase) throws PublishException {
        List<Glob> gs = new ArrayList<>();
        try {
            if (globs != null) for (String g : globs) gs.add(Glob.of(g, "--external"));
        } catch (IllegalArgumentException e) {
            throw PublishException.invalid(e.getMessage());
        }
        if (urlBase != null && gs.isEmpty()) throw PublishException.invalid("--external-url-base needs --external GLOB");
        return new ExternalFiles(gs, urlBase == null ? null : base(urlBase));
    }

    private static URI base(String text) throws PublishException {
        try {
            URI u = new URI(text);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null && u.getRawQuery() == null
                    && u.getRawFragment() == null) {
                return u;
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        throw PublishException.invalid("--external-url-base '" + Text.printable(text) + "' is not an http(s) URL"
                + " without query or fragment");
    }

    /** True when no file is external. */
    public boolean none() {
        return globs.isEmpty();
    }

    /** Whether {@code key} is external. */
    boolean matches(String key) {
        return globs.stream().anyMatch(g -> g.matches(key));
    }

    /**
     * The external keys of {@code r}, sorted. Every glob must match a file ({@code NOT_FOUND} otherwise, one line
     * naming it); every external entry must have a hash (a consumer verifies it) ({@code INVALID}).
     */
    SortedSet<String> keys(ModelsToml r, String label) throws PublishException {
        SortedSet<String> out = new TreeSet<>();
        for (Glob g : globs) {
            List<String> hit = r.files().keySet().stream().filter(g::matches).toList();
            if (hit.isEmpty()) {
                throw new PublishException(ModelregException.Kind.NOT_FOUND, "--external '" + g + "' matches no file of "
                        + label, null);
            }
            out.addAll(hit);
        }
        for (String k : out) {
            if (r.files().get(k).hash() == null) {
                throw PublishException.invalid(label + ": external file '" + Text.printable(k) + "' has no hash: a"
                        + " consumer could not verify what its URL serves");
            }
        }
        return out;
    }

    /**
     * {@code r} with a URL for every external key: the entry's own, else {@code urlBase} + key; an entry with neither
     * is refused in one line ({@code INVALID}). Returns {@code r} itself when nothing changed.
     */
    ModelsToml withUrls(ModelsToml r, SortedSet<String> keys, String label) throws PublishException {
        TreeMap<String, FileEntry> files = null;
        for (String k : keys) {
            FileEntry e = r.files().get(k);
            if (e.url() != null && !e.url().isBlank()) continue;
            if (urlBase == null) {
                throw PublishException.invalid(label + ": external file '" + Text.printable(k) + "' has no url: give"
                        + " --external-url-base URL (the URL of a file is URL/KEY)");
            }
            if (files == null) files = new TreeMap<>(r.files());
            files.put(k, new FileEntry(e.hash(), urlOf(k), e.path(), e.size()));
        }
        return files == null ? r : new ModelsToml(r.schemaVersion(), files, r.models(), r.examples());
    }

    /** {@code urlBase}, a {@code /} unless it ends in one, then {@code key} percent-encoded per segment. */
    String urlOf(String key) {
        String b = urlBase.toString();
        return b + (b.endsWith("/") ? "" : "/") + GitHubUrls.encodePath(key);
    }
}
