package dev.modelreg.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The consumer's {@code [mirrors]} rules (spec/README.md, "Mirrors"): a repository prefix, matched on whole path
 * components (the longest matching prefix wins), is rewritten to each endpoint in order, then the upstream itself
 * unless the rule is mirror-only.
 *
 * <pre>
 * [mirrors]
 * "ghcr.io/modflow-org" = ["registry.internal/mirror/modflow-org", "backup.internal/modflow-org"]
 * "ghcr.io/other" = "registry.internal/other"
 * "ghcr.io/secret" = { endpoints = ["registry.internal/secret"], mirror_only = true }
 * </pre>
 *
 * @param rules prefix -> rule, in file order
 */
public record Mirrors(Map<String, Rule> rules) {
    public static final Mirrors NONE = new Mirrors(Map.of());

    /** One rule: the endpoint prefixes to try in order, and whether the upstream is never tried. */
    public record Rule(List<String> endpoints, boolean mirrorOnly) {
        public Rule {
            endpoints = List.copyOf(endpoints);
        }
    }

    public Mirrors {
        rules = Collections.unmodifiableMap(new LinkedHashMap<>(rules));
    }

    /** The {@code [mirrors]} table of a parsed config file; null or absent gives no rules. */
    static Mirrors fromToml(Object value, String origin) throws RegistryFormatException {
        if (value == null) return NONE;
        if (!(value instanceof Map<?, ?> t)) throw new RegistryFormatException(origin + ": [mirrors] must be a table");
        Map<String, Rule> rules = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : t.entrySet()) {
            String prefix = (String) e.getKey();
            String where = origin + ": [mirrors] \"" + prefix + "\"";
            checkPrefix(prefix, where);
            Object v = e.getValue();
            boolean mirrorOnly = false;
            if (v instanceof Map<?, ?> m) {
                for (Object k : m.keySet()) {
                    if (!"endpoints".equals(k) && !"mirror_only".equals(k)) {
                        throw new RegistryFormatException(where + ": unknown field '" + k
                                + "' (want endpoints, mirror_only)");
                    }
                }
                Object mo = m.get("mirror_only");
                if (mo != null && !(mo instanceof Boolean)) {
                    throw new RegistryFormatException(where + ": mirror_only must be true or false");
                }
                mirrorOnly = Boolean.TRUE.equals(mo);
                v = m.get("endpoints");
            }
            List<String> endpoints = new ArrayList<>();
            if (v instanceof String s) {
                endpoints.add(s);
            } else if (v instanceof List<?> l) {
                for (Object o : l) {
                    if (!(o instanceof String s)) throw new RegistryFormatException(where + ": endpoints must be strings");
                    endpoints.add(s);
                }
            } else {
                throw new RegistryFormatException(where + ": want an endpoint, a list of endpoints or "
                        + "{ endpoints = [...], mirror_only = true }");
            }
            if (endpoints.isEmpty()) throw new RegistryFormatException(where + ": no endpoints");
            for (String ep : endpoints) checkPrefix(ep, where + ": endpoint '" + ep + "'");
            rules.put(prefix, new Rule(endpoints, mirrorOnly));
        }
        return new Mirrors(rules);
    }

    private static void checkPrefix(String p, String where) throws RegistryFormatException {
        if (p.isEmpty() || p.startsWith(Reference.LAYOUT_PREFIX) || p.startsWith(Reference.ARCHIVE_PREFIX)
                || p.startsWith("/") || p.endsWith("/") || p.contains("//") || p.contains("@")
                || p.contains(":") && p.lastIndexOf(':') > p.indexOf('/') && p.indexOf('/') >= 0
                || p.chars().anyMatch(Character::isWhitespace)) {
            throw new RegistryFormatException(where + ": want REGISTRY[/PATH] without a tag, digest or trailing '/'");
        }
    }

    /**
     * Where to look for {@code repository} (REGISTRY/REPO, no tag): the rewritten repository of each endpoint of the
     * longest rule whose prefix equals it or prefixes it followed by '/', then {@code repository} itself unless the
     * rule is mirror-only. Without a matching rule, {@code repository} alone.
     */
    public List<String> endpoints(String repository) {
        if (repository.startsWith(Reference.LAYOUT_PREFIX) || repository.startsWith(Reference.ARCHIVE_PREFIX)) {
            return List.of(repository); // local files are never mirrored
        }
        String best = null;
        for (String p : rules.keySet()) {
            boolean match = repository.equals(p) || repository.startsWith(p + "/");
            if (match && (best == null || p.length() > best.length())) best = p;
        }
        if (best == null) return List.of(repository);
        Rule r = rules.get(best);
        String rest = repository.substring(best.length());
        List<String> out = new ArrayList<>();
        for (String ep : r.endpoints()) out.add(ep + rest);
        if (!r.mirrorOnly()) out.add(repository);
        return List.copyOf(out);
    }

    /** Whether the upstream {@code repository} itself is never tried (a mirror-only rule applies). */
    public boolean mirrorOnly(String repository) {
        List<String> e = endpoints(repository);
        return !e.contains(repository);
    }
}
