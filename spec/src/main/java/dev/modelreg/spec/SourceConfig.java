package dev.modelreg.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One {@code [sources.KEY]} table of a bootstrap file. See spec/README.md, "Bootstrap and overlay". Built from a
 * file by {@link BootstrapConfig}, or in code with {@link #builder}:
 * <pre>{@code
 * SourceConfig s = SourceConfig.builder("example").oci(Reference.parseRepository("ghcr.io/org/models"))
 *         .refs(List.of("main")).build();
 * }</pre>
 *
 * @param key the table key
 * @param repo GitHub repository "owner/name", or null (then {@code oci} is set)
 * @param name the model-name prefix of the source's models (defaults to the key)
 * @param refs default refs to sync: branches, tags, commits, or "sha256:&lt;hex&gt;" pins (may be empty)
 * @param registryPath directory of models.toml in the repository (default ".registry")
 * @param oci the OCI repository ({@code REGISTRY/REPOSITORY}, {@code oci-layout:DIR} or {@code oci-archive:FILE},
 *            without tag or digest), parsed once when the table is read; or null (then {@code repo} is set)
 */
public record SourceConfig(String key, String repo, String name, List<String> refs, String registryPath, Reference oci) {
    /** Where models.toml is in a repository unless {@code registry_path} says otherwise. */
    public static final String DEFAULT_REGISTRY_PATH = ".registry";

    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");
    private static final Pattern NAME = Pattern.compile("[^/@\\s]+(/[^/@\\s]+)*");

    /** Checks the source names a place (repo or oci, an oci without tag or digest) and fills in the defaults. */
    public SourceConfig {
        Objects.requireNonNull(key, "key");
        if (repo == null && oci == null) {
            throw new IllegalArgumentException("source '" + key + "' needs repo or oci");
        }
        if (oci != null && oci.reference() != null) {
            throw new IllegalArgumentException("source '" + key + "': oci '" + oci + "' names a tag or digest; want"
                    + " only the repository");
        }
        name = name == null ? key : name;
        refs = refs == null ? List.of() : List.copyOf(refs);
        registryPath = registryPath == null ? DEFAULT_REGISTRY_PATH : registryPath;
    }

    /** A builder of the source with table key {@code key}; its name is the key unless {@link Builder#name} is given. */
    public static Builder builder(String key) {
        return new Builder(key);
    }

    /** This source as a builder, to derive a changed copy ({@code s.toBuilder().repo("o/n").build()}). */
    public Builder toBuilder() {
        return new Builder(key).repo(repo).name(name).refs(refs).registryPath(registryPath).oci(oci);
    }

    /** Builds a {@link SourceConfig}: give a GitHub {@link #repo}, an {@link #oci} repository, or both. */
    public static final class Builder {
        private final String key;
        private String repo;
        private String name;
        private List<String> refs = List.of();
        private String registryPath;
        private Reference oci;

        private Builder(String key) {
            this.key = Objects.requireNonNull(key, "key");
        }

        /** The GitHub repository {@code OWNER/NAME} (GitHub mode: release assets or raw files). */
        public Builder repo(String ownerSlashName) {
            this.repo = ownerSlashName;
            return this;
        }

        /** The model-name prefix of the source's models (default: the key). */
        public Builder name(String prefix) {
            this.name = prefix;
            return this;
        }

        /** The refs synced by default: branches, tags, commits or {@code sha256:HEX} pins. */
        public Builder refs(List<String> defaultRefs) {
            this.refs = defaultRefs;
            return this;
        }

        /** The directory of models.toml in the repository (default {@value SourceConfig#DEFAULT_REGISTRY_PATH}). */
        public Builder registryPath(String path) {
            this.registryPath = path;
            return this;
        }

        /** The OCI repository (no tag or digest): a registry repository, a layout directory or an archive. */
        public Builder oci(Reference repository) {
            this.oci = repository;
            return this;
        }

        /** The source; it needs a repo or an oci repository. */
        public SourceConfig build() {
            return new SourceConfig(key, repo, name, refs, registryPath, oci);
        }
    }

    /** The repository owner ("MODFLOW-ORG"), or null without {@code repo}. */
    public String owner() {
        return repo == null ? null : repo.substring(0, repo.indexOf('/'));
    }

    /** The repository name ("modflow6-testmodels"), or null without {@code repo}. */
    public String repoName() {
        return repo == null ? null : repo.substring(repo.indexOf('/') + 1);
    }

    /** The first configured ref, or null if there are none. */
    public String defaultRef() {
        return refs.isEmpty() ? null : refs.get(0);
    }

    /** Reads and validates one source table; errors read "ORIGIN: source 'KEY': field 'F' ...". */
    static SourceConfig fromToml(String key, Object value, String origin) throws RegistryFormatException {
        String where = origin + ": source '" + key + "'";
        if (!(value instanceof Map<?, ?> t)) {
            throw new RegistryFormatException(where + ": must be a table");
        }
        String repo = string(t, "repo", where);
        if (repo != null && !REPO.matcher(repo).matches()) {
            throw new RegistryFormatException(where + ": field 'repo' must be \"owner/name\", got '" + repo + "'");
        }
        String ociText = string(t, "oci", where);
        Reference oci = ociText == null ? null : ociRepository(ociText);
        if (ociText != null && oci == null) {
            throw new RegistryFormatException(where + ": field 'oci' must be \"REGISTRY/REPOSITORY\" (lowercase"
                    + " repository, no tag or digest), \"oci-layout:DIR\" or \"oci-archive:FILE\", got '" + ociText + "'");
        }
        if (repo == null && oci == null) {
            throw new RegistryFormatException(where + ": needs field 'repo' (\"owner/name\") or field 'oci'"
                    + " (\"REGISTRY/REPOSITORY\"), or both");
        }
        String name = string(t, "name", where);
        if (name != null && !NAME.matcher(name).matches()) {
            throw new RegistryFormatException(where + ": field 'name' must be a model-name prefix like \"mf6/test\""
                    + " (no '@', whitespace or empty segment), got '" + name + "'");
        }
        if (name == null && !NAME.matcher(key).matches()) {
            throw new RegistryFormatException(where + ": field 'name' is needed: the key is not a valid model-name prefix");
        }
        String registryPath = string(t, "registry_path", where);
        if (registryPath != null && !safeRelative(registryPath)) {
            throw new RegistryFormatException(where + ": field 'registry_path' must be a relative path without"
                    + " '..', got '" + registryPath + "'");
        }
        return new SourceConfig(key, repo, name, refs(t, where), registryPath, oci);
    }

    /** The one reference grammar: a repository, a layout directory or an archive, without tag or digest; else null. */
    private static Reference ociRepository(String oci) {
        try {
            return Reference.parseRepository(oci);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean safeRelative(String p) {
        if (p.isEmpty() || p.startsWith("/") || p.startsWith("\\") || p.contains(":")) return false;
        for (String seg : p.split("[/\\\\]")) {
            if (seg.equals("..")) return false;
        }
        return true;
    }

    private static List<String> refs(Map<?, ?> t, String where) throws RegistryFormatException {
        Object v = t.get("refs");
        if (v == null) return List.of();
        String bad = where + ": field 'refs' must be a list of strings";
        if (!(v instanceof List<?> a)) {
            throw new RegistryFormatException(bad);
        }
        List<String> refs = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            if (!(a.get(i) instanceof String s)) {
                throw new RegistryFormatException(bad);
            }
            if (s.isEmpty() || s.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
                throw new RegistryFormatException(where + ": field 'refs' has an empty ref or one with whitespace: '" + s + "'");
            }
            if (s.indexOf(':') >= 0 && !Digest.isDigest(s)) {
                throw new RegistryFormatException(where + ": field 'refs': '" + s
                        + "' is neither a git ref nor a digest (want sha256:<64 hex>)");
            }
            refs.add(s);
        }
        return refs;
    }

    private static String string(Map<?, ?> t, String field, String where) throws RegistryFormatException {
        Object v = t.get(field);
        if (v == null) return null;
        if (v instanceof String s) return s;
        throw new RegistryFormatException(where + ": field '" + field + "' must be a string");
    }

    /** This source as plain data (for --json output). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("key", key);
        m.put("name", name);
        m.put("repo", repo);
        m.put("oci", oci == null ? null : oci.toString());
        m.put("refs", refs);
        m.put("registry_path", registryPath);
        return m;
    }
}
